"""The exception hierarchy, and the one function that turns a response into an exception.

Classification looks at Kling's business ``code`` in the body first and the HTTP status second,
because Kling reuses HTTP 429 for both throttling (retry) and account problems (never retry).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ._scrub import API_KEY_SENT, sent_credentials

if TYPE_CHECKING:
    import httpx

    from ._models import TaskBase
    from ._models_v2 import V2TaskBase

    AnyTask = TaskBase | V2TaskBase

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AccountError",
    "AuthenticationError",
    "BadRequestError",
    "BatchError",
    "BudgetExceededError",
    "ContentPolicyError",
    "DownloadError",
    "DuplicateTaskError",
    "InvalidCredentialsError",
    "InvalidParameterError",
    "KlingAPIError",
    "KlingError",
    "MissingCredentialsError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "ServerUnreachableError",
    "TaskFailedError",
    "TaskNotFoundError",
    "WaitTimeoutError",
    "decode_body",
    "error_from_response",
]


class KlingError(Exception):
    """Base class of every error the SDK raises.

    ``external_task_id`` is set on every error a create raises: the id the SDK sent, so the
    task can be looked up (``get(external_task_id=...)``) whatever went wrong.
    """

    external_task_id: str | None = None
    #: How many attempts the call made before giving up (1 when it was not retried).
    attempts: int = 1

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross process pools (multiprocessing, pytest-xdist): keep every public
        # attribute; live objects (the httpx response) cannot travel and arrive as None, and
        # private ones (a bound fetch) stay behind.
        state = {
            key: None if key in _LIVE else value
            for key, value in self.__dict__.items()
            if not key.startswith("_")
        }
        return (_rebuild, (type(self), self.args), state)


_LIVE = frozenset({"response"})


def _rebuild(cls: type[KlingError], args: tuple[Any, ...]) -> KlingError:
    # BaseException.__new__ without the subclasses' __init__ (their signatures differ); pickle
    # then restores the attributes with __setstate__. ``args`` is set again because
    # OSError.__new__ (a WaitTimeoutError is a TimeoutError) leaves it empty when a subclass
    # defines __init__.
    error = cls.__new__(cls, *args)
    error.args = args
    return error


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


class AuthenticationError(KlingAPIError):
    """401: the credentials were refused (codes 1000-1004)."""


class PermissionDeniedError(KlingAPIError):
    """403 / 1103: the account may not use this API or model."""


class BadRequestError(KlingAPIError):
    """400: the request was refused as invalid (1200, 1201, 1300)."""


class DuplicateTaskError(BadRequestError):
    """400/1201 "already exists": a task with this ``external_task_id`` exists already.

    A create raises it when its very first attempt meets an existing id: that task was made by
    another call (or another program), so the SDK does not silently hand it back as yours.
    ``fetch()`` gets the existing task (``await`` it with the async client).
    """

    #: Set by the resource that raised it; not pickled.
    _fetch: Callable[[], Any] | None = None

    def fetch(self) -> Any:
        """The existing task, from the resource that raised this error."""
        fetch = self._fetch
        if fetch is None:
            raise KlingError(
                "this error is not bound to a client; fetch the task with "
                f"client.<family>.get(external_task_id={self.external_task_id!r})"
            )
        return fetch()


class ContentPolicyError(BadRequestError):
    """1301: the content-safety policy refused the input; change the prompt or media."""


class NotFoundError(KlingAPIError):
    """404: unknown path, method or model (1202, 1203)."""


class TaskNotFoundError(BadRequestError, NotFoundError):
    """400/1201 for a task id Kling does not know: a ``NotFoundError`` as well.

    (Kling answers a missing task with a bad-request code; ``except NotFoundError`` catches it.)
    """


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


class ServerUnreachableError(APIConnectionError):
    """A wait gave up: polls could not reach Kling for ``unreachable_timeout`` seconds.

    ``host`` is the API host, ``task`` the last state seen, ``last_seen`` how many seconds ago
    Kling last answered about it. The task itself goes on: wait for it again later.
    """

    def __init__(
        self,
        host: str,
        task: AnyTask,
        out_of_reach: float,
        last_seen: float,
        cause: BaseException | None = None,
    ) -> None:
        self.host = host
        self.task = task
        self.last_seen = last_seen
        reason = f": {cause}" if cause is not None else ""
        super().__init__(
            f"{host} was unreachable for {out_of_reach:.0f} s while waiting for task "
            f"{task.task_id} (last seen {task.task_status} {last_seen:.0f} s ago){reason}",
            sent=True,
        )
        self.__cause__ = cause


class DownloadError(KlingError):
    """A result file could not be downloaded, or what came back was not the media it should be
    (a login page, a JSON error, an empty body): nothing was kept. ``status_code`` is set when
    the server answered."""

    def __init__(self, message: str, *, url: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status_code = status_code


class BatchError(KlingError):
    """A batch stopped early; ``results`` keeps everything it did, in input order.

    Raised when something other than a per-item ``KlingError`` happened (your ``on_progress``
    raised, or an unexpected exception): no new item was started after that, and the items in
    flight were allowed to settle. ``results[i]`` is the created task, the item's error, or
    ``None`` for an item never submitted. The cause is in ``__cause__``.
    """

    def __init__(self, message: str, results: list[Any]) -> None:
        super().__init__(message)
        self.results = results

    @property
    def tasks(self) -> list[Any]:
        """The tasks that were created (they exist on Kling and may be charged)."""
        return [r for r in self.results if r is not None and not isinstance(r, BaseException)]


class BudgetExceededError(KlingError):
    """A create would pass the client's budget (``AsyncKlingClient(budget=...)``), or has no
    price and the budget does not allow unpriced creates; nothing was sent.

    ``quote`` is the create's :class:`~kling.Quote`, ``left`` the units the budget had left
    (by package, and ``"total"`` when it limits all packages together).
    """

    def __init__(self, message: str, *, quote: Any, left: dict[str, Any]) -> None:
        super().__init__(message)
        self.quote = quote
        self.left = left


class TaskFailedError(KlingError):
    """The task ended with ``task_status == "failed"``; ``task`` holds it."""

    def __init__(self, task: AnyTask) -> None:
        self.task = task
        reason = task.task_status_msg or "no reason given"
        super().__init__(f"Task {task.task_id} failed: {reason}")


class WaitTimeoutError(KlingError, TimeoutError):
    """The wait deadline passed before the task finished; ``task`` is the last state seen."""

    def __init__(
        self, task: AnyTask, timeout: float, *, pending: Sequence[AnyTask] | None = None
    ) -> None:
        self.task = task
        self.timeout = timeout
        #: Every task still unfinished at the deadline (waits on many tasks at once).
        self.pending = list(pending) if pending is not None else [task]
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

_API_KEY_HINT = (
    "Authentication failed: {detail}. Check the API key (KLING_API_KEY or api_key=): that it has "
    "no stray spaces or newlines, is still active in the console "
    "(https://kling.ai/dev/api-key), and that base_url matches its region "
    "(https://api-singapore.klingai.com global, https://api-beijing.klingai.com China)"
)

_EXCERPT = 200
#: How much of a body that is not JSON is scrubbed of credentials before its excerpt is cut.
_SCRUBBED = 64 * 1024
#: A server message longer than this is cut: an error must stay printable.
_MAX_MESSAGE = 2000
_ALREADY_EXISTS = "already exist"
_MISSING = ("not found", "not exist", "does not exist", "no such")


def _sent_authorization(response: httpx.Response) -> bool:
    try:
        return "authorization" in response.request.headers
    except RuntimeError:  # a response built without its request: nothing to tell
        return True


def _sent_api_key(response: httpx.Response) -> bool:
    try:
        return response.request.extensions.get(API_KEY_SENT) is True
    except RuntimeError:  # a response built without its request
        return False


def _is_missing_task(message: str) -> bool:
    text = message.lower()
    return "task" in text and any(word in text for word in _MISSING)


def _classify(status: int, api_code: int | None) -> type[KlingAPIError]:
    if api_code is not None and api_code in _BY_API_CODE:
        return _BY_API_CODE[api_code]
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, KlingAPIError)


def _text(value: object, limit: int) -> str | None:
    """A scalar from a response body as text; anything else (a nested object) is dropped."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)) or value == "":
        return None
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def redact_url(url: str) -> str:
    """``url`` without a ``user:password@`` part, fit for a message or a log."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    authority, slash, path = rest.partition("/")
    host = authority.rpartition("@")[2]
    return f"{scheme}{sep}{host}{slash}{path}"


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


def decode_body(content: bytes) -> Any:
    """The JSON in ``content``, or ``None`` when it is empty, not JSON, or nested too deeply to
    read: the one parser of what a server sends, so no body can raise ``RecursionError``."""
    if not content:
        return None
    try:
        return json.loads(content)
    except (ValueError, RecursionError):
        return None


def error_from_response(response: httpx.Response, body: object = None) -> KlingAPIError:
    """Build the exception for an error response (or a 200 whose envelope ``code`` is non-zero).

    ``body`` is the already-decoded JSON when the caller has it; otherwise the raw content is
    decoded here, and a body that is not JSON (a proxy's HTML page, a truncated answer) still
    yields a ``KlingAPIError`` carrying the status and a short excerpt.
    """
    # The error boundary: nothing the server said may carry a credential further, so what it
    # said is scrubbed before any of it is read (or cut, which could leave half a secret).
    scrub = sent_credentials(response)
    body = scrub.value(decode_body(response.content) if body is None else body)
    status = response.status_code
    api_code: int | None = None
    message: str | None = None
    request_id: str | None = None
    raw_code: object = None
    if isinstance(body, dict):
        raw_code = body.get("code")
        api_code = (
            raw_code if isinstance(raw_code, int) and not isinstance(raw_code, bool) else None
        )
        message = _text(body.get("message"), _MAX_MESSAGE)
        request_id = _text(body.get("request_id"), _EXCERPT)
    header_id = response.headers.get("x-request-id")
    request_id = request_id or (None if header_id is None else scrub.text(header_id))
    if message is None:
        if body is None and response.content:
            text = scrub.text(response.content[:_SCRUBBED].decode("utf-8", "replace"))
            excerpt = " ".join(text[:_EXCERPT].split())
            more = "..." if len(text) > _EXCERPT or len(response.content) > _SCRUBBED else ""
            message = f"Unexpected non-JSON response body: {excerpt!r}{more}"
        else:
            message = response.reason_phrase or "Request failed"
    cls = _classify(status, api_code)
    if 300 <= status < 400:
        # Never followed: credentials go to base_url's origin only. Not retried either, as
        # the same request would be redirected again.
        cls = KlingAPIError
        location = redact_url(response.headers.get("location", "")) or "nowhere"
        message = (
            f"the API answered HTTP {status}, a redirect to {location}, which the SDK does not "
            "follow (credentials are only sent to base_url); check base_url"
        )
    elif status < 400 and (body is None or not isinstance(body, dict)):
        # A success status with an unreadable body (cut off, or a proxy's page): the server
        # side failed mid-answer, which is retried on reads and looked up after a create.
        cls = ServerError
    elif status < 400 and api_code is None:
        # A 2xx envelope without an integer code cannot be trusted to mean success either.
        cls = ServerError
        message = f"malformed response: the envelope's code is {raw_code!r}"[:_EXCERPT]
    if cls is BadRequestError and api_code == 1201 and _ALREADY_EXISTS in message.lower():
        cls = DuplicateTaskError
    elif cls is BadRequestError and api_code == 1201 and _is_missing_task(message):
        cls = TaskNotFoundError
    if cls is AuthenticationError and _sent_api_key(response):
        message = _API_KEY_HINT.format(detail=message)
    elif cls is AuthenticationError:
        message = _AUTH_HINT.format(detail=message)
        if not _sent_authorization(response):
            message = f"{message}; and this request carried no Authorization header: " + (
                "auth='headers' sends only the X-Api-Key / X-Api-Secret pair, which a gateway "
                "may accept but Kling does not (it verifies the JWT): use auth='both' or 'jwt'"
            )
    return cls(
        message,
        code=status,
        api_code=api_code,
        request_id=request_id,
        response=response,
        body=body,
        retry_after=parse_retry_after(response.headers),
    )
