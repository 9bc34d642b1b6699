"""The one retry policy: what may be repeated, and how long to wait before repeating it.

What is retried (``docs/design.md``, "Reliability rules"):

* 429 with 1302/1303, or 429 without a known code: always (the task was not created);
* 429 with 1100/1101/1102/1304: never, the account needs attention;
* 5xx, timeouts and connection errors: on idempotent calls (reads); on a call that may start
  a paid task only when the connection failed before the request left. A create that failed
  ambiguously is looked up by its ``external_task_id`` instead (``kling/_async/_client.py``).

Every delay has a floor and jitter, ``Retry-After`` included, so that many callers told the same
thing do not come back at the same instant.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._errors import (
    APIConnectionError,
    DuplicateTaskError,
    KlingError,
    RateLimitError,
    ServerError,
)
from ._logging import logger

if TYPE_CHECKING:
    from tenacity import RetryCallState

__all__ = [
    "MAX_RETRY_AFTER",
    "MIN_DELAY",
    "CallPolicy",
    "delay_for",
    "is_ambiguous",
    "is_retryable",
    "jittered",
    "note_attempts",
    "retry_kwargs",
]

#: Longest server-requested delay we sleep through; longer requests are clamped to this.
MAX_RETRY_AFTER = 60.0
#: No retry comes sooner than this, even after ``Retry-After: 0``.
MIN_DELAY = 0.5
_BACKOFF_INITIAL = 1.0
_BACKOFF_CAP = 20.0
#: Jitter adds up to this fraction of the delay (at least ``MIN_DELAY`` seconds) on top.
_JITTER = 0.25


def is_retryable(exc: BaseException, *, idempotent: bool, retry_rate_limits: bool = True) -> bool:
    """Whether a failed attempt may be repeated without risking a second paid task.

    ``retry_rate_limits=False`` leaves 429 1302/1303 to a caller that paces itself (fan-out).
    """
    if isinstance(exc, RateLimitError):
        return retry_rate_limits
    if isinstance(exc, APIConnectionError):
        return idempotent or not exc.sent
    if isinstance(exc, ServerError):
        return idempotent
    return False


def is_ambiguous(exc: BaseException) -> bool:
    """A create failed in a way that leaves unknown whether Kling made the task.

    The request left (timeout or reset after sending) or the server failed (5xx, 5000-5002):
    the task may exist, so it must be looked up by ``external_task_id`` before resubmitting.
    """
    if isinstance(exc, APIConnectionError):
        return exc.sent
    return isinstance(exc, ServerError)


class CallPolicy:
    """What one logical call may still do after a failure; the state behind one retry loop.

    A create that can look itself up (``recover``) goes through at most ``max_retries + 1``
    attempts, each one lookup (after an ambiguous failure) and one send, so neither kind
    exceeds the budget. After an ambiguous failure, Kling's "external_task_id already exists"
    means our own earlier attempt made the task: it is looked up, not reported.
    """

    def __init__(self, *, idempotent: bool, retry_rate_limits: bool, can_recover: bool) -> None:
        self.idempotent = idempotent
        self.retry_rate_limits = retry_rate_limits
        self.can_recover = can_recover
        #: The task may exist: look it up before sending again.
        self.needs_lookup = False
        self._seen_ambiguous = False
        self._lookup_failed = False

    def send_failed(self, exc: BaseException) -> None:
        """Note a failed send (the create or read itself)."""
        self._lookup_failed = False
        if not self.can_recover:
            return
        if is_ambiguous(exc):
            self.needs_lookup = self._seen_ambiguous = True
        elif isinstance(exc, DuplicateTaskError) and self._seen_ambiguous:
            self.needs_lookup = True

    def lookup_failed(self) -> None:
        """Note a lookup that raised; it is a read, and retried as one."""
        self._lookup_failed = True

    def lookup_done(self) -> None:
        """Note a lookup that answered (found or not found)."""
        self.needs_lookup = False

    def wants_final_lookup(self, exc: BaseException) -> bool:
        """Out of attempts: whether one last lookup may still find the task.

        Not a retry: skipping it would lose a task that exists. Not after a lookup that failed
        for good (401, say), which would fail the same way.
        """
        if not self.needs_lookup:
            return False
        return not self._lookup_failed or is_retryable(exc, idempotent=True)

    def should_retry(self, exc: BaseException) -> bool:
        """Whether another attempt may follow ``exc``."""
        if self._lookup_failed:
            return is_retryable(exc, idempotent=True)
        if self.needs_lookup:
            return True
        return is_retryable(
            exc, idempotent=self.idempotent, retry_rate_limits=self.retry_rate_limits
        )


def note_attempts(exc: KlingError, attempts: int) -> None:
    """Record on the error of a call that was retried how many attempts it made; a connection
    error says so in its message too (which host, and that retrying did not help)."""
    exc.attempts = attempts
    if attempts > 1 and isinstance(exc, APIConnectionError) and exc.args:
        exc.args = (f"{exc.args[0]}; gave up after {attempts} attempts",)


def jittered(base: float) -> float:
    """``base`` (at least ``MIN_DELAY``) plus a random share of it, so waiters spread out."""
    base = max(base, MIN_DELAY)
    return base + random.uniform(0, max(MIN_DELAY, base * _JITTER))  # noqa: S311 - not crypto


def delay_for(exc: BaseException | None, attempt: int) -> float:
    """The delay after failed attempt number ``attempt`` (1-based).

    ``Retry-After`` (capped at ``MAX_RETRY_AFTER``) when the server sent one, else exponential
    backoff from 1 s to 20 s; jittered either way.
    """
    retry_after = getattr(exc, "retry_after", None)
    if isinstance(retry_after, (int, float)):
        return jittered(min(float(retry_after), MAX_RETRY_AFTER))
    return jittered(min(_BACKOFF_CAP, _BACKOFF_INITIAL * 2 ** min(attempt - 1, 16)))


def retry_kwargs(
    *,
    max_retries: int,
    should_retry: Callable[[BaseException], bool],
    sleep: Callable[[float], Any],
    describe: str,
) -> dict[str, Any]:
    """Keyword arguments for ``tenacity.AsyncRetrying`` / ``Retrying``: one logical call.

    At most ``max_retries + 1`` attempts; ``should_retry`` decides on each failure; the delay
    comes from :func:`delay_for`; ``sleep`` is the client's (tests replace it). ``describe``
    names the call in the INFO line logged before each retry.
    """
    from tenacity import retry_if_exception, stop_after_attempt

    def wait(state: RetryCallState) -> float:
        return delay_for(_failure(state), state.attempt_number)

    def before_sleep(state: RetryCallState) -> None:
        if logger.isEnabledFor(logging.INFO):
            exc = _failure(state)
            logger.info(
                "Retrying %s in %.2fs (attempt %d failed: %s: %s)",
                describe,
                state.next_action.sleep if state.next_action else 0.0,
                state.attempt_number,
                type(exc).__name__,
                exc,
            )

    return {
        "stop": stop_after_attempt(max_retries + 1),
        "wait": wait,
        "retry": retry_if_exception(should_retry),
        "before_sleep": before_sleep,
        "sleep": sleep,
        "reraise": True,
    }


def _failure(state: RetryCallState) -> BaseException | None:
    return state.outcome.exception() if state.outcome is not None else None
