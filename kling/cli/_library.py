"""Your libraries: ``kling elements ...`` and ``kling voices ...`` (create, presets, delete).

Creating an element or a voice is a task like any other (``kling tasks get elements ID``);
what it makes is kept in your library and used by id in other commands.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

import typer

from kling._families import FAMILIES, Family

from ._commands import Command
from ._families import add_create_command
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

    @group.command(
        "delete", cls=KlingCommand, help=f"Delete one of your own {key} by its {id_field}."
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

    return group


def _items(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = (data.get("task_result") or {}).get(key) or []
    return [item for item in items if isinstance(item, dict)]
