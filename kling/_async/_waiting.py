"""Waiting for tasks: one (``wait``), many in finishing order (``as_completed``), or all of them.

Every wait goes through the family's shared poller (``_poller``), so concurrent waits on one
client cost what one batch wait costs, and all of them follow one schedule (``kling._polling``).
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from typing_extensions import TypedDict

from kling import _compat_async as _compat

from .._errors import InvalidParameterError, KlingError, TaskFailedError, WaitTimeoutError
from .._polling import TASKS_PER_TURN, Schedule

if TYPE_CHECKING:
    from ._client import AsyncKlingClient
    from ._history import AsyncEstimator
    from ._poller import AsyncPoller
    from ._task import AnyAsyncTask

    class Waits(Protocol):
        """What the waits need of a resource: a get, a batch get, and its shared poller."""

        _client: AsyncKlingClient

        @property
        def source(self) -> str: ...

        def get(self, task_id: str) -> _compat.Awaitable[Any]: ...

        def _get_each(
            self, task_ids: list[str]
        ) -> _compat.Awaitable[Mapping[str, AnyAsyncTask | KlingError]]: ...

        def _poller(self) -> AsyncPoller: ...


__all__ = [
    "WAIT_OPTIONS",
    "PollOptions",
    "ProgressCallback",
    "WaitOptions",
    "as_completed",
    "wait",
    "wait_all",
]

#: ``on_progress(task, elapsed_seconds)``, called with the task's state as given and after
#: every poll; a plain function or a coroutine function. One that takes a third positional
#: argument is called ``on_progress(task, elapsed_seconds, estimate)`` with a
#: :class:`kling.Estimate` of the time left (decided once per wait: ``kling._eta``).
ProgressCallback = Callable[[Any, float], Any] | Callable[[Any, float, Any], Any]


class PollOptions(TypedDict, total=False):
    """How a wait polls: the options every wait takes."""

    timeout: float | None
    """Seconds to wait at most (default 900), then ``WaitTimeoutError``; None: no limit."""
    poll_interval: float
    """The first pause between polls (default 2 s); it grows with the task's age."""
    max_poll_interval: float | None
    """The longest pause between polls (default 15 s)."""
    unreachable_timeout: float | None
    """Give up when Kling has not answered for this many seconds (default 30; None: never)."""


class WaitOptions(PollOptions, total=False):
    """The options of ``wait``, which ``create_and_wait`` takes too."""

    on_progress: ProgressCallback | None
    """Called as ``on_progress(task, elapsed_seconds)`` with each state seen; one that takes
    a third positional argument also gets a :class:`kling.Estimate` of the time left."""


#: The keys of :class:`WaitOptions`, told apart from a create's parameters by name.
WAIT_OPTIONS = frozenset(WaitOptions.__annotations__)


async def wait(
    resource: Waits,
    task: AnyAsyncTask | str,
    *,
    timeout: float | None,
    poll_interval: float,
    max_poll_interval: float | None,
    unreachable_timeout: float | None,
    on_progress: ProgressCallback | None,
) -> AnyAsyncTask:
    """Poll until the task finishes: return it if it succeeded, raise if it failed."""
    from ._task import AsyncTask  # with the first wait, not with the client
    from ._task_v2 import AsyncV2Task

    schedule = Schedule.of(timeout, poll_interval, max_poll_interval, unreachable_timeout)
    start = _compat.monotonic()
    if isinstance(task, (AsyncTask, AsyncV2Task)):
        current = task
    elif isinstance(task, str) and task:
        current = await resource.get(task)
    else:
        raise InvalidParameterError(
            f"wait() takes a task or a task_id string, got {task!r}", field="task"
        )
    deadline = None if timeout is None else start + timeout
    estimator = None
    if on_progress is not None:
        from .._eta import takes_estimate

        if takes_estimate(on_progress):
            from ._history import AsyncEstimator

            estimator = AsyncEstimator(resource._client, resource.source, current)
    if estimator is None:
        return await _follow(
            resource, current, schedule, start, deadline, timeout, unreachable_timeout, on_progress
        )
    assert on_progress is not None
    # The history is read beside the polls, never before the first; a wait that fails
    # returns once the page in flight has come back (short: see AsyncEstimator.refresh), so
    # that no request of the wait is sent after it returned.
    async with _compat.TaskGroup(join_after_errors=True) as group:
        group.start_soon(estimator.refresh)
        try:
            return await _follow(
                resource,
                current,
                schedule,
                start,
                deadline,
                timeout,
                unreachable_timeout,
                functools.partial(_with_estimate, on_progress, estimator),
            )
        finally:
            # A read in flight ends with its page (and is counted); none starts after.
            estimator.stopped = True


async def _with_estimate(
    on_progress: Callable[..., Any], estimator: AsyncEstimator, task: AnyAsyncTask, elapsed: float
) -> None:
    if task.is_finished:
        await estimator.finished(task)
    await _compat.call(on_progress, task, elapsed, estimator.estimate(task, elapsed))


