"""``kling archive DIR``: the SDK's ``client.archive``, with live progress.

The command adds no logic of its own: the lists, resume, checks and manifest are the SDK's. It
shows a progress bar on stderr (a terminal only), prints what it saved, warns about tasks Kling
deletes soon, and ends as every command does (exit 1 with ``{"error": ...}`` under ``--json``
when a file could not be saved, the summary under ``"summary"`` either way).
"""

from __future__ import annotations

import shlex
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._account import parse_time
from ._errors import CliError, Interrupted
from ._groups import KlingCommand
from ._lazy import add_function_lazily
from ._live import LiveBar, duration
from ._output import err_console, out_console, print_json
from ._state import get_state

if TYPE_CHECKING:
    from kling import ArchiveProgress, ArchiveReport

__all__ = ["archive", "register"]

_EXAMPLES = (
    "Examples:\n\n"
    "  kling archive backup/\n\n"
    "  kling archive backup/ --since 7d --family text-to-video --family images\n\n"
    "  kling archive backup/ --json\n\n"
    "Kling deletes results 30 days after generation: run it at least every few weeks (a cron "
    "job does); each run saves only what is new."
)


def archive(
    ctx: typer.Context,
    directory: Annotated[
        Path,
        typer.Argument(
            file_okay=False,
            metavar="DIR",
            help="Where the files and archive.jsonl go (created if missing).",
            show_default=False,
        ),
    ],
    since: Annotated[
        str | None,
        typer.Option(
            metavar="AGE",
            help="Only tasks created in the last AGE (30d, 12h, 2w) or since an ISO date.",
            show_default=False,
        ),
    ] = None,
    family: Annotated[
        list[str] | None,
        typer.Option(
            "--family",
            metavar="NAME",
            help="Only this family's list (repeatable); v2 for the new standard's tasks. "
            "Default: every family that makes files, and v2 with an API key.",
            show_default=False,
        ),
    ] = None,
    concurrency: Annotated[int, typer.Option(min=1, help="Downloads at once.")] = 4,
    warn_days: Annotated[
        float,
        typer.Option(min=0, help="Warn about tasks Kling deletes within this many days."),
    ] = 3.0,
    verify_hashes: Annotated[
        bool,
        typer.Option(
            "--verify-hashes",
            help="Check the files of earlier runs by their SHA-256, not only their size and "
            "first bytes.",
        ),
    ] = False,
) -> None:
    """Save the results of every finished task on the account into DIR, before Kling deletes them.

    Reads every family's task list and the new standard's, and downloads each result file
    that DIR does not hold yet, oldest first. A file counts only once it is whole and checked;
    archive.jsonl gets a line for it then. Run the same command again, after a crash too: it
    saves only what is missing, and fetches again a file that was damaged.
    """
    state = get_state(ctx)
    client = state.client()
    display = ArchiveDisplay(enabled=not state.json)
    resume = shlex.join(["kling", "archive", str(directory), *_options(since, family)])
    try:
        with display, state.showing(display):
            report = client.archive(
                directory,
                since=_since(since),
                families=[name.replace("-", "_") for name in family] if family else None,
                concurrency=concurrency,
                warn_days=warn_days,
                verify="sha256" if verify_hashes else "size",
                on_progress=display.update,
            )
    except KeyboardInterrupt:
        raise Interrupted(
            f"Interrupted: the files saved so far are recorded in {directory / 'archive.jsonl'}; "
            "run the same command again to go on (nothing is fetched twice)",
            details={"resume": resume},
        ) from None
    _end(report, resume, json=state.json)


def _since(text: str | None) -> timedelta | datetime | None:
    """An age (the SDK reads it) or an ISO date."""
    if text is None:
        return None
    from kling._archive import parse_age

    try:
        return parse_age(text)
    except ValueError:
        pass
    try:
        return parse_time(text, "--since")
    except typer.BadParameter:
        raise typer.BadParameter(
            f"expected an age such as 30d, 12h or 2w, or an ISO date such as 2025-01-31; "
            f"got {text!r}",
            param_hint="'--since'",
        ) from None


def _options(since: str | None, family: list[str] | None) -> list[str]:
    words = ["--since", since] if since else []
    for name in family or ():
        words += ["--family", name]
    return words


class ArchiveIncomplete(CliError):
    """A run that ended with files not saved (exit 1)."""


def _end(report: ArchiveReport, resume: str, *, json: bool) -> None:
    summary = report.summary()
    if not json:
        _print_summary(report)
    errors = err_console()
    for note in report.notes:
        errors.print(f"Note: {note}", markup=False)
    _print_expiring(report)
    for failure in report.failures[:10]:
        task = f"task {failure.task_id} ({failure.source})" if failure.task_id else failure.source
        errors.print(f"{task}: {failure.message}", markup=False)
    if len(report.failures) > 10:
        errors.print(f"... and {len(report.failures) - 10} more", markup=False)
    if report.ok:
        if json:
            print_json(summary)
        return
    raise ArchiveIncomplete(
        f"{len(report.failures)} of the lists or files could not be saved (see above); run the "
        "same command again to fetch them",
        details={"summary": summary, "resume": resume},
    )


def _print_summary(report: ArchiveReport) -> None:
    already = f"; {report.skipped} already there" if report.skipped else ""
    out_console().print(
        f"Saved {len(report.saved)} files ({_size(report.bytes_saved)}) of {report.tasks} "
        f"finished tasks into {report.directory}{already}; manifest: {report.manifest}",
        markup=False,
    )


def _print_expiring(report: ArchiveReport) -> None:
    """Tasks Kling deletes soon, on stderr: those not saved first, by name."""
    if not report.expiring:
        return
    unsaved = [task for task in report.expiring if not task.saved]
    errors = err_console()
    errors.print(
        f"Warning: Kling deletes {len(report.expiring)} of these tasks within days (30 days "
        f"after generation); {len(report.expiring) - len(unsaved)} are saved here"
        + (f", {len(unsaved)} are NOT:" if unsaved else "."),
        style="yellow",
        markup=False,
    )
    for task in unsaved[:10]:
        errors.print(
            f"  task {task.task_id} ({task.source}), deleted about "
            f"{task.deletes_at:%Y-%m-%d %H:%M} UTC: run the archive again soon",
            style="yellow",
            markup=False,
        )


def _size(count: int) -> str:
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"  # pragma: no cover - the loop returns


class ArchiveDisplay(LiveBar["ArchiveProgress"]):
    """Live progress on stderr while an archive runs: the lists being read, then a bar of the
    files settled, the counts and the bytes saved."""

    noun = "files"
    starting = "reading the lists"

    def counts(self, progress: ArchiveProgress) -> str:
        if progress.total is None:
            return f"reading the lists: {progress.listing or ''} ({progress.tasks} tasks found)"
        eta = progress.eta
        return (
            f"[green]saved {progress.saved}[/green]  skipped {progress.skipped}  "
            f"[red]failed {progress.failed}[/red]  {_size(progress.bytes)}"
            + (f"  ETA {duration(eta)}" if eta else "")
        )


def register(app: typer.Typer) -> None:
    """Add ``kling archive`` to ``app``."""
    add_function_lazily(
        app, "archive", archive, cls=KlingCommand, epilog=_EXAMPLES, panel="Tasks and account"
    )
