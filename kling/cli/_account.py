"""``kling account costs``: your resource packs and what is left in them; ``kling account
balance-deductions`` and ``unit-deductions``: what each task was charged; ``kling account
spend``: those charges added up by model, day or API key."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from ._groups import KlingCommand, KlingSubGroup
from ._lazy import add_typer_lazily
from ._output import format_time, out_console, print_json, print_table
from ._state import get_state

if TYPE_CHECKING:
    from kling._spend import SpendRow

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
    start_time, end_time = _window(start, end, days)
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


_Start = Annotated[
    str | None,
    typer.Option(metavar="ISO", help="Start of the period (default: --days before --end)."),
]
_End = Annotated[str | None, typer.Option(metavar="ISO", help="End of the period (default: now).")]
_Days = Annotated[
    int | None,
    typer.Option(min=1, help=f"Length of the period in days (default {_DEFAULT_DAYS})."),
]
_ApiKeyName = Annotated[
    list[str] | None,
    typer.Option("--api-key-name", metavar="NAME", help="Only tasks of this API key (repeatable)."),
]
_Limit = Annotated[int, typer.Option(min=0, help="Show at most this many.")]


def _window(start: str | None, end: str | None, days: int | None) -> tuple[datetime, datetime]:
    """The period ``--start``/``--end``/``--days`` name: by default the last 30 days."""
    if start is not None and days is not None:
        raise typer.BadParameter("give --start or --days, not both", param_hint="'--days'")
    end_time = parse_time(end, "--end") if end else datetime.now(timezone.utc)
    start_time = (
        parse_time(start, "--start") if start else end_time - timedelta(days=days or _DEFAULT_DAYS)
    )
    return start_time, end_time


@group.command("balance-deductions", cls=KlingCommand)
def balance_deductions(
    ctx: typer.Context,
    start: _Start = None,
    end: _End = None,
    days: _Days = None,
    api_key_name: _ApiKeyName = None,
    limit: _Limit = 100,
) -> None:
    """What the cash balance paid for each task created in a period (default: 30 days)."""
    start_time, end_time = _window(start, end, days)
    state = get_state(ctx)
    rows = state.client().account.balance_deductions(
        start_time, end_time, api_key_name=api_key_name or None, limit=limit
    )
    _print_deductions(
        state.json,
        f"Balance deductions, {format_time(start_time)} to {format_time(end_time)}",
        list(rows),
        ("balance_after_deduction", "currency"),
    )


@group.command("unit-deductions", cls=KlingCommand)
def unit_deductions(
    ctx: typer.Context,
    start: _Start = None,
    end: _End = None,
    days: _Days = None,
    api_key_name: _ApiKeyName = None,
    product_type: Annotated[
        list[str] | None,
        typer.Option(
            "--product-type", metavar="TYPE", help="Only packs of this type: video, image, try-on."
        ),
    ] = None,
    package_name: Annotated[
        list[str] | None,
        typer.Option("--package-name", metavar="NAME", help="Only this resource pack (by name)."),
    ] = None,
    package_id: Annotated[
        list[str] | None,
        typer.Option("--package-id", metavar="ID", help="Only this resource pack (by id)."),
    ] = None,
    limit: _Limit = 100,
) -> None:
    """The resource-pack units each task created in a period was charged (default: 30 days)."""
    start_time, end_time = _window(start, end, days)
    state = get_state(ctx)
    rows = state.client().account.unit_deductions(
        start_time,
        end_time,
        api_key_name=api_key_name or None,
        product_type=product_type or None,
        package_name=package_name or None,
        package_id=package_id or None,
        limit=limit,
    )
    _print_deductions(
        state.json,
        f"Unit deductions, {format_time(start_time)} to {format_time(end_time)}",
        list(rows),
        ("unit_after_deduction", "package_id"),
    )


def _print_deductions(as_json: bool, title: str, rows: list[Any], extra: tuple[str, str]) -> None:
    if as_json:
        print_json([row.model_dump(mode="json") for row in rows])
        return
    print_table(
        title,
        ("task", "function", "model", "charged", "left after", extra[1], "when"),
        [
            [
                row.task_id or "",
                row.product_function or "",
                row.model_name or "",
                _number(row.deduction_amount),
                _number(getattr(row, extra[0])),
                str(getattr(row, extra[1]) or ""),
                format_time(row.deduction_time),
            ]
            for row in rows
        ],
    )


_BAR_WIDTH = 20


@group.command("spend", cls=KlingCommand)
def spend(
    ctx: typer.Context,
    since: Annotated[
        str,
        typer.Option(metavar="AGE", help="How far back: 7d, 12h, 2w (tasks created since then)."),
    ] = "30d",
    by: Annotated[
        str,
        typer.Option(metavar="model|day|api-key", help="Add the charges up by this."),
    ] = "model",
) -> None:
    """What was spent, from the billing details: units per pack, cash, and list price in USD,
    with a bar per row."""
    from kling._archive import parse_age
    from kling._errors import InvalidParameterError
    from kling._spend import BY, spend

    if by not in BY:
        raise typer.BadParameter(f"one of {', '.join(BY)}, got {by!r}", param_hint="'--by'")
    try:
        age = parse_age(since)
    except InvalidParameterError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--since'") from None
    end_time = datetime.now(timezone.utc)
    start_time = end_time - age
    state = get_state(ctx)
    account = state.client().account
    units = list(account.unit_deductions(start_time, end_time))
    cash = list(account.balance_deductions(start_time, end_time))
    rows = spend(units, cash, by)
    if state.json:
        print_json(
            {
                "since": start_time.isoformat(),
                "until": end_time.isoformat(),
                "by": by,
                "rows": [row.to_json() for row in rows],
                "usd": round(sum(row.usd for row in rows), 4),
            }
        )
        return
    _print_spend(f"Spent {format_time(start_time)} to {format_time(end_time)}, by {by}", by, rows)


def _print_spend(title: str, by: str, rows: list[SpendRow]) -> None:
    """The spend table: a bar per row, the costliest the full width, never folded."""
    from rich.table import Table

    table = Table(title=title, title_justify="left", header_style="bold")
    for column in (by, "tasks", "units", "cash", "list price"):
        table.add_column(column, overflow="fold")
    table.add_column("", no_wrap=True, min_width=_BAR_WIDTH, style="cyan")
    top = max((row.usd for row in rows), default=0.0)
    for row in rows:
        bar = "█" * max(1, round(_BAR_WIDTH * row.usd / top)) if top and row.usd else ""
        table.add_row(
            escape(row.key),
            str(row.tasks),
            _amounts(row.units, "{value:g} {name}") or "-",
            _amounts(row.cash, "{value:.2f} {name}") or "-",
            f"${row.usd:,.2f}",
            bar,
        )
    out_console().print(table, soft_wrap=False)


def _amounts(values: dict[str, float], form: str) -> str:
    """``12 video + 16 image``."""
    return " + ".join(form.format(value=round(v, 4), name=k) for k, v in values.items() if v)


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def register(app: typer.Typer) -> None:
    """Add ``kling account`` to ``app``."""
    add_typer_lazily(app, group, "account", panel="Tasks and account")
