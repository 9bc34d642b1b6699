"""``--dry-run``: what a create (or a batch) would send and cost, with nothing sent.

No client is built, so a dry run needs no credentials: the parameters are checked and the body
built as a create does (``prepare_body``), and priced from Kling's published table
(``kling._quote``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.markup import escape

from ._output import err_console, out_console, print_json, print_table

if TYPE_CHECKING:
    from kling._job_quotes import BatchQuote
    from kling._quote import Quote
    from kling._rows import Endpoint

__all__ = ["dry_run_batch", "print_batch_quote", "print_dry_run", "quote_lines"]

#: Longer strings (Base64 of a local file) are shortened in the human view; --json has them all.
_SHOWN_CHARS = 120


def print_dry_run(
    row: Endpoint, params: Mapping[str, Any], extra_body: Mapping[str, Any] | None, *, json: bool
) -> None:
    """Check ``params`` as the create would, then print the request and its quote."""
    from kling._params import prepare_body
    from kling._quote import quote_for

    body = prepare_body(row, params, extra_body)
    from kling._rows import TaskRow

    path = row.create_path(params) if isinstance(row, TaskRow) else row.path
    quote = quote_for(row, params)
    if json:
        print_json(
            {
                "dry_run": True,
                "method": "POST",
                "path": path,
                "body": body,
                "quote": quote.to_json(),
            }
        )
        return
    console = out_console()
    console.print(f"Would send POST {escape(path)}:", markup=True)
    console.print(_shown(body), markup=False)
    for line in quote_lines(quote):
        console.print(line, markup=False)
    note = "Dry run: nothing was sent."
    if isinstance(row, TaskRow) and "external_task_id" not in params:
        note += (
            " A real create also carries an external_task_id of its own (pass "
            "--external-task-id to choose it)."
        )
    err_console().print(note, markup=False)


def quote_lines(quote: Quote) -> list[str]:
    """``Quote: 2.4 video units ($0.336)`` and a line per price row used."""
    lines = [f"Quote: {quote}"]
    lines += [f"  {row.describe()} ({row.source.url})" for row in quote.rows]
    return lines


def _shown(body: Mapping[str, Any]) -> str:
    def shorten(value: Any) -> Any:
        if isinstance(value, str) and len(value) > _SHOWN_CHARS:
            return f"{value[:40]}...({len(value)} characters)"
        if isinstance(value, list):
            return [shorten(item) for item in value]
        if isinstance(value, dict):
            return {key: shorten(item) for key, item in value.items()}
        return value

    return json.dumps(shorten(dict(body)), indent=2, ensure_ascii=False)


def _amount(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.0001')):f}".rstrip("0").rstrip(".")
    return text or "0"


def print_batch_quote(quoted: BatchQuote, *, json: bool) -> None:
    """The table of a batch's dry run: per family and model, then the totals per package."""
    total = quoted.total
    groups = quoted.groups()
    if json:
        print_json(
            {
                "dry_run": True,
                "jobs": len(quoted.jobs),
                "groups": [
                    {"family": what, "model": model, "jobs": quote.creates, **quote.to_json()}
                    for what, model, quote in groups
                ],
                "total": total.to_json(),
            }
        )
        return
    found = {package for _, _, quote in groups for package in quote.packages}
    packages = [package for package in ("video", "image", "audio") if package in found]
    columns = ["family", "model", "jobs", *(f"{p} units" for p in packages), "USD", "unpriced"]
    rows = [
        [
            what,
            model,
            str(quote.creates),
            *(_amount(quote.packages.get(p, Decimal(0))) for p in packages),
            f"${_amount(quote.usd)}",
            str(len(quote.unpriced)) if quote.unpriced else "",
        ]
        for what, model, quote in groups
    ]
    rows.append(
        [
            "total",
            "",
            str(total.creates),
            *(_amount(total.packages.get(p, Decimal(0))) for p in packages),
            f"${_amount(total.usd)}",
            str(len(total.unpriced)) if total.unpriced else "",
        ]
    )
    print_table(f"Dry run of {len(quoted.jobs)} jobs: nothing was sent", columns, rows)
    console = out_console()
    for package in packages:
        console.print(f"Total {package}: {_amount(total.packages[package])} units", markup=False)
    console.print(f"Total list price: ${_amount(total.usd)}", markup=False)
    if total.unpriced:
        console.print(
            f"Unpriced (not in the totals), {len(total.unpriced)} of the jobs: {total.reason}",
            markup=False,
        )


def dry_run_batch(
    jobs: str | os.PathLike[str],
    *,
    family: str | None,
    namespace: str | None,
    shard: str | None,
    json: bool,
) -> None:
    """``kling batch run JOBS --dry-run``: the jobs of ``JOBS`` (of one shard) checked and
    quoted; the first bad one fails the command, naming its line."""
    from kling._job_quotes import quote_jobs
    from kling._jobs import Shard, load_jobs

    batch = load_jobs(jobs, family=family, namespace=namespace)
    if shard is not None:
        taken = Shard.parse(shard)
        batch = [job for job in batch if taken.takes(job)]
    print_batch_quote(quote_jobs(batch), json=json)
