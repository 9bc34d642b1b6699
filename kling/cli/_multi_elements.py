"""``kling multi-elements ...``: a selection session (init, add, delete, clear, preview), and the
edit task (``create``, the family's generated create command).

A session lives on Kling's side for 24 hours: each step names it by its ``SESSION_ID``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kling._families import FAMILIES, Family

from ._checks import check_directory
from ._commands import Command
from ._families import add_create_command
from ._groups import KlingCommand, KlingSubGroup
from ._lazy import LazyCommand, add_lazily
from ._output import out_console, print_json, print_table
from ._state import get_state

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["register"]

PANEL = "Editing sessions"
_POINT_HELP = (
    "A click on the frame as X,Y, each from 0 to 1 (fractions of the width and height). "
    "Repeatable: up to 10 a frame."
)


def register(app: typer.Typer) -> None:
    for family in FAMILIES.values():
        if family.selections is not None:
            add = functools.partial(_add_group, family)
            add_lazily(app, LazyCommand(family.command_name, add, help=_help(), panel=PANEL))


def _help() -> str:
    return "Multi-element editing: mark elements of a video in a session, then edit them."


def _add_group(family: Family, target: typer.Typer) -> None:
    target.add_typer(_group(family), name=family.command_name, rich_help_panel=PANEL)


def _points(values: list[str]) -> list[tuple[float, float]]:
    points = []
    for value in values:
        parts = value.split(",")
        try:
            x, y = (float(part) for part in parts)
        except ValueError:
            raise typer.BadParameter(
                f"{value!r} is not X,Y (two numbers from 0 to 1, e.g. 0.5,0.25)",
                param_hint="'--point'",
            ) from None
        points.append((x, y))
    return points


def _group(family: Family) -> typer.Typer:
    key, name = family.name, family.command_name
    group = typer.Typer(cls=KlingSubGroup, help=_help(), no_args_is_help=True)
    summary = "Edit the elements a session marked (a task): add, swap or remove them."
    add_create_command(
        group,
        Command(key, legacy=family, summary=summary),
        "create",
        downloads=True,
        invocation=f"kling {name} create",
    )

    def session(ctx: typer.Context, session_id: str) -> Any:
        return getattr(get_state(ctx).client(), key).session(session_id)

    @group.command("init", cls=KlingCommand, help="Start a session on a video (valid 24 h).")
    def init(
        ctx: typer.Context,
        video_id: Annotated[
            str | None, typer.Option(help="A video Kling made (in the last 30 days).")
        ] = None,
        video_url: Annotated[str | None, typer.Option(help="An .mp4/.mov URL.")] = None,
    ) -> None:
        state = get_state(ctx)
        params = {k: v for k, v in (("video_id", video_id), ("video_url", video_url)) if v}
        started = getattr(state.client(), key).init_selection(**params)
        assert started.info is not None
        data = started.info.model_dump(mode="json")
        data["expires_at"] = started.expires_at.isoformat() if started.expires_at else None
        if state.json:
            print_json(data)
            return
        console = out_console()
        console.print(f"session_id: {started.session_id}")
        console.print(
            f"{started.total_frame} frames at {started.fps:g} fps; frames 0 to "
            f"{(started.total_frame or 1) - 1} take selections"
        )
        console.print(f"normalized video: {started.normalized_video}")
        console.print(f"expires at: {data['expires_at']}")

    @group.command("add", cls=KlingCommand, help="Mark the element under points of a frame.")
    def add(
        ctx: typer.Context,
        session_id: Annotated[str, typer.Argument(metavar="SESSION_ID")],
        frame: Annotated[int, typer.Option(help="The frame's index (from 0).")],
        point: Annotated[list[str], typer.Option(metavar="X,Y", help=_POINT_HELP)],
        masks: Annotated[
            Path | None, typer.Option(metavar="DIR", help="Save each mask as a PNG here.")
        ] = None,
    ) -> None:
        if masks is not None:
            check_directory(masks)
        result = session(ctx, session_id).add_selection(frame, _points(point))
        _print_masks(ctx, result, masks)

    @group.command("delete", cls=KlingCommand, help="Take back points marked on a frame.")
    def delete(
        ctx: typer.Context,
        session_id: Annotated[str, typer.Argument(metavar="SESSION_ID")],
        frame: Annotated[int, typer.Option(help="The frame's index (from 0).")],
        point: Annotated[
            list[str], typer.Option(metavar="X,Y", help="A point as added. Repeatable.")
        ],
        masks: Annotated[
            Path | None, typer.Option(metavar="DIR", help="Save each mask as a PNG here.")
        ] = None,
    ) -> None:
        if masks is not None:
            check_directory(masks)
        result = session(ctx, session_id).delete_selection(frame, _points(point))
        _print_masks(ctx, result, masks)

    @group.command("clear", cls=KlingCommand, help="Take back every selection of a session.")
    def clear(
        ctx: typer.Context, session_id: Annotated[str, typer.Argument(metavar="SESSION_ID")]
    ) -> None:
        result = session(ctx, session_id).clear_selection()
        if get_state(ctx).json:
            print_json(result.model_dump(mode="json"))
        else:
            out_console().print(f"Cleared the selections of session {session_id}")

    @group.command(
        "preview", cls=KlingCommand, help="Render the selection: masked video, cover, tracking."
    )
    def preview(
        ctx: typer.Context, session_id: Annotated[str, typer.Argument(metavar="SESSION_ID")]
    ) -> None:
        result = session(ctx, session_id).preview()
        if get_state(ctx).json:
            print_json(result.model_dump(mode="json"))
            return
        console = out_console()
        console.print(f"video: {result.video}")
        console.print(f"cover: {result.video_cover}")
        console.print(f"tracking: {result.tracking_output}")

    return group


def _print_masks(ctx: typer.Context, result: BaseModel, directory: Path | None) -> None:
    from kling._models_multi_elements import SelectionResult

    assert isinstance(result, SelectionResult)
    frame = result.res.frame_index
    files: list[Path] = []
    rows = []
    for item in result.masks:
        inside = 0
        saved = ""
        if item.rle_mask is not None:
            bitmap = item.rle_mask.decode()
            inside = sum(row.count(1) for row in bitmap)
            if directory is not None:
                from kling.masks import mask_png

                directory.mkdir(parents=True, exist_ok=True)
                path = directory / f"frame-{frame}-object-{item.object_id}.png"
                path.write_bytes(mask_png(bitmap))
                files.append(path)
                saved = str(path)
        size = "x".join(map(str, reversed(item.rle_mask.size))) if item.rle_mask else ""
        rows.append([str(item.object_id), size, str(inside), saved])
    if get_state(ctx).json:
        data = result.model_dump(mode="json")
        if directory is not None:
            data["files"] = [str(path) for path in files]
        print_json(data)
        return
    print_table(f"Frame {frame}", ("object_id", "size", "pixels inside", "saved"), rows)
