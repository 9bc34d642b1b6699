"""Estimates for a wait's ``on_progress``: the account's task history, read while waiting.

A wait whose callback takes the estimate (``kling._eta.takes_estimate``) makes one
:class:`AsyncEstimator`. Its :meth:`~AsyncEstimator.refresh` reads the list of the task's
source (the family's list, or ``/tasks``) when the cached history is stale; the wait runs it
as a child of its own task group, beside its polls, so the first poll never waits for it.
When the task finishes first, the read stops after the page in flight (counted, not lost),
and the wait returns once it has: nothing outlives the call (see ``_poller``). Until it
arrives, the estimates come from the cache. A failed read never fails the wait (logged at
DEBUG). A wait that is cancelled or raises cancels it (the sync twin's thread, which cannot be
cancelled, ends with the page it is reading).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import aclosing
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from kling import _compat_async as _compat

from .._eta import Estimate, History, Kind, cache_path
from .._logging import logger
from .._polling import task_age
from .._rows import NEW_STANDARD, tasks_of

if TYPE_CHECKING:
    from ._client import AsyncKlingClient
    from ._task import AnyAsyncTask

__all__ = [
    "HISTORY_PAGE_SIZE",
    "HISTORY_TASKS",
    "HISTORY_TIMEOUT",
    "AsyncEstimator",
    "history_of",
    "last_to_finish",
]

#: How many of the newest tasks a refresh reads, and in pages of how many.
HISTORY_TASKS = 1000
HISTORY_PAGE_SIZE = 500
#: Seconds a history page may take, with no retry: an estimate is not worth waiting for, and
#: a wait that ends returns only once the page in flight has come back.
HISTORY_TIMEOUT = 10.0


def history_of(client: AsyncKlingClient) -> History:
    """The history of ``client``'s account, loaded from its cache file on first use.

    Kept on the state the client shares with its copies, per cache file: a copy with other
    keys has a history of its own. The file is small and read once per client.
    """
    config = client._config
    key = config.access_key or (config.api_key.get() if config.api_key else None)
    path = cache_path(key, config.base_url)
    histories = client._shared.histories
    history: History | None = histories.get(path)
    if history is None:
        history = History(path)
        history.load(_compat.wall_clock())
        history = histories.setdefault(path, history)
    return history


class AsyncEstimator:
    """Estimates for one wait, and the history refresh that runs beside it."""

    def __init__(
        self, client: AsyncKlingClient, source: str, task: AnyAsyncTask | None = None
    ) -> None:
        self._client = client
        self._source = source
        self.history = history_of(client)
        # The states polls bring are new models: the kind its create gave goes by its id.
        self._kind_changed = task is not None and self.remember(task)
        #: Set when the wait ends: a refresh still reading stops before its next page.
        self.stopped = False

    def estimate(self, task: AnyAsyncTask, elapsed: float) -> Estimate:
        """How long ``task`` has left, from what the history holds now."""
        kind = self.history.kind_for(task, self._source)
        if task.is_finished and task.created_at and task.updated_at:
            age = (task.updated_at - task.created_at).total_seconds()
        else:
            age = task_age(task.created_at, _compat.wall_clock()) if task.created_at else elapsed
        estimate = self.history.estimate(kind, age, any_kind=self._source == NEW_STANDARD)
        if task.is_finished:
            return replace(estimate, remaining=0.0, total=age, slow=False, finished=True)
        return estimate

    async def refresh(self) -> None:
        """Read the newest finished tasks of the source into the history, if it is stale."""
        source, history = self._source, self.history
        started = _compat.wall_clock()
        if self.stopped or not history.claim(source, started):
            return
        done: float | None = None
        try:
            client = self._client.with_options(max_retries=0, timeout=HISTORY_TIMEOUT)
            reader: Any = tasks_of(client, source)
            options: dict[str, Any] = {"page_size": HISTORY_PAGE_SIZE, "limit": HISTORY_TASKS}
            if source == NEW_STANDARD:
                options["status"] = "succeeded"
            # aclosing: stopping between pages closes them at once, not when collected.
            async with aclosing(reader.list(**options).iter_pages()) as pages:
                async for page in pages:
                    history.add(page, source)
                    if self.stopped:
                        break
                else:
                    done = started
        except Exception as exc:  # an estimate is never worth failing a wait for
            logger.debug("reading the %s task history failed: %s", source, exc)
        finally:
            history.fetched(source, done)
        if done is not None:
            await _compat.run_blocking(history.save)

    def remember(self, task: AnyAsyncTask) -> bool:
        """Keep the kind ``task``'s create gave it (by its id); True if it is new."""
        kind = (task.__pydantic_private__ or {}).get("_kind")
        return kind is not None and self.history.remember_kind(task.task_id, kind)

    async def finished(self, task: AnyAsyncTask, *, save: bool = True) -> None:
        """The wait saw ``task`` finish: count it, and keep its kind, in the cache too (or
        later: ``save=False``, for a batch, which saves once at its end)."""
        changed = self.remember(task) or self._kind_changed
        if (self.history.add([task], self._source) or changed) and save:
            await _compat.run_blocking(self.history.save)


def last_to_finish(running: Iterable[tuple[AsyncEstimator, AnyAsyncTask]]) -> Estimate | None:
    """The estimate of the running task expected to finish last (a batch's time left).

    The youngest task of each kind is the last of that kind to finish; the kind whose youngest
    has the most left wins. A kind without history is passed over when another has some (the
    estimate names its kind); a slow task only counts when no other has a number.
    """
    youngest: dict[tuple[int, Kind], tuple[AsyncEstimator, AnyAsyncTask]] = {}
    for estimator, task in running:
        key = (id(estimator), estimator.history.kind_for(task, estimator._source))
        known = youngest.get(key)
        if known is None or _created(task) > _created(known[1]):
            youngest[key] = (estimator, task)
    estimates = [estimator.estimate(task, 0.0) for estimator, task in youngest.values()]
    if not estimates:
        return None
    timed = [e for e in estimates if e.remaining is not None]
    if timed:
        return max(timed, key=lambda e: e.remaining or 0.0)
    return next((e for e in estimates if e.slow), estimates[0])


def _created(task: AnyAsyncTask) -> float:
    return task.created_at.timestamp() if task.created_at else 0.0
