"""The fake account's money: what each finished task was charged, and from where.

Kling deducts a task's cost when it finishes ("Deduction lands when the task completes"): from
a resource pack of the task's type (``video``, ``image``, ``try-on``), whose
``remaining_quantity`` goes down as ``/account/costs`` lists it, or from the cash balance. A
create of a type whose packs are all used up or expired is refused 429 with code 1102, "Resource
pack exhausted or expired (prepaid scenario)", unless the account pays as it goes ("activate the
post-payment service"):
https://github.com/aself101/kling-api/blob/main/docs/api/kling-get-started-error-codes.md

The billing details (``legacy/billing.py``) list the :class:`Charge` s this ledger records.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ._envelope import ApiError
from ._prices import USD_PER_UNIT, charge_of, product_type
from ._task import FakeTask

__all__ = ["STARTING_BALANCE", "Charge", "Ledger", "pack_type"]

STARTING_BALANCE = Decimal(1000)
"""What the fake's cash balance holds (USD) before its first charge."""

#: The new standard's message for 1102, as observed live; the legacy API's is the code table's.
_STANDARD_1102 = "Account balance not enough"
_KEPT = ("remaining_quantity", "status")


@dataclass(frozen=True)
class Charge:
    """One finished task's deduction."""

    task: FakeTask
    units: Decimal
    product_type: str
    pack: Mapping[str, Any] | None
    """The resource pack charged; None: the cash balance."""
    before: Decimal
    """Units (pack) or dollars (balance) before the deduction."""
    amount: Decimal
    """Units (pack) or dollars (balance) deducted."""


def pack_type(pack: Mapping[str, Any]) -> str:
    """A pack's type: its ``product_type`` (a key the fake reads, Kling's lists have none), or
    what its name says (``Trial-Video-100Units-...``, ``...-Image-...``, ``...-Try-On-...``)."""
    named = pack.get("product_type")
    if isinstance(named, str) and named:
        return named
    name = str(pack.get("resource_pack_name") or "").lower()
    if "try" in name:
        return "try-on"
    return "image" if "image" in name else "video"


def _usable(pack: Mapping[str, Any], kind: str, now_ms: int) -> bool:
    invalid = pack.get("invalid_time")
    return (
        pack_type(pack) == kind
        and pack.get("status", "online") == "online"
        and _left(pack) > 0
        and not (isinstance(invalid, int) and invalid <= now_ms)
    )


def _left(pack: Mapping[str, Any]) -> Decimal:
    value = pack.get("remaining_quantity", pack.get("total_quantity"))
    return Decimal(str(value)) if isinstance(value, (int, float, str)) else Decimal(0)


class Ledger:
    """Charges finished tasks to the account's packs or balance; refuses creates it cannot pay.

    ``packs`` is read at each charge (``FakeKling.resource_packs`` is assignable), and each
    pack's ``remaining_quantity`` (and ``status``, ``runOut`` once empty) is updated in place.
    ``postpaid()``: whether charges no pack can take go to the cash balance instead of the
    create being refused.
    """

    def __init__(
        self,
        packs: Callable[[], list[dict[str, Any]]],
        postpaid: Callable[[], bool],
        wall_clock: Callable[[], float],
    ) -> None:
        self._packs = packs
        self._postpaid = postpaid
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self.charges: list[Charge] = []
        self.balance = STARTING_BALANCE
        #: What each pack charged so far held before its first charge, by ``id()``.
        self._before: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}

    def clear(self) -> None:
        """Forget every charge: the balance and the packs charged hold what they held."""
        with self._lock:
            for pack, before in self._before.values():
                pack.pop("remaining_quantity", None)
                pack.pop("status", None)
                pack.update(before)
            self._before.clear()
            self.charges.clear()
            self.balance = STARTING_BALANCE

    def all(self) -> list[Charge]:
        """Every charge so far, oldest first."""
        with self._lock:
            return list(self.charges)

    def _now_ms(self) -> int:
        return int(self._wall_clock() * 1000)

    def enforcing(self) -> bool:
        """Whether a create can be refused: a prepaid account (with packs, not postpaid)."""
        # An account with no pack at all pays from its cash balance.
        return bool(self._packs()) and not self._postpaid()

    def check(self, task: FakeTask) -> None:
        """Refuse (429/1102) a create no pack of its type can pay for, on a prepaid account."""
        if not self.enforcing():
            return
        packs = self._packs()
        kind, now = product_type(task), self._now_ms()
        with self._lock:
            if any(_usable(pack, kind, now) for pack in packs):
                return
        message = _STANDARD_1102 if task.standard == "new" else None
        raise ApiError(1102, message)

    def charge(self, task: FakeTask) -> Decimal:
        """Record what ``task`` (just succeeded) costs and deduct it; returns the units."""
        units = charge_of(task)
        kind, now = product_type(task), self._now_ms()
        with self._lock:
            packs = self._packs()
            pack = next((p for p in packs if _usable(p, kind, now)), None)
            if pack is None and packs and not self._postpaid():
                # Every pack of its type ran out while it rendered: the last one takes it.
                pack = next((p for p in reversed(packs) if pack_type(p) == kind), None)
            if pack is not None:
                kept: dict[str, Any] = {k: pack[k] for k in _KEPT if k in pack}
                self._before.setdefault(id(pack), (pack, kept))
                before = _left(pack)
                after = max(Decimal(0), before - units)
                pack["remaining_quantity"] = float(after)
                if not after:
                    pack["status"] = "runOut"
                self.charges.append(Charge(task, units, kind, pack, before, units))
            else:
                dollars = units * USD_PER_UNIT.get(kind, Decimal(0))
                self.charges.append(Charge(task, units, kind, None, self.balance, dollars))
                self.balance -= dollars
        return units
