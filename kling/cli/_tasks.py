"""``kling tasks get FAMILY TASK_ID`` and ``kling tasks list FAMILY``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._families import command_name, family_names, resolve_family
from ._output import err_console, print_json, print_table, result_links, task_json
from ._results import Finish, finish
from ._state import get_state

__all__ = ["app"]

app = typer.Typer(help="Look up tasks you created (any family).", no_args_is_help=True)

_FAMILY_HELP = "The family, named like its command: text-to-video, image, lip-sync, elements, ..."


def _complete_family(incomplete: str) -> list[str]:
    return [name for name in family_names() if name.startswith(incomplete)]


Family = Annotated[
    str,
    typer.Argument(
        metavar="FAMILY", help=_FAMILY_HELP, autocompletion=_complete_family, show_default=False
    ),
]


@app.command("get")
def get(
    ctx: typer.Context,
    family: Family,
    task_id: Annotated[
        str | None,
        typer.Argument(metavar="TASK_ID", help="Kling's task id.", show_default=False),
    ] = None,
    external_id: Annotated[
        str | None,
        typer.Option("--external-id", help="Look the task up by your external_task_id instead."),
    ] = None,
    wait: Annotated[
        bool, typer.Option("--wait", "-w", help="Wait for it to finish, showing its status.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="DIR", help="Download its result files into DIR."),
    ] = None,
    wait_timeout: Annotated[
        float, typer.Option("--wait-timeout", metavar="SECONDS", help="Give up waiting after this.")
    ] = 900.0,
) -> None:
    """Show one task (its status and result URLs); --wait and --output work as on create."""
    key = resolve_family(family)
    if (task_id is None) == (external_id is None):
        raise typer.BadParameter(
            "give a TASK_ID or --external-id (one of them)", param_hint="'TASK_ID'"
        )
    state = get_state(ctx)
    resource = getattr(state.client(), key)
    task = resource.get(task_id, external_task_id=external_id)
    how = Finish(command=command_name(key), wait=wait, output=output, wait_timeout=wait_timeout)
    finish(state, resource, task, how)


@app.command("list")
def list_tasks(
    ctx: typer.Context,
    family: Family,
    limit: Annotated[int, typer.Option(help="Show at most this many (newest first).")] = 30,
    page_size: Annotated[int, typer.Option(help="How many to fetch per request.")] = 30,
) -> None:
    """List a family's tasks, newest first."""
    key = resolve_family(family)
    state = get_state(ctx)
    tasks = list(getattr(state.client(), key).list(page_size=page_size, limit=limit))
    if state.json:
        print_json([task_json(task) for task in tasks])
        return
    if not tasks:
        err_console().print(f"No {family} tasks.")
        return
    rows = [
        [
            task.task_id,
            task.task_status,
            f"{task.created_at.astimezone():%Y-%m-%d %H:%M:%S}" if task.created_at else "",
            next((url for _, url in result_links(task)), ""),
        ]
        for task in tasks
    ]
    print_table(None, ("task_id", "status", "created_at", "result"), rows)
