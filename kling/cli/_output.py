"""Everything the CLI shows: results on stdout, live status and progress bars on stderr.

Results (task summaries, tables, JSON) go to stdout so they can be piped; the live status line,
download progress and errors go to stderr. With ``--json`` stdout holds exactly one JSON
document and nothing animates.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from rich.live import Live
    from rich.progress import Progress
    from rich.spinner import Spinner

    from kling import Estimate, KlingClient, Task, TaskBase, V2Task, V2TaskBase

    AnyTask = TaskBase | V2TaskBase

__all__ = [
    "WaitDisplay",
    "download_all",
    "err_console",
    "format_time",
    "json_time",
    "out_console",
    "print_error",
    "print_json",
    "print_table",
    "print_task",
    "task_json",
]

_STATUS_STYLE = {"succeed": "green", "succeeded": "green", "failed": "red"}


def out_console() -> Console:
    """Console on stdout (resolved when printing, so redirected streams are honoured)."""
    return Console(highlight=False, soft_wrap=True)


def err_console() -> Console:
    """Console on stderr, for status, progress and errors."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def print_error(message: str) -> None:
    """``Error: <message>`` in red on stderr, on one line."""
    text = " ".join(message.split())
    err_console().print(f"[bold red]Error:[/bold red] {escape(text)}")


def print_json(data: Any) -> None:
    """One JSON document on stdout."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def format_time(moment: datetime | None) -> str:
    """A time as every table and message shows it: local date and time, to the second."""
    return "" if moment is None else f"{moment.astimezone():%Y-%m-%d %H:%M:%S}"


def json_time(moment: datetime) -> str:
    """A time in a JSON document: ISO 8601 in UTC, as the tasks' own times are dumped."""
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def task_json(task: AnyTask, files: Sequence[Path] | None = None) -> dict[str, Any]:
    """The task as the API returned it, plus ``files`` when results were downloaded."""
    data: dict[str, Any] = task.model_dump(mode="json")
    if files is not None:
        data["files"] = [str(path) for path in files]
    return data


def styled_status(status: str) -> str:
    return f"[{_STATUS_STYLE.get(status, 'yellow')}]{escape(status)}[/]"


def print_task(task: AnyTask, files: Sequence[Path] = ()) -> None:
    """A short human summary: id and status, result URLs, then the files written."""
    from kling import TaskBase

    console = out_console()
    console.print(f"Task {escape(task.task_id)}: {styled_status(task.task_status)}")
    if task.task_status_msg:
        console.print(f"  message: {escape(task.task_status_msg)}")
    for kind, url in result_links(task):
        console.print(f"  {kind}: {escape(url)}")
    if isinstance(task, TaskBase):  # new-standard tasks hold videos only, for now
        for voice in task.task_result.voices:
            voice_name = escape(str(voice.voice_name))
            console.print(f"  voice: {escape(str(voice.voice_id))} ({voice_name})")
        for element in task.task_result.elements:
            name = escape(str(element.element_name))
            console.print(f"  element: {escape(str(element.element_id))} ({name})")
    for path in files:
        console.print(f"Saved {escape(str(path))}")


def result_links(task: AnyTask) -> list[tuple[str, str]]:
    """``(kind, url)`` for every result file of a task."""
    links = [("video", v.url) for v in task.videos if v.url]
    links += [("image", url) for image in task.images for url in image.urls]
    for audio in task.audios:
        links += [
            (kind, url)
            for kind, url in (("audio", audio.url), ("mp3", audio.url_mp3), ("wav", audio.url_wav))
            if url
        ]
    return links


