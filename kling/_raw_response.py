"""``client.with_raw_response``: the HTTP answer of a call beside what the call returns.

A wrapped call (``kling._async._call.to_raw_response``) sets :data:`LAST_RESPONSE` to a fresh
holder; the client's ``_send`` puts each response it gets there, so the holder ends with the
call's last one. Unset, as it is for every other call, it costs ``_send`` one lookup.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._response import decode

if TYPE_CHECKING:
    import httpx

__all__ = ["LAST_RESPONSE", "RawResponse"]

T = TypeVar("T")

#: The holder a raw-response call reads its last HTTP response from (None: nobody asks).
LAST_RESPONSE: ContextVar[list[httpx.Response] | None] = ContextVar(
    "kling_last_response", default=None
)


class RawResponse(Generic[T]):
    """The HTTP answer to a call made through ``client.with_raw_response``.

    ``status_code``, ``headers``, ``elapsed``, ``request_id`` and ``json()`` (the body as Kling
    sent it) describe the call's last request; ``parse()`` is what the call itself returns.
    ``http_response`` is the ``httpx.Response``.
    """

    def __init__(self, response: httpx.Response, parsed: T) -> None:
        self.http_response = response
        self._parsed = parsed

    def __repr__(self) -> str:
        request = self.http_response.request
        return (
            f"<RawResponse {request.method} {request.url.path} {self.status_code} "
            f"request_id={self.request_id}>"
        )

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def elapsed(self) -> timedelta:
        """From sending the request to the end of the answer."""
        return self.http_response.elapsed

    @property
    def request_id(self) -> str | None:
        """Kling's ``request_id`` of the answer (its body's), for support requests."""
        body = self.json()
        request_id = body.get("request_id") if isinstance(body, dict) else None
        return request_id if isinstance(request_id, str) and request_id else None

    def json(self) -> Any:
        """The body as Kling sent it, envelope and all (None when it is not JSON)."""
        return decode(self.http_response)

    def parse(self) -> T:
        """What the call returns without ``with_raw_response`` (a task, a page...)."""
        return self._parsed
