"""What a tool answers: short JSON an agent can act on, never the whole API response."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .._models_endpoints import CostsResult, ResourcePack

__all__ = ["costs_summary", "task_summary"]


def task_summary(task: Any, family: str, *, existing: bool = False) -> dict[str, Any]:
    """A task of either standard as ``{task_id, family, status, finished, result_urls...}``.

    ``next`` says what to call next; ``existing`` marks a create answered with the task an
    earlier identical call made.
    """
    summary: dict[str, Any] = {
        "task_id": task.task_id,
        "external_task_id": task.external_task_id,
        "family": family,
        "status": task.task_status,
        "status_message": task.task_status_msg or None,
        "finished": task.is_finished,
        "result_urls": task.result_urls(),
        "units_charged": task.units_charged,
        "created_at": _iso(task.created_at),
    }
    library = _library_items(task)
    if library:
        summary["items"] = library
    if existing:
        summary["existing"] = True
    summary["next"] = _next_step(task, existing)
    return {key: value for key, value in summary.items() if value not in (None, [], "")}


def _next_step(task: Any, existing: bool) -> str:
    if task.is_failed:
        again = "create again with a new external_task_id" if existing else "create again"
        return f"The task failed; change what the message points at and {again}."
    if task.is_succeeded:
        return "Done: download_results saves the files (the URLs expire)."
    return "Not finished: call wait_task with this family and task_id."


def _library_items(task: Any) -> list[dict[str, Any]]:
    # Elements and voices are kept by id, not downloaded.
    result = getattr(task, "task_result", None)
    items = [*getattr(result, "elements", ()), *getattr(result, "voices", ())]
    return [item.model_dump(exclude_none=True) for item in items]


def costs_summary(costs: CostsResult) -> dict[str, Any]:
    """The resource packs, each with what is left of it."""
    return {"resource_packs": [_pack(pack) for pack in costs.resource_pack_subscribe_infos]}


def _pack(pack: ResourcePack) -> dict[str, Any]:
    fields = {
        "name": pack.resource_pack_name,
        "type": pack.resource_pack_type,
        "status": pack.status,
        "total": pack.total_quantity,
        "remaining": pack.remaining_quantity,
        "effective_at": _iso(pack.effective_time),
        "expires_at": _iso(pack.invalid_time),
    }
    return {key: value for key, value in fields.items() if value is not None}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None
