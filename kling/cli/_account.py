"""``kling account costs``: your resource packs and what is left in them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Annotated

import typer

from ._groups import KlingCommand, KlingSubGroup
from ._lazy import add_typer_lazily
from ._output import format_time, print_json, print_table
from ._state import get_state

__all__ = ["group", "parse_time", "register"]

group = typer.Typer(cls=KlingSubGroup, help="Account information.", no_args_is_help=True)

_DEFAULT_DAYS = 30


def parse_time(text: str, option: str) -> datetime:
    """An ISO 8601 date or date-time (``2025-01-31``, ``2025-01-31T12:00Z``); naive is local."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"  # fromisoformat accepts "Z" only from Python 3.11
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"expected an ISO date or date-time like 2025-01-31 or 2025-01-31T12:00:00Z, "
            f"got {text!r}",
            param_hint=f"'{option}'",
        ) from None
    return moment if moment.tzinfo else moment.astimezone()


@group.command("costs", cls=KlingCommand)
def costs(
    ctx: typer.Context,
    start: Annotated[
        str | None,
        typer.Option(metavar="ISO", help="Start of the period (default: --days before --end)."),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option(metavar="ISO", help="End of the period (default: now)."),
    ] = None,
    days: Annotated[
        int | None,
        typer.Option(min=1, help=f"Length of the period in days (default {_DEFAULT_DAYS})."),
    ] = None,
    pack: Annotated[
        str | None,
        typer.Option("--pack", metavar="NAME", help="Only the resource pack with this name."),
    ] = None,
) -> None:
    """The resource packs active in a period (default: the last 30 days) and their balance."""
    if start is not None and days is not None:
        raise typer.BadParameter("give --start or --days, not both", param_hint="'--days'")
    end_time = parse_time(end, "--end") if end else datetime.now(timezone.utc)
    start_time = (
        parse_time(start, "--start") if start else end_time - timedelta(days=days or _DEFAULT_DAYS)
    )
    state = get_state(ctx)
    result = state.client().account.costs(start_time, end_time, resource_pack_name=pack)
    packs = result.resource_pack_subscribe_infos
    if state.json:
        print_json([item.model_dump(mode="json") for item in packs])
        return
    rows = [
        [
            item.resource_pack_name or "",
            item.resource_pack_type or "",
            item.status or "",
            f"{_number(item.remaining_quantity)} / {_number(item.total_quantity)}",
            format_time(item.effective_time),
            format_time(item.invalid_time),
        ]
        for item in packs
    ]
    print_table(
        f"Resource packs, {format_time(start_time)} to {format_time(end_time)}",
        ("pack", "type", "status", "remaining / total", "from", "until"),
        rows,
    )


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def register(app: typer.Typer) -> None:
    """Add ``kling account`` to ``app``."""
    add_typer_lazily(app, group, "account", panel="Tasks and account")
