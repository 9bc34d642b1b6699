"""``client.archive(DIR)``: save the results of every finished task on the account, before Kling
deletes them (30 days after generation; see ``kling/_archive.py``).

A run reads every legacy family's list and the new standard's ``POST /tasks`` (which shows
legacy tasks too: a task is saved once, under the list that showed it first), then downloads,
oldest first, each result file that ``archive.jsonl`` does not hold yet. A file is downloaded to
a hidden name (by the download code, itself through a temporary file), checked, renamed, and only
then recorded: a run killed at any point leaves no file that counts without being whole, and the
next run fetches exactly what is missing. Files an earlier run recorded are checked (size and
leading bytes, or their SHA-256) and fetched again if they changed.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from typing_extensions import TypedDict

from kling import _compat_async as _compat

from .._archive import (
    ARCHIVE_MANIFEST,
    ArchivedFile,
    ArchiveFailure,
    ArchiveProgress,
    ArchiveReport,
    BadFile,
    ExpiringTask,
    Verify,
    check_saved,
    deletion_time,
    parse_age,
    still_good,
)
from .._errors import AuthenticationError, InvalidParameterError, KlingAPIError, KlingError
from .._logging import logger
from .._manifest import ManifestFile
from .._paths import plan_targets
from .._rows import NEW_STANDARD
from ._batch import check_concurrency

if TYPE_CHECKING:
    from ._client import AsyncKlingClient
    from ._task import AnyAsyncTask

__all__ = ["ArchiveOptions", "archive", "archive_sources"]

#: Result kinds whose tasks leave files to save (elements and voices leave none).
_FILE_RESULTS = ("videos", "images", "audios", "video_audios")
_V2_PAGE_SIZE = 500


class ArchiveOptions(TypedDict, total=False):
    """What ``client.archive`` takes besides the directory."""

    since: datetime | timedelta | str | None
    """Only tasks created since then: a datetime, or an age (``timedelta``, ``"30d"``,
    ``"12h"``). Default: every task the lists show (Kling keeps them 30 days)."""
    families: Iterable[str] | None
    """Only these lists: legacy family names (``text_to_video``) and ``"v2"`` for the new
    standard's ``/tasks``. Default: every family that makes files, and ``/tasks`` when the
    client has an API key."""
    concurrency: int
    """Downloads at once (default 4)."""
    warn_days: float
    """Warn about tasks Kling deletes within this many days (default 3)."""
    verify: Verify
    """How files of earlier runs are checked: ``"size"`` (size and leading bytes, the default)
    or ``"sha256"`` (their whole content)."""
    on_progress: Callable[[ArchiveProgress], Any] | None
    """Called with the run's :class:`ArchiveProgress` after every change. If it
    raises, no new download starts; those in flight finish and are recorded, and the error is
    raised: the next run goes on from there."""


def archive_sources(client: AsyncKlingClient, families: Iterable[str] | None) -> list[str]:
    """The lists a run reads, in order; a name that is none raises before anything is sent."""
    from .._families import FAMILIES

    if families is None:
        names = [name for name, row in FAMILIES.items() if row.result in _FILE_RESULTS]
        return names + ([NEW_STANDARD] if client._auth_v2 is not None else [])
    if isinstance(families, str):
        families = [families]
    names = []
    for family in families:
        name = str(family).strip().lower().replace("-", "_")
        if name not in FAMILIES and name != NEW_STANDARD:
            raise InvalidParameterError(
                f"unknown family {family!r}; one of: {', '.join([*FAMILIES, NEW_STANDARD])}",
                field="families",
            )
        if name not in names:
            names.append(name)
    if NEW_STANDARD in names:
        client._v2_auth()  # no API key: refused now, with what to do
    return names


async def archive(
    client: AsyncKlingClient,
    directory: str | os.PathLike[str],
    *,
    since: datetime | timedelta | str | None = None,
    families: Iterable[str] | None = None,
    concurrency: int = 4,
    warn_days: float = 3.0,
    verify: Verify = "size",
    on_progress: Callable[[ArchiveProgress], Any] | None = None,
) -> ArchiveReport:
    """Save every finished task's result files into ``directory`` (see :class:`ArchiveOptions`)."""
    started = time.monotonic()
    check_concurrency(concurrency)
    if verify not in ("size", "sha256"):
        raise InvalidParameterError(
            f"verify must be 'size' or 'sha256', got {verify!r}", field="verify"
        )
    if isinstance(warn_days, bool) or not isinstance(warn_days, (int, float)) or warn_days < 0:
        raise InvalidParameterError(
            f"warn_days must be a number of days >= 0, got {warn_days!r}", field="warn_days"
        )
    now = datetime.fromtimestamp(_compat.wall_clock(), tz=timezone.utc)
    cutoff = _cutoff(since, now)
    sources = archive_sources(client, families)
    notes = []
    if families is None and NEW_STANDARD not in sources:
        notes.append(
            "the new standard's tasks (/tasks) were not read: they need an API key "
            "(api_key= or KLING_API_KEY)"
        )
    out = Path(directory)
    await _compat.run_blocking(functools.partial(out.mkdir, parents=True, exist_ok=True))
    run = _Run(client, out, ManifestFile(out / ARCHIVE_MANIFEST), on_progress)
    archived = await _compat.run_blocking(run.open)
    found = await run.find(sources, cutoff, now)
    todo = await _compat.run_blocking(run.plan, found, archived, verify)
    await run.save(todo, concurrency)
    expiring = _expiring(found, run.complete, now, warn_days)
    _warn(expiring, out, warn_days)
    if run.error is not None:
        raise run.error
    return ArchiveReport(
        directory=out,
        tasks=len(found),
        saved=sorted(run.saved, key=_file_order),
        skipped=run.progress.skipped,
        failures=run.failures,
        expiring=expiring,
        notes=notes,
        wall_time=time.monotonic() - started,
    )


