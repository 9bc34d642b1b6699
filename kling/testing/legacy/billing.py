"""The billing details (``POST /account/billing/balance`` and ``/account/billing/package``): a
row per task the account paid for, read from the fake's ledger (``kling.testing._ledger``):
charges to a resource pack in ``/package``, in units; charges to the cash balance in
``/balance``, in dollars. Kling's pages, which the checks follow:

* https://github.com/aself101/kling-api/blob/main/docs/api/kling-assets-balance.md
* https://github.com/aself101/kling-api/blob/main/docs/api/kling-assets-package.md

A cursor carries the query it continues and where it stopped, so the fake keeps no state for it;
"when cursor is provided, it overrides all other parameters", as the pages say.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

from .. import _rulebook as R
from .._ledger import Charge
from .._task import FakeTask
from .fields import reject

Kind = Literal["balance", "package"]

MAX_LIMIT = 500
"""``limit``: "Maximum: 500", also the default."""
FILTER_KEYS: Mapping[Kind, tuple[str, ...]] = {
    "balance": ("api_key_name",),
    "package": ("api_key_name", "product_type", "package_name", "package_id"),
}
PRODUCT_TYPES = ("video", "image", "try-on")
API_KEY_NAME = "default"
"""The name of the one API key every fake task is billed to."""
_RESOLUTIONS = {"std": "720p", "pro": "1080p", "4k": "4k"}  # "Legacy: mode parameter mapped"


def query(kind: Kind, body: Mapping[str, Any]) -> tuple[dict[str, Any], int]:
    """The checked query of a request body and the offset it starts at (0, or the cursor's)."""
    cursor = body.get("cursor")
    if cursor not in (None, ""):
        return _decode(cursor)
    times = []
    for name in ("start_time", "end_time"):
        value = body.get(name)
        if value is None:
            reject(R.BILLING, f"{name} is required when cursor is empty")
        if isinstance(value, bool) or not isinstance(value, int):
            reject(R.BILLING, f"{name} must be Unix milliseconds")
        times.append(value)
    if times[0] >= times[1]:
        reject(R.BILLING, "start_time must be earlier than end_time")
    limit = body.get("limit", MAX_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        reject(R.BILLING, f"limit must be an integer of at most {MAX_LIMIT}")
    filters = _filters(kind, body.get("filters"))
    return {"start": times[0], "end": times[1], "limit": limit, "filters": filters}, 0


def page(rows: Sequence[dict[str, Any]], wanted: dict[str, Any], offset: int) -> dict[str, Any]:
    """One page of ``rows`` (already filtered) from ``offset``: the ``data`` of the answer."""
    chunk = list(rows[offset : offset + wanted["limit"]])
    end = offset + len(chunk)
    more = end < len(rows)
    data: dict[str, Any] = {"result": {"detail": chunk, "count": len(chunk)}, "has_more": more}
    data["next_cursor"] = _encode(wanted, end) if more else ""
    return data


def rows(kind: Kind, charges: Sequence[Charge], wanted: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of ``kind`` for the account's ``charges`` (oldest first) that ``wanted``
    selects: tasks created inside its window, matching every filter."""
    found = []
    for charge in charges:
        task, pack = charge.task, charge.pack
        if (kind == "package") != (pack is not None):
            continue  # paid the other way
        row = _row(task, charge.amount)
        after = charge.before - charge.amount
        if pack is None:
            row |= {
                "cash_type": "balance",
                "balance_before_deduction": float(charge.before),
                "balance_after_deduction": float(after),
                "list_price": float(charge.amount),
                "currency": "USD",
            }
        else:
            row = {
                "package_id": str(pack.get("resource_pack_id") or ""),
                "product_type": charge.product_type,
                **row,
                "unit_before_deduction": float(charge.before),
                "unit_after_deduction": float(max(after, Decimal(0))),
            }
        if wanted["start"] <= task.created_at <= wanted["end"] and _matches(
            row, pack, wanted["filters"]
        ):
            found.append(row)
    return found


# -- helpers ---------------------------------------------------------------------------------


def _filters(kind: Kind, value: Any) -> dict[str, list[str]]:
    if value is None:
        return {}
    if not isinstance(value, list):
        reject(R.BILLING, "filters must be an array")
    found: dict[str, list[str]] = {}
    for index, entry in enumerate(value):
        if not isinstance(entry, dict):
            reject(R.BILLING, f"filters[{index}] must be an object")
        key, values = entry.get("key"), entry.get("values")
        if key not in FILTER_KEYS[kind]:
            reject(R.BILLING, f"filters[{index}].key must be one of {', '.join(FILTER_KEYS[kind])}")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            reject(R.BILLING, f"filters[{index}].values must be an array of strings")
        if key == "product_type":
            for item in values:
                if item not in PRODUCT_TYPES:
                    reject(R.BILLING, f"product_type must be one of {', '.join(PRODUCT_TYPES)}")
        if values:  # an empty list filters nothing (the pages' own examples send them)
            found.setdefault(key, []).extend(values)
    if "package_name" in found and "package_id" in found:
        reject(R.BILLING, "package_name and package_id cannot be set at the same time")
    return found


def _matches(
    row: Mapping[str, Any], pack: Mapping[str, Any] | None, filters: Mapping[str, list[str]]
) -> bool:
    values = dict(row)
    if pack is not None:
        values["package_name"] = pack.get("resource_pack_name")
    return all(values.get(key) in wanted for key, wanted in filters.items())


def _row(task: FakeTask, units: Decimal) -> dict[str, Any]:
    details, body = task.details, task.body
    mode = details.get("mode") or body.get("mode")
    model = details.get("model_name") or body.get("model_name") or getattr(task, "model", "")
    settings = getattr(task, "settings", {})  # a new-standard task's
    row: dict[str, Any] = {
        "task_id": task.task_id,
        "api_key_name": API_KEY_NAME,
        "product_function": task.family.name.replace("_", " ").replace("-", " ").title(),
        "model_name": str(model or ""),
        "resolution": settings.get("resolution") or _RESOLUTIONS.get(str(mode), ""),
        "deduction_time": str(task.updated_at),
        "deduction_amount": float(units),
    }
    if task.family.result in ("videos", "video_audios"):
        seconds = details.get("duration") or body.get("duration") or getattr(task, "duration", 5)
        row["duration"] = str(seconds)
    return row


def _encode(wanted: dict[str, Any], offset: int) -> str:
    text = json.dumps({"query": wanted, "offset": offset}, sort_keys=True)
    return base64.urlsafe_b64encode(text.encode()).decode()


def _decode(cursor: Any) -> tuple[dict[str, Any], int]:
    try:
        state = json.loads(base64.urlsafe_b64decode(str(cursor).encode()))
        return dict(state["query"]), int(state["offset"])
    except (binascii.Error, ValueError, KeyError, TypeError):
        # It "comes from the next_cursor field of the previous response": nothing else is one.
        reject(R.BILLING, "cursor is not one this API returned")
