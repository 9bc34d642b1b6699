"""After a create or a get: optionally wait for the task, download its files, show it.

A wait that ends without the task finishing (``--wait-timeout``, Kling out of reach for
``--unreachable-timeout``, Ctrl-C) says the task goes on and how to pick the wait up again;
under ``--mock`` it says the task went with the in-process fake instead, since no later
command can find it. Results that cannot be saved are still shown: their URLs.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kling import KlingError, ServerUnreachableError, WaitTimeoutError

from ._checks import check_seconds
from ._errors import CliError, Interrupted
from ._output import (
    WaitDisplay,
    download_task,
    err_console,
    format_time,
    json_time,
    print_json,
    print_task,
    task_json,
)
from ._state import CliState

if TYPE_CHECKING:
    from kling import Task, V2Task

__all__ = ["MOCK_GONE", "Finish", "check_wait", "finish", "resume_command"]

#: What an unfinished wait under --mock says instead of a command that cannot work.
MOCK_GONE = (
    "The task is gone with the mock server: --mock runs a fake Kling for one command only. "
    "For tasks that outlive a command, run kling mock-server and point --base-url at it."
)


@dataclass(frozen=True)
class Finish:
    """What to do with a task once we have it (the ``--wait``/``--output`` options)."""

    command: str | None
    """The family's command name, for hints (``kling tasks get <command> <id>``); None for a
    new-standard task (``kling tasks get <id>``)."""
    wait: bool = False
    output: str | None = None
    """As typed: a trailing slash says "directory" to the SDK."""
    wait_timeout: float = 900.0
    poll_interval: float | None = None

    @property
    def waits(self) -> bool:
        return self.wait or self.output is not None


def check_wait(how: Finish) -> None:
    """Refuse wait options the wait would refuse, before a task is created for it."""
    if how.waits:
        check_seconds("--wait-timeout", how.wait_timeout)
        check_seconds("--poll-interval", how.poll_interval)


def resume_command(state: CliState, how: Finish, task_id: str) -> str | None:
    """The command that waits for the task again; None under ``--mock``, where none can."""
    if state.settings.mock:
        return None
    words = ["kling", "tasks", "get", *([how.command] if how.command else []), task_id, "--wait"]
    if how.output is not None:
        words += ["-o", how.output]
    return shlex.join(words)


def finish(state: CliState, resource: Any, task: Task | V2Task, how: Finish) -> None:
    """Wait (if asked), download (if asked), then print the task: a summary or JSON."""
    if how.waits:
        task = _wait(state, resource, task, how)
    files: list[Path] | None = None
    if how.output is not None:
        files = _save(state, task, how.output)
        if not files and not state.json:
            err_console().print(f"Task {task.task_id} has no result files to download.")
    if state.json:
        print_json(task_json(task, files))
    else:
        print_task(task, files or ())
        if not how.waits and not task.is_finished:
            # Created and left running: say how to follow it (stderr: stdout is the task).
            resume = resume_command(state, how, task.task_id)
            err_console().print(
                f"Follow it with: {resume}" if resume else MOCK_GONE, markup=False, soft_wrap=True
            )


def interrupted_create(
    state: CliState, how: Finish, external_id: str, *, findable: bool
) -> Interrupted:
    """Ctrl-C during a create: the task may exist, and its external id is how to find it."""
    lookup = None
    if state.settings.mock:
        hint = MOCK_GONE
    elif not findable:
        hint = (
            f"Kling cannot look these tasks up by external id: see kling tasks list {how.command}."
        )
    else:
        words = ["kling", "tasks", "get", *([how.command] if how.command else [])]
        words += ["--external-id", external_id, "--wait"]
        if how.output is not None:
            words += ["-o", how.output]
        lookup = shlex.join(words)
        hint = f"The task may exist; look it up with: {lookup}"
    return Interrupted(
        f"Interrupted while creating the task with external id {external_id}. {hint}",
        details={"external_task_id": external_id, "resume": lookup, "hint": hint},
    )


def _goes_on(state: CliState, how: Finish, task_id: str) -> tuple[str, dict[str, Any]]:
    resume = resume_command(state, how, task_id)
    sentence = f"It goes on; resume with: {resume}" if resume else MOCK_GONE
    return sentence, {"resume": resume, "hint": sentence}


def _wait(state: CliState, resource: Any, task: Task | V2Task, how: Finish) -> Task | V2Task:
    options = state.wait_options(timeout=how.wait_timeout, poll_interval=how.poll_interval)
    label = f"{how.command or 'task'} {task.task_id}"
    display = WaitDisplay(label, task, enabled=not state.json)
    try:
        with display, state.showing(display):
            done: Task | V2Task = resource.wait(task, on_progress=display.update, **options)
    except WaitTimeoutError as exc:
        sentence, details = _goes_on(state, how, exc.task.task_id)
        raise CliError(
            f"Task {exc.task.task_id} still {exc.task.task_status} after {exc.timeout:g}s "
            f"(--wait-timeout), last seen {format_time(display.seen_at)}. {sentence}",
            task=exc.task,
            details={**details, "last_seen_at": json_time(display.seen_at)},
        ) from exc
    except ServerUnreachableError as exc:
        seen_at = datetime.now(timezone.utc) - timedelta(seconds=exc.last_seen)
        sentence, details = _goes_on(state, how, exc.task.task_id)
        raise CliError(
            f"Kling API at {exc.host} is unreachable: no answer for {exc.last_seen:.0f}s "
            f"(--unreachable-timeout). Task {exc.task.task_id} was last seen "
            f"{exc.task.task_status} at {format_time(seen_at)}. {sentence}",
            task=exc.task,
            details={**details, "host": exc.host, "last_seen_at": json_time(seen_at)},
        ) from exc
    except KeyboardInterrupt:
        last = display.task
        sentence, details = _goes_on(state, how, last.task_id)
        raise Interrupted(
            f"Interrupted: stopped waiting for task {last.task_id}, last seen "
            f"{last.task_status} at {format_time(display.seen_at)}. {sentence}",
            task=last,
            details={**details, "last_seen_at": json_time(display.seen_at)},
        ) from None
    return done


def _save(state: CliState, task: Task | V2Task, output: str) -> list[Path]:
    """Download the results; when that fails, the error still gives their URLs."""
    urls = task.result_urls()
    try:
        return download_task(state.client(), task, output, enabled=not state.json)
    except (KlingError, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise _not_saved(task, urls, f"could not be saved to {output!r}: {reason}") from exc
    except KeyboardInterrupt:
        error = _not_saved(task, urls, "were not all saved: interrupted")
        raise Interrupted(str(error), task=task, details=error.details, notes=error.notes) from None


def _not_saved(task: Task | V2Task, urls: list[str], what: str) -> CliError:
    return CliError(
        f"Task {task.task_id} {task.task_status}, but its results {what}. "
        "Their URLs follow; download them before they expire.",
        task=task,
        details={"urls": urls},
        notes=urls,
    )
