"""A spending limit a client holds to: :class:`Budget`. No I/O.

Every create is quoted (``kling._quote``) and its units *reserved* from the budget before the
request is sent; a create the budget cannot pay for raises :class:`~kling.BudgetExceededError`
instead, with nothing sent. The check and the reservation happen under one lock with no I/O
between them, so any number of concurrent creates (tasks of one event loop, threads of the sync
client, several clients sharing a budget) never spend past the limit together.

A reservation then follows what Kling did:

* a create Kling refused (an error answer, or a request that never left) made no task and gives
  its units back: refused creates cost nothing ("7 refused creates moved the balance by 0.00",
  live observation in the SDK's reference notes). One whose outcome is unknown (a timeout
  after sending, a 5xx) keeps them: the task may exist;
* once a task is finished and Kling reports its charge (``final_unit_deduction``, the new
  standard's ``billing``), the reservation becomes that charge. A task that failed before
  generating reports 0 (https://github.com/aself101/kling-api/blob/main/docs/api/kling-get-started-callbacks.md
  documents ``billing``; live tasks report ``amount "0"``), so its units come back. A failed
  task whose charge Kling does not report keeps its reservation: what Kling bills for it is not
  documented.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Union

from ._errors import BudgetExceededError, DuplicateTaskError, InvalidParameterError, KlingError
from ._retry import is_ambiguous

if TYPE_CHECKING:
    from ._quote import Quote

__all__ = ["PACKAGES", "Budget", "BudgetLike", "budget_of"]

#: The resource packages a budget can limit (``billing[].package_type``).
PACKAGES = ("video", "image", "audio")
#: What ``budget=`` takes: a :class:`Budget`, a mapping of its limits
#: (``{"video": 100, "total": 150}``), or a number (a limit on all packages together).
BudgetLike = Union["Budget", Mapping[str, Any], int, float, Decimal, str]

_ZERO = Decimal(0)


class _Entry:
    """One create's share of the budget: its units by package, until Kling says its charge."""

    __slots__ = ("outer", "package", "settled", "units")

    def __init__(
        self, units: dict[str, Decimal], package: str | None, outer: _Entry | None = None
    ) -> None:
        self.units = units
        #: The same create's entry in the budget this one lives within.
        self.outer = outer
        #: The package a legacy charge (one number, no package) is counted in.
        self.package = package
        self.settled = False


