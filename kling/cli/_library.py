"""Your libraries: ``kling elements ...`` and ``kling voices ...`` (create, presets, delete),
and ``kling custom-elements ...``, Kling's older element library (create, list, presets, delete).

Creating an element or a voice is a task like any other (``kling tasks get elements ID``);
what it makes is kept in your library and used by id in other commands. The older library's
create answers with the element at once, and its lists hold elements, not tasks.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

import typer

from kling._families import ENDPOINTS, FAMILIES, Family
from kling._rows import Endpoint, TaskRow

from ._commands import Command
from ._families import add_command, add_create_command, output_options
from ._groups import KlingCommand, KlingSubGroup
from ._lazy import LazyCommand, add_lazily
from ._output import out_console, print_json, print_table, task_json
from ._state import get_state

__all__ = ["register"]

PANEL = "Libraries"


def register(app: typer.Typer) -> None:
    for family in FAMILIES.values():
        if family.library is not None:
            add = functools.partial(_add_library, family)
            add_lazily(app, LazyCommand(family.command_name, add, help=_help(family), panel=PANEL))
    for row in ENDPOINTS.values():
        if row.library is not None and not isinstance(row, TaskRow):
            add = functools.partial(_add_instant_library, row)
            add_lazily(app, LazyCommand(row.command_name, add, help=row.summary, panel=PANEL))


def _add_instant_library(row: Endpoint, target: typer.Typer) -> None:
    target.add_typer(_instant_library_app(row), name=row.command_name, rich_help_panel=PANEL)


def _instant_library_app(row: Endpoint) -> typer.Typer:
    """``kling custom-elements``: a library whose create answers with the item at once."""
    assert row.library is not None
    key, library = row.name, row.library
    columns = (library.id_field, library.name_field, "owned_by")
    group = typer.Typer(cls=KlingSubGroup, help=row.summary, no_args_is_help=True)

    def create(ctx: typer.Context, params: dict[str, Any], options: dict[str, Any]) -> None:
        state = get_state(ctx)
        item = getattr(state.client(), key).create(**params)
        if state.json:
            print_json(item.model_dump(mode="json"))
        else:
            out_console().print(
                f"Created {library.noun} {getattr(item, library.id_field)} "
                f"({getattr(item, library.name_field)})"
            )

    add_command(
        group,
        Command(key, legacy=row, summary=f"Create one of your {library.noun}s (answers at once)."),
        "create",
        create,
        lambda: [output_options()[1]],  # --param; there are no files to --output
        invocation=f"kling {row.command_name} create",
    )

    def show(ctx: typer.Context, title: str, listing: str, limit: int, page_size: int) -> None:
        state = get_state(ctx)
        items = list(
            getattr(getattr(state.client(), key), listing)(page_size=page_size, limit=limit)
        )
        if state.json:
            print_json([item.model_dump(mode="json") for item in items])
            return
        rows = [[str(getattr(item, column) or "") for column in columns] for item in items]
        print_table(title, columns, rows)

    @group.command("list", cls=KlingCommand, help=f"Your {library.noun}s in this library.")
    def list_items(
        ctx: typer.Context,
        limit: Annotated[int, typer.Option(help="Show at most this many.")] = 100,
        page_size: Annotated[int, typer.Option(help="How many to fetch per request.")] = 100,
    ) -> None:
        show(ctx, f"Your {library.noun}s", "list", limit, page_size)

    @group.command("presets", cls=KlingCommand, help=f"Kling's ready-made {library.noun}s.")
    def presets(
        ctx: typer.Context,
        limit: Annotated[int, typer.Option(help="Show at most this many.")] = 100,
        page_size: Annotated[int, typer.Option(help="How many to fetch per request.")] = 100,
    ) -> None:
        show(ctx, f"Preset {library.noun}s", "presets", limit, page_size)

    _add_delete(group, key, library.noun, library.id_field)
    return group


def _add_library(family: Family, target: typer.Typer) -> None:
    target.add_typer(_library_app(family), name=family.command_name, rich_help_panel=PANEL)


def _help(family: Family) -> str:
    return f"Your {family.name}: create one, list Kling's presets, delete one of yours."


def _library_app(family: Family) -> typer.Typer:
    assert family.library is not None
    key = family.name
    noun, id_field, name_field = (
        family.library.noun,
        family.library.id_field,
        family.library.name_field,
    )
    group = typer.Typer(cls=KlingSubGroup, help=_help(family), no_args_is_help=True)
    # Named like the family, so hints read "kling tasks get elements <id>".
    summary = f"Create one of your {key} (a task; --wait for its id)."
    add_create_command(
        group,
        Command(key, legacy=family, summary=summary),
        "create",
        downloads=False,
        invocation=f"kling {family.command_name} create",
    )

    @group.command(
        "presets", cls=KlingCommand, help=f"Kling's ready-made {key} (use their ids like your own)."
    )
    def presets(
        ctx: typer.Context,
        limit: Annotated[int, typer.Option(help="Show at most this many.")] = 100,
        page_size: Annotated[int, typer.Option(help="How many to fetch per request.")] = 100,
    ) -> None:
        state = get_state(ctx)
        resource = getattr(state.client(), key)
        tasks = list(resource.presets(page_size=page_size, limit=limit))
        if state.json:
            print_json([task_json(task) for task in tasks])
            return
        rows = [
            [
                str(item.get(id_field) or ""),
                str(item.get(name_field) or ""),
                str(item.get("owned_by") or ""),
            ]
            for task in tasks
            for item in _items(task_json(task), key)
        ]
        print_table(f"Preset {key}", (id_field, name_field, "owned_by"), rows)

    _add_delete(group, key, noun, id_field)
    return group


def _add_delete(group: typer.Typer, key: str, noun: str, id_field: str) -> None:
    """``kling <library> delete ID``."""

    @group.command(
        "delete", cls=KlingCommand, help=f"Delete one of your own {noun}s by its {id_field}."
    )
    def delete(
        ctx: typer.Context,
        # A default, not Annotated: the metavar depends on a local, which a string annotation
        # (from __future__ import annotations) cannot see.
        item_id: str = typer.Argument(..., metavar=id_field.upper(), help=f"The {noun} id."),
    ) -> None:
        state = get_state(ctx)
        getattr(state.client(), key).delete(item_id)
        if state.json:
            print_json({id_field: item_id, "deleted": True})
        else:
            out_console().print(f"Deleted {noun} {item_id}")


def _items(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = (data.get("task_result") or {}).get(key) or []
    return [item for item in items if isinstance(item, dict)]
