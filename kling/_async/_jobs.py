"""``client.batch``: run batch jobs from a file, resumably, exactly once, with a manifest.

A run validates every job before the first create, creates the tasks it has not made yet under
ids derived from the jobs' content (see ``kling._jobs``), waits for them all, downloads their
results and appends one manifest line per job as it settles. Running it again resumes: a task
that exists is adopted (Kling refuses a second create with its id), a result on disk is not
downloaded again. Two runs of one file at once, or on several machines (``shard``), create
each task once, for the same reason.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kling import _compat_async as _compat

from .._errors import (
    APIConnectionError,
    BudgetExceededError,
    DuplicateTaskError,
    InvalidParameterError,
    KlingError,
    RateLimitError,
)
from .._jobs import (
    MANIFEST,
    BatchProgress,
    BatchReport,
    Job,
    JobResult,
    ManifestEntry,
    Shard,
    check_record,
    jobs_from,
    load_jobs,
    manifest_entries,
    quoted_units,
)
from .._jobs import read_manifest as _read_manifest
from .._logging import logger
from .._manifest import ManifestFile
from .._paths import directory_problem, plan_targets
from .._polling import DEFAULT_POLL_INTERVAL, DEFAULT_UNREACHABLE_TIMEOUT, Schedule
from .._result_media import file_is_media
from .._rows import TaskRow, resource_of
from ._batch import AdaptiveLimit, check_concurrency, create_paced

if TYPE_CHECKING:
    from .._budget import BudgetLike
    from ._client import AsyncKlingClient
    from ._history import AsyncEstimator
    from ._poller import AsyncSubscription
    from ._task import AnyAsyncTask

__all__ = ["AsyncBatch"]

_DOWNLOADERS = 4
#: How long creates may be throttled (the account's task slots full) before the rest of a
#: chunk is left for the next run. Slots free up as the batch's own tasks finish, which can
#: take as long as the longest video; create_many's default (15 min) is for a single burst.
_THROTTLE_PATIENCE = 3600.0


class AsyncBatch:
    """Batch jobs: ``await client.batch.run("jobs.jsonl", output_dir="out/")``."""

    def __init__(self, client: AsyncKlingClient) -> None:
        self._client = client

    async def run(
        self,
        jobs: str | os.PathLike[str] | Iterable[Mapping[str, Any]],
        *,
        output_dir: str | os.PathLike[str],
        family: str | None = None,
        namespace: str | None = None,
        shard: Shard | str | None = None,
        retry_failed: bool = False,
        concurrency: int = 16,
        timeout: float | None = None,
        unreachable_timeout: float | None = DEFAULT_UNREACHABLE_TIMEOUT,
        on_progress: Callable[[BatchProgress], Any] | None = None,
        max_units: BudgetLike | None = None,
    ) -> BatchReport:
        """Run ``jobs`` (a ``.jsonl``/``.csv`` file, or dicts shaped like its lines) into
        ``output_dir``, whose ``manifest.jsonl`` records each job as it settles.

        Every job is validated first, the file read as a stream (the bad lines raise together,
        each named by its number, and nothing is created). Jobs the manifest shows settled are
        skipped, and failed ones too unless ``retry_failed`` (a new attempt, so a new task).
        ``namespace`` sets apart runs of the same jobs; ``shard`` (``"i/N"``) takes a share of
        them, for several machines.
        ``timeout`` bounds the wait (None: until every task finishes); jobs still running then
        are in ``report.pending``, and the next run picks them up. So are the jobs left when
        Kling cannot be reached for ``unreachable_timeout`` seconds (the default of every
        wait; None: wait until ``timeout``), and ``report.unreachable`` says so. ``max_units``
        caps what the jobs may spend, earlier runs' tasks included (a number of units of all
        packages, or a :class:`~kling.Budget`): a run whose jobs would pass it raises
        ``BudgetExceededError`` before the first create, and a run never creates past it.
        """
        started = time.monotonic()
        check_concurrency(concurrency)
        out = Path(output_dir)
        batch = await _compat.run_blocking(_load, jobs, family, namespace)
        if shard is not None:
            taken = shard if isinstance(shard, Shard) else Shard.parse(shard)
            batch = [job for job in batch if taken.takes(job)]
        # The results must have somewhere to go before the first task is paid for.
        problem = await _compat.run_blocking(directory_problem, out)
        if problem is not None:
            raise InvalidParameterError(
                f"output_dir: {problem}; nothing was created", field="output_dir"
            )
        await _compat.run_blocking(functools.partial(out.mkdir, parents=True, exist_ok=True))
        manifest = ManifestFile(out / MANIFEST, check_record)
        entries = await _compat.run_blocking(_open, manifest)
        plan = _plan(batch, entries, out, retry_failed)
        client = self._client
        if max_units is not None:
            from .._batch_budget import batch_budget

            budget = batch_budget(max_units, batch, entries, plan.todo)
            client = client._spending(budget._within(client.budget))
        progress = BatchProgress(total=len(batch), skipped=len(plan.done))
        run = _Run(client, out, manifest, progress, on_progress)
        await run.notify()
        pending = await run.go(plan.todo, concurrency, timeout, unreachable_timeout)
        by_line = {r.line: r for r in [*plan.done, *run.results]}
        results = [by_line[job.line] for job in batch if job.line in by_line]
        return BatchReport(results, pending, time.monotonic() - started, run.unreachable)

    @staticmethod
    def read_manifest(output_dir: str | os.PathLike[str]) -> list[JobResult]:
        """The results a run (or several) recorded in ``output_dir``, last word per job."""
        entries = _read_manifest(Path(output_dir) / MANIFEST)
        return [entry.result() for entry in entries.values()]


def _load(
    jobs: str | os.PathLike[str] | Iterable[Mapping[str, Any]],
    family: str | None,
    namespace: str | None,
) -> list[Job]:
    if isinstance(jobs, (str, os.PathLike)):
        return load_jobs(jobs, family=family, namespace=namespace)
    return jobs_from(jobs, family=family, namespace=namespace)


def _open(manifest: ManifestFile) -> dict[str, ManifestEntry]:
    """What earlier runs recorded, the last entry per job (the file readied for appending)."""
    return manifest_entries(manifest.open())


@dataclass(frozen=True)
class _Plan:
    done: list[JobResult]
    """Settled by an earlier run, and left alone."""
    todo: list[tuple[Job, int]]
    """Jobs to create (or adopt) now, with the attempt to make."""


def _plan(
    batch: Sequence[Job], manifest: Mapping[str, ManifestEntry], out: Path, retry_failed: bool
) -> _Plan:
    done: list[JobResult] = []
    todo: list[tuple[Job, int]] = []
    for job in batch:
        entry = manifest.get(job.external_id())
        if entry is None:
            todo.append((job, 0))
        elif (entry.status == "succeeded" and entry.downloaded(out)) or (
            entry.status == "failed" and not retry_failed
        ):
            done.append(replace(entry.result(), line=job.line))
        elif entry.status == "failed":
            todo.append((job, entry.attempt + 1))
        else:  # succeeded, but a result file is missing: adopt the task, download again
            todo.append((job, entry.attempt))
    return _Plan(done, todo)


@dataclass
class _Tracked:
    job: Job
    attempt: int
    task: AnyAsyncTask
    adopted: bool


class _Run:
    """The state of one run: creates, waits, downloads, manifest lines.

    Three kinds of workers, connected as a pipeline so that each job moves on as soon as it
    can: ``concurrency`` creators take the jobs in file order and create (or adopt) their
    tasks, sharing one :class:`AdaptiveLimit` (when Kling says the account's task slots are
    full they slow down together, and go on as slots free up); one waiter per family (or the
    new standard's ``/tasks``) waits for every task created so far on one growing
    subscription of the shared poller; four downloaders save each finished task's results and
    append its manifest line. Results arrive, and the manifest grows, while later jobs are
    still waiting for a slot.
    """

    def __init__(
        self,
        client: AsyncKlingClient,
        out: Path,
        manifest: ManifestFile,
        progress: BatchProgress,
        on_progress: Callable[[BatchProgress], Any] | None,
    ) -> None:
        self.client = client
        self.out = out
        self.manifest = manifest
        self.progress = progress
        self.on_progress = on_progress
        self.results: list[JobResult] = []
        self.unsettled: dict[str, _Tracked] = {}
        self.not_started: list[Job] = []
        self.stopped = False
        self.creating = True
        #: The first sign that Kling cannot be reached (a wait gave up, a create failed).
        self.unreachable: APIConnectionError | None = None
        self._waits: dict[str, _Waiter] = {}
        #: Per waiter, with ``on_progress``: the history behind ``BatchProgress.time_left``.
        self._estimators: dict[str, AsyncEstimator] = {}
        self._lock = threading.Lock()

    def _count(self, *fields: str) -> None:
        # The sync twin's creators, waiters and downloaders are threads: += is not atomic.
        with self._lock:
            for name in fields:
                setattr(self.progress, name, getattr(self.progress, name) + 1)

    async def notify(self) -> None:
        if self.on_progress is not None:
            if self._estimators:
                from ._history import last_to_finish

                running = [
                    (self._estimators[_group(item.job)], item.task)
                    for item in list(self.unsettled.values())
                ]
                self.progress.time_left = last_to_finish(running)
            await _compat.call(self.on_progress, self.progress)

    def lost(self, error: APIConnectionError) -> None:
        """Kling cannot be reached: create nothing more, end every wait (the downloads of the
        tasks that finished go on: they come from a CDN)."""
        if self.unreachable is None:
            self.unreachable = error
        for waiter in self._waits.values():
            waiter.end()

    def stop(self) -> None:
        """Something failed (or the caller interrupted): start nothing more, end every wait.

        Tasks are cancelled anyway, but threads cannot be: this tells them, and each returns
        within a poll interval.
        """
        self.stopped = True
        for waiter in self._waits.values():
            waiter.end()

    async def go(
        self,
        todo: list[tuple[Job, int]],
        concurrency: int,
        timeout: float | None,
        unreachable_timeout: float | None,
    ) -> list[Job]:
        """Create, wait for, download and record every job in ``todo``; the unsettled jobs."""
        schedule = Schedule.of(timeout, DEFAULT_POLL_INTERVAL, None, unreachable_timeout)
        deadline = None if timeout is None else _compat.monotonic() + timeout
        finished: _compat.Queue[tuple[_Tracked, AnyAsyncTask]] = _compat.Queue()
        for job, _ in todo:
            key = _group(job)
            if key not in self._waits:
                resource = resource_of(self.client, _row(job))
                self._waits[key] = _Waiter(
                    self, resource, schedule, deadline, unreachable_timeout, finished
                )
                if self.on_progress is not None:
                    from ._history import AsyncEstimator

                    self._estimators[key] = AsyncEstimator(self.client, key)
        limit = AdaptiveLimit(concurrency, _THROTTLE_PATIENCE)
        jobs = iter(todo)

        async def create() -> None:
            # next() on a shared iterator is atomic, so two creators never take the same job.
            for job, attempt in jobs:
                if (
                    self.stopped
                    or self.unreachable is not None
                    or (deadline is not None and _compat.monotonic() >= deadline)
                ):
                    self.not_started.append(job)
                    continue
                item = await self._create(job, attempt, limit)
                if item is not None:
                    self.unsettled[item.task.task_id] = item
                    await self._waits[_group(job)].add(item)

        async def creators() -> None:
            try:
                async with _compat.TaskGroup(on_error=self.stop) as group:
                    for _ in range(min(concurrency, len(todo))):
                        group.start_soon(create)
            finally:
                self.creating = False
                for waiter in self._waits.values():
                    waiter.wake()

        async def waiters() -> None:
            try:
                async with _compat.TaskGroup(on_error=self.stop) as group:
                    for waiter in self._waits.values():
                        group.start_soon(waiter.run)
            finally:
                finished.close()
                for estimator in self._estimators.values():
                    estimator.stopped = True  # a history read ends with its page

        async def download() -> None:
            while not self.stopped and (item := await finished.get()) is not None:
                await self._finish(*item)

        with finished:
            async with _compat.TaskGroup(on_error=self.stop) as group:
                # The account's history, read beside the creates and polls (``_history``).
                for estimator in self._estimators.values():
                    group.start_soon(estimator.refresh)
                group.start_soon(creators)
                group.start_soon(waiters)
                for _ in range(_DOWNLOADERS):
                    group.start_soon(download)
        # What this run's tasks took, for the next estimates: one write for the run.
        histories = {id(e.history): e.history for e in self._estimators.values()}
        for history in histories.values():
            await _compat.run_blocking(history.save)
        left = [item.job for item in self.unsettled.values()] + self.not_started
        return sorted(left, key=_line)

    async def _create(self, job: Job, attempt: int, limit: AdaptiveLimit) -> _Tracked | None:
        """Create (or adopt) the task of one job; None when it was not made."""
        params = {**job.create_params, "external_task_id": job.external_id(attempt)}
        resource = resource_of(self.client, _row(job))
        outcome = await create_paced(resource, params, None, limit)
        if not isinstance(outcome, KlingError):
            return await self._submitted(_Tracked(job, attempt, outcome, adopted=False))
        if isinstance(outcome, DuplicateTaskError):
            # The id encodes the job, so the task Kling already has under it IS this job's task
            # (made by an earlier or a concurrent run): adopting it is what makes a rerun
            # resume instead of paying twice. Nowhere else may a taken id be trusted so.
            try:
                task = await outcome.fetch()
            except KlingError as exc:
                await self._settle_uncreated(job, attempt, exc)
                return None
            return await self._submitted(_Tracked(job, attempt, task, adopted=True))
        await self._settle_uncreated(job, attempt, outcome)
        return None

    async def _submitted(self, item: _Tracked) -> _Tracked:
        self._count("submitted")
        estimator = self._estimators.get(_group(item.job))
        if estimator is not None:
            estimator.remember(item.task)
        await self.notify()
        return item

    async def _settle_uncreated(self, job: Job, attempt: int, error: KlingError) -> None:
        result = JobResult(
            line=job.line,
            job=job.spec,
            status="not_created",
            job_id=job.external_id(),
            external_task_id=job.external_id(attempt),
            attempt=attempt,
            message=str(error),
        )
        if isinstance(error, APIConnectionError) and self.unreachable is None:
            self.unreachable = error
        if not isinstance(error, (RateLimitError, APIConnectionError, BudgetExceededError)):
            # Kling refused it for good (a content policy, a bad input): settled. A throttled
            # or unreachable create is not, nor one over max_units: the next run tries it.
            result = replace(result, status="failed")
            self._count("failed", "refused")
            await _compat.run_blocking(self.manifest.append, result.to_json())
        self.results.append(result)
        await self.notify()

    async def _finish(self, item: _Tracked, task: AnyAsyncTask) -> None:
        estimator = self._estimators.get(_group(item.job))
        if estimator is not None:
            await estimator.finished(task, save=False)
        urls = task.result_urls()
        files: list[str] = []
        message = task.task_status_msg or None
        if task.is_succeeded:
            self._count("succeeded")
            try:
                targets = plan_targets(task.task_id, urls, self.out)
                for url, target in zip(urls, targets, strict=True):
                    # A result on disk (from an earlier run) is not fetched again, unless it
                    # is not the media it should be (an older version saved error pages).
                    if not await _compat.run_blocking(file_is_media, target):
                        await self.client.download(url, target)
                    files.append(target.name)
                self._count("downloaded")
            except KlingError as exc:
                message = f"download failed: {exc}; the next run downloads it again"
                files = []
        else:
            self._count("failed")
        result = JobResult(
            line=item.job.line,
            job=item.job.spec,
            status="succeeded" if task.is_succeeded else "failed",
            job_id=item.job.external_id(),
            external_task_id=item.job.external_id(item.attempt),
            attempt=item.attempt,
            task_id=task.task_id,
            message=message,
            urls=tuple(urls),
            files=tuple(files) if len(files) == len(urls) else (),
            units_charged=task.units_charged,
            adopted=item.adopted,
            units_quoted=quoted_units(item.job),
        )
        await _compat.run_blocking(self.manifest.append, result.to_json())
        self.results.append(result)
        self.unsettled.pop(task.task_id, None)
        await self.notify()


class _Waiter:
    """Waits for the tasks of one family (or of the new standard) as they are created.

    One subscription of the family's shared poller that grows with each task created, so a
    thousand tasks cost what one batch wait costs. While it has nothing to wait for, it sleeps
    on an event that the creators set when they add a task or finish.
    """

    def __init__(
        self,
        run: _Run,
        resource: Any,
        schedule: Schedule,
        deadline: float | None,
        unreachable_timeout: float | None,
        finished: _compat.Queue[tuple[_Tracked, AnyAsyncTask]],
    ) -> None:
        self._run = run
        self._finished = finished
        self._items: dict[str, _Tracked] = {}
        self._subscription: AsyncSubscription = resource._poller().subscribe(
            [], schedule, deadline, unreachable_timeout=unreachable_timeout
        )
        self._added = _compat.Event()

    async def add(self, item: _Tracked) -> None:
        """Wait for ``item``'s task too (an adopted task may have finished already)."""
        if item.task.is_finished:
            await self._finished.put((item, item.task))
            return
        self._items[item.task.task_id] = item
        self._subscription.add([item.task])
        self.wake()

    def wake(self) -> None:
        self._added.set()

    def end(self) -> None:
        self._subscription.expire()
        self.wake()

    async def run(self) -> None:
        subscription = self._subscription
        try:
            while not self._run.stopped:
                if not subscription.pending:
                    if not self._run.creating:
                        return
                    added = self._added
                    await added.wait()
                    if self._added is added:  # events fire once: the next wait needs a new one
                        self._added = _compat.Event()
                    continue
                updates = await subscription.next()
                if not updates:  # the run's timeout passed, or it stopped
                    return
                for task_id, state in updates:
                    subscription.discard(task_id)
                    item = self._items.pop(task_id)
                    if isinstance(state, APIConnectionError):
                        # Kling out of reach for unreachable_timeout: the same for every
                        # task, so the run stops waiting (the report says so, and the next
                        # run adopts the tasks, which go on at Kling).
                        self._run.lost(state)
                    elif isinstance(state, KlingError):
                        # A poll Kling refused: the task goes on, the next run adopts it.
                        logger.warning("batch: line %d left unsettled: %s", item.job.line, state)
                    elif state.is_finished:
                        await self._finished.put((item, state))
        finally:
            subscription.close()


def _group(job: Job) -> str:
    """Which waiter waits for a job's task: the one of its row's source (its family's, or
    ``/tasks`` for every new-standard product)."""
    return _row(job).source


def _row(job: Job) -> TaskRow:
    assert job.row is not None, "jobs come from parse_jobs, which resolves their row"
    return job.row


def _line(job: Job) -> int:
    return job.line
