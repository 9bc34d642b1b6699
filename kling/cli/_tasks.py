"""``kling tasks get [FAMILY] TASK_ID`` and ``kling tasks list [FAMILY]``.

With a family, the legacy endpoint of that family; without, Kling's unified ``/tasks`` (the new
standard: it needs an API key, and shows tasks of both standards).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ._families import command_name, family_names, resolve_family
from ._output import err_console, print_json, print_table, result_links, task_json
from ._results import Finish, finish
from ._state import get_state

__all__ = ["app"]

app = typer.Typer(
    help="Look up tasks you created: by family (legacy), or all of them (needs an API key).",
    no_args_is_help=True,
)

_FAMILY_HELP = "The family, named like its command: text-to-video, image, lip-sync, elements, ..."


def _complete_family(incomplete: str) -> list[str]:
    return [name for name in family_names() if name.startswith(incomplete)]


def _is_family(name: str) -> bool:
    try:
        resolve_family(name)
    except typer.BadParameter:
        return False
    return True


@app.command("get")
def get(
    ctx: typer.Context,
    first: Annotated[
        str | None,
        typer.Argument(
            metavar="[FAMILY] TASK_ID",
            help=f"{_FAMILY_HELP} Leave it out for a new-standard task (or any, by /tasks).",
            autocompletion=_complete_family,
            show_default=False,
        ),
    ] = None,
    task_id: Annotated[
        str | None, typer.Argument(metavar="", hidden=True, show_default=False)
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
    """Show one task (its status and result URLs); --wait and --output work as on create.

    kling tasks get text-to-video 8672...   (a legacy task, by its family)
    kling tasks get 9019...                 (a new-standard task, through /tasks)
    """
    family, ident = (first, task_id) if task_id is not None else (None, first)
    if family is None and ident is not None and _is_family(ident):
        family, ident = ident, None  # "kling tasks get FAMILY --external-id X", or a missing id
    if (ident is None) == (external_id is None):
        raise typer.BadParameter(
            "give a TASK_ID or --external-id (one of them)", param_hint="'TASK_ID'"
        )
    state = get_state(ctx)
    client = state.client()
    if family is None:
        resource: Any = client.v2.tasks
        command = None
    else:
        key = resolve_family(family)
        resource, command = getattr(client, key), command_name(key)
    task = resource.get(ident, external_task_id=external_id)
    how = Finish(command=command, wait=wait, output=output, wait_timeout=wait_timeout)
    finish(state, resource, task, how)


@app.command("list")
def list_tasks(
    ctx: typer.Context,
    family: Annotated[
        str | None,
        typer.Argument(
            metavar="[FAMILY]",
            help=f"{_FAMILY_HELP} Leave it out for every task, of both standards (/tasks).",
            autocompletion=_complete_family,
            show_default=False,
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            help="Only tasks in this status (without FAMILY): submitted, processing, "
            "succeeded or failed."
        ),
    ] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many (newest first).")] = 30,
    page_size: Annotated[int, typer.Option(help="How many to fetch per request.")] = 30,
) -> None:
    """List tasks, newest first: a family's, or all of them."""
    state = get_state(ctx)
    client = state.client()
    if family is None:
        tasks: list[Any] = list(
            client.v2.tasks.list(status=status, page_size=page_size, limit=limit)
        )
    else:
        if status is not None:
            raise typer.BadParameter(
                "--status filters the unified list: leave out FAMILY", param_hint="'--status'"
            )
        key = resolve_family(family)
        tasks = list(getattr(client, key).list(page_size=page_size, limit=limit))
    if state.json:
        print_json([task_json(task) for task in tasks])
        return
    if not tasks:
        err_console().print(f"No {family or ''} tasks.".replace("  ", " "))
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
