"""The exception hierarchy, and the one function that turns a response into an exception.

Classification looks at Kling's business ``code`` in the body first and the HTTP status second,
because Kling reuses HTTP 429 for both throttling (retry) and account problems (never retry).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

    from ._models import TaskBase

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AccountError",
    "AuthenticationError",
    "BadRequestError",
    "ContentPolicyError",
    "DownloadError",
    "InvalidCredentialsError",
    "InvalidParameterError",
    "KlingAPIError",
    "KlingError",
    "MissingCredentialsError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "TaskFailedError",
    "WaitTimeoutError",
    "error_from_response",
]


class KlingError(Exception):
    """Base class of every error the SDK raises."""


class MissingCredentialsError(KlingError):
    """No credentials were given as arguments or found in the environment."""


class InvalidCredentialsError(KlingError, ValueError):
    """A credential is malformed (inner whitespace, control characters); nothing was sent."""


class InvalidParameterError(KlingError, ValueError):
    """A parameter breaks a documented rule; raised before anything is sent.

    ``field`` names the offending parameter, dotted when nested (``camera_control.config``).
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class KlingAPIError(KlingError):
    """The API answered with an error.

    ``code`` is the HTTP status (so ``e.code == 429`` works), ``api_code`` Kling's business code
    (e.g. 1303), ``message`` the server's message and ``request_id`` what Kling support asks for.
    """

    def __init__(
        self,
        message: str,
        *,
        code: int,
        api_code: int | None = None,
        request_id: str | None = None,
        response: httpx.Response | None = None,
        body: object = None,
        retry_after: float | None = None,
    ) -> None:
        self.message = message
        self.code = code
        self.status_code = code
        self.api_code = api_code
        self.request_id = request_id
        self.response = response
        self.body = body
        self.retry_after = retry_after
        super().__init__(self._format())

    def _format(self) -> str:
        codes = f"HTTP {self.code}" + (
            f", code {self.api_code}" if self.api_code is not None else ""
        )
        text = f"{self.message} ({codes}"
        if self.request_id:
            text += f", request_id {self.request_id}"
        return text + ")"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep errors picklable (multiprocessing, pytest-xdist); the response is not.
        return (
            _rebuild_api_error,
            (type(self), self.message, self.code, self.api_code, self.request_id),
        )


def _rebuild_api_error(
    cls: type[KlingAPIError], message: str, code: int, api_code: int | None, request_id: str | None
) -> KlingAPIError:
    return cls(message, code=code, api_code=api_code, request_id=request_id)


class AuthenticationError(KlingAPIError):
    """401: the credentials were refused (codes 1000-1004)."""


class PermissionDeniedError(KlingAPIError):
    """403 / 1103: the account may not use this API or model."""


class BadRequestError(KlingAPIError):
    """400: the request was refused as invalid (1200, 1201, 1300)."""


class ContentPolicyError(BadRequestError):
    """1301: the content-safety policy refused the input; change the prompt or media."""


class NotFoundError(KlingAPIError):
    """404: unknown path, method or model (1202, 1203)."""


class RateLimitError(KlingAPIError):
    """429 with 1302/1303 (or no known code): too many requests or tasks; retried automatically."""


class AccountError(KlingAPIError):
    """429 with 1100/1101/1102/1304: an account problem that retrying cannot fix."""


class ServerError(KlingAPIError):
    """5xx or 5000-5002: a failure on Kling's side."""


