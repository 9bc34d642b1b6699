"""What Kling charged for a task, held against what the price table said it would. No I/O.

A task the client created carries its quote (``kling._quote``); when a wait sees it finish, the
charge Kling reports (``final_unit_deduction``, or the new standard's ``billing[]``) is compared
with it. A difference means Kling's prices moved (or a price row is wrong): one WARNING on the
``kling`` logger per model and feature, per process, so that a batch of 10,000 tasks says it
once.
"""

from __future__ import annotations

import threading
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ._logging import logger

if TYPE_CHECKING:
    from ._quote import Quote

__all__ = ["charged_units", "check_charge"]

_warned: set[tuple[tuple[str, str], ...]] = set()
_lock = threading.Lock()


def _decimal(text: Any) -> Decimal | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def charged_units(task: Any) -> Decimal | None:
    """Resource-pack units Kling charged for ``task`` (either standard), exactly; None when it
    says none (not finished, or paid from the cash balance)."""
    billing = getattr(task, "billing", None)
    if billing is not None:  # the new standard: the ``unit`` entries of ``billing``
        amounts = [_decimal(b.amount) for b in billing if b.charge_type == "unit"]
        known = [amount for amount in amounts if amount is not None]
        return sum(known, Decimal(0)) if known else None
    if getattr(task, "final_balance_deduction", None):
        return None  # paid from the cash balance: its units say nothing of the price
    return _decimal(getattr(task, "final_unit_deduction", None))


def check_charge(quote: Quote, task: Any) -> None:
    """Log one WARNING per model and feature when Kling charged a succeeded ``task`` other than
    its ``quote`` says. Quiet for failed tasks, unpriced quotes and unknown charges."""
    if not quote.priced or not quote.lines or not task.is_succeeded:
        return
    packages = quote.packages
    if len(packages) != 1:
        return
    charged = charged_units(task)
    (expected,) = packages.values()
    if charged is None or charged == expected:
        return
    key = tuple(dict.fromkeys((line.price.model, line.price.feature) for line in quote.lines))
    with _lock:
        if key in _warned:
            return
        _warned.add(key)
    rows = "; ".join(dict.fromkeys(line.price.describe() for line in quote.lines))
    logger.warning(
        "Kling charged %s units where the table says %s (%s; task %s): the price table may be "
        "stale. Later differences for this model and feature are not logged.",
        _plain(charged),
        _plain(expected),
        rows,
        task.task_id,
    )


def _plain(value: Decimal) -> str:
    """``2.4`` for ``Decimal("2.40")``, ``3`` for ``Decimal("3.0")``."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
