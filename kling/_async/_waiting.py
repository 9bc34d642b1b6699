"""Waiting for a task to finish: polling that starts fast and backs off to a cap."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any, TypeVar

from kling import _compat_async as _compat

from .._errors import InvalidParameterError, KlingError, TaskFailedError, WaitTimeoutError
from .._logging import logger
from .._models import TaskBase
from .._retry import is_retryable

__all__ = ["DEFAULT_WAIT_TIMEOUT", "ProgressCallback", "poll_until_finished"]

#: Videos usually take 2-8 minutes; a quarter of an hour covers a busy queue.
DEFAULT_WAIT_TIMEOUT = 900.0
DEFAULT_POLL_INTERVAL = 2.0
DEFAULT_MAX_POLL_INTERVAL = 15.0
_BACKOFF = 1.5
_JITTER = 0.1

TaskT = TypeVar("TaskT", bound=TaskBase)

#: ``on_progress(task, elapsed_seconds)``, sync or async, called after every poll.
ProgressCallback = Callable[[Any, float], Any]


def check_wait_options(
    timeout: float | None, poll_interval: float, max_poll_interval: float | None
) -> float:
    """Validate the wait options and return the effective interval cap."""
    if timeout is not None and (isinstance(timeout, bool) or timeout <= 0):
        raise InvalidParameterError(
            f"timeout must be a positive number of seconds or None (no deadline), got {timeout!r}",
            field="timeout",
        )
    if isinstance(poll_interval, bool) or poll_interval <= 0:
        raise InvalidParameterError(
            f"poll_interval must be a positive number of seconds, got {poll_interval!r}",
            field="poll_interval",
        )
    cap = max(
        poll_interval, DEFAULT_MAX_POLL_INTERVAL if max_poll_interval is None else max_poll_interval
    )
    return cap


async def poll_until_finished(
    fetch: Callable[[], _compat.Awaitable[TaskT]],
    task: TaskT | None,
    *,
    timeout: float | None,
    poll_interval: float,
    max_poll_interval: float | None,
    on_progress: ProgressCallback | None,
) -> TaskT:
    """Poll ``fetch`` until the task succeeds (returned) or fails (``TaskFailedError``).

    The interval starts at ``poll_interval`` and grows by half each time, with jitter so that
    many waiters spread out, up to ``max_poll_interval``. ``timeout`` bounds the whole wait;
    on expiry ``WaitTimeoutError`` carries the last state seen.
    """
    cap = check_wait_options(timeout, poll_interval, max_poll_interval)
    start = _compat.monotonic()
    deadline = None if timeout is None else start + timeout
    interval = poll_interval
    current = task if task is not None else await fetch()
    while True:
        if on_progress is not None:
            await _compat.call(on_progress, current, _compat.monotonic() - start)
        if current.is_succeeded:
            return current
        if current.is_failed:
            raise TaskFailedError(current)
        now = _compat.monotonic()
        delay = interval * random.uniform(1 - _JITTER, 1 + _JITTER)  # noqa: S311 - not crypto
        if deadline is not None:
            if now >= deadline:
                assert timeout is not None
                raise WaitTimeoutError(current, timeout)
            delay = min(delay, deadline - now)
        await _compat.sleep(delay)
        interval = min(interval * _BACKOFF, cap)
        current = await poll_once(fetch, current)


async def poll_once(fetch: Callable[[], _compat.Awaitable[TaskT]], last: TaskT) -> TaskT:
    """One poll of a long wait: a poll that fails transiently (after its own retries) does not
    end the wait, which goes on with the last state until its deadline."""
    try:
        return await fetch()
    except KlingError as exc:
        if not is_retryable(exc, is_create=False):
            raise
        logger.warning("Polling task %s failed (%s); still waiting", last.task_id, exc)
        return last
