"""The outer ASGI layer of the fake: request records, bounded body reads, refusals, and faults."""

from __future__ import annotations

import http
import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._envelope import ApiError, failure, new_request_id
from ._faults import Fault
from ._recorded import RecordedRequest

Headers = list[tuple[bytes, bytes]]


class SimulatedDisconnect(httpx.RemoteProtocolError):
    """Raised by the app to drop a connection mid-response (the ``disconnect`` fault).

    Through ``httpx.ASGITransport`` the client sees this exception itself, a
    ``RemoteProtocolError`` like a real dropped connection gives. When served by uvicorn the
    server wrapper swallows it, and uvicorn closes the half-answered connection.
    """


class BodyTooLarge(Exception):
    """The request body is over the fake's ``max_body_size`` (declared or counted)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"request body over {limit} bytes")

    def api_error(self) -> ApiError:
        """The 413 answer, in Kling's envelope (1200: Kling has no code of its own for it)."""
        return ApiError(
            1200,
            f"Request body too large: more than {self.limit} bytes "
            "(FakeKling(max_body_size=...) raises the limit)",
            status=413,
        )


def declared_length(scope: Scope) -> int | None:
    """The request's ``Content-Length``, or ``None`` when absent or not a number (chunked)."""
    for name, value in scope["headers"]:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def read_body(scope: Scope, receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or ``None`` if the client disconnected first.

    Raises :class:`BodyTooLarge` without reading anything when ``Content-Length`` is over
    ``limit``, and, for a body without one (chunked), as soon as the chunks received add up to
    more than ``limit``: the rest is never read, so what the fake holds stays under ``limit``.
    """
    length = declared_length(scope)
    if length is not None and length > limit:
        raise BodyTooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def network_latency(seconds: float) -> None:
    """Hold a request back ``seconds`` (``FakeKling(latency=...)``), as a network in between
    would: asleep, so the fake's event loop answers other requests meanwhile."""
    await anyio.sleep(seconds)


def request_record(scope: Scope, time: float) -> RecordedRequest:
    """The record of a request that just arrived, from its scope (no body yet)."""
    raw_headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
    headers: dict[str, str] = {}
    for name, value in raw_headers:
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    query_string = scope.get("query_string", b"").decode("latin-1")
    return RecordedRequest(
        method=scope["method"],
        path=scope["path"],
        query_string=query_string,
        query=dict(urllib.parse.parse_qsl(query_string, keep_blank_values=True)),
        headers=headers,
        raw_headers=raw_headers,
        body=b"",
        json=None,
        time=time,
    )


def parse_json(body: bytes) -> Any:
    """A request body's JSON for its record, or ``None`` when empty or not JSON."""
    try:
        return json.loads(body) if body else None
    except (ValueError, UnicodeDecodeError):
        return None


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands out ``body`` once, then defers to the real one (disconnects)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def recording(send: Send, record: RecordedRequest) -> Send:
    """A ``send`` that notes the response status in ``record``."""

    async def recorded(message: Message) -> None:
        if message["type"] == "http.response.start":
            record.status = message["status"]
        await send(message)

    return recorded


@dataclass
class Captured:
    """A response the inner app produced, held back instead of sent."""

    status: int = 500
    headers: Headers = field(default_factory=list)
    body: bytes = b""


async def capture(app: ASGIApp, scope: Scope, body: bytes, receive: Receive) -> Captured:
    """Run ``app`` for its side effects and keep its response."""
    captured = Captured()
    chunks: list[bytes] = []

    async def keep(message: Message) -> None:
        if message["type"] == "http.response.start":
            captured.status = message["status"]
            captured.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, replay(body, receive), keep)
    captured.body = b"".join(chunks)
    return captured


async def _send(send: Send, status: int, headers: Headers, body: bytes) -> None:
    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def send_error(send: Send, error: ApiError, record: RecordedRequest | None = None) -> None:
    """Answer with ``error``'s envelope outside the Starlette app (and note it in ``record``)."""
    request_id = new_request_id()
    if record is not None:
        record.status, record.code, record.request_id = error.status, error.code, request_id
    headers = [(b"content-type", b"application/json"), (b"x-request-id", request_id.encode())]
    headers += [
        (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in error.headers.items()
    ]
    payload = json.dumps(failure(error.code, error.message, request_id)).encode()
    await _send(send, error.status, headers, payload)


def _html_page(status: int) -> bytes:
    try:
        title = f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        title = str(status)
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode()


_GARBAGE = b"\x1f\x8b\x08\x00<<not json>>\xff\xfe\x00"
_DISCONNECT_PREFIX = b'{"code":0,"message":"SUCCEED","request_id":"'


async def apply_fault(
    app: ASGIApp,
    fault: Fault,
    scope: Scope,
    body: bytes,
    receive: Receive,
    send: Send,
    record: RecordedRequest,
) -> None:
    """Answer one request as ``fault`` says (see :data:`FaultKind`)."""
    record.fault = fault
    if fault.delay > 0:
        await anyio.sleep(fault.delay)
    if fault.kind == "delay":
        await app(scope, replay(body, receive), recording(send, record))
        return
    captured = None
    if fault.process or fault.kind == "truncated":
        captured = await capture(app, scope, body, receive)
    extra: Headers = []
    if fault.retry_after is not None:
        extra.append((b"retry-after", f"{fault.retry_after:g}".encode()))

    if fault.kind == "error":
        request_id = new_request_id()
        code = fault.code if fault.code is not None else 5000
        payload = json.dumps(failure(code, fault.error_message, request_id)).encode()
        headers = [(b"content-type", b"application/json"), (b"x-request-id", request_id.encode())]
        record.status, record.code, record.request_id = fault.http_status, code, request_id
        await _send(send, fault.http_status, headers + extra, payload)
    elif fault.kind == "html":
        record.status, record.code = fault.http_status, None
        headers = [(b"content-type", b"text/html; charset=utf-8")]
        await _send(send, fault.http_status, headers + extra, _html_page(fault.http_status))
    elif fault.kind == "truncated":
        assert captured is not None
        record.status = captured.status
        cut = captured.body[: max(1, len(captured.body) // 2)]
        await _send(send, captured.status, captured.headers, cut)
    elif fault.kind == "garbage":
        record.status, record.code = 200, None
        await _send(send, 200, [(b"content-type", b"application/json")], _GARBAGE)
    else:  # disconnect: promise a body, send part of it, then vanish
        record.status, record.code = 200, None
        headers = [(b"content-type", b"application/json"), (b"content-length", b"256")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": _DISCONNECT_PREFIX, "more_body": True})
        raise SimulatedDisconnect("server closed the connection mid-response (FakeKling fault)")