class Budget:
    """A spending limit in resource-package units, for a client and its ``with_options`` copies.

    ``Budget(video=100, image=500)`` limits each package; ``total`` limits all of them together
    (units of different packages do not cost the same: see :attr:`Quote.usd`). A package that
    is not named is not limited. Unpriced creates (``quote.priced`` is False: a lip-sync as long
    as its audio) are refused unless ``allow_unpriced=True``; allowed, they count once Kling
    reports their charge. Pass it as ``AsyncKlingClient(budget=...)``; several clients given one
    budget spend from it together.

    >>> budget = Budget(video=100)
    >>> client = KlingClient(budget=budget)  # doctest: +SKIP
    >>> budget.left  # doctest: +SKIP
    {'video': Decimal('97.6')}
    """

    def __init__(
        self,
        *,
        video: float | Decimal | str | None = None,
        image: float | Decimal | str | None = None,
        audio: float | Decimal | str | None = None,
        total: float | Decimal | str | None = None,
        allow_unpriced: bool = False,
    ) -> None:
        given = {"video": video, "image": image, "audio": audio, "total": total}
        self.limits: dict[str, Decimal] = {
            name: _units(value, name) for name, value in given.items() if value is not None
        }
        """The limits: by package, and ``"total"`` for all packages together."""
        if not self.limits:
            raise InvalidParameterError(
                "a Budget needs a limit: video=, image=, audio= or total= (units)",
                field="budget",
            )
        self.allow_unpriced = allow_unpriced
        self._lock = threading.Lock()
        self._used: dict[str, Decimal] = {}
        self._entries: dict[str, _Entry] = {}
        self._tasks: dict[str, str] = {}
        self._parent: Budget | None = None

    def _within(self, parent: Budget | None) -> Budget:
        """This budget, its creates counted in ``parent`` too (both must have room)."""
        self._parent = parent
        return self

    def __repr__(self) -> str:
        limits = ", ".join(f"{name}={_show(units)}" for name, units in self.limits.items())
        return f"Budget({limits}, left={ {k: _show(v) for k, v in self.left.items()} })"

    @property
    def used(self) -> dict[str, Decimal]:
        """Units counted so far by package: reserved for creates, or what Kling charged."""
        with self._lock:
            return {package: units for package, units in self._used.items() if units}

    @property
    def left(self) -> dict[str, Decimal]:
        """What may still be spent, per limit (``{"video": Decimal("97.6")}``); never below 0."""
        with self._lock:
            return self._left()

    def to_json(self) -> dict[str, Any]:
        """The limits, what is used and what is left, as JSON numbers."""
        with self._lock:
            used = {package: float(units) for package, units in self._used.items() if units}
            return {
                "limits": {name: float(units) for name, units in self.limits.items()},
                "used": used,
                "left": {name: float(units) for name, units in self._left().items()},
                "allow_unpriced": self.allow_unpriced,
            }

    # -- what the client does with it --------------------------------------------------------

    def _reserve(self, key: str, quote: Quote, what: str) -> _Entry | None:
        """Count ``quote`` under ``key`` (the create's ``external_task_id``), or raise
        ``BudgetExceededError`` when it does not fit: checked and counted in one step.

        None when ``key`` is counted already: Kling makes one task per id, so a create that
        repeats an id (an agent's retry, a resumed batch) adds no charge.
        """
        units = quote.packages
        package = quote.package or next((rate.package for rate in quote.rates), None)
        with self._lock:
            if key in self._entries:
                return None
            self._check(quote, f"{what} refused before sending", "this client's budget")
            # The budget this one lives within (a batch's max_units within its client's): a
            # lock taken inside ours, never the other way round.
            outer = None if self._parent is None else self._parent._reserve(key, quote, what)
            entry = self._entries[key] = _Entry(units, package, outer)
            self._add(units)
            return entry

    def _check(
        self, quote: Quote, refused: str, holder: str, ending: str = "nothing was sent"
    ) -> None:
        """Raise ``BudgetExceededError`` when ``quote`` does not fit what is left (the lock
        held): ``"{refused}: it costs ..., and {holder} has ... left; {ending}"``."""
        if not quote.priced and not self.allow_unpriced:
            raise BudgetExceededError(
                f"{refused}: {quote.reason}, and {holder} refuses unpriced creates "
                f"(allow_unpriced allows them); {ending}",
                quote=quote,
                left=self._left(),
            )
        over = self._over(quote.packages)
        if over:
            left = self._left()
            raise BudgetExceededError(
                f"{refused}: it costs {quote}, and {holder} has {_describe(left, over)} left; "
                f"{ending}",
                quote=quote,
                left=left,
            )

    def _sent(self, key: str, result: Any) -> None:
        """The create of ``key`` answered ``result``: a task, whose charge settles the
        reservation once it is known, or an endpoint's answer, billed as it comes."""
        if self._parent is not None:
            self._parent._sent(key, result)
        # A task model (both standards' have is_finished); an endpoint's answer (TTS has a
        # task_id too) is billed as it comes.
        task_id = getattr(result, "task_id", None) if hasattr(result, "is_finished") else None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return
            if task_id is None:
                entry.settled = True
                return
            self._tasks[task_id] = key
        self._observe(result)

    def _failed(self, key: str, entry: _Entry | None, error: BaseException) -> None:
        """The create that reserved ``entry`` raised ``error``: its units come back when no
        task was made."""
        if entry is None or not isinstance(error, KlingError) or is_ambiguous(error):
            return  # interrupted in flight, or unknown: the task may exist, and may be charged
        if self._parent is not None:
            self._parent._failed(key, entry.outer, error)
        if isinstance(error, DuplicateTaskError):
            # A task with this id exists that this budget did not count (made before it, say by
            # an interrupted batch): it is adopted, and was charged, so it stays counted.
            return
        with self._lock:
            if self._entries.get(key) is entry and not entry.settled:
                self._add(entry.units, -1)
                del self._entries[key]

    def _spent(self, key: str, units: Mapping[str, Decimal]) -> None:
        """Count ``units`` already spent by the task of ``key`` (made before this budget: a
        batch's manifest); a create of that id later is that task, not a new charge."""
        with self._lock:
            entry = _Entry(dict(units), None)
            entry.settled = True
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._add(previous.units, -1)
            self._entries[key] = entry
            self._add(entry.units)

    def _observe(self, task: Any) -> None:
        """A task model was read: a finished one whose charge is known settles its create."""
        if self._parent is not None:
            self._parent._observe(task)
        if not task.is_finished or task.task_id not in self._tasks:
            return
        with self._lock:
            key = self._tasks.get(task.task_id)
            entry = self._entries.get(key) if key is not None else None
            if entry is None or entry.settled:
                return
            charged = charge_of(task, entry.package)
            if charged is None:
                return
            self._add(entry.units, -1)
            entry.units, entry.settled = charged, True
            self._add(charged)

    # -- arithmetic, under the lock ----------------------------------------------------------

    def _add(self, units: Mapping[str, Decimal], sign: int = 1) -> None:
        for package, amount in units.items():
            self._used[package] = self._used.get(package, _ZERO) + sign * amount

    def _left(self) -> dict[str, Decimal]:
        used_total = sum(self._used.values(), _ZERO)
        return {
            name: max(
                _ZERO, limit - (used_total if name == "total" else self._used.get(name, _ZERO))
            )
            for name, limit in self.limits.items()
        }

    def _over(self, units: Mapping[str, Decimal]) -> list[str]:
        """The limits ``units`` would pass."""
        over = [
            package
            for package, amount in units.items()
            if package in self.limits
            and self._used.get(package, _ZERO) + amount > self.limits[package]
        ]
        total = self.limits.get("total")
        adding = sum(units.values(), _ZERO)
        if total is not None and adding and sum(self._used.values(), _ZERO) + adding > total:
            over.append("total")
        return over


