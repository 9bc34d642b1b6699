"""The tools of a selection session (multi-element editing): init, add, delete, clear, preview.

One tool per step, for every row with ``selections`` (``kling._rows.Selections``); the edit
itself is the row's ordinary create tool (``create_multi_elements``). Answers are short: a
mask is summed up as its area and bounding box, never its RLE or PNG.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._rows import Family, TaskRow, resource_of
from . import _inputs
from ._errors import ToolInputError

if TYPE_CHECKING:
    from .._async._client import AsyncKlingClient
    from .._models_multi_elements import SelectionResult
    from .._params._common import JsonSchema

__all__ = ["STEPS", "run_step", "step_path", "step_schema", "tool_name"]

#: Each step: what it does, for the agent.
STEPS: dict[str, str] = {
    "init": "Start a selection session on a video (exactly one of video_id, a Kling video of "
    "the last 30 days, or video_url, .mp4/.mov; 2-5 s or 7-10 s). Returns the session_id "
    "(valid 24 h) and the frame count.",
    "add": "Mark the element under up to 10 points (x, y in [0, 1], fractions of the width "
    "and height) of one frame; at most 10 frames a session. Returns the frame's masks.",
    "delete": "Take back points marked on a frame (the exact coordinates added).",
    "clear": "Take back every selection of the session.",
    "preview": "Render the selection through the video: URLs of the masked video, its cover "
    "and the per-frame tracking output.",
}
_SESSION = {"type": "string", "minLength": 1, "description": "From the init step."}
_NEXT = {
    "init": "Mark elements with {name}_add_selection, check them with "
    "{name}_preview_selection, then edit with create_{name} and this session_id.",
    "add": "Check the selection with {name}_preview_selection, then edit with create_{name}.",
}


def tool_name(row: TaskRow, step: str) -> str:
    """``multi_elements_add_selection``."""
    return f"{row.name}_{step}_selection"


def step_path(row: Family, step: str) -> str:
    """Where ``row``'s ``step`` is sent."""
    assert row.selections is not None
    path: str = getattr(row.selections, f"{step}_path")
    return path


def step_schema(step: str) -> JsonSchema:
    """The input schema of a step's tool."""
    if step == "init":
        properties: dict[str, Any] = {
            "video_id": {"type": "string", "minLength": 1, "description": "A Kling video's id."},
            "video_url": {"type": "string", "minLength": 1, "description": "An .mp4/.mov URL."},
        }
        return {"type": "object", "properties": properties, "additionalProperties": False}
    properties = {"session_id": dict(_SESSION)}
    required = ["session_id"]
    if step in ("add", "delete"):
        point = {
            "type": "object",
            "properties": {
                "x": {"type": "number", "minimum": 0, "maximum": 1},
                "y": {"type": "number", "minimum": 0, "maximum": 1},
            },
            "required": ["x", "y"],
            "additionalProperties": False,
        }
        properties["frame_index"] = {"type": "integer", "minimum": 0, "description": "From 0."}
        properties["points"] = {"type": "array", "items": point, "minItems": 1, "maxItems": 10}
        required += ["frame_index", "points"]
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


async def run_step(
    client: AsyncKlingClient, row: TaskRow, step: str, arguments: dict[str, Any]
) -> dict[str, Any]:
    """Call ``row``'s ``step``; its answer as a short JSON payload."""
    resource = resource_of(client, row)
    _inputs.only(arguments, step_schema(step)["properties"], tool_name(row, step))
    hint = _NEXT.get(step, "").format(name=row.name)
    if step == "init":
        started = await resource.init_selection(**arguments)
        assert started.info is not None
        return {
            **started.info.model_dump(mode="json", exclude_none=True),
            "expires_at": started.expires_at.isoformat() if started.expires_at else None,
            "next": hint,
        }
    session_id = _inputs.text(arguments, "session_id")
    if session_id is None:
        raise ToolInputError("session_id is required (from the init step)", field="session_id")
    session = resource.session(session_id)
    if step in ("add", "delete"):
        change = session.add_selection if step == "add" else session.delete_selection
        result = await change(arguments.get("frame_index"), arguments.get("points"))
        return {**_masks(result), **({"next": hint} if hint else {})}
    if step == "clear":
        await session.clear_selection()
        return {"session_id": session_id, "cleared": True}
    preview = await session.preview()
    return {"session_id": session_id, **preview.res.model_dump(mode="json", exclude_none=True)}


def _masks(result: SelectionResult) -> dict[str, Any]:
    masks = []
    for item in result.masks:
        summary: dict[str, Any] = {"object_id": item.object_id}
        if item.rle_mask is not None:
            rows = item.rle_mask.decode()
            inside = [y for y, row in enumerate(rows) if 1 in row]
            summary["size"] = item.rle_mask.size
            summary["area"] = sum(row.count(1) for row in rows)
            if inside:
                left = min(rows[y].find(1) for y in inside)
                right = max(rows[y].rfind(1) for y in inside)
                summary["bbox"] = [left, inside[0], right, inside[-1]]
        masks.append(summary)
    return {
        "session_id": result.session_id,
        "frame_index": result.res.frame_index,
        "masks": masks,
    }
