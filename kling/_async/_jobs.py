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
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kling import _compat_async as _compat

from .._errors import (
    APIConnectionError,
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
    jobs_from,
    load_jobs,
    manifest_line,
)
from .._jobs import read_manifest as _read_manifest
from .._logging import logger
from .._paths import plan_targets
from .._polling import DEFAULT_POLL_INTERVAL, Schedule
from ._batch import check_concurrency

if TYPE_CHECKING:
    from ._client import AsyncKlingClient
    from ._poller import AsyncSubscription
    from ._task import AnyAsyncTask

__all__ = ["AsyncBatch"]

_DOWNLOADERS = 4
#: Jobs per chunk of creates, per unit of concurrency: enough to keep every create slot busy,
#: few enough that waiting (and downloading) starts soon.
_CHUNK_PER_SLOT = 4
#: A batch runs overnight: it rides out a longer outage than a single wait does.
_UNREACHABLE = 300.0


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
        unreachable_timeout: float | None = _UNREACHABLE,
        on_progress: Callable[[BatchProgress], Any] | None = None,
    ) -> BatchReport:
        """Run ``jobs`` (a ``.jsonl``/``.csv`` file, or dicts shaped like its lines) into
        ``output_dir``, whose ``manifest.jsonl`` records each job as it settles.

        Every job is validated first (a bad one raises naming its line, and nothing is
        created). Jobs the manifest shows settled are skipped, and failed ones too unless
        ``retry_failed`` (a new attempt, so a new task). ``namespace`` sets apart runs of the
        same jobs; ``shard`` (``"i/N"``) takes a share of them, for several machines.
        ``timeout`` bounds the wait (None: until every task finishes); jobs still running then
        are in ``report.pending``, and the next run picks them up.
        """
        started = time.monotonic()
        check_concurrency(concurrency)
        out = Path(output_dir)
        batch = await _compat.run_blocking(_load, jobs, family, namespace)
        if shard is not None:
            taken = shard if isinstance(shard, Shard) else Shard.parse(shard)
            batch = [job for job in batch if taken.takes(job)]
        await _compat.run_blocking(self._validate, batch)
        await _compat.run_blocking(functools.partial(out.mkdir, parents=True, exist_ok=True))
        manifest = _Manifest(out / MANIFEST)
        plan = _plan(batch, await _compat.run_blocking(manifest.open), out, retry_failed)
        progress = BatchProgress(total=len(batch), skipped=len(plan.done))
        run = _Run(self._client, out, manifest, progress, on_progress)
        await run.notify()
        pending = await run.go(plan.todo, concurrency, timeout, unreachable_timeout)
        by_line = {r.line: r for r in [*plan.done, *run.results]}
        results = [by_line[job.line] for job in batch if job.line in by_line]
        return BatchReport(results, pending, time.monotonic() - started)

    def _validate(self, batch: Sequence[Job]) -> None:
        """Every job's body, before anything is created: the first bad one raises, with its line."""
        from .._families import FAMILIES, PRODUCTS
        from .._params import prepare_body
        from .._params._validate import prepare_standard_body

        for job in batch:
            try:
                if job.standard == "new":
                    assert job.model is not None
                    prepare_standard_body(PRODUCTS[job.name], job.model, job.params)
                else:
                    prepare_body(FAMILIES[job.name], job.params)
            except InvalidParameterError as exc:
                raise InvalidParameterError(
                    f"line {job.line}: {exc}; nothing was created", field=exc.field
                ) from None

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