def budget_of(value: BudgetLike | None) -> Budget | None:
    """``budget=`` as a :class:`Budget` (the same object when one is given)."""
    if value is None or isinstance(value, Budget):
        return value
    if isinstance(value, Mapping):
        unknown = sorted(set(value) - {*PACKAGES, "total", "allow_unpriced"})
        if unknown:
            raise InvalidParameterError(
                f"budget: unknown key {unknown[0]!r}; use video, image, audio, total or "
                "allow_unpriced",
                field="budget",
            )
        return Budget(**value)
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise InvalidParameterError(
            f"budget must be a Budget, a mapping of limits or a number of units, got "
            f"{type(value).__name__}",
            field="budget",
        )
    return Budget(total=value)


def charge_of(task: Any, package: str | None) -> dict[str, Decimal] | None:
    """The units a finished task was charged, by package; None when Kling does not say.

    The new standard's ``billing`` names each charge's package; a legacy task's
    ``final_unit_deduction`` is one number, counted in ``package`` (the quote's). A charge to the
    cash balance is not in units: None, and the reservation stands.
    """
    billing = getattr(task, "billing", None)
    if billing is not None:
        if not billing or any(item.charge_type != "unit" for item in billing):
            return None
        charged: dict[str, Decimal] = {}
        for item in billing:
            where = item.package_type or package
            amount = _decimal(item.amount)
            if where is None or amount is None:
                return None
            charged[where] = charged.get(where, _ZERO) + amount
        return charged
    amount = _decimal(getattr(task, "final_unit_deduction", None))
    if amount is None or package is None:
        return None
    return {package: amount}


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def _units(value: Any, name: str) -> Decimal:
    number = None if isinstance(value, bool) else _decimal(value)
    if number is None:
        raise InvalidParameterError(
            f"budget {name}: a number of units of 0 or more, got {value!r}", field="budget"
        )
    return number


def _show(units: Decimal) -> str:
    text = f"{units:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _describe(left: Mapping[str, Decimal], over: list[str]) -> str:
    """``4 video units`` / ``4 units in total`` for the limits passed."""
    parts = [
        f"{_show(left[name])} units in total"
        if name == "total"
        else f"{_show(left[name])} {name} units"
        for name in over
    ]
    return " and ".join(parts)
