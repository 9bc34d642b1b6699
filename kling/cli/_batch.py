"""``kling batch run JOBS -o DIR``: the SDK's ``client.batch.run``, with live progress.

The command adds no logic of its own: validation, ids, resume, shards and the manifest are the
SDK's. It shows progress on stderr (a terminal only), prints the summary, and ends as every
command does (exit 1 with ``{"error": ...}`` under ``--json`` when a job failed or is left for
the next run, the summary under ``"summary"`` either way).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kling._errors import InvalidParameterError, ServerUnreachableError
from kling._polling import DEFAULT_UNREACHABLE_TIMEOUT

from ._checks import check_directory
from ._errors import CliError, Interrupted
from ._groups import KlingCommand, KlingSubGroup
from ._lazy import add_typer_lazily
from ._live import LiveBar, duration
from ._output import err_console, out_console, print_json
from ._state import get_state

if TYPE_CHECKING:
    from kling import BatchProgress, BatchReport, JobResult

__all__ = ["group", "register"]

group = typer.Typer(
    cls=KlingSubGroup,
    help="Batch jobs from a JSONL or CSV file: resumable, each task created once, a manifest.",
    no_args_is_help=True,
)

_EXAMPLES = (
    "Examples:\n\n"
    "  kling batch run jobs.jsonl -o out/\n\n"
    "  kling batch run prompts.csv --family text-to-video -o out/ --json\n\n"
    "  kling batch run jobs.jsonl -o out/ --shard 0/2\n\n"
    "  kling batch run jobs.jsonl --dry-run\n\n"
    "  kling batch run jobs.jsonl -o out/ --max-units 500\n\n"
    'A JSONL line is a job: {"family": "text_to_video", "prompt": "a fox", "duration": "10"}, '
    'or {"product": "text_to_video", "model": "kling-3.0", "prompt": "a fox"} for the new '
    "standard."
)


@group.command("run", cls=KlingCommand, epilog=_EXAMPLES)
def run(
    ctx: typer.Context,
    jobs: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            help="The jobs: .jsonl (one job per line) or .csv (columns are parameters; --family).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            file_okay=False,
            help="Directory for the results and manifest.jsonl (created if missing); "
            "required unless --dry-run.",
            show_default=False,
        ),
    ] = None,
    family: Annotated[
        str | None,
        typer.Option(
            help="The family of every job of a CSV file (or of JSONL lines that name none).",
            show_default=False,
        ),
    ] = None,
    namespace: Annotated[
        str | None,
        typer.Option(
            help="Sets this run apart from earlier runs of the same jobs: new ids, new tasks.",
            show_default=False,
        ),
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option(
            metavar="I/N",
            help="Take share I of N (0/2 here, 1/2 on another machine); the shares cover "
            "every job once.",
            show_default=False,
        ),
    ] = None,
    retry_failed: Annotated[
        bool,
        typer.Option(
            "--retry-failed", help="Try the jobs that failed in an earlier run again (new tasks)."
        ),
    ] = False,
    concurrency: Annotated[
        int, typer.Option(min=1, help="Creates in flight at once (fewer when Kling throttles).")
    ] = 16,
    wait_timeout: Annotated[
        float | None,
        typer.Option(
            "--wait-timeout",
            metavar="SECONDS",
            min=0,
            help="Stop waiting after this long (default: until every job settles); the jobs "
            "still running are picked up by the next run.",
            show_default=False,
        ),
    ] = None,
    max_units: Annotated[
        float | None,
        typer.Option(
            "--max-units",
            metavar="UNITS",
            min=0,
            help="Refuse to start when the jobs cost more units (all packages, at Kling's list "
            "prices; earlier runs' tasks count), and never create past it.",
            show_default=False,
        ),
    ] = None,
    allow_unpriced: Annotated[
        bool,
        typer.Option(
            "--allow-unpriced",
            help="With --max-units: run jobs that have no published price too (they count "
            "once Kling reports their charge).",
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Check every job and print what the run would cost, per family and model, "
            "at Kling's list prices; create nothing (no credentials needed).",
        ),
    ] = False,
) -> None:
    """Run every job of JOBS into DIR: run the same command again to resume.

    Every job is checked before the first task is created. Each job's external_task_id comes
    from its content, so a rerun (after a crash, on another machine, or at the same time)
    adopts the tasks that exist instead of paying for them again, and skips results on disk.
    """
    state = get_state(ctx)
    if dry_run:
        from ._quotes import dry_run_batch

        with _bad_lines_apart():
            dry_run_batch(jobs, family=family, namespace=namespace, shard=shard, json=state.json)
        return
    if output is None:
        raise typer.BadParameter("required unless --dry-run", param_hint="'--output'")
    check_directory(output)  # before the first create: a batch writes its output before it pays
    client = state.client()
    # Every wait's default (30 s, as --help says), or the option; 0: wait until --wait-timeout.
    option = state.settings.unreachable_timeout
    unreachable = DEFAULT_UNREACHABLE_TIMEOUT if option is None else option or None
    resume = None if state.settings.mock else _resume(jobs, output, family, namespace, shard)
    options: dict[str, Any] = {}
    if max_units is not None:
        from kling import Budget

        options["max_units"] = Budget(total=max_units, allow_unpriced=allow_unpriced)
        if resume is not None:
            resume += f" --max-units {max_units:g}" + (
                " --allow-unpriced" if allow_unpriced else ""
            )
    display = BatchDisplay(enabled=not state.json)
    try:
        with display, state.showing(display), _bad_lines_apart():
            report = client.batch.run(
                jobs,
                output_dir=output,
                family=family,
                namespace=namespace,
                shard=shard,
                retry_failed=retry_failed,
                concurrency=concurrency,
                timeout=wait_timeout or None,
                on_progress=display.update,
                unreachable_timeout=unreachable,
                **options,
            )
    except KeyboardInterrupt:
        again = "run the same command again to resume; nothing is created twice"
        raise Interrupted(
            f"Interrupted: the tasks created go on at Kling, and {output / 'manifest.jsonl'} "
            f"holds every job settled so far; {again}"
            if resume
            else "Interrupted: the mock server and its tasks are gone with it",
            details={"resume": resume, "manifest": str(output / "manifest.jsonl")},
        ) from None
    _end(report, output, resume, json=state.json, host=client.base_url, waited=unreachable)


def _resume(
    jobs: Path, output: Path, family: str | None, namespace: str | None, shard: str | None
) -> str:
    """The command that resumes this run (the same jobs, ids and share)."""
    words = ["kling", "batch", "run", str(jobs), "-o", str(output)]
    for option, value in (("--family", family), ("--namespace", namespace), ("--shard", shard)):
        if value is not None:
            words += [option, value]
    return shlex.join(words)


class InvalidJobs(CliError):
    """Several lines of the jobs file are bad (exit 1): each shown on its own line, and in JSON
    under ``bad_lines``; nothing was created."""


@contextmanager
def _bad_lines_apart() -> Iterator[None]:
    # The SDK lists the bad lines one per line of its message; an error line is one line.
    try:
        yield
    except InvalidParameterError as exc:
        head, *lines = str(exc).splitlines()
        if not lines:
            raise
        raise InvalidJobs(head, details={"bad_lines": lines}, notes=lines) from None


class BatchIncomplete(CliError):
    """A run that ended with jobs failed, not created, or still running (exit 1)."""


def _end(
    report: BatchReport,
    output: Path,
    resume: str | None,
    *,
    json: bool,
    host: str,
    waited: float | None,
) -> None:
    summary = {**report.summary(), "manifest": str(output / "manifest.jsonl")}
    unsettled = [r for r in report.results if r.status != "succeeded" or not r.downloaded]
    if not json:
        _print_summary(report, output)
    _print_unsettled(unsettled)
    if not (unsettled or report.pending):
        if json:
            print_json(summary)
        return
    counts = {**report.counts, "not_downloaded": len(report.not_downloaded)}
    total = len(report.results) + len(report.pending)
    parts = [
        f"{counts[status]} {words}"
        for status, words in (
            ("failed", "failed"),
            ("not_created", "could not be created"),
            ("not_downloaded", "succeeded but their files could not be saved"),
            ("pending", "are still running"),
        )
        if counts.get(status)
    ]
    if report.unreachable is not None:
        raise _unreachable(report, output, resume, summary, host=host, waited=waited)
    hint = "run the same command again to resume"
    if "failed" in counts:
        hint += " (add --retry-failed to try the failed jobs again)"
    raise BatchIncomplete(
        f"of {total} jobs, {' and '.join(parts)}: see {output / 'manifest.jsonl'}; {hint}",
        details={"summary": summary, "resume": resume},
    )


def _unreachable(
    report: BatchReport,
    output: Path,
    resume: str | None,
    summary: dict[str, Any],
    *,
    host: str,
    waited: float | None,
) -> BatchIncomplete:
    """Kling stopped answering: say so, what is left, and the command that resumes."""
    error = report.unreachable
    host = getattr(error, "host", None) or host
    why = (
        f"no answer for {waited:g} s (--unreachable-timeout)"
        if isinstance(error, ServerUnreachableError) and waited
        else f"{error}"
    )
    left = len(report.pending)
    settled = sum(report.counts.get(status, 0) for status in ("succeeded", "failed"))
    again = (
        f"run {resume} again once it answers: it adopts the tasks that exist and creates the rest"
        if resume
        else "the mock server is gone with it"
    )
    return BatchIncomplete(
        f"Kling at {host} is unreachable: {why}. {left} job{'s' if left != 1 else ''} "
        f"left unsettled (created tasks go on at Kling); {settled} settled, recorded in "
        f"{output / 'manifest.jsonl'}; {again}",
        details={"summary": summary, "resume": resume, "host": host},
    )


def _print_summary(report: BatchReport, output: Path) -> None:
    counts = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in report.counts.items())
    out_console().print(
        f"{sum(report.counts.values())} jobs in {report.wall_time:.0f}s: {counts}; "
        f"{_units(report)}; manifest: {output / 'manifest.jsonl'}",
        markup=False,
    )


def _units(report: BatchReport) -> str:
    """``7.5 units quoted, 7.5 units charged``: the price table's total for the jobs that
    succeeded, and Kling's."""
    unpriced = f" ({report.unpriced} unpriced)" if report.unpriced else ""
    return f"{report.units_quoted:g} units quoted{unpriced}, {report.units_charged:g} units charged"


