"""The selection session's tools: an agent marks elements of a video, previews, then edits."""

from __future__ import annotations

from kling.testing import FakeKling

from .conftest import Mcp

V = "https://cdn.example/in.mp4"
ADD = "/v1/videos/multi-elements/add-selection"


async def test_an_agent_marks_previews_and_edits_a_video(mcp: Mcp, fake: FakeKling) -> None:
    started = await mcp.ok("multi_elements_init_selection", {"video_url": V})
    session = started["session_id"]
    assert started["total_frame"] == 150
    assert "multi_elements_add_selection" in started["next"]
    added = await mcp.ok(
        "multi_elements_add_selection",
        {"session_id": session, "frame_index": 0, "points": [{"x": 0.5, "y": 0.5}]},
    )
    (mask,) = added["masks"]
    assert mask["size"] == [720, 1280]
    left, top, right, bottom = mask["bbox"]  # a box around the click at (640, 360)
    assert left < 640 < right
    assert top < 360 < bottom
    assert mask["area"] == (right - left + 1) * (bottom - top + 1)
    preview = await mcp.ok("multi_elements_preview_selection", {"session_id": session})
    assert preview["video"].endswith("-preview.mp4")

    created = await mcp.ok(
        "create_multi_elements",
        {"session_id": session, "edit_mode": "removal", "prompt": "Delete it from <<<video_1>>>"},
    )
    done = await mcp.ok("wait_task", {"family": "multi_elements", "task_id": created["task_id"]})
    assert done["status"] == "succeed"
    deleted = await mcp.ok(
        "multi_elements_delete_selection",
        {"session_id": session, "frame_index": 0, "points": [{"x": 0.5, "y": 0.5}]},
    )
    assert deleted["masks"] == []
    cleared = await mcp.ok("multi_elements_clear_selection", {"session_id": session})
    assert cleared == {"session_id": session, "cleared": True}


async def test_a_point_out_of_the_frame_is_a_tool_error_before_anything_is_sent(
    mcp: Mcp, fake: FakeKling
) -> None:
    answer = await mcp.call(
        "multi_elements_add_selection",
        {"session_id": "s1", "frame_index": 0, "points": [{"x": 0.5, "y": 1.5}]},
    )
    assert answer.error["field"] == "points[0].y"
    assert "must be a number from 0 to 1" in answer.error["message"]
    assert not [r for r in fake.requests if r.path == ADD]


async def test_kling_refusals_reach_the_agent(mcp: Mcp) -> None:
    answer = await mcp.call("multi_elements_preview_selection", {"session_id": "s0"})
    assert answer.error["api_code"] == 1201
    assert "does not exist or has expired" in answer.error["message"]
    unknown = await mcp.call("multi_elements_clear_selection", {"session_id": "s0", "x": 1})
    assert "takes no argument 'x'" in unknown.error["message"]


async def test_selection_steps_are_neither_read_only_nor_idempotent(mcp: Mcp) -> None:
    listed = {tool.name: tool for tool in (await mcp.session.list_tools()).tools}
    add = listed["multi_elements_add_selection"]
    assert add.annotations is not None
    assert add.annotations.read_only_hint is False
    assert add.annotations.idempotent_hint is False
    assert add.input_schema["properties"]["points"]["maxItems"] == 10
    assert "/v1/videos/multi-elements/add-selection" in (add.description or "")
