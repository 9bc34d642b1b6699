"""``kling tasks get [FAMILY] TASK_ID`` and ``kling tasks list [FAMILY]``.

With a family, the legacy endpoint of that family; without, Kling's unified ``/tasks`` (the new
standard: it needs an API key, and shows tasks of both standards).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kling import NotFoundError
from kling._families import FAMILIES
from kling._rows import NEW_STANDARD, tasks_of

from ._checks import check_output, expected_for_task
from ._errors import CliError
from ._families import command_name, family_names, resolve_family
from ._groups import KlingCommand, KlingSubGroup
from ._lazy import add_typer_lazily
from ._output import err_console, format_time, print_json, print_table, result_links, task_json
from ._results import Finish, check_wait, finish
from ._state import CliState, get_state

__all__ = ["group", "register"]

group = typer.Typer(
    cls=KlingSubGroup,
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


@group.command("get", cls=KlingCommand)
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
        str | None,  # as typed: a trailing slash says "directory" to the SDK
        typer.Option("--output", "-o", metavar="DIR", help="Download its result files into DIR."),
    ] = None,
    wait_timeout: Annotated[
        float, typer.Option("--wait-timeout", metavar="SECONDS", help="Give up waiting after this.")
    ] = 900.0,
    poll_interval: Annotated[
        float | None,
        typer.Option(
            "--poll-interval",
            metavar="SECONDS",
            help="First pause between status checks (it grows to 15 s).",
            show_default=False,
        ),
    ] = None,
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
    key = resolve_family(family) if family is not None else None
    how = Finish(
        command=command_name(key) if key else None,
        wait=wait,
        output=output,
        wait_timeout=wait_timeout,
        poll_interval=poll_interval,
    )
    check_wait(how)
    state = get_state(ctx)
    client = state.client()
    resource = tasks_of(client, key or NEW_STANDARD)
    try:
        task = resource.get(ident, external_task_id=external_id)
    except NotFoundError as exc:
        raise CliError(_not_found(state, how.command, ident, external_id, exc)) from exc
    if output is not None:
        check_output(output, expected_for_task(task, FAMILIES.get(key or "")))
    finish(state, resource, task, how)


def _not_found(
    state: CliState, command: str | None, ident: str | None, external_id: str | None, exc: Exception
) -> str:
    """Which task was not found, where, and what to try: the SDK's words come last."""
    what = f"task {ident}" if ident is not None else f"task with external id {external_id!r}"
    where = f"among your {command} tasks" if command else "through /tasks (the new standard)"
    if state.settings.mock:
        hint = (
            "--mock starts an empty fake Kling for each command, so tasks from earlier "
            "commands are gone; kling mock-server keeps them"
        )
    elif command:
        hint = f"check the id and the family: kling tasks list {command} shows your recent ones"
    else:
        hint = "a legacy task needs its family: kling tasks get FAMILY TASK_ID"
    return f"No {what} {where}: {hint}. (Kling: {exc})"


@group.command("list", cls=KlingCommand)
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
    if family is not None and status is not None:
        raise typer.BadParameter(
            "--status filters the unified list: leave out FAMILY", param_hint="'--status'"
        )
    reader = tasks_of(client, NEW_STANDARD if family is None else resolve_family(family))
    filters = {} if status is None else {"status": status}
    tasks: list[Any] = list(reader.list(page_size=page_size, limit=limit, **filters))
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
            format_time(task.created_at),
            # Every result, one per line: four images are four URLs.
            "\n".join(url for _, url in result_links(task)),
        ]
        for task in tasks
    ]
    print_table(None, ("task_id", "status", "created_at", "results"), rows, whole=("results",))


def register(app: typer.Typer) -> None:
    """Add ``kling tasks`` to ``app``."""
    add_typer_lazily(app, group, "tasks", panel="Tasks and account")
