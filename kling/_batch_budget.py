"""A batch's ``max_units``: checked against the jobs' quotes before the first create, with what
earlier runs of the same jobs spent (their manifest) counted in. No I/O.

The run then creates through a client whose budget is this one (``kling._budget``), so a run
never creates past the limit, whatever happens while it runs (a job's retry, a task adopted
from a run that was killed before writing its line).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from ._budget import Budget, BudgetLike, budget_of
from ._jobs import Job, ManifestEntry
from ._quote import Quote, quote_for

__all__ = ["batch_budget"]


def batch_budget(
    max_units: BudgetLike,
    batch: Sequence[Job],
    manifest: Mapping[str, ManifestEntry],
    todo: Sequence[tuple[Job, int]],
) -> Budget:
    """The budget of a run of ``batch`` (checked jobs) that will create ``todo``; raises
    ``BudgetExceededError`` when the jobs' total, or what earlier runs spent plus what this one
    would create, passes ``max_units``."""
    budget = budget_of(max_units)
    assert budget is not None
    quotes: dict[int, Quote] = {}
    for job in batch:
        assert job.row is not None, "jobs come from parse_jobs, which resolves their row"
        quotes[job.line] = quote_for(job.row, job.create_params)
    total = sum(quotes.values(), Quote(creates=0))
    with budget._lock:
        budget._check(
            total,
            f"batch of {len(batch)} jobs refused",
            "max_units",
            "nothing was created",
        )
    for job in batch:
        entry = manifest.get(job.external_id())
        if entry is not None:
            _count_earlier(budget, job, entry, quotes[job.line])
    new = [
        quotes[job.line] for job, attempt in todo if job.external_id(attempt) not in budget._entries
    ]
    with budget._lock:
        budget._check(
            sum(new, Quote(creates=0)),
            f"batch refused ({len(new)} jobs left to create)",
            f"max_units, after the {_spent(budget)} units earlier runs spent,",
            "nothing was created",
        )
    return budget


def _count_earlier(budget: Budget, job: Job, entry: ManifestEntry, quote: Quote) -> None:
    """Count the tasks earlier runs made for ``job``: its last attempt's, at what Kling
    charged when the manifest says, and every earlier attempt's (each made a task that failed,
    whose charge the manifest no longer holds) at its quote."""
    made = entry.attempt + 1 if entry.record.get("task_id") else entry.attempt
    for attempt in range(made):
        units = quote.packages
        charged = entry.record.get("units_charged")
        if attempt == entry.attempt and charged is not None and quote.package is not None:
            units = {quote.package: Decimal(str(charged))}
        budget._spent(job.external_id(attempt), units)


def _spent(budget: Budget) -> str:
    text = f"{sum(budget._used.values(), Decimal(0)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