class APIConnectionError(KlingError):
    """The request could not be completed: DNS, TCP, TLS or a dropped connection."""

    def __init__(self, message: str = "Connection error.", *, sent: bool = True) -> None:
        super().__init__(message)
        #: False when the connection failed before the request left, so a retry cannot duplicate it.
        self.sent = sent


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class DownloadError(KlingError):
    """A result file could not be downloaded; ``status_code`` is set when the server answered."""

    def __init__(self, message: str, *, url: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status_code = status_code


class TaskFailedError(KlingError):
    """The task ended with ``task_status == "failed"``; ``task`` holds it."""

    def __init__(self, task: TaskBase) -> None:
        self.task = task
        reason = task.task_status_msg or "no reason given"
        super().__init__(f"Task {task.task_id} failed: {reason}")


class WaitTimeoutError(KlingError, TimeoutError):
    """The wait deadline passed before the task finished; ``task`` is the last state seen."""

    def __init__(
        self, task: TaskBase, timeout: float, *, pending: list[TaskBase] | None = None
    ) -> None:
        self.task = task
        self.timeout = timeout
        #: Every task still unfinished at the deadline (waits on many tasks at once).
        self.pending = pending if pending is not None else [task]
        super().__init__(
            f"Task {task.task_id} still {task.task_status} after {timeout:g}s; "
            "wait again with the same id, or raise timeout="
        )


# -- classification -------------------------------------------------------------------------------

_BY_API_CODE: dict[int, type[KlingAPIError]] = {
    **dict.fromkeys(range(1000, 1005), AuthenticationError),
    **dict.fromkeys((1100, 1101, 1102, 1304), AccountError),
    1103: PermissionDeniedError,
    **dict.fromkeys((1200, 1201, 1300), BadRequestError),
    1301: ContentPolicyError,
    **dict.fromkeys((1202, 1203), NotFoundError),
    **dict.fromkeys((1302, 1303), RateLimitError),
    **dict.fromkeys((5000, 5001, 5002), ServerError),
}

_BY_STATUS: dict[int, type[KlingAPIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}

_AUTH_HINT = (
    "Authentication failed: {detail}. Check that the keys have no stray spaces or newlines, "
    "that KLING_ACCESS_KEY is the Access Key (it usually starts with 'ak-' in the console) and "
    "KLING_SECRET_KEY its Secret Key, that base_url matches the key's region "
    "(https://api-singapore.klingai.com global, https://api-beijing.klingai.com China), "
    "and that this machine's clock is correct"
)

_EXCERPT = 200


def _classify(status: int, api_code: int | None) -> type[KlingAPIError]:
    if api_code is not None and api_code in _BY_API_CODE:
        return _BY_API_CODE[api_code]
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, KlingAPIError)


def parse_retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the server asked us to wait (``retry-after-ms``, then ``Retry-After``), if any."""
    from email.utils import parsedate_to_datetime
    from time import time

    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            value = float(raw_ms) / 1000
        except ValueError:
            value = -1.0
        if 0 <= value < float("inf"):
            return value
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        try:
            value = parsedate_to_datetime(raw).timestamp() - time()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if value != value or value == float("inf"):  # NaN or infinity: ignore the header
        return None
    return max(0.0, value)


def error_from_response(response: httpx.Response, body: object = None) -> KlingAPIError:
    """Build the exception for an error response (or a 200 whose envelope ``code`` is non-zero).

    ``body`` is the already-decoded JSON when the caller has it; otherwise the raw content is
    decoded here, and a body that is not JSON (a proxy's HTML page, a truncated answer) still
    yields a ``KlingAPIError`` carrying the status and a short excerpt.
    """
    if body is None:
        try:
            body = json.loads(response.content) if response.content else None
        except ValueError:
            body = None
    status = response.status_code
    api_code: int | None = None
    message: str | None = None
    request_id: str | None = None
    if isinstance(body, dict):
        raw_code = body.get("code")
        api_code = (
            raw_code if isinstance(raw_code, int) and not isinstance(raw_code, bool) else None
        )
        raw_message = body.get("message")
        message = str(raw_message) if raw_message not in (None, "") else None
        raw_request_id = body.get("request_id")
        request_id = str(raw_request_id) if raw_request_id else None
    request_id = request_id or response.headers.get("x-request-id")
    if message is None:
        if body is None and response.content:
            excerpt = response.content[:_EXCERPT].decode("utf-8", "replace")
            excerpt = " ".join(excerpt.split())
            more = "..." if len(response.content) > _EXCERPT else ""
            message = f"Unexpected non-JSON response body: {excerpt!r}{more}"
        else:
            message = response.reason_phrase or "Request failed"
    cls = _classify(status, api_code)
    if body is None and status < 400:
        # A success status with an unreadable body (cut off, or a proxy's page): the server
        # side failed mid-answer, which is retried on reads and looked up after a create.
        cls = ServerError
    if cls is AuthenticationError:
        message = _AUTH_HINT.format(detail=message)
    return cls(
        message,
        code=status,
        api_code=api_code,
        request_id=request_id,
        response=response,
        body=body,
        retry_after=parse_retry_after(response.headers),
    )