async def _follow(
    resource: Waits,
    current: AnyAsyncTask,
    schedule: Schedule,
    start: float,
    deadline: float | None,
    timeout: float | None,
    unreachable_timeout: float | None,
    on_progress: Callable[..., Any] | None,
) -> AnyAsyncTask:
    """Poll ``current`` until it finishes, reporting each state to ``on_progress``."""
    if on_progress is not None:
        await _compat.call(on_progress, current, _compat.monotonic() - start)
    subscription = (
        None
        if current.is_finished
        else resource._poller().subscribe(
            [current],
            schedule,
            deadline,
            progress=on_progress is not None,
            unreachable_timeout=unreachable_timeout,
        )
    )
    try:
        while not current.is_finished:
            assert subscription is not None
            updates = await subscription.next()
            if not updates:
                assert timeout is not None
                # The last state polled, which without on_progress was not delivered.
                entry = subscription.pending.get(current.task_id)
                raise WaitTimeoutError(entry.task if entry else current, timeout)
            for _, state in updates:
                if isinstance(state, KlingError):
                    raise state
                current = state
                if on_progress is not None:
                    await _compat.call(on_progress, current, _compat.monotonic() - start)
    finally:
        if subscription is not None:
            subscription.close()
    if current.is_failed:
        raise TaskFailedError(current)
    return current


async def as_completed(
    resource: Waits,
    tasks: Sequence[AnyAsyncTask | str],
    *,
    timeout: float | None,
    poll_interval: float,
    max_poll_interval: float | None,
    unreachable_timeout: float | None,
) -> AsyncIterator[AnyAsyncTask]:
    """Yield each task once it has finished (succeeded or failed), in finishing order."""
    schedule = Schedule.of(timeout, poll_interval, max_poll_interval, unreachable_timeout)
    start = _compat.monotonic()
    deadline = None if timeout is None else start + timeout
    pending = await _known_states(resource, tasks)
    for task_id in [i for i, task in pending.items() if task.is_finished]:
        yield pending.pop(task_id)
    if not pending:
        return
    subscription = resource._poller().subscribe(
        (), schedule, deadline, unreachable_timeout=unreachable_timeout
    )
    try:
        waiting = list(pending.values())
        for start in range(0, len(waiting), TASKS_PER_TURN):
            if start:
                await _compat.sleep(0)
            subscription.add(waiting[start : start + TASKS_PER_TURN])
        while subscription.pending:
            updates = await subscription.next()
            if not updates:
                assert timeout is not None
                late = [entry.task for entry in subscription.pending.values()]
                raise WaitTimeoutError(late[0], timeout, pending=late)
            for index, (task_id, state) in enumerate(updates):
                if isinstance(state, KlingError):
                    raise state
                if state.is_finished:
                    subscription.discard(task_id)
                    yield state
                if index % _YIELD_EVERY == _YIELD_EVERY - 1:
                    # A round may finish thousands of tasks at once: let the loop run between
                    # them, or the caller's handling of all of them is one long stall.
                    await _compat.sleep(0)
    finally:
        subscription.close()


#: Tasks of one round handed back before other work gets a turn (``as_completed``).
_YIELD_EVERY = 256


async def wait_all(
    resource: Waits,
    tasks: Sequence[AnyAsyncTask | str],
    *,
    timeout: float | None,
    poll_interval: float,
    max_poll_interval: float | None,
    unreachable_timeout: float | None,
) -> list[AnyAsyncTask | KlingError]:
    """Wait for every task; in input order a finished task, a TaskFailedError or a timeout."""
    finished: dict[str, AnyAsyncTask] = {}
    timed_out: dict[str, WaitTimeoutError] = {}
    try:
        async for task in as_completed(
            resource,
            tasks,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            unreachable_timeout=unreachable_timeout,
        ):
            finished[task.task_id] = task
    except WaitTimeoutError as exc:
        for late in exc.pending:
            timed_out[late.task_id] = WaitTimeoutError(late, exc.timeout)
    results: list[AnyAsyncTask | KlingError] = []
    for item in tasks:
        task_id = item if isinstance(item, str) else item.task_id
        done = finished.get(task_id)
        if done is None:
            results.append(timed_out[task_id])
        elif done.is_failed:
            results.append(TaskFailedError(done))
        else:
            results.append(done)
    return results


async def _known_states(
    resource: Waits, tasks: Sequence[AnyAsyncTask | str]
) -> dict[str, AnyAsyncTask]:
    """Tasks by id, in input order; bare ids are fetched once so each has a state."""
    from ._task import AsyncTask  # with the first wait, not with the client
    from ._task_v2 import AsyncV2Task

    known_types = (AsyncTask, AsyncV2Task)
    if not all(isinstance(t, known_types) or (isinstance(t, str) and t) for t in tasks):
        raise InvalidParameterError(
            "wait_all() and as_completed() take tasks or task_id strings", field="tasks"
        )
    known = {t.task_id: t for t in tasks if isinstance(t, known_types)}
    ids = [t for t in tasks if isinstance(t, str) and t not in known]
    fetched = await resource._get_each(ids) if ids else {}
    states: dict[str, AnyAsyncTask] = {}
    for index, item in enumerate(tasks):
        if index % TASKS_PER_TURN == TASKS_PER_TURN - 1:
            await _compat.sleep(0)
        task_id = item.task_id if isinstance(item, known_types) else item
        state = known.get(task_id) or fetched.get(task_id)
        if isinstance(state, KlingError):
            raise state
        # Left out after a transient failure: one more try, with the client's retries.
        states[task_id] = state if state is not None else await resource.get(task_id)
    return states
