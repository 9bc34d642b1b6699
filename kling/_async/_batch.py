"""Many tasks at once: paced fan-out of creates, and waiting through the list endpoint.

Fan-out keeps a concurrency limit that halves when Kling answers 1302/1303 (the account's
task slots are full) and grows back by one with each success, so a batch slows down and keeps
going instead of failing. Waiting polls the family's list endpoint, up to 500 tasks a page,
and falls back to single GETs for tasks the pages did not show, so a thousand waits cost a few
requests per poll rather than a thousand.
"""

from __future__ import annotations

import math
import random
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kling import _compat_async as _compat

from .._errors import KlingError, RateLimitError, TaskFailedError, WaitTimeoutError
from .._logging import logger
from .._retry import MAX_RETRY_AFTER, is_retryable
from ._waiting import check_wait_options

if TYPE_CHECKING:
    from ._resources import AsyncTaskResource
    from ._task import AsyncTask

__all__ = ["AdaptiveLimit", "as_completed", "create_many", "wait_all"]

DEFAULT_CONCURRENCY = 16
#: Below this many pending tasks, single GETs are cheaper than a page of 500.
_LIST_THRESHOLD = 4
_FALLBACK_CONCURRENCY = 8
_THROTTLE_BASE = 0.5
# Task slots free up as tasks finish; probing every few seconds at worst finds them quickly
# without hammering the API.
_THROTTLE_CAP = 8.0


class AdaptiveLimit:
    """A concurrency limit that halves on throttling and grows by one per success.

    ``streak`` counts throttled answers since the last success, across the whole batch, so
    the backoff grows while the account stays full and resets as soon as a create gets in.
    """

    def __init__(self, limit: int) -> None:
        self.ceiling = limit
        self.limit = limit
        self.active = 0
        self.streak = 0
        self._condition = _compat.Condition()

    async def acquire(self) -> None:
        async with self._condition:
            while self.active >= self.limit:
                await self._condition.wait()
            self.active += 1

    async def release(self, *, throttled: bool) -> None:
        async with self._condition:
            self.active -= 1
            if throttled:
                self.limit = max(1, self.limit // 2)
                self.streak += 1
            else:
                self.streak = 0
                self.limit = min(self.ceiling, self.limit + 1)
            self._condition.notify_all()


async def create_many(
    resource: AsyncTaskResource,
    items: Iterable[Mapping[str, Any]],
    *,
    concurrency: int,
    extra_body: Mapping[str, Any] | None,
    on_progress: Callable[[int, int], Any] | None = None,
) -> list[AsyncTask | KlingError]:
    """Create one task per item; results in input order, errors captured per item."""
    params = list(items)
    if not params:
        return []
    results: list[AsyncTask | KlingError | None] = [None] * len(params)
    limit = AdaptiveLimit(concurrency)
    indexes = iter(range(len(params)))
    settled = iter(range(1, len(params) + 1))

    async def worker() -> None:
        # next() on a shared range iterator is atomic, so threads and tasks never share an item.
        for index in indexes:
            results[index] = await _create_paced(resource, params[index], extra_body, limit)
            if on_progress is not None:
                await _compat.call(on_progress, next(settled), len(params))

    await _compat.run_workers(worker, min(concurrency, len(params)))
    return [result for result in results if result is not None]


async def _create_paced(
    resource: AsyncTaskResource,
    params: Mapping[str, Any],
    extra_body: Mapping[str, Any] | None,
    limit: AdaptiveLimit,
) -> AsyncTask | KlingError:
    while True:
        await limit.acquire()
        try:
            task = await resource._create(params, extra_body, retry_rate_limits=False)
        except RateLimitError as exc:
            await limit.release(throttled=True)
            delay = _throttle_delay(exc, limit.streak)
            logger.info(
                "Kling is throttling (code %s); %d creates in flight allowed, retrying in %.1fs",
                exc.api_code,
                limit.limit,
                delay,
            )
            await _compat.sleep(delay)
            continue
        except KlingError as exc:
            await limit.release(throttled=False)
            return exc
        await limit.release(throttled=False)
        return task


def _throttle_delay(exc: RateLimitError, throttles: int) -> float:
    if exc.retry_after is not None:
        return min(exc.retry_after, MAX_RETRY_AFTER)
    ceiling = min(_THROTTLE_CAP, _THROTTLE_BASE * 2 ** min(max(throttles - 1, 0), 10))
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not crypto


async def as_completed(
    resource: AsyncTaskResource,
    tasks: Sequence[AsyncTask | str],
    *,
    timeout: float | None,
    poll_interval: float,
    max_poll_interval: float | None,
) -> AsyncIterator[AsyncTask]:
    """Yield each task once it has finished (succeeded or failed), in finishing order."""
    cap = check_wait_options(timeout, poll_interval, max_poll_interval)
    pending = await _known_states(resource, tasks)
    start = _compat.monotonic()
    deadline = None if timeout is None else start + timeout
    interval = poll_interval
    while True:
        for task_id in [i for i, task in pending.items() if task.is_finished]:
            yield pending.pop(task_id)
        if not pending:
            return
        now = _compat.monotonic()
        if deadline is not None and now >= deadline:
            assert timeout is not None
            first = next(iter(pending.values()))
            raise WaitTimeoutError(first, timeout, pending=list(pending.values()))
        delay = interval * random.uniform(0.9, 1.1)  # noqa: S311 - jitter, not crypto
        await _compat.sleep(delay if deadline is None else min(delay, deadline - now))
        interval = min(interval * 1.5, cap)
        try:
            pending.update(await _sweep(resource, pending))
        except KlingError as exc:
            # As in a single wait: a round that fails transiently does not end the wait.
            if not is_retryable(exc, is_create=False):
                raise
            logger.warning("Polling %d tasks failed (%s); still waiting", len(pending), exc)


async def wait_all(
    resource: AsyncTaskResource,
    tasks: Sequence[AsyncTask | str],
    *,
    timeout: float | None,
    poll_interval: float,
    max_poll_interval: float | None,
) -> list[AsyncTask | KlingError]:
    """Wait for every task; in input order a finished task, a TaskFailedError or a timeout."""
    finished: dict[str, AsyncTask] = {}
    timed_out: dict[str, WaitTimeoutError] = {}
    try:
        async for task in as_completed(
            resource,
            tasks,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
        ):
            finished[task.task_id] = task
    except WaitTimeoutError as exc:
        for late in exc.pending:
            timed_out[late.task_id] = WaitTimeoutError(late, exc.timeout)
    results: list[AsyncTask | KlingError] = []
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
    resource: AsyncTaskResource, tasks: Sequence[AsyncTask | str]
) -> dict[str, AsyncTask]:
    """Tasks by id; bare ids are fetched once so each has a state (and a creation time)."""
    from ._task import AsyncTask

    known = {t.task_id: t for t in tasks if isinstance(t, AsyncTask)}
    ids = [t for t in tasks if isinstance(t, str) and t not in known]
    if not all(isinstance(t, (AsyncTask, str)) for t in tasks):
        raise KlingError("wait_all()/as_completed() take tasks or task_id strings")
    fetched = await _get_each(resource, ids) if ids else {}
    return {**known, **fetched}


