"""What one call may add to its requests: ``extra_headers``, ``extra_query`` and ``timeout``.

Named and merged as openai-python names and merges them: headers over the client's, query
parameters over the call's own, a timeout in place of the client's for that call only. They are
checked before anything is sent; the auth headers stay the client's (``kling._auth``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

import httpx

from ._config import TimeoutTypes, clean_headers
from ._errors import InvalidParameterError

__all__ = ["AUTH_HEADERS", "NOT_GIVEN", "CallOptions", "Headers", "Query"]

#: ``extra_headers=``: header names to values, sent with each request of the call.
Headers = Mapping[str, str]
#: ``extra_query=``: query parameters added to each request of the call.
Query = Mapping[str, object]

#: The headers ``KlingAuth`` sets, in lower case: a call never overrides them.
AUTH_HEADERS = frozenset({"authorization", "x-api-key", "x-api-secret"})
#: Query values httpx sends as they are (a list or tuple of them repeats the parameter).
_QUERY_SCALARS = (str, int, float, bool, type(None))
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


class _NotGiven:
    """The default of an option left out (``timeout=None`` means no timeout, so None cannot)."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Any = _NotGiven()


# A NamedTuple, not a frozen dataclass: the module comes with every client, and a dataclass
# compiles its methods at import.
class CallOptions(NamedTuple):
    """The options of one call, checked. ``key`` hashes, so that waits share polls by it."""

    headers: tuple[tuple[str, str], ...] = ()
    query: tuple[tuple[str, Any], ...] = ()
    timeout: TimeoutTypes | _NotGiven = NOT_GIVEN

    @property
    def key(self) -> tuple[object, ...]:
        """What tells the polls of one wait from another's: the headers and query they carry."""
        return (self.headers, self.query)

    @classmethod
    def of(
        cls,
        extra_headers: Headers | None,
        extra_query: Query | None,
        timeout: TimeoutTypes | _NotGiven = NOT_GIVEN,
    ) -> CallOptions | None:
        """The checked options, or None when the call has none."""
        if not extra_headers and not extra_query and timeout is NOT_GIVEN:
            return None
        return cls(_headers(extra_headers), _query(extra_query), _timeout(timeout))


def _headers(extra: Headers | None) -> tuple[tuple[str, str], ...]:
    if extra is None:
        return ()
    if not isinstance(extra, Mapping):
        raise InvalidParameterError(
            f"extra_headers must be a mapping of header names to values, got "
            f"{type(extra).__name__}",
            field="extra_headers",
        )
    headers = clean_headers(dict(extra), field="extra_headers")
    for name, value in headers.items():
        # RFC 9110 5.1: a header name is a token; httpx encodes values as ASCII.
        if not _TOKEN.fullmatch(name) or not value.isascii():
            raise InvalidParameterError(
                f"extra_headers[{name!r}]: a header name is letters, digits and !#$%&'*+-.^_`|~ "
                "only, and its value ASCII",
                field="extra_headers",
            )
        if name.lower() in AUTH_HEADERS:
            raise InvalidParameterError(
                f"extra_headers cannot set {name!r}: the client sends its own credentials; "
                "pass other keys to the client (or client.with_options(api_key=...))",
                field="extra_headers",
            )
    return tuple(headers.items())


def _query(extra: Query | None) -> tuple[tuple[str, Any], ...]:
    if extra is None:
        return ()
    if not isinstance(extra, Mapping):
        raise InvalidParameterError(
            f"extra_query must be a mapping of parameter names to values, got "
            f"{type(extra).__name__}",
            field="extra_query",
        )
    query: list[tuple[str, Any]] = []
    for name, value in extra.items():
        values = value if isinstance(value, (list, tuple)) else (value,)
        if not isinstance(name, str) or not all(isinstance(v, _QUERY_SCALARS) for v in values):
            raise InvalidParameterError(
                f"extra_query[{name!r}] must be a str, int, float, bool or None, or a list of "
                f"them; got {type(value).__name__}",
                field="extra_query",
            )
        # A tuple, so that the options hash: httpx sends it as it sends a list.
        query.append((name, tuple(value) if isinstance(value, list) else value))
    return tuple(query)


def _timeout(timeout: TimeoutTypes | _NotGiven) -> TimeoutTypes | _NotGiven:
    if timeout is NOT_GIVEN or timeout is None or isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise InvalidParameterError(
            f"timeout must be a positive number of seconds, an httpx.Timeout or None, got "
            f"{timeout!r}",
            field="timeout",
        )
    return float(timeout)
