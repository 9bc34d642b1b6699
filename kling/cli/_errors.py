"""How a command ends, in one contract (it is also in ``kling --help`` and the README).

* stderr: a failure is one ``Error:`` line (Ctrl-C: one line saying what was interrupted),
  sometimes followed by lines that help (the result URLs of a task whose files were not saved).
* stdout with ``--json``: exactly one JSON document, whatever happened. The result on success;
  otherwise ``{"error": {...}}`` (:func:`error_document`), with the task's last state under
  ``"task"`` when a task is concerned (failed, still running, interrupted, not saved).
* Exit status: 0 success; 1 error (the API's, a failed task, a wait that gave up, results not
  saved); 2 usage (Click's usage and help hint); 130 Ctrl-C.

``--debug`` lets the exception through, traceback and all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

# Typer vendors Click: its usage errors are these, not the click package's.
from typer._click.exceptions import UsageError

from kling import (
    InvalidParameterError,
    KlingAPIError,
    KlingError,
    MissingCredentialsError,
    TaskFailedError,
    WaitTimeoutError,
)

from ._output import task_json

if TYPE_CHECKING:
    from ._output import AnyTask

__all__ = [
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_USAGE",
    "CliError",
    "Interrupted",
    "error_document",
    "error_message",
]

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

_CREDENTIALS_HINT = (
    "On the command line: --access-key/--secret-key or --api-key, a .env file in the current "
    "directory, or --mock to try the CLI against a local fake."
)


class CliError(Exception):
    """A failure the CLI reports, printed like an SDK error; in JSON, with its details.

    ``task``: the task concerned (its last state); ``details``: more fields of the JSON error
    (``resume``, ``urls``...); ``notes``: lines printed on stderr after the error line.
    """

    exit_code = EXIT_ERROR

    def __init__(
        self,
        message: str,
        *,
        task: AnyTask | None = None,
        details: Mapping[str, Any] | None = None,
        notes: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.task = task
        self.details = dict(details or {})
        self.notes = list(notes)


class Interrupted(CliError):
    """Ctrl-C, with what is known of the task it interrupted."""

    exit_code = EXIT_INTERRUPTED


def error_message(exc: BaseException) -> str:
    """The one line shown for ``exc``, with a hint where the SDK's words speak Python."""
    message = str(exc) or type(exc).__name__
    if isinstance(exc, MissingCredentialsError):
        message = f"{message} {_CREDENTIALS_HINT}"
    return message.replace("use extra_body=", "use --extra-body KEY=VALUE")


def error_document(exc: BaseException, message: str, exit_code: int) -> dict[str, Any]:
    """``{"error": {type, message, code, api_code, request_id, exit_code, ...}, "task"?}``.

    ``type`` is the class of what went wrong: the SDK's exception (``TaskNotFoundError``,
    ``ServerUnreachableError``...) or the system's (``PermissionError``), else ``UsageError``,
    ``Interrupted`` or ``CliError``. ``code`` (HTTP status), ``api_code`` and ``request_id``
    are null unless Kling answered.
    """
    cause = exc.__cause__
    source = cause if isinstance(exc, CliError) and cause is not None else exc
    api = source if isinstance(source, KlingAPIError) else None
    error: dict[str, Any] = {
        # Click's own classes (BadParameter, NoSuchOption...) are one kind to a script.
        "type": "UsageError" if isinstance(source, UsageError) else type(source).__name__,
        "message": message,
        "code": api.code if api else None,
        "api_code": api.api_code if api else None,
        "request_id": api.request_id if api else None,
        "exit_code": exit_code,
    }
    if isinstance(source, InvalidParameterError) and source.field:
        error["field"] = source.field
    if isinstance(source, KlingError) and source.external_task_id:
        error["external_task_id"] = source.external_task_id
    task = _task_of(exc)
    if task is not None:
        error["task_id"], error["task_status"] = task.task_id, task.task_status
    if isinstance(exc, CliError):
        error.update(exc.details)
    document: dict[str, Any] = {"error": error}
    if task is not None:
        document["task"] = task_json(task)
    return document


def _task_of(exc: BaseException) -> AnyTask | None:
    if isinstance(exc, CliError):
        return exc.task
    if isinstance(exc, (TaskFailedError, WaitTimeoutError)):
        return exc.task
    return None
