"""Shared polling: all the waits on one client for one family are served by one poller.

Waiters do not poll their own tasks. They subscribe to the family's poller, and one of them at a
time, the leader, polls every subscribed task that is due (following ``kling._polling``), in as
few requests as the family allows, and hands each fresh state to the subscribers of that task.
When the leader's own wait ends, leadership passes to another waiter. No background task or
thread is started: the callers who wait do the polling, so nothing outlives them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from kling import _compat_async as _compat

from .. import _tracing
from .._charges import check_charge
from .._errors import APIConnectionError, KlingError, ServerUnreachableError
from .._logging import logger
from .._polling import TASKS_PER_TURN, Schedule, task_age
from .._retry import is_retryable

if TYPE_CHECKING:
    from .._quote import Quote
    from ._task import AnyAsyncTask

__all__ = ["AsyncPoller", "AsyncSubscription", "FetchStates"]

#: Fetches fresh states of some tasks (by id): a state or a permanent error per id; ids it
#: could not reach this time are left out. Raises for a failure of the whole round.
FetchStates = Callable[
    [dict[str, "AnyAsyncTask"]], _compat.Awaitable[dict[str, "AnyAsyncTask | KlingError"]]
]

#: An entry due within this share of its current interval (and within its poll_interval) joins
#: the round that starts now: polling a little early never breaks the schedule's promise, and
#: rounds stay few.
_COALESCE = 0.5


class _Entry:
    """One task being waited for, shared by every subscription that waits for it."""

    __slots__ = (
        "due",
        "final",
        "interval",
        "quote",
        "schedule",
        "seen",
        "start",
        "subscribers",
        "task",
        "task_id",
        "trace",
        "unreachable_since",
    )

    def __init__(
        self, task: AnyAsyncTask, schedule: Schedule, now: float, age: float, jitter: float
    ) -> None:
        self.task = task
        #: Read once: a new-standard task's ``task_id`` is a property, and rounds ask often.
        self.task_id = task.task_id
        #: What the task's create was quoted, when this client created it: held against
        #: Kling's charge once, when the task is seen finished.
        private = task.__pydantic_private__ or {}
        self.quote: Quote | None = private.get("_quote")
        #: The record of its task span (``kling._otel``), ended when the task is seen finished.
        self.trace = private.get("_trace")
        #: The finished state or the error that ended polling: handed to late subscribers too.
        self.final: AnyAsyncTask | KlingError | None = None
        self.schedule = schedule
        #: When the task was created, on our monotonic clock.
        self.start = now - age
        self.interval = schedule.poll_interval
        self.due = now + schedule.first_delay(age, jitter)
        self.subscribers: set[AsyncSubscription] = set()
        #: When Kling last answered about this task (monotonic).
        self.seen = now
        #: When polls of this task started failing to reach Kling, or None.
        self.unreachable_since: float | None = None

    def reschedule(self, asked: float, now: float, jitter: float) -> None:
        """Schedule the next poll after a round that asked Kling at ``asked`` and ended at ``now``.

        The next round should end, not start, an interval after this one asked, taking as long
        as this one did (pages of 500 tasks take a while): then a task that finishes just after
        it was asked is handed to its waiters within the interval, as the schedule promises.
        Half an interval of rest after a round keeps a slow server from being asked back to
        back.
        """
        self.interval = self.schedule.interval(asked - self.start, jitter)
        took = now - asked
        self.due = max(asked + self.interval - took, now + self.interval / 2)

    def joins(self, now: float) -> bool:
        """Whether this entry is due soon enough to be polled in the round starting ``now``."""
        return self.due - now <= min(_COALESCE * self.interval, self.schedule.poll_interval)


class AsyncSubscription:
    """Some tasks one caller waits for; ``await next()`` gives their fresh states."""

    def __init__(
        self,
        poller: AsyncPoller,
        schedule: Schedule,
        deadline: float | None,
        progress: bool,
        unreachable_timeout: float | None,
    ) -> None:
        self._poller = poller
        self.schedule = schedule
        self.deadline = deadline
        #: Whether states of unfinished tasks are delivered too, or only final ones.
        self.progress = progress
        #: Seconds of polls that cannot reach Kling after which this wait gives up (None: never).
        self.unreachable_timeout = unreachable_timeout
        #: Task id -> entry, for the tasks this subscription still waits for.
        self.pending: dict[str, _Entry] = {}
        self._updates: list[tuple[str, AnyAsyncTask | KlingError]] = []
        self._wakeup = _compat.Event()

    async def next(self) -> list[tuple[str, AnyAsyncTask | KlingError]]:
        """``(task_id, state or error)`` pairs that arrived since the last call.

        Blocks until there is at least one, or returns ``[]`` once the deadline has passed.
        """
        return await self._poller._next(self)

    def discard(self, task_id: str) -> None:
        """Stop waiting for one task (it finished, or the caller lost interest)."""
        self._poller._discard(self, task_id)

    def add(self, tasks: Iterable[AnyAsyncTask]) -> None:
        """Wait for ``tasks`` too (from any task or thread), on this subscription's schedule:
        a wait that grows as tasks are created (``client.batch``)."""
        self._poller._add(self, tasks)

    def expire(self) -> None:
        """End this wait now, from any task or thread: ``next()`` returns ``[]`` as it does
        at the deadline (a leader asleep notices when it wakes, within a poll interval)."""
        with self._poller._lock:
            self.deadline = _compat.monotonic()
            self._wakeup.set()

    def close(self) -> None:
        """Stop waiting for every task of this subscription."""
        for task_id in list(self.pending):
            self._poller._discard(self, task_id)
        with self._poller._lock:  # one closed before its tasks were all added holds none
            self._poller._subscriptions.discard(self)


class AsyncPoller:
    """Polls the tasks of one family that any caller on one client is waiting for."""

    def __init__(self, fetch: FetchStates, name: str, host: str) -> None:
        self._fetch = fetch
        self._name = name
        self._host = host
        # A thread lock in both twins (only the sync twin has threads to guard against): it is
        # never held across a request or a sleep, so taking it never waits for long.
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}
        self._subscriptions: set[AsyncSubscription] = set()
        #: Subscriptions blocked in ``next()`` while another leads, oldest first.
        self._idle: dict[AsyncSubscription, None] = {}
        self._leader: AsyncSubscription | None = None

    def subscribe(
        self,
        tasks: Iterable[AnyAsyncTask],
        schedule: Schedule,
        deadline: float | None,
        *,
        progress: bool = False,
        unreachable_timeout: float | None = None,
    ) -> AsyncSubscription:
        """Start waiting for ``tasks`` (unfinished ones) until ``deadline`` (monotonic).

        ``progress=True`` delivers every fresh state; otherwise only finished states and
        errors, so that a thousand waiters are not woken for every poll of their tasks.
        ``unreachable_timeout``: after that many seconds of polls that cannot reach Kling, the
        subscription gets a :class:`~kling.ServerUnreachableError` for the task.
        """
        subscription = AsyncSubscription(self, schedule, deadline, progress, unreachable_timeout)
        self._add(subscription, tasks)
        return subscription

    def _add(self, subscription: AsyncSubscription, tasks: Iterable[AnyAsyncTask]) -> None:
        now, wall = _compat.monotonic(), _compat.wall_clock()
        jitter = Schedule.jitter()
        schedule = subscription.schedule
        with self._lock:
            for task in tasks:
                entry = self._entries.get(task.task_id)
                if entry is None:
                    age = task_age(task.created_at, wall)
                    entry = _Entry(task, schedule, now, age, jitter)
                    self._entries[task.task_id] = entry
                else:
                    entry.schedule = entry.schedule.merge(schedule)
                    if entry.final is not None:
                        subscription._updates.append((task.task_id, entry.final))
                        subscription._wakeup.set()
                entry.subscribers.add(subscription)
                subscription.pending[task.task_id] = entry
            self._subscriptions.add(subscription)

    def _discard(self, subscription: AsyncSubscription, task_id: str) -> None:
        with self._lock:
            entry = subscription.pending.pop(task_id, None)
            if entry is not None:
                entry.subscribers.discard(subscription)
                if not entry.subscribers:
                    self._entries.pop(task_id, None)
            if not subscription.pending:
                self._subscriptions.discard(subscription)

    async def _next(
        self, subscription: AsyncSubscription
    ) -> list[tuple[str, AnyAsyncTask | KlingError]]:
        try:
            while True:
                with self._lock:
                    if subscription._updates:
                        updates, subscription._updates = subscription._updates, []
                        return updates
                    deadline = subscription.deadline
                    if deadline is not None and _compat.monotonic() >= deadline:
                        return []
                    if self._leader is None:
                        self._leader = subscription
                    leading = self._leader is subscription
                    wakeup = subscription._wakeup
                    if not leading:
                        self._idle[subscription] = None
                if leading:
                    await self._round()
                    continue
                await wakeup.wait()
                with self._lock:
                    self._idle.pop(subscription, None)
                    # Events fire once: the next wait needs a fresh one.
                    if subscription._wakeup is wakeup:
                        subscription._wakeup = _compat.Event()
        finally:
            with self._lock:
                self._idle.pop(subscription, None)
                if self._leader is subscription:
                    self._leader = None
                if self._leader is None and self._idle:
                    # Hand over: the oldest waiter wakes up and leads from now on.
                    next(iter(self._idle))._wakeup.set()

    async def _round(self) -> None:
        """One turn of the leader: sleep until something is due, poll it, deliver."""
        now = _compat.monotonic()
        with self._lock:
            wake = now + min(
                (s.poll_interval for s in self._schedules()), default=Schedule().poll_interval
            )
            wake = min([wake, *(e.due for e in self._entries.values())])
            wake = min([wake, *(s.deadline for s in self._subscriptions if s.deadline)])
        if wake > now:
            await _compat.sleep(wake - now)
            now = _compat.monotonic()
        with self._lock:
            for subscription in self._subscriptions:
                if subscription.deadline is not None and now >= subscription.deadline:
                    subscription._wakeup.set()
            batch = [entry for entry in self._entries.values() if entry.joins(now)]
        if not batch:
            return
        asked = now
        unreachable: APIConnectionError | None = None
        try:
            with _tracing.poll_round(self._name, (entry.trace for entry in batch)):
                states = await self._fetch({entry.task_id: entry.task for entry in batch})
        except KlingError as exc:
            if not is_retryable(exc, idempotent=True):
                states = {entry.task_id: exc for entry in batch}
            else:
                # A transient failure does not end the waits: they go on until their deadlines,
                # unless Kling stays out of reach for longer than a wait allows.
                logger.warning(
                    "Polling %d %s task(s) failed (%s); still waiting", len(batch), self._name, exc
                )
                states = {}
                if isinstance(exc, APIConnectionError):
                    unreachable = exc
        jitter = Schedule.jitter()
        for start in range(0, len(batch), TASKS_PER_TURN):
            if start:
                await _compat.sleep(0)  # a round of thousands settles over several turns
            self._settle(batch[start : start + TASKS_PER_TURN], states, unreachable, asked, jitter)

    def _settle(
        self,
        batch: list[_Entry],
        states: dict[str, AnyAsyncTask | KlingError],
        unreachable: APIConnectionError | None,
        asked: float,
        jitter: float,
    ) -> None:
        """Hand the fresh states of a round's ``batch`` to their subscribers; reschedule the
        entries still running."""
        now = _compat.monotonic()
        finished = []
        with self._lock:
            for entry in batch:
                state = states.get(entry.task_id)
                if state is None:
                    entry.reschedule(asked, now, jitter)
                    if unreachable is not None:
                        self._unreachable(entry, unreachable, now)
                    continue
                entry.seen, entry.unreachable_since = now, None
                final = True
                if isinstance(state, KlingError) or state.is_finished:
                    entry.final = state
                    entry.due = float("inf")  # never polled again
                    if entry.quote is not None and not isinstance(state, KlingError):
                        check_charge(entry.quote, state)
                    if entry.trace is not None and not isinstance(state, KlingError):
                        finished.append((entry.trace, state))
                else:
                    final = False
                    entry.task = state
                    entry.reschedule(asked, now, jitter)
                for subscription in entry.subscribers:
                    if final or subscription.progress:
                        subscription._updates.append((entry.task_id, state))
                        subscription._wakeup.set()
        for record, state in finished:  # outside the lock: ending a span may export it
            record.finish(state)

    def _unreachable(self, entry: _Entry, cause: APIConnectionError, now: float) -> None:
        """Give up on ``entry`` for the subscriptions that allow no more time out of reach."""
        if entry.unreachable_since is None:
            entry.unreachable_since = now
        out_of_reach = now - entry.unreachable_since
        for subscription in entry.subscribers:
            limit = subscription.unreachable_timeout
            if limit is not None and out_of_reach >= limit:
                error = ServerUnreachableError(
                    self._host, entry.task, out_of_reach, now - entry.seen, cause
                )
                subscription._updates.append((entry.task_id, error))
                subscription._wakeup.set()

    def _schedules(self) -> Iterable[Schedule]:
        return (entry.schedule for entry in self._entries.values())
