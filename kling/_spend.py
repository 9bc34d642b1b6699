"""What was spent: the billing details (``account.unit_deductions``, ``balance_deductions``)
added up by model, by day or by API key. No I/O; ``kling account spend`` prints it.

Units of a video pack and of an image pack are not worth the same (about $0.14 and $0.0035 at
list price, ``kling._prices.USD_PER_UNIT``), so each row keeps units per pack type, cash per
currency, and a list price in USD that puts them on one scale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from ._models_endpoints import BalanceDeduction, UnitDeduction
from ._prices import USD_PER_UNIT

__all__ = ["BY", "By", "SpendRow", "spend"]

By = Literal["model", "day", "api-key"]
"""What ``spend`` groups the charges by."""
BY: tuple[By, ...] = ("model", "day", "api-key")


@dataclass
class SpendRow:
    """The charges of one model, day or API key."""

    key: str
    tasks: int = 0
    units: dict[str, float] = field(default_factory=dict)
    """Resource-pack units by pack type (``video``, ``image``, ``try-on``)."""
    cash: dict[str, float] = field(default_factory=dict)
    """Cash-balance charges by currency (``USD``, ``CNY``)."""

    @property
    def usd(self) -> float:
        """The list price in USD: units at the pricing pages' rate, plus cash paid in USD
        (try-on units and other currencies have no published rate and count nothing)."""
        total = sum(
            (Decimal(str(units)) * USD_PER_UNIT.get(kind, Decimal(0)))
            for kind, units in self.units.items()
        )
        return float(total) + self.cash.get("USD", 0.0)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "tasks": self.tasks,
            "units": dict(self.units),
            "cash": dict(self.cash),
            "usd": round(self.usd, 4),
        }


def _key(row: UnitDeduction | BalanceDeduction, by: By) -> str:
    if by == "model":
        return row.model_name or "-"
    if by == "api-key":
        return row.api_key_name or "-"
    moment: datetime | None = row.deduction_time
    return "-" if moment is None else f"{moment.astimezone():%Y-%m-%d}"  # the local day


def spend(
    units: Iterable[UnitDeduction], balance: Iterable[BalanceDeduction], by: By = "model"
) -> list[SpendRow]:
    """The charges grouped ``by`` model, day (local) or API key: by day in date order, else the
    costliest first."""
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}, got {by!r}")
    rows: dict[str, SpendRow] = {}
    for unit in units:
        row = rows.setdefault(_key(unit, by), SpendRow(_key(unit, by)))
        row.tasks += 1
        kind = unit.product_type or "video"
        row.units[kind] = row.units.get(kind, 0.0) + (unit.deduction_amount or 0.0)
    for cash in balance:
        row = rows.setdefault(_key(cash, by), SpendRow(_key(cash, by)))
        row.tasks += 1
        currency = cash.currency or "-"
        row.cash[currency] = row.cash.get(currency, 0.0) + (cash.deduction_amount or 0.0)
    if by == "day":
        return sorted(rows.values(), key=lambda row: row.key)
    return sorted(rows.values(), key=lambda row: (-row.usd, row.key))
