"""From an HTTP response to what a call returns, or to the exception it means. IO-free.

Kling wraps every answer in an envelope ``{"code": 0, "message": ..., "request_id": ...,
"data": ...}``. Only a 2xx whose envelope has the integer code 0 is a success; then ``parse``
turns ``data`` into the call's result. Whatever a hostile or broken server sends (a body that is
not JSON, nested a million levels deep, with huge numbers or the wrong shape) ends in a
:class:`~kling.KlingError`, never in a ``ValidationError`` or ``RecursionError``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from ._errors import KlingAPIError, ServerError, decode_body, error_from_response
from ._logging import logger, redact_headers

if TYPE_CHECKING:
    import httpx

__all__ = ["EnvelopeError", "as_is", "decode", "list_items", "parse_response"]

T = TypeVar("T")

#: Exceptions a parser raises on data of the wrong shape (pydantic's ValidationError is a
#: ValueError); hostile nesting and numbers add the other two.
_MALFORMED = (ValueError, TypeError, KeyError, RecursionError, OverflowError)


class EnvelopeError(Exception):
    """Raised by a parser whose ``data`` holds an envelope of its own with an error code.

    ``/account/costs`` answers ``data: {"code": 1302, "msg": ...}``: the inner code is
    classified exactly as an outer one would be.
    """

    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(body.get("message"))
        self.body = body


def as_is(value: Any) -> Any:
    """The parser of calls that use ``data`` as it is."""
    return value


def decode(response: httpx.Response) -> Any:
    """The JSON body, or ``None`` when it is not JSON (or too deeply nested to read)."""
    return decode_body(response.content)


def parse_response(
    response: httpx.Response,
    parse: Callable[[Any], T],
    on_envelope: Callable[[dict[str, Any]], None] | None = None,
) -> T:
    """``parse(data)`` for a successful envelope; otherwise raise the matching error.

    ``on_envelope`` sees the envelope first, whatever it says (a span notes its request id).
    """
    body = decode(response)
    if on_envelope is not None and isinstance(body, dict):
        on_envelope(body)
    if logger.isEnabledFor(logging.DEBUG):
        request = response.request
        logger.debug(
            "%s %s -> %d request_id=%s headers=%s",
            request.method,
            request.url.path,
            response.status_code,
            body.get("request_id") if isinstance(body, dict) else None,
            redact_headers(request.headers),
        )
    if not (200 <= response.status_code < 300 and isinstance(body, dict) and _is_ok(body)):
        raise error_from_response(response, body)
    try:
        return parse(body.get("data"))
    except KlingAPIError:
        raise
    except EnvelopeError as inner:
        raise error_from_response(
            response, {"request_id": body.get("request_id"), **inner.body}
        ) from None
    except _MALFORMED as exc:
        raise malformed(response, body, exc) from None


def _is_ok(body: dict[str, Any]) -> bool:
    code = body.get("code")
    return type(code) is int and code == 0


def malformed(response: httpx.Response, body: dict[str, Any], exc: BaseException) -> ServerError:
    """A success envelope whose ``data`` is missing or of the wrong shape: a server fault.

    A ``ServerError`` is retried on reads and makes a create look itself up, which is what an
    answer that cannot be trusted calls for.
    """
    request = response.request
    request_id = body.get("request_id")
    return ServerError(
        f"malformed response to {request.method} {request.url.path}: {_reason(exc)}",
        code=response.status_code,
        api_code=None,
        request_id=request_id if isinstance(request_id, str) and request_id else None,
        response=response,
    )


def _reason(exc: BaseException) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):  # pydantic's ValidationError: name the first field that failed
        try:
            first = errors(include_url=False, include_input=False)[0]
            where = ".".join(str(part) for part in first["loc"]) or "data"
            return f"{where}: {first['msg']}"
        except (IndexError, KeyError, TypeError):
            pass
    return f"{type(exc).__name__}"


def list_items(data: Any) -> list[Any]:
    """A page's items (``data: null`` is an empty page)."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise TypeError(f"expected a list of tasks, got {type(data).__name__}")
    return data