async def _sweep(
    resource: AsyncTaskResource, pending: dict[str, AsyncTask]
) -> dict[str, AsyncTask]:
    """Fresh states for the pending tasks: pages of the list first, then GETs for the rest."""
    fresh: dict[str, AsyncTask] = {}
    if len(pending) >= _LIST_THRESHOLD:
        page_size = min(resource.family.max_page_size, 500)
        oldest = _oldest(pending.values())
        pages = math.ceil(len(pending) / page_size) + 1
        for page_num in range(1, pages + 1):
            page = await resource._list_page(resource.family.path, page_num, page_size)
            fresh.update((t.task_id, t) for t in page if t.task_id in pending)
            if len(fresh) == len(pending) or len(page) < page_size:
                break
            last = page[-1].created_at
            if oldest is not None and last is not None and last < oldest:
                break  # newest first: everything further back is older than our tasks
    missing = [task_id for task_id in pending if task_id not in fresh]
    if missing:
        fresh.update(await _get_each(resource, missing))
    return fresh


async def _get_each(resource: AsyncTaskResource, task_ids: list[str]) -> dict[str, AsyncTask]:
    found: dict[str, AsyncTask] = {}
    queue = iter(task_ids)

    async def worker() -> None:
        for task_id in queue:
            found[task_id] = await resource.get(task_id)

    await _compat.run_workers(worker, min(_FALLBACK_CONCURRENCY, len(task_ids)))
    return found


def _oldest(tasks: Iterable[AsyncTask]) -> datetime | None:
    times = [t.created_at for t in tasks]
    if not times or any(t is None for t in times):
        return None
    return min(t for t in times if t is not None)
