"""After a create or a get: optionally wait for the task, download its files, show it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kling import TaskFailedError, WaitTimeoutError

from ._errors import CliError
from ._output import (
    WaitDisplay,
    download_task,
    err_console,
    print_json,
    print_task,
    task_json,
)
from ._state import CliState

if TYPE_CHECKING:
    from kling import Task, V2Task

__all__ = ["Finish", "finish"]


@dataclass(frozen=True)
class Finish:
    """What to do with a task once we have it (the ``--wait``/``--output`` options)."""

    command: str | None
    """The family's command name, for hints (``kling tasks get <command> <id>``); None for a
    new-standard task (``kling tasks get <id>``)."""
    wait: bool = False
    output: Path | None = None
    wait_timeout: float | None = None
    poll_interval: float | None = None

    @property
    def waits(self) -> bool:
        return self.wait or self.output is not None


def finish(state: CliState, resource: Any, task: Task | V2Task, how: Finish) -> None:
    """Wait (if asked), download (if asked), then print the task: a summary or JSON."""
    if how.waits:
        task = _wait(state, resource, task, how)
    files: list[Path] | None = None
    if how.output is not None:
        files = download_task(state.client(), task, how.output, enabled=not state.json)
        if not files and not state.json:
            err_console().print(f"Task {task.task_id} has no result files to download.")
    if state.json:
        print_json(task_json(task, files))
    else:
        print_task(task, files or ())


def _wait(state: CliState, resource: Any, task: Task | V2Task, how: Finish) -> Task | V2Task:
    later = " ".join(["kling tasks get", *([how.command] if how.command else []), task.task_id])
    options: dict[str, Any] = state.wait_options(how.poll_interval)
    if how.wait_timeout is not None:
        options["timeout"] = how.wait_timeout
    try:
        label = f"{how.command or 'task'} {task.task_id}"
        with WaitDisplay(label, enabled=not state.json) as display:
            done: Task | V2Task = resource.wait(task, on_progress=display.update, **options)
    except TaskFailedError as exc:
        if state.json:
            print_json(task_json(exc.task))
        raise
    except WaitTimeoutError as exc:
        raise CliError(
            f"Task {exc.task.task_id} still {exc.task.task_status} after {exc.timeout:g}s "
            f"(--wait-timeout). It goes on; check it later with: {later}"
        ) from exc
    except KeyboardInterrupt:
        err_console().print(f"Stopped waiting; the task goes on. Check it later with: {later}")
        raise
    return done