class _Manifest:
    """``manifest.jsonl``: one line per settled job, appended and flushed to disk at once."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def open(self) -> dict[str, ManifestEntry]:
        """What earlier runs recorded. A last line that a crash cut short gets its newline, so
        that the next line appended does not run into it (and get lost with it)."""
        entries = _read_manifest(self.path)
        try:
            with self.path.open("rb") as file:
                size = file.seek(0, os.SEEK_END)
                file.seek(max(0, size - 1))
                last = file.read(1)
        except FileNotFoundError:
            return entries
        if last not in (b"", b"\n"):
            self._write(b"\n")
        return entries

    def append(self, result: JobResult) -> None:
        self._write(manifest_line(result).encode("utf-8"))

    def _write(self, data: bytes) -> None:
        # One write of a whole line with O_APPEND: concurrent runs never interleave a line.
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
            os.fsync(fd)  # a crash after this loses nothing that was settled
        finally:
            os.close(fd)


@dataclass
class _Tracked:
    job: Job
    attempt: int
    task: AnyAsyncTask
    adopted: bool


class _Run:
    """The state of one run: creates, waits, downloads, manifest lines.

    Tasks are created a chunk at a time and each chunk is waited for as soon as it exists, so
    results download (and the manifest grows) while later jobs are still being created: a
    batch larger than the account's task slots keeps moving, and a crash loses little.
    """

    def __init__(
        self,
        client: AsyncKlingClient,
        out: Path,
        manifest: _Manifest,
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
        self.stopped = False
        self._waits: set[AsyncSubscription] = set()

    async def notify(self) -> None:
        if self.on_progress is not None:
            await _compat.call(self.on_progress, self.progress)

    def stop(self) -> None:
        """Something failed (or the caller interrupted): start nothing more, end every wait.

        The async twin cancels its tasks anyway; the sync twin's threads cannot be cancelled,
        so they are told, and each returns within a poll interval.
        """
        self.stopped = True
        for subscription in list(self._waits):
            subscription.expire()

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

        async def download() -> None:
            while not self.stopped and (item := await finished.get()) is not None:
                await self._finish(*item)

        def waiter(items: list[_Tracked]) -> Callable[[], Any]:
            async def wait() -> None:
                await self._wait(items, schedule, deadline, unreachable_timeout, finished)

            return wait

        with finished:
            async with _compat.TaskGroup(on_error=self.stop) as downloads:
                for _ in range(_DOWNLOADERS):
                    downloads.start_soon(download)
                try:
                    async with _compat.TaskGroup(on_error=self.stop) as waits:
                        for chunk in _chunks(todo, concurrency * _CHUNK_PER_SLOT):
                            if self.stopped:
                                break
                            tracked = await self._create(chunk, concurrency)
                            waits.start_soon(waiter(tracked))
                finally:
                    finished.close()
        return [item.job for item in sorted(self.unsettled.values(), key=_line)]

    async def _create(self, chunk: list[tuple[Job, int]], concurrency: int) -> list[_Tracked]:
        """Create (or adopt) a task per job of one chunk (all of one family / product, model)."""
        first = chunk[0][0]
        items = [{**job.params, "external_task_id": job.external_id(n)} for job, n in chunk]
        if first.standard == "new":
            resource: Any = getattr(self.client.v2, first.name)
            created = await resource.create_many(items, model=first.model, concurrency=concurrency)
        else:
            resource = getattr(self.client, first.name)
            created = await resource.create_many(items, concurrency=concurrency)
        tracked: list[_Tracked] = []
        for (job, attempt), outcome in zip(chunk, created, strict=True):
            item = await self._adopt(job, attempt, outcome)
            if item is not None:
                self.unsettled[item.task.task_id] = item
                tracked.append(item)
        return tracked

    async def _adopt(self, job: Job, attempt: int, outcome: Any) -> _Tracked | None:
        if not isinstance(outcome, KlingError):
            self.progress.submitted += 1
            await self.notify()
            return _Tracked(job, attempt, outcome, adopted=False)
        if isinstance(outcome, DuplicateTaskError):
            # The id encodes the job, so the task Kling already has under it IS this job's task
            # (made by an earlier or a concurrent run): adopting it is what makes a rerun
            # resume instead of paying twice. Nowhere else may a taken id be trusted so.
            try:
                task = await outcome.fetch()
            except KlingError as exc:
                await self._settle_uncreated(job, attempt, exc)
                return None
            self.progress.submitted += 1
            await self.notify()
            return _Tracked(job, attempt, task, adopted=True)
        await self._settle_uncreated(job, attempt, outcome)
        return None

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
        if not isinstance(error, (RateLimitError, APIConnectionError)):
            # Kling refused it for good (a content policy, a bad input): settled. A throttled
            # or unreachable create is not: the next run tries it again.
            result = replace(result, status="failed")
            self.progress.failed += 1
            self.progress.refused += 1
            await _compat.run_blocking(self.manifest.append, result)
        self.results.append(result)
        await self.notify()

    async def _wait(
        self,
        items: list[_Tracked],
        schedule: Schedule,
        deadline: float | None,
        unreachable_timeout: float | None,
        finished: _compat.Queue[tuple[_Tracked, AnyAsyncTask]],
    ) -> None:
        """Hand each task of ``items`` to the downloaders as it finishes."""
        if self.stopped or not items:
            return
        for item in items:
            if item.task.is_finished:
                await finished.put((item, item.task))
        waiting = [item for item in items if not item.task.is_finished]
        if not waiting:
            return
        by_id = {item.task.task_id: item for item in waiting}
        resource = self._resource(waiting[0].job)
        # The family's shared poller: every chunk's wait is served by the same list queries.
        subscription = resource._poller().subscribe(
            [item.task for item in waiting],
            schedule,
            deadline,
            unreachable_timeout=unreachable_timeout,
        )
        self._waits.add(subscription)
        try:
            while subscription.pending and not self.stopped:
                updates = await subscription.next()
                if not updates:  # the run's timeout passed, or it stopped
                    break
                for task_id, state in updates:
                    subscription.discard(task_id)
                    if isinstance(state, KlingError):
                        # Unreachable for too long, or a poll Kling refused: the task goes
                        # on at Kling, and the next run adopts it.
                        logger.warning(
                            "batch: line %d left unsettled: %s", by_id[task_id].job.line, state
                        )
                    elif state.is_finished:
                        await finished.put((by_id[task_id], state))
        finally:
            self._waits.discard(subscription)
            subscription.close()

    def _resource(self, job: Job) -> Any:
        if job.standard == "new":
            return self.client.v2.tasks
        return getattr(self.client, job.name)

    async def _finish(self, item: _Tracked, task: AnyAsyncTask) -> None:
        urls = task.result_urls()
        files: list[str] = []
        message = task.task_status_msg or None
        if task.is_succeeded:
            self.progress.succeeded += 1
            try:
                targets = plan_targets(task.task_id, urls, self.out)
                for url, target in zip(urls, targets, strict=True):
                    # A result on disk (from an earlier run) is not fetched again.
                    if not target.is_file():
                        await self.client.download(url, target)
                    files.append(target.name)
                self.progress.downloaded += 1
            except KlingError as exc:
                message = f"download failed: {exc}; the next run downloads it again"
                files = []
        else:
            self.progress.failed += 1
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
        )
        await _compat.run_blocking(self.manifest.append, result)
        self.results.append(result)
        self.unsettled.pop(task.task_id, None)
        await self.notify()


def _line(item: _Tracked) -> int:
    return item.job.line


def _chunks(todo: list[tuple[Job, int]], size: int) -> Iterator[list[tuple[Job, int]]]:
    """``todo`` in chunks of at most ``size`` jobs of one family / product and model each,
    the groups in the order of their first job."""
    groups: dict[tuple[str, str, str | None], list[tuple[Job, int]]] = {}
    for job, attempt in todo:
        groups.setdefault((job.standard, job.name, job.model), []).append((job, attempt))
    for members in groups.values():
        for start in range(0, len(members), size):
            yield members[start : start + size]