def _cutoff(since: datetime | timedelta | str | None, now: datetime) -> datetime | None:
    if since is None:
        return None
    if isinstance(since, str):
        since = parse_age(since)
    if isinstance(since, timedelta):
        return now - since
    if isinstance(since, datetime):
        return since if since.tzinfo else since.astimezone()
    raise InvalidParameterError(
        f"since must be a datetime, a timedelta or an age such as '30d', got {since!r}",
        field="since",
    )


@dataclass(frozen=True)
class _Found:
    """A finished task with result files, and the list that showed it."""

    source: str
    task: AnyAsyncTask


@dataclass(frozen=True)
class _Planned:
    """A result file to download."""

    found: _Found
    index: int
    url: str
    target: Path


class _Run:
    """The state of one run: what was found, saved and recorded."""

    def __init__(
        self,
        client: AsyncKlingClient,
        out: Path,
        manifest: ManifestFile,
        on_progress: Callable[[ArchiveProgress], Any] | None,
    ) -> None:
        self.client = client
        self.out = out
        self.manifest = manifest
        self.on_progress = on_progress
        self.progress = ArchiveProgress()
        self.saved: list[ArchivedFile] = []
        self.failures: list[ArchiveFailure] = []
        #: (task_id, index) of every file in the archive: recorded earlier, or saved now.
        self.complete: set[tuple[str, int]] = set()
        self.stopped = False
        #: What the caller's callback raised: no new download starts, and the run raises it.
        self.error: BaseException | None = None
        self._lock = threading.Lock()

    def open(self) -> dict[tuple[str, int], ArchivedFile]:
        """What earlier runs recorded: the last line per file."""
        archived: dict[tuple[str, int], ArchivedFile] = {}
        for record in self.manifest.open():
            saved = ArchivedFile.from_json(record)
            if saved is not None:
                archived[saved.key] = saved
        return archived

    async def notify(self) -> None:
        if self.on_progress is None or self.stopped:
            return
        try:
            await _compat.call(self.on_progress, self.progress)
        except Exception as exc:  # the caller's callback: stop handing out new work
            self.stopped = True
            self.error = exc

    # -- listing ---------------------------------------------------------------------------------

    async def find(
        self, sources: Sequence[str], cutoff: datetime | None, now: datetime
    ) -> dict[str, _Found]:
        """Every finished task with result files in ``sources``, by id (the first list wins)."""
        found: dict[str, _Found] = {}
        if cutoff is not None and cutoff >= now:
            return found  # nothing was made in the future (and /tasks refuses such a window)
        for source in sources:
            self.progress.listing = source
            await self.notify()
            if self.stopped:
                break
            try:
                async for task in self._finished(source, cutoff):
                    if task.task_id not in found and task.result_urls():
                        found[task.task_id] = _Found(source, task)
                        self.progress.tasks = len(found)
            except AuthenticationError:
                raise
            except KlingAPIError as exc:
                # One list refused (a family the account cannot use): the others go on.
                self.failures.append(ArchiveFailure(source, f"could not list {source}: {exc}"))
        self.progress.listing = None
        return found

    async def _finished(self, source: str, cutoff: datetime | None) -> AsyncIterator[AnyAsyncTask]:
        """The succeeded tasks of one list created since ``cutoff``, newest first."""
        if source == NEW_STANDARD:
            listing = self.client.v2.tasks.list(
                status="succeeded", start_time=cutoff, page_size=_V2_PAGE_SIZE
            )
            async for task in listing:
                yield task
            return
        resource = getattr(self.client, source)
        async for page in resource.list(page_size=resource.row.max_page_size).iter_pages():
            older = 0
            for task in page:
                if cutoff is not None and task.created_at is not None and task.created_at < cutoff:
                    older += 1
                elif task.is_succeeded:
                    yield task
            if older == len(page):
                break  # newest first: every page further on is older still

    # -- planning --------------------------------------------------------------------------------

    def plan(
        self,
        found: Mapping[str, _Found],
        archived: Mapping[tuple[str, int], ArchivedFile],
        verify: Verify,
    ) -> list[_Planned]:
        """The files to download, oldest task first (the closest to deletion); the others are
        in the archive, whole."""
        todo: list[_Planned] = []
        skipped = 0
        for item in sorted(found.values(), key=_task_order):
            task = item.task
            urls = task.result_urls()
            for index, (url, target) in enumerate(
                zip(urls, plan_targets(task.task_id, urls, self.out), strict=True)
            ):
                saved = archived.get((task.task_id, index))
                if saved is not None and still_good(self.out / saved.file, saved, verify):
                    skipped += 1
                    self.complete.add(saved.key)
                else:
                    todo.append(_Planned(item, index, url, target))
        self.progress.total = skipped + len(todo)
        self.progress.skipped = skipped
        return todo

    # -- saving ----------------------------------------------------------------------------------

    async def save(self, todo: Sequence[_Planned], concurrency: int) -> None:
        """Download ``todo`` with ``concurrency`` workers, recording each file as it is saved."""
        await self.notify()
        items = iter(todo)

        async def worker() -> None:
            # next() on a shared iterator is atomic: two workers never take the same file.
            for item in items:
                if self.stopped:
                    return
                await self._save(item)
                await self.notify()

        if todo and not self.stopped:
            try:
                await _compat.run_workers(worker, min(concurrency, len(todo)))
            except BaseException:
                # Ctrl-C, or a failure of our own: the sync twin's threads cannot be
                # cancelled, so tell them to take no more files.
                self.stopped = True
                raise

    async def _save(self, item: _Planned) -> None:
        task = item.found.task
        # Hidden until checked: a file under its final name is always whole.
        hidden = item.target.with_name(f".{item.target.name}.archiving")
        try:
            from ._download import download_url  # with the first download

            await download_url(self.client, item.url, hidden)
            size, sha256, kind = await _compat.run_blocking(check_saved, hidden)
            await _compat.run_blocking(os.replace, hidden, item.target)
            saved = ArchivedFile(
                task_id=task.task_id,
                index=item.index,
                source=item.found.source,
                file=item.target.name,
                size=size,
                sha256=sha256,
                kind=kind,
                url=item.url,
                created_at=task.created_at,
                archived_at=datetime.fromtimestamp(_compat.wall_clock(), tz=timezone.utc),
                external_task_id=task.external_task_id,
            )
            await _compat.run_blocking(self.manifest.append, saved.to_json())
        except (KlingError, BadFile) as exc:
            failure = ArchiveFailure(item.found.source, str(exc), task.task_id, item.url)
            logger.info("archive: %s of task %s not saved: %s", item.url, task.task_id, exc)
            with self._lock:
                self.failures.append(failure)
                self.progress.failed += 1
            return
        finally:
            hidden.unlink(missing_ok=True)
        with self._lock:
            self.saved.append(saved)
            self.complete.add(saved.key)
            self.progress.saved += 1
            self.progress.bytes += size


