"""What the routes of both standards share: Kling's envelope as a response, the JSON body, and
the scope key through which the outer layer hands each handler its request record.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ._envelope import ApiError, failure, new_request_id, success
from ._recorded import RecordedRequest

RECORD_KEY = "kling.fake.record"
"""Scope key under which the outer layer passes the :class:`RecordedRequest` to handlers."""

Endpoint = Callable[[Request], Awaitable[Response]]


def _record(request: Request) -> RecordedRequest | None:
    record = request.scope.get(RECORD_KEY)
    return record if isinstance(record, RecordedRequest) else None


def ok(request: Request, data: Any) -> JSONResponse:
    """A 200 success envelope (and note code 0 in the request log)."""
    request_id = new_request_id()
    record = _record(request)
    if record is not None:
        record.code, record.request_id = 0, request_id
    return JSONResponse(success(data, request_id), headers={"X-Request-Id": request_id})


def error_response(request: Request, exc: ApiError) -> JSONResponse:
    """The error envelope for ``exc`` (and note its code in the request log)."""
    request_id = new_request_id()
    record = _record(request)
    if record is not None:
        record.code, record.request_id = exc.code, request_id
    headers = {"X-Request-Id": request_id, **exc.headers}
    return JSONResponse(failure(exc.code, exc.message, request_id), exc.status, headers=headers)


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object; 400/1200 for another content type, bad JSON or a non-object."""
    if "application/json" not in request.headers.get("content-type", "").lower():
        raise ApiError(1200, "Invalid request parameters: Content-Type must be application/json")
    raw = await request.body()
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(1200, "Invalid request parameters: body is not valid JSON") from exc
    if not isinstance(body, dict):
        raise ApiError(1200, "Invalid request parameters: body must be a JSON object")
    return body