def print_table(
    title: str | None,
    columns: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    whole: Sequence[str] = (),
) -> None:
    """A rich table on stdout. The cells of the ``whole`` columns (URLs) are never folded:
    the table grows wider than the terminal instead, so each stays one string to copy."""
    rows = list(rows)
    table = Table(title=title, title_justify="left", header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold", no_wrap=column in whole)
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    console = out_console()
    if whole:
        widths = [
            max([len(column), *(len(line) for row in rows for line in row[i].splitlines())])
            for i, column in enumerate(columns)
        ]
        needed = sum(width + 3 for width in widths) + 1  # a space each side, and the rules
        console = Console(highlight=False, soft_wrap=True, width=max(console.width, needed))
    console.print(table, soft_wrap=False)


class WaitDisplay:
    """The live status line while waiting: spinner, status, elapsed seconds and the estimate
    of the time left from the account's own finished tasks (on stderr).

    On a terminal the line redraws in place and disappears at the end; elsewhere (CI logs,
    pipes) each status change is printed once. ``enabled=False`` (``--json``) shows nothing.
    While polls fail (:meth:`trouble`, fed by ``_logs``), the line says when the task was last
    seen and why it is not now; off a terminal that is printed once per outage, not per poll.
    """

    def __init__(self, label: str, task: AnyTask, *, enabled: bool = True) -> None:
        self._label = label
        self._enabled = enabled
        self._console = err_console()
        #: The last state Kling gave; what an interrupted wait reports.
        self.task = task
        self._printed: str | None = None
        self._start = time.monotonic()
        self._seen = self._start
        #: When Kling last answered about the task.
        self.seen_at = datetime.now(timezone.utc)
        self._trouble: str | None = None
        #: The estimate of the time left, as the line shows it (``""``: none yet).
        self._estimate = ""
        from rich.spinner import Spinner  # as rich.progress: not at every start-up

        self._spinner = Spinner("dots")
        self._live: Live | None = None

    @property
    def _status(self) -> str:
        return self.task.task_status

    def __enter__(self) -> WaitDisplay:
        self._start = self._seen = time.monotonic()
        if self._enabled and self._console.is_terminal:
            from rich.live import Live

            self._live = Live(
                self, console=self._console, refresh_per_second=8, transient=True
            ).__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._live is None:
            return
        self._live.__exit__(exc_type, exc, tb)
        self._live = None
        # The live line was transient: leave one line saying how it ended.
        elapsed = time.monotonic() - self._start
        self._console.print(
            f"{escape(self._label)}: {styled_status(self._status)} after {elapsed:.0f}s"
        )

    def update(self, task: AnyTask, elapsed: float, estimate: Estimate | None = None) -> None:
        """``on_progress`` for ``wait``: remember the state and the estimate of the time left
        (``~1m20s left``, ``no history``, ``slow``); off a terminal, print changes."""
        recovered = self._trouble is not None
        self.task, self._trouble = task, None
        self._estimate = "" if estimate is None or task.is_finished else estimate.short()
        self._seen, self.seen_at = time.monotonic(), datetime.now(timezone.utc)
        if not self._enabled or self._live is not None:
            return
        if self._status != self._printed or recovered:
            self._printed = self._status
            again = ", Kling answers again" if recovered else ""
            left = f", {self._estimate}" if self._estimate else ""
            self._console.print(
                f"{escape(self._label)}: {styled_status(self._status)} "
                f"({elapsed:.0f}s{left}{again})"
            )

    def trouble(self, reason: str) -> None:
        """A poll failed or is being retried: show when the task was last seen, and why."""
        first = self._trouble is None
        self._trouble = reason
        if self._enabled and self._live is None and first:
            self._console.print(
                f"{escape(self._label)}: {self._last_seen()} [dim]{escape(reason)}[/dim]"
            )

    def _last_seen(self) -> str:
        ago = time.monotonic() - self._seen
        return (
            f"{styled_status(self._status)}, last seen {format_time(self.seen_at)} "
            f"({ago:.0f}s ago);"
        )

    def __rich__(self) -> Spinner:
        elapsed = time.monotonic() - self._start
        left = f", {self._estimate}" if self._estimate else ""
        text = (
            f"{escape(self._label)}: {styled_status(self._status)} [dim]{elapsed:.0f}s{left}[/dim]"
        )
        if self._trouble is not None:
            text = f"{escape(self._label)}: {self._last_seen()} [dim]{escape(self._trouble)}[/dim]"
        self._spinner.update(text=text)
        return self._spinner


def download_all(
    client: KlingClient,
    downloads: Sequence[tuple[str, Path]],
    *,
    enabled: bool = True,
) -> list[Path]:
    """Download each ``(url, target)`` with its own progress bar on stderr; return the paths."""
    # Imported here: rich.progress costs every command's start-up, kling --help's too.
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    console = err_console()
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not (enabled and console.is_terminal),
    )
    paths = []
    with progress:
        for url, target in downloads:
            bar = progress.add_task(escape(target.name), total=None)
            paths.append(client.download(url, target, on_progress=_bar_hook(progress, bar)))
    return paths


def _bar_hook(progress: Progress, bar: Any) -> Callable[[int, int | None], None]:
    def hook(done: int, total: int | None) -> None:
        progress.update(bar, completed=done, total=total)

    return hook


def download_task(
    client: KlingClient, task: Task | V2Task, target: str, *, enabled: bool
) -> list[Path]:
    """Download every result file of ``task`` into directory ``target`` (or to one file).

    Files are named as ``task.download`` names them (``<task_id>-<n><ext>``).
    """
    from kling._paths import plan_targets

    urls = task.result_urls()
    targets = plan_targets(task.task_id, urls, target)
    return download_all(client, list(zip(urls, targets, strict=True)), enabled=enabled)
