"""The Kling response envelope and the business error codes the fake answers with."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

# Kling's business codes, with the HTTP status each one travels with and a default message:
# https://github.com/aself101/kling-api/blob/main/docs/api/kling-get-started-error-codes.md
# Fault injection derives the status from the code when a test names only the code.
CODES: dict[int, tuple[int, str]] = {
    1000: (401, "Authentication failed"),
    1001: (401, "Authorization is empty"),
    1002: (401, "Authorization is invalid"),
    1003: (401, "Authorization is not yet valid"),
    1004: (401, "Authorization has expired"),
    1100: (429, "Account exception"),
    1101: (429, "Account in arrears"),
    1102: (429, "Resource pack exhausted or expired"),
    1103: (403, "No permission to access the requested resource"),
    1200: (400, "Invalid request parameters"),
    1201: (400, "Invalid parameter"),
    1202: (404, "Invalid request method"),
    1203: (404, "Requested resource does not exist"),
    1300: (400, "Trigger platform strategy"),
    1301: (400, "Trigger content security policy"),
    1302: (429, "The API request is too fast, please slow down"),
    1303: (429, "parallel task over resource pack limit"),
    1304: (429, "Trigger IP whitelist policy"),
    5000: (500, "Internal server error"),
    5001: (503, "Service temporarily unavailable, please try again later"),
    5002: (504, "Server internal timeout, please try again later"),
}


def status_for(code: int) -> int:
    """The HTTP status Kling sends with business ``code`` (500 for codes it does not document)."""
    return CODES.get(code, (500, ""))[0]


def message_for(code: int) -> str:
    """Kling's default message for business ``code``."""
    return CODES.get(code, (500, "Unknown error"))[1]


class ApiError(Exception):
    """Raised inside handlers; rendered as an error envelope (no ``data``) with ``status``."""

    def __init__(
        self,
        code: int,
        message: str | None = None,
        *,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.code = code
        self.message = message if message is not None else message_for(code)
        self.status = status if status is not None else status_for(code)
        self.headers = dict(headers or {})
        super().__init__(f"{self.status} {self.code}: {self.message}")


def new_request_id() -> str:
    """A fresh request id (Kling sends UUIDs in observed traffic)."""
    return str(uuid.uuid4())


def success(data: Any, request_id: str) -> dict[str, Any]:
    """A success envelope around ``data``."""
    return {"code": 0, "message": "SUCCEED", "request_id": request_id, "data": data}


def failure(code: int, message: str, request_id: str) -> dict[str, Any]:
    """An error envelope: like Kling, it carries no ``data`` key."""
    return {"code": code, "message": message, "request_id": request_id}