def _expiring(
    found: Mapping[str, _Found],
    complete: set[tuple[str, int]],
    now: datetime,
    warn_days: float,
) -> list[ExpiringTask]:
    horizon = now + timedelta(days=warn_days)
    expiring = []
    for task_id, item in found.items():
        deletes_at = deletion_time(item.task.created_at)
        if deletes_at is not None and deletes_at <= horizon:
            files = range(len(item.task.result_urls()))
            saved = all((task_id, index) in complete for index in files)
            expiring.append(ExpiringTask(task_id, item.source, deletes_at, saved))
    return sorted(expiring, key=lambda task: task.deletes_at)


def _warn(expiring: Sequence[ExpiringTask], out: Path, warn_days: float) -> None:
    if not expiring:
        return
    unsaved = [task for task in expiring if not task.saved]
    logger.warning(
        "%d finished task(s) will be deleted by Kling within %g days (the first on %s UTC); "
        "%d of them saved in %s%s",
        len(expiring),
        warn_days,
        f"{expiring[0].deletes_at:%Y-%m-%d %H:%M}",
        len(expiring) - len(unsaved),
        out,
        f", {len(unsaved)} NOT saved: run the archive again soon" if unsaved else "",
    )


def _task_order(item: _Found) -> tuple[float, str]:
    created = item.task.created_at
    return (created.timestamp() if created is not None else float("inf"), item.task.task_id)


def _file_order(saved: ArchivedFile) -> tuple[float, str, int]:
    created = saved.created_at
    return (created.timestamp() if created is not None else float("inf"), *saved.key)
