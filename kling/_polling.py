"""When to poll a task that is being waited for: one schedule for every kind of wait. IO-free.

A task is polled when it is ``poll_interval`` seconds old, then every tenth of its age, up to
``max_poll_interval``: a task that finishes is noticed within ``max(poll_interval, age / 10)``
seconds, and a long task is not polled needlessly often. A task's age counts from its creation
on Kling (``created_at``), so a wait that starts late on an old task polls it at once.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from ._errors import InvalidParameterError

__all__ = [
    "DEFAULT_MAX_POLL_INTERVAL",
    "DEFAULT_POLL_INTERVAL",
    "DEFAULT_UNREACHABLE_TIMEOUT",
    "DEFAULT_WAIT_TIMEOUT",
    "TASKS_PER_TURN",
    "Schedule",
    "oldest_created",
    "task_age",
]

#: Videos usually take 2-8 minutes; a quarter of an hour covers a busy queue.
DEFAULT_WAIT_TIMEOUT = 900.0
DEFAULT_POLL_INTERVAL = 2.0
DEFAULT_MAX_POLL_INTERVAL = 15.0
#: A wait whose polls cannot reach Kling for this long gives up (ServerUnreachableError): a
#: server that is gone should not hold a caller until the wait's deadline.
DEFAULT_UNREACHABLE_TIMEOUT = 30.0
_AGE_FRACTION = 0.1
#: Work the SDK does for each of many tasks at once (a wait's start, a poll round's end) lets
#: other work run after this many: ten thousand tasks at a few microseconds each would
#: otherwise hold everything else back for tens of milliseconds.
TASKS_PER_TURN = 1000
#: Intervals are shortened by up to this fraction, never lengthened, so that waiters spread
#: out without breaking the promise above.
_JITTER = 0.2


# A NamedTuple, not a frozen dataclass: every create imports this module, and a dataclass
# compiles its methods at import (kling/_rows.py's Library says the same).
class Schedule(NamedTuple):
    """The polling schedule of one wait; ``Schedule.of(...)`` validates the options."""

    poll_interval: float = DEFAULT_POLL_INTERVAL
    max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL

    @classmethod
    def of(
        cls,
        timeout: float | None,
        poll_interval: float,
        max_poll_interval: float | None,
        unreachable_timeout: float | None = None,
    ) -> Schedule:
        """Validate a wait's options (``timeout`` and ``unreachable_timeout`` too) and return
        its schedule."""
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
        if unreachable_timeout is not None and not _positive(unreachable_timeout):
            raise InvalidParameterError(
                "unreachable_timeout must be a positive number of seconds or None (wait until "
                f"the deadline), got {unreachable_timeout!r}",
                field="unreachable_timeout",
            )
        return cls(float(poll_interval), float(max(poll_interval, cap)))

    def interval(self, waited: float, jitter: float | None = None) -> float:
        """Seconds until the next poll of a task that has been waited for ``waited`` seconds.

        ``jitter`` (from :meth:`jitter`) shortens it; tasks polled together share one, so that
        they stay together.
        """
        base = min(self.max_poll_interval, max(self.poll_interval, _AGE_FRACTION * waited))
        return base * (self.jitter() if jitter is None else jitter)

    def first_delay(self, age: float, jitter: float | None = None) -> float:
        """Seconds until the first poll of a task that is ``age`` seconds old when first seen."""
        return max(0.0, self.interval(0, jitter) - age)

    @staticmethod
    def jitter() -> float:
        """A factor that shortens an interval by up to a fifth, so that waiters spread out."""
        return random.uniform(1 - _JITTER, 1)  # noqa: S311 - jitter, not crypto

    def merge(self, other: Schedule) -> Schedule:
        """The schedule that satisfies two waits of the same task: the more eager one."""
        return Schedule(
            min(self.poll_interval, other.poll_interval),
            min(self.max_poll_interval, other.max_poll_interval),
        )


def oldest_created(times: Iterable[datetime | None]) -> datetime | None:
    """The earliest of the tasks' creation ``times``; None when one of them is not known.

    Listings come newest first: a page that reaches past this holds none of the tasks.
    """
    known = list(times)
    # Builtins, not a loop: a round of 10,000 tasks asks this every time.
    return None if not known or None in known else min(known)  # type: ignore[type-var]


def task_age(created_at: datetime | None, now: float) -> float:
    """Seconds since ``created_at`` at wall-clock time ``now``; 0 when unknown or ahead of us.

    Kling's clock and ours differ a little; a clock behind Kling's only delays the first poll to
    what it would be for a new task, never past it.
    """
    if created_at is None:
        return 0.0
    return max(0.0, now - created_at.timestamp())


def _positive(value: object) -> bool:
    return (
        not isinstance(value, bool)
        and isinstance(value, (int, float))
        and value > 0
        and value != float("inf")
    )
