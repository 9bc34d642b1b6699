"""Many creates, each task handed back as it finishes while the rest are still being created.

``create_many`` then ``as_completed`` waits for the last create before the first poll: at 10,000
tasks that left a minute of finished tasks unseen. Here creators and a waiter run together, as a
batch job's do: each task joins the poller's subscription the moment it is created. It is a
context manager, so that the work is done by tasks (threads, in the sync twin) that live in the
caller's block and end with it::

    async with client.text_to_video.create_as_completed(items) as finished:
        async for result in finished:  # a finished task (check is_failed), or an item's error
            ...

Every item comes out once: its finished task, or the ``KlingError`` that ended it (Kling refused
the create, the wait timed out, Kling stayed unreachable). ``finished.created`` holds every task
created so far, whatever happens; leaving the block early stops creating (creates in flight
complete, or log their ids if cancelled) and loses none of them.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from kling import _compat_async as _compat

from .._errors import KlingError, WaitTimeoutError
from .._polling import Schedule
from ._batch import (
    AdaptiveLimit,
    CreateManyOptions,
    check_concurrency,
    check_throttle_timeout,
    create_paced,
    with_external_ids,
)
from ._waiting import PollOptions

if TYPE_CHECKING:
    from ._batch import Creates
    from ._poller import AsyncPoller, AsyncSubscription

__all__ = ["AsyncFinished", "CreateAsCompletedOptions", "finishing"]

TaskT = TypeVar("TaskT")


class CreateAsCompletedOptions(CreateManyOptions, PollOptions, total=False):
    """The options of ``create_as_completed``: ``create_many``'s and a wait's."""


class AsyncFinished(Generic[TaskT]):
    """What ``create_as_completed`` gives: iterate it for each item as it settles."""

    def __init__(self, total: int) -> None:
        #: How many items there are; each comes out once.
        self.total = total
        #: Every task created so far, in the order Kling answered.
        self.created: list[TaskT] = []
        self._results: _compat.Queue[TaskT | KlingError] = _compat.Queue()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {len(self.created)} of {self.total} created>"

    def __aiter__(self) -> AsyncFinished[TaskT]:
        return self

    async def __anext__(self) -> TaskT | KlingError:
        result = await self._results.get()
        if result is None:
            raise StopAsyncIteration
        return result


class _Finishing:
    """The creators and the waiter of one ``create_as_completed`` block."""

    def __init__(
        self,
        resource: Creates,
        params: list[dict[str, Any]],
        extra_body: Mapping[str, Any] | None,
        limit: AdaptiveLimit,
        subscription: AsyncSubscription,
        timeout: float | None,
        on_progress: Callable[[int, int], Any] | None,
    ) -> None:
        self.resource = resource
        self.params = params
        self.extra_body = extra_body
        self.limit = limit
        self.subscription = subscription
        self.timeout = timeout
        self.on_progress = on_progress
        self.finished: AsyncFinished[Any] = AsyncFinished(len(params))
        self.items = iter(params)
        self.settled = 0
        self.creating = True
        self.stopped = False
        self.added = _compat.Event()
        self._lock = threading.Lock()  # the sync twin's creators are threads: += is not atomic

    def stop(self) -> None:
        """The caller left, or something failed: create no more, and end the wait."""
        self.stopped = True
        self.subscription.expire()
        self.added.set()

    async def create(self) -> None:
        # next() on a shared iterator is atomic, so two creators never take the same item.
        for params in self.items:
            if self.stopped:
                return
            outcome = await create_paced(self.resource, params, self.extra_body, self.limit)
            if isinstance(outcome, KlingError):
                await self.finished._results.put(outcome)
            else:
                self.finished.created.append(outcome)
                if outcome.is_finished:
                    await self.finished._results.put(outcome)
                else:
                    self.subscription.add([outcome])
                    self.added.set()
            if self.on_progress is not None:
                with self._lock:
                    self.settled += 1
                    settled = self.settled
                await _compat.call(self.on_progress, settled, len(self.params))

    async def creators(self, count: int) -> None:
        try:
            async with _compat.TaskGroup(on_error=self.stop) as group:
                for _ in range(count):
                    group.start_soon(self.create)
        finally:
            self.creating = False
            self.added.set()

    async def wait(self) -> None:
        subscription = self.subscription
        results = self.finished._results
        try:
            while not self.stopped:
                if not subscription.pending:
                    if not self.creating:
                        return
                    added = self.added
                    await added.wait()
                    if self.added is added:  # events fire once: the next wait needs a new one
                        self.added = _compat.Event()
                    continue
                updates = await subscription.next()
                if not updates:  # the deadline passed, or the caller left
                    if not self.stopped:
                        for entry in list(subscription.pending.values()):
                            await results.put(WaitTimeoutError(entry.task, self.timeout or 0.0))
                    return
                for task_id, state in updates:
                    if isinstance(state, KlingError) or state.is_finished:
                        subscription.discard(task_id)
                        await results.put(state)
        finally:
            subscription.close()
            results.close()


@asynccontextmanager
async def finishing(
    resource: Creates,
    poller: AsyncPoller,
    items: Iterable[Mapping[str, Any]],
    *,
    concurrency: int,
    extra_body: Mapping[str, Any] | None,
    on_progress: Callable[[int, int], Any] | None,
    throttle_timeout: float,
    schedule: Schedule,
    timeout: float | None,
    unreachable_timeout: float | None,
) -> AsyncIterator[AsyncFinished[Any]]:
    """The block behind ``create_as_completed``; refuses bad options before anything is sent."""
    check_concurrency(concurrency)
    check_throttle_timeout(throttle_timeout)
    params = with_external_ids(items, extra_body)
    deadline = None if timeout is None else _compat.monotonic() + timeout
    subscription = poller.subscribe([], schedule, deadline, unreachable_timeout=unreachable_timeout)
    limit = AdaptiveLimit(concurrency, float(throttle_timeout))
    state = _Finishing(resource, params, extra_body, limit, subscription, timeout, on_progress)
    with state.finished._results:
        async with _compat.TaskGroup(on_error=state.stop) as group:
            group.start_soon(functools.partial(state.creators, min(concurrency, len(params))))
            group.start_soon(state.wait)
            try:
                yield state.finished
            finally:
                # Left early (or failed): nothing more is created or waited for; the tasks
                # created so far stay in finished.created. After a full run, a no-op.
                state.stop()
