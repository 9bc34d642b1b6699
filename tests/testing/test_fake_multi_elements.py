"""FakeKling's multi-element editing: stateful selection sessions and the edit task's refusals.
Raw HTTP only, never the SDK.

Kling's page:
https://github.com/aself101/kling-api/blob/main/docs/api/kling-multi-element-video-editing.md
"""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from kling.masks import decode_rle
from kling.testing import FakeKling

from ._legacy_http import IMG, VID, client, created, refusal, video_id
from .conftest import ManualClock

ROOT = "/v1/videos/multi-elements"
REMOVE = {"edit_mode": "removal", "prompt": "Delete the dog from <<<video_1>>>"}


async def _step(http: httpx.AsyncClient, step: str, **body: Any) -> dict[str, Any]:
    response = await http.post(f"{ROOT}/{step}", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def _session(http: httpx.AsyncClient, **body: Any) -> str:
    data = await _step(http, "init-selection", **(body or {"video_url": VID}))
    session_id: str = data["session_id"]
    return session_id


async def test_init_answers_the_parsed_video() -> None:
    async with client() as http:
        data = await _step(http, "init-selection", video_url=VID)
        ten = await video_id(http, duration="10")
        longer = await _step(http, "init-selection", video_id=ten)
    assert data["status"] == 0
    assert (data["fps"], data["total_frame"], data["width"], data["height"]) == (
        30.0,
        150,
        1280,
        720,
    )
    assert data["normalized_video"].endswith(f"{data['session_id']}-normalized.mp4")
    assert longer["total_frame"] == 300


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "one of video_id or video_url is required"),
        ({"video_id": "v1", "video_url": VID}, "send only one of video_id or video_url"),
        ({"video_id": "nope"}, "video_id 'nope' does not exist"),
    ],
)
async def test_init_refusals(body: dict[str, Any], message: str) -> None:
    async with client() as http:
        response = await http.post(f"{ROOT}/init-selection", json=body)
    assert message in refusal(response, 400, 1201)


async def test_added_points_come_back_as_a_mask_around_them() -> None:
    async with client() as http:
        session = await _session(http)
        data = await _step(
            http,
            "add-selection",
            session_id=session,
            frame_index=4,
            points=[{"x": 0.25, "y": 0.75}],
        )
    assert data["res"]["frame_index"] == 4
    (mask,) = data["res"]["rle_mask_list"]
    rows = decode_rle(mask["rle_mask"]["counts"], mask["rle_mask"]["size"])
    assert rows[540][320] == 1  # the click
    assert rows[100][1000] == 0
    assert base64.b64decode(mask["png_mask"]["base64"]).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ([{"x": 1.2, "y": 0.5}], "points[0].x must be in [0, 1], got 1.2"),
        ([{"x": 0.5}], "points[0].y is required"),
        ([{"x": 0.5, "y": 0.5}] * 11, "points can hold at most 10 item(s), got 11"),
        ([], "points needs at least 1 item(s)"),
    ],
)
async def test_point_refusals(points: list[dict[str, Any]], message: str) -> None:
    async with client() as http:
        session = await _session(http)
        response = await http.post(
            f"{ROOT}/add-selection",
            json={"session_id": session, "frame_index": 0, "points": points},
        )
    assert message in refusal(response, 400, 1201)


async def test_ten_frames_and_ten_points_a_frame_at_most() -> None:
    point = {"x": 0.5, "y": 0.5}
    async with client() as http:
        session = await _session(http)
        for frame in range(10):
            await _step(
                http, "add-selection", session_id=session, frame_index=frame, points=[point]
            )
        eleventh = await http.post(
            f"{ROOT}/add-selection",
            json={"session_id": session, "frame_index": 10, "points": [point]},
        )
        await _step(http, "add-selection", session_id=session, frame_index=0, points=[point] * 9)
        crowded = await http.post(
            f"{ROOT}/add-selection",
            json={"session_id": session, "frame_index": 0, "points": [point]},
        )
    assert "a maximum of 10 frames can be marked" in refusal(eleventh, 400, 1201)
    assert "up to 10 points can be marked on a single frame" in refusal(crowded, 400, 1201)


async def test_delete_takes_back_exactly_the_points_added_and_clear_takes_all() -> None:
    async with client() as http:
        session = await _session(http)
        point = {"x": 0.3, "y": 0.3}
        await _step(http, "add-selection", session_id=session, frame_index=2, points=[point])
        wrong = await http.post(
            f"{ROOT}/delete-selection",
            json={"session_id": session, "frame_index": 2, "points": [{"x": 0.3, "y": 0.31}]},
        )
        left = await _step(
            http, "delete-selection", session_id=session, frame_index=2, points=[point]
        )
        await _step(http, "add-selection", session_id=session, frame_index=5, points=[point])
        await _step(http, "clear-selection", session_id=session)
        removal = await http.post(ROOT, json={"session_id": session, **REMOVE})
    assert "coordinates must match those added exactly" in refusal(wrong, 400, 1201)
    assert left["res"]["rle_mask_list"] == []
    assert "edit_mode 'removal' needs the element marked first" in refusal(removal, 400, 1201)


async def test_preview_answers_the_masked_video_cover_and_tracking() -> None:
    async with client() as http:
        session = await _session(http)
        data = await _step(http, "preview-selection", session_id=session)
    assert set(data["res"]) == {"video", "video_cover", "tracking_output"}


async def test_sessions_expire_after_24_hours() -> None:
    wall = ManualClock(1_800_000_000.0)
    async with client(FakeKling(wall_clock=wall)) as http:
        session = await _session(http)
        wall.advance(86_399)
        await _step(http, "preview-selection", session_id=session)
        wall.advance(1)
        response = await http.post(f"{ROOT}/preview-selection", json={"session_id": session})
    assert refusal(response, 400, 1201) == (
        f"Invalid parameter: session_id '{session}' does not exist or has expired (sessions "
        "from init-selection last 24 hours)"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"edit_mode": "addition", "prompt": "add <<<image_1>>>"}, "image_list needs at least 1"),
        (
            {"edit_mode": "swap", "prompt": "x", "image_list": [{"image": IMG}] * 2},
            "image_list can hold at most 1 item(s), got 2",
        ),
        ({**REMOVE, "duration": "10"}, "duration '10' needs an input video of 7-10 s"),
        ({**REMOVE, "prompt": "x" * 2501}, "prompt cannot exceed 2500 characters"),
    ],
)
async def test_edit_refusals(body: dict[str, Any], message: str) -> None:
    async with client() as http:
        session = await _session(http)
        await _step(
            http, "add-selection", session_id=session, frame_index=0, points=[{"x": 0.5, "y": 0.5}]
        )
        response = await http.post(ROOT, json={"session_id": session, **body})
    assert message in refusal(response, 400, 1201)


async def test_an_edit_names_its_session_in_the_result() -> None:
    async with client() as http:
        session = await _session(http)
        await _step(
            http, "add-selection", session_id=session, frame_index=0, points=[{"x": 0.5, "y": 0.5}]
        )
        task_id = await created(http, ROOT, {"session_id": session, **REMOVE})
        task = (await http.get(f"{ROOT}/{task_id}")).json()["data"]
        unknown = await http.post(ROOT, json={"session_id": "s0", **REMOVE})
    assert task["task_result"]["videos"][0]["session_id"] == session
    assert "session_id 's0' does not exist or has expired" in refusal(unknown, 400, 1201)
