"""When to poll a task that is being waited for: one schedule for every kind of wait. IO-free.

A task is polled ``poll_interval`` seconds after it is first seen, then every tenth of the time
it has been waited for, up to ``max_poll_interval``: a task that finishes is noticed within
``max(poll_interval, age / 10)`` seconds, and a long task is not polled needlessly often.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ._errors import InvalidParameterError

__all__ = [
    "DEFAULT_MAX_POLL_INTERVAL",
    "DEFAULT_POLL_INTERVAL",
    "DEFAULT_WAIT_TIMEOUT",
    "Schedule",
]

#: Videos usually take 2-8 minutes; a quarter of an hour covers a busy queue.
DEFAULT_WAIT_TIMEOUT = 900.0
DEFAULT_POLL_INTERVAL = 2.0
DEFAULT_MAX_POLL_INTERVAL = 15.0
_AGE_FRACTION = 0.1
#: Intervals are shortened by up to this fraction, never lengthened, so that waiters spread
#: out without breaking the promise above.
_JITTER = 0.2


@dataclass(frozen=True)
class Schedule:
    """The polling schedule of one wait; ``Schedule.of(...)`` validates the options."""

    poll_interval: float = DEFAULT_POLL_INTERVAL
    max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL

    @classmethod
    def of(
        cls, timeout: float | None, poll_interval: float, max_poll_interval: float | None
    ) -> Schedule:
        """Validate a wait's options (``timeout`` too) and return its schedule."""
        if timeout is not None and (
            isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0
        ):
            raise InvalidParameterError(
                "timeout must be a positive number of seconds or None (no deadline), "
                f"got {timeout!r}",
                field="timeout",
            )
        if not _positive(poll_interval):
            raise InvalidParameterError(
                f"poll_interval must be a positive number of seconds, got {poll_interval!r}",
                field="poll_interval",
            )
        if max_poll_interval is not None and not _positive(max_poll_interval):
            raise InvalidParameterError(
                "max_poll_interval must be a positive number of seconds or None, "
                f"got {max_poll_interval!r}",
                field="max_poll_interval",
            )
        cap = DEFAULT_MAX_POLL_INTERVAL if max_poll_interval is None else max_poll_interval
        return cls(float(poll_interval), float(max(poll_interval, cap)))

    def interval(self, waited: float) -> float:
        """Seconds until the next poll of a task that has been waited for ``waited`` seconds."""
        base = min(self.max_poll_interval, max(self.poll_interval, _AGE_FRACTION * waited))
        return base * random.uniform(1 - _JITTER, 1)  # noqa: S311 - jitter, not crypto

    def merge(self, other: Schedule) -> Schedule:
        """The schedule that satisfies two waits of the same task: the more eager one."""
        return Schedule(
            min(self.poll_interval, other.poll_interval),
            min(self.max_poll_interval, other.max_poll_interval),
        )


def _positive(value: object) -> bool:
    return (
        not isinstance(value, bool)
        and isinstance(value, (int, float))
        and value > 0
        and value != float("inf")
    )
