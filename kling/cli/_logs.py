"""The SDK's log records a user should see, shown the CLI's way: retries as they happen.

The SDK logs on the ``kling`` logger: each retry at INFO, before it sleeps (``kling._retry``),
and each failed poll of a wait at WARNING (the poller, once per poll while Kling is down).
Left alone, the retries are never shown (the logger stays at WARNING) and Python's last-resort
handler prints every failed poll as it is. While the command runs, :func:`route_sdk_logs`
turns a retry into one line on stderr (``Retrying in 4 s (2/3): 429 ...``); during a wait, the
status display takes retries and failed polls instead (it says when the task was last seen),
so an outage shows once rather than once per poll. Other warnings are shown once each.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.markup import escape

from kling import KlingAPIError

from ._output import err_console

__all__ = ["SdkLogRoute", "Trouble", "describe_failure", "route_sdk_logs"]

_SDK_LOGGER = "kling"
# The SDK's templates (kling._retry.retry_kwargs, kling._sync._poller): matched, not parsed
# from the text, so an SDK rewording falls back to showing its own line.
_RETRY = "Retrying "
_POLL_FAILED = ("Polling ", "still waiting")


class Trouble(Protocol):
    """Where trouble goes while a wait shows its status (``WaitDisplay``)."""

    def trouble(self, reason: str) -> None: ...


def describe_failure(exc: object) -> str:
    """An attempt's failure in a few words: ``429 Too many requests (code 1303)``."""
    if isinstance(exc, KlingAPIError):
        code = f" (code {exc.api_code})" if exc.api_code is not None else ""
        return f"{exc.code} {exc.message}{code}"
    return str(exc)


def _seconds(delay: float) -> str:
    return f"{delay:.1f} s" if delay < 10 else f"{delay:.0f} s"


class SdkLogRoute(logging.Handler):
    """Shows the ``kling`` logger's retries and warnings on stderr, or on a wait's display."""

    def __init__(self, max_retries: int) -> None:
        super().__init__(logging.INFO)
        self.max_retries = max_retries
        #: The display of the wait in progress, if any.
        self.sink: Trouble | None = None
        self._warned: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        # The SDK and its fake (kling.testing, under --mock): with this handler in place Python's
        # last-resort handler no longer prints their warnings, so this one does.
        if record.name != _SDK_LOGGER and not record.name.startswith(_SDK_LOGGER + "."):
            return
        try:
            template = str(record.msg)
            if template.startswith(_RETRY):
                self._show(self.retry_line(record), sink_only=False)
            elif template.startswith(_POLL_FAILED[0]) and template.endswith(_POLL_FAILED[1]):
                reason = record.args[-1] if isinstance(record.args, tuple) else record.msg
                self._show(f"polls fail: {describe_failure(reason)}", sink_only=True)
            elif record.levelno >= logging.WARNING:
                self._show(f"Warning: {record.getMessage()}", sink_only=True)
        except Exception:
            self.handleError(record)

    def retry_line(self, record: logging.LogRecord) -> str:
        """``Retrying in 4.1 s (2/3): 429 Too many requests (code 1303)``."""
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            _, delay, attempt, _, exc = args
            if isinstance(delay, (int, float)) and isinstance(attempt, int):
                return (
                    f"Retrying in {_seconds(delay)} ({attempt}/{self.max_retries}): "
                    f"{describe_failure(exc)}"
                )
        return record.getMessage()

    def _show(self, line: str, *, sink_only: bool) -> None:
        if self.sink is not None:
            self.sink.trouble(line)
            return
        if sink_only:  # a warning outside a wait: once is enough
            if line in self._warned:
                return
            self._warned.add(line)
        err_console().print(escape(line), style="yellow" if sink_only else "dim")


@contextmanager
def route_sdk_logs(max_retries: int) -> Iterator[SdkLogRoute]:
    """Show the SDK's retries and warnings until the block ends (the command's run)."""
    logger = logging.getLogger(_SDK_LOGGER)
    route = SdkLogRoute(max_retries)
    level = logger.level
    if logger.getEffectiveLevel() > logging.INFO:
        logger.setLevel(logging.INFO)  # the SDK logs retries only when INFO is enabled
    logger.addHandler(route)
    try:
        yield route
    finally:
        logger.removeHandler(route)
        logger.setLevel(level)
