"""The one retry policy, as tenacity arguments shared by ``AsyncRetrying`` and ``Retrying``.

What is retried (DESIGN.md §3):

* 429 with 1302/1303, or 429 without a known code: always (the task was not created);
* 429 with 1100/1101/1102/1304: never, the account needs attention;
* 5xx, timeouts and connection errors: on reads; on a create (POST) only when the connection
  failed before the request left, because otherwise Kling may already have made a paid task.

The delay honours ``Retry-After`` (capped) and otherwise backs off exponentially with jitter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from tenacity import RetryCallState, stop_after_attempt, wait_exponential_jitter

from ._errors import APIConnectionError, RateLimitError, ServerError
from ._logging import logger

__all__ = ["MAX_RETRY_AFTER", "is_ambiguous", "is_retryable", "retry_kwargs", "wait_for"]

#: Longest server-requested delay we sleep through; longer requests are clamped to this.
MAX_RETRY_AFTER = 60.0

_backoff = wait_exponential_jitter(initial=1.0, max=20.0, exp_base=2.0, jitter=1.0)


def is_retryable(exc: BaseException, *, is_create: bool, rate_limits: bool = True) -> bool:
    """Whether a failed attempt may be repeated without risking a second paid task.

    ``rate_limits=False`` leaves 429 1302/1303 to a caller that paces itself (fan-out).
    """
    if isinstance(exc, RateLimitError):
        return rate_limits
    if isinstance(exc, APIConnectionError):
        return not is_create or not exc.sent
    if isinstance(exc, ServerError):
        return not is_create
    return False


def is_ambiguous(exc: BaseException) -> bool:
    """A create failed in a way that leaves unknown whether Kling made the task.

    The request left (timeout or reset after sending) or the server failed (5xx, 5000-5002):
    the task may exist, so it must be looked up by ``external_task_id`` before resubmitting.
    """
    if isinstance(exc, APIConnectionError):
        return exc.sent
    return isinstance(exc, ServerError)


def wait_for(state: RetryCallState) -> float:
    """The delay before the next attempt: ``Retry-After`` (capped) or jittered backoff."""
    exc = state.outcome.exception() if state.outcome else None
    retry_after = getattr(exc, "retry_after", None)
    if isinstance(retry_after, (int, float)):
        return min(float(retry_after), MAX_RETRY_AFTER)
    return float(_backoff(state))


def _log_retry(method: str, path: str) -> Callable[[RetryCallState], None]:
    def before_sleep(state: RetryCallState) -> None:
        if not logger.isEnabledFor(logging.INFO):
            return
        exc = state.outcome.exception() if state.outcome else None
        delay = state.next_action.sleep if state.next_action else 0.0
        logger.info(
            "Retrying %s %s in %.2fs (attempt %d failed: %s: %s)",
            method,
            path,
            delay,
            state.attempt_number,
            type(exc).__name__,
            exc,
        )

    return before_sleep


def retry_kwargs(
    *,
    max_retries: int,
    is_create: bool,
    method: str,
    path: str,
    sleep: Any,
    rate_limits: bool = True,
) -> dict[str, Any]:
    """Keyword arguments for ``tenacity.AsyncRetrying``/``Retrying`` for one logical call.

    ``sleep`` is the client's sleep (``anyio.sleep`` or ``time.sleep``), looked up per call so
    tests can replace it and never wait for real.
    """
    return {
        "stop": stop_after_attempt(max_retries + 1),
        "wait": wait_for,
        "retry": lambda state: (
            state.outcome is not None
            and state.outcome.failed
            and is_retryable(
                state.outcome.exception(),
                is_create=is_create,
                rate_limits=rate_limits,
            )
        ),
        "before_sleep": _log_retry(method, path),
        "sleep": sleep,
        "reraise": True,
    }
