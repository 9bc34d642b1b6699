"""Exceptions -> tool errors: Kling's code, message and request_id, and what to change.

An agent cannot read a traceback; it can read ``{"type", "message", "api_code", "hint"}``.
Messages are the SDK's, which never carry a secret; the server scrubs its output once more.
"""

from __future__ import annotations

from typing import Any

from .. import _errors as e
from ._paths import OutsideRootError

__all__ = ["ToolInputError", "error_payload"]


class ToolInputError(e.InvalidParameterError):
    """A tool argument the server itself refuses (before any SDK call)."""


#: Most specific first: the first class the error is an instance of gives the hint.
_HINTS: tuple[tuple[type[BaseException], str], ...] = (
    (OutsideRootError, "Give a path inside the server's root; nothing was read or written."),
    (
        e.BudgetExceededError,
        "The server's budget (kling mcp --budget) cannot pay for this create; nothing was "
        "sent. The quote tool says what a call costs and what is left: pick a cheaper call, "
        "or ask the user to raise the budget.",
    ),
    (
        e.InvalidParameterError,
        "Change the argument ('field') as the message says and call again; nothing was sent "
        "to Kling.",
    ),
    (
        e.MissingCredentialsError,
        "The server has no credentials for this: set KLING_ACCESS_KEY and KLING_SECRET_KEY "
        "(KLING_API_KEY for v2 tools) in its environment and restart it.",
    ),
    (e.InvalidCredentialsError, "Fix the server's KLING_* credentials and restart it."),
    (
        e.AuthenticationError,
        "Kling refused the server's credentials: fix KLING_* in its environment (and the "
        "region's KLING_BASE_URL), then restart it.",
    ),
    (
        e.PermissionDeniedError,
        "The account may not use this endpoint or model: pick another model, or enable it "
        "in the Kling console.",
    ),
    (
        e.ContentPolicyError,
        "Kling's content policy refused the input: change the prompt or the media.",
    ),
    (
        e.DuplicateTaskError,
        "A task with this external_task_id exists already (an earlier identical call made "
        "it) and this family cannot be looked up by it: find it with list_tasks, or pass a "
        "new external_task_id to make another.",
    ),
    (e.NotFoundError, "Check the task_id (or external_task_id) and the family."),
    (e.BadRequestError, "Kling refused the arguments: change them as the message says."),
    (
        e.AccountError,
        "An account problem (balance, resource pack, arrears): retrying cannot help; top up "
        "or buy a pack, then call again.",
    ),
    (
        e.RateLimitError,
        "Kling is busy or the account's task slots are full: wait a minute and call again "
        "with the same arguments (a repeated create returns the same task).",
    ),
    (
        e.ServerError,
        "Kling failed: call again with the same arguments (a repeated create returns the same "
        "task).",
    ),
    (
        e.ServerUnreachableError,
        "Kling could not be reached while waiting; the task goes on: call wait_task again.",
    ),
    (
        e.APIConnectionError,
        "Kling could not be reached: call again with the same arguments (a repeated create "
        "returns the same task).",
    ),
    (
        e.DownloadError,
        "The result file could not be fetched: call download_results again (result URLs "
        "expire; Kling keeps results for 30 days).",
    ),
)


_EXTRA_BODY = "(use extra_body= to send fields this SDK does not know)"
_NO_EXTRA_BODY = "(a tool sends only the fields its schema lists)"


def error_payload(exc: BaseException) -> dict[str, Any]:
    """``{"error": {...}}`` for a tool error result."""
    error: dict[str, Any] = {"type": type(exc).__name__}
    if isinstance(exc, e.KlingAPIError):
        error["message"] = exc.message
        error["api_code"] = exc.api_code
        error["http_status"] = exc.code
        error["request_id"] = exc.request_id
    else:
        error["message"] = str(exc) if isinstance(exc, e.KlingError) else _internal(exc)
    # The SDK's words speak Python; a tool has no extra_body argument.
    error["message"] = error["message"].replace(_EXTRA_BODY, _NO_EXTRA_BODY)
    if isinstance(exc, e.InvalidParameterError):
        error["field"] = exc.field
    if isinstance(exc, e.BudgetExceededError):
        error["budget_left"] = {name: float(units) for name, units in exc.left.items()}
    external_id = getattr(exc, "external_task_id", None)
    if external_id:
        error["external_task_id"] = external_id
    error["hint"] = next(
        (hint for kind, hint in _HINTS if isinstance(exc, kind)),
        "An unexpected error in the server; its log (stderr) has the details.",
    )
    return {"error": {key: value for key, value in error.items() if value is not None}}


def _internal(exc: BaseException) -> str:
    return f"internal error: {type(exc).__name__}: {exc}"
