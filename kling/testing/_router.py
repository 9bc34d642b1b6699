"""The Starlette application behind FakeKling: the routes of both standards, the fake's own
routes (result files, the callback sink), and the handlers that put every error in Kling's
envelope.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._callbacks import CallbackDispatcher
from ._envelope import ApiError
from ._files import RangeNotSatisfiable, media_for, parse_range
from ._http import Endpoint, error_response
from ._recorded import ReceivedCallback, RequestLog
from ._state import TaskStore
from .legacy.routes import legacy_routes
from .standard.routes import standard_routes


async def _file(request: Request) -> Response:
    name: str = request.path_params["name"]
    media = media_for(name.rpartition(".")[2]) if "." in name else None
    if media is None:
        raise ApiError(1203, "Requested resource does not exist: unknown file type")
    content, size = media.content, len(media.content)
    headers = {"Accept-Ranges": "bytes", "ETag": media.etag}
    requested = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if if_range is not None and if_range != media.etag:
        requested = None  # the client's copy is stale: send the whole file
    try:
        span = parse_range(requested, size)
    except RangeNotSatisfiable:
        headers["Content-Range"] = f"bytes */{size}"
        return Response(b"", 416, headers=headers, media_type=media.content_type)
    status = 200
    if span is not None:
        first, last = span
        content, status = content[first : last + 1], 206
        headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    headers["Content-Length"] = str(len(content))
    if request.method == "HEAD":
        content = b""
    return Response(content, status, headers=headers, media_type=media.content_type)


def _callback_sink(log: RequestLog) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse([item.json for item in log.callbacks()])
        raw = await request.body()
        try:
            parsed: Any = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            parsed = None
        headers = {key.lower(): value for key, value in request.headers.items()}
        log.add_callback(ReceivedCallback(headers, raw, parsed))
        return JSONResponse({"ok": True})

    return endpoint


async def _on_api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(request, exc)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        error = ApiError(1202, f"Invalid request method: {request.method} is not allowed here")
    elif exc.status_code == 404:
        error = ApiError(1203, f"Requested resource does not exist: {request.url.path}")
    else:
        error = ApiError(1200, exc.detail, status=exc.status_code)
    return error_response(request, error)


def build_app(
    store: TaskStore,
    callbacks: CallbackDispatcher,
    log: RequestLog,
    resource_packs: Callable[[], Sequence[Mapping[str, Any]]],
) -> Starlette:
    """The Starlette application serving one fake's store, callbacks and log."""
    routes = [
        *standard_routes(store, callbacks),
        *legacy_routes(store, callbacks, resource_packs),
        Route("/files/{name}", _file, methods=["GET", "HEAD"]),
        Route("/_fake/callbacks", _callback_sink(log), methods=["GET", "POST"]),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await callbacks.aclose()  # stop callback jobs with the server

    app = Starlette(
        routes=routes,
        exception_handlers={ApiError: _on_api_error, HTTPException: _on_http_error},
        lifespan=lifespan,
    )
    app.router.redirect_slashes = False  # "/path/" is a different (unknown) path, as on Kling
    return app