def _print_unsettled(unsettled: list[JobResult]) -> None:
    """The first jobs that did not succeed, with Kling's reason, on stderr."""
    for result in unsettled[:10]:
        err_console().print(
            f"line {result.line}: {result.status}: {result.message or ''}", markup=False
        )
    if len(unsettled) > 10:
        err_console().print(f"... and {len(unsettled) - 10} more in the manifest")


class BatchDisplay(LiveBar["BatchProgress"]):
    """Live progress on stderr while a batch runs: a bar of settled jobs, the counts, the time
    left of the running tasks (from the account's history) and an ETA at the pace so far."""

    noun = "jobs"
    starting = "reading the jobs"

    def counts(self, progress: BatchProgress) -> str:
        eta = progress.eta
        left = progress.time_left
        # The running task expected to finish last, from the account's history of its kind.
        running = f" ({left.short()})" if left is not None and progress.running else ""
        return (
            f"submitted {progress.submitted}  running {progress.running}{running}  "
            f"[green]succeeded {progress.succeeded}[/green]  "
            f"[red]failed {progress.failed}[/red]  downloaded {progress.downloaded}"
            + (f"  skipped {progress.skipped}" if progress.skipped else "")
            + (f"  ETA {duration(eta)}" if eta else "")
        )


def register(app: typer.Typer) -> None:
    """Add ``kling batch`` to ``app``."""
    add_typer_lazily(app, group, "batch", panel="Tasks and account")
