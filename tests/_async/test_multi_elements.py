"""Multi-element editing: the selection session's steps over the wire, its checks, the edit task.

Kling's page:
https://github.com/aself101/kling-api/blob/main/docs/api/kling-multi-element-video-editing.md
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import respx

from kling import AsyncKlingClient, BadRequestError, InvalidParameterError
from kling.testing import FakeKling, FakeKlingServer
from tests._helpers import ok, sent_json, task

from .conftest import FakeClock

V = "https://cdn.example/in.mp4"
U = "https://cdn.example/in.png"
ROOT = "/v1/videos/multi-elements"
INIT = {
    "status": 0,
    "session_id": "847570360458960960",
    "final_unit_deduction": "0",
    "fps": 30.0,
    "original_duration": 5000,
    "width": 1280,
    "height": 720,
    "total_frame": 150,
    "normalized_video": "https://cdn.example/normalized.mp4",
}
#: 2 rows x 3 columns: runs [2, 1, 1, 2] column by column (see tests/test_masks.py).
MASK = {"size": [2, 3], "counts": "2111"}


def masks(frame_index: int) -> dict[str, Any]:
    return {
        "session_id": INIT["session_id"],
        "status": 0,
        "res": {
            "frame_index": frame_index,
            "rle_mask_list": [{"object_id": 0, "rle_mask": MASK}],
        },
    }


async def started(client: AsyncKlingClient, api: respx.MockRouter) -> Any:
    api.post(f"{ROOT}/init-selection").mock(return_value=ok(INIT))
    return await client.multi_elements.init_selection(video_url=V)


# -- the session over the wire --------------------------------------------------------------------


async def test_init_selection_sends_the_video_and_returns_the_session(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    route = api.post(f"{ROOT}/init-selection").mock(return_value=ok(INIT))
    session = await client.multi_elements.init_selection(video_id="v1")
    assert sent_json(route.calls.last.request) == {"video_id": "v1"}
    assert session.session_id == "847570360458960960"
    assert (session.fps, session.total_frame, session.original_duration) == (30.0, 150, 5000)
    assert session.normalized_video == "https://cdn.example/normalized.mp4"
    now = datetime.fromtimestamp(clock.wall_clock(), tz=timezone.utc)
    assert session.expires_at == now + timedelta(hours=24)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "one of video_id or video_url is required"),
        ({"video_id": "v1", "video_url": V}, "video_url: cannot be combined with video_id"),
    ],
)
async def test_init_selection_takes_exactly_one_video_before_sending(
    client: AsyncKlingClient, api: respx.MockRouter, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidParameterError, match=message):
        await client.multi_elements.init_selection(**params)
    assert not api.calls


async def test_add_selection_sends_the_frame_and_points_and_decodes_the_masks(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    session = await started(client, api)
    route = api.post(f"{ROOT}/add-selection").mock(return_value=ok(masks(12)))
    result = await session.add_selection(12, [(0.25, 0.5), {"x": 1, "y": 0}])
    assert sent_json(route.calls.last.request) == {
        "session_id": "847570360458960960",
        "frame_index": 12,
        "points": [{"x": 0.25, "y": 0.5}, {"x": 1.0, "y": 0.0}],
    }
    assert result.res.frame_index == 12
    assert result.masks[0].rle_mask is not None
    assert result.masks[0].rle_mask.decode() == [b"\x00\x01\x01", b"\x00\x00\x01"]
    assert session.selections == {12: [{"x": 0.25, "y": 0.5}, {"x": 1.0, "y": 0.0}]}


async def test_delete_clear_and_preview_send_the_session(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    session = await started(client, api)
    api.post(f"{ROOT}/add-selection").mock(return_value=ok(masks(0)))
    await session.add_selection(0, [(0.1, 0.2), (0.3, 0.4)])
    delete = api.post(f"{ROOT}/delete-selection").mock(return_value=ok(masks(0)))
    await session.delete_selection(0, [(0.1, 0.2)])
    assert sent_json(delete.calls.last.request) == {
        "session_id": "847570360458960960",
        "frame_index": 0,
        "points": [{"x": 0.1, "y": 0.2}],
    }
    assert session.selections == {0: [{"x": 0.3, "y": 0.4}]}
    clear = api.post(f"{ROOT}/clear-selection").mock(
        return_value=ok({"status": 0, "session_id": "847570360458960960"})
    )
    await session.clear_selection()
    assert sent_json(clear.calls.last.request) == {"session_id": "847570360458960960"}
    assert session.selections == {}
    files = {"video": V, "video_cover": U, "tracking_output": "https://cdn.example/t.mp4"}
    preview = api.post(f"{ROOT}/preview-selection").mock(
        return_value=ok({"status": 0, "session_id": "847570360458960960", "res": files})
    )
    shown = await session.preview()
    assert sent_json(preview.calls.last.request) == {"session_id": "847570360458960960"}
    assert (shown.video, shown.video_cover, shown.tracking_output) == (
        V,
        U,
        "https://cdn.example/t.mp4",
    )


async def test_a_session_is_resumed_by_its_id(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.post(f"{ROOT}/preview-selection").mock(return_value=ok({"status": 0}))
    session = client.multi_elements.session("s-earlier")
    await session.preview()
    assert sent_json(route.calls.last.request) == {"session_id": "s-earlier"}
    assert session.info is None
    assert session.expires_at is None


# -- points are checked before sending (add-selection on Kling's page) ----------------------------


@pytest.mark.parametrize(
    ("frame_index", "points", "message"),
    [
        (0, [(1.5, 0.5)], r"points\[0\].x: must be a number from 0 to 1 .*got 1.5"),
        (0, [(0.5, 0.5), (0.5, -0.1)], r"points\[1\].y: must be a number from 0 to 1"),
        (0, [(True, 0.5)], r"points\[0\].x: must be a number"),
        (0, [(0.5,)], r"points\[0\]: a point is \(x, y\)"),
        (0, [{"x": 0.5}], r"points\[0\]: a point is \{'x': .., 'y': ..\}"),
        (0, [], "points: give at least one point"),
        (0, [(0.5, 0.5)] * 11, "points: at most 10 points can be marked on a frame, got 11"),
        (-1, [(0.5, 0.5)], "frame_index: must be an int >= 0, got -1"),
        ("3", [(0.5, 0.5)], "frame_index: must be an int >= 0"),
    ],
)
async def test_bad_points_are_refused_before_sending(
    client: AsyncKlingClient, api: respx.MockRouter, frame_index: Any, points: Any, message: str
) -> None:
    session = await started(client, api)
    add = api.post(f"{ROOT}/add-selection").mock(return_value=ok(masks(0)))
    with pytest.raises(InvalidParameterError, match=message):
        await session.add_selection(frame_index, points)
    with pytest.raises(InvalidParameterError, match=message):
        await session.delete_selection(frame_index, points)
    assert not add.called


async def test_an_eleventh_frame_and_an_eleventh_point_on_a_frame_are_refused(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    session = await started(client, api)
    add = api.post(f"{ROOT}/add-selection").mock(return_value=ok(masks(0)))
    for frame in range(10):
        await session.add_selection(frame * 10, [(0.5, 0.5)])
    with pytest.raises(InvalidParameterError, match="at most 10 frames can be marked"):
        await session.add_selection(5, [(0.5, 0.5)])
    await session.add_selection(0, [(0.1, 0.1)] * 9)  # a marked frame takes more points
    with pytest.raises(InvalidParameterError, match="frame 0 has 10 and 1 more were given"):
        await session.add_selection(0, [(0.2, 0.2)])
    assert add.call_count == 11


# -- the edit task --------------------------------------------------------------------------------


async def test_create_sends_the_edit_to_the_family_path(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.post(ROOT).mock(return_value=ok(task("t1", "submitted")))
    created = await client.multi_elements.create(
        session_id="s1",
        edit_mode="swap",
        image_list=[{"image": U}],
        prompt="swap the hat from <<<image_1>>> for the cap in <<<video_1>>>",
        duration="10",
    )
    body = sent_json(route.calls.last.request)
    assert body.pop("external_task_id")
    assert body == {
        "session_id": "s1",
        "edit_mode": "swap",
        "image_list": [{"image": U}],
        "prompt": "swap the hat from <<<image_1>>> for the cap in <<<video_1>>>",
        "duration": "10",
    }
    assert created.task_id == "t1"
    got = api.get(f"{ROOT}/t1").mock(return_value=ok(task("t1", "succeed")))
    assert (await client.multi_elements.get("t1")).is_succeeded
    assert got.called


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"edit_mode": "addition"}, 'image_list: required when edit_mode is "addition"'),
        (
            {"edit_mode": "addition", "image_list": [{"image": U}] * 3},
            "image_list: .*at most 2",
        ),
        (
            {"edit_mode": "swap", "image_list": [{"image": U}] * 2},
            'image_list: edit_mode "swap" takes exactly 1 image, got 2',
        ),
        ({"edit_mode": "replace"}, "edit_mode"),
    ],
)
async def test_the_images_each_edit_mode_takes_are_checked_before_sending(
    client: AsyncKlingClient, api: respx.MockRouter, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidParameterError, match=message):
        await client.multi_elements.create(session_id="s1", prompt="<<<video_1>>>", **params)
    assert not api.calls


# -- against FakeKling: a stateful session --------------------------------------------------------


@pytest.fixture
async def fake_client(clock: FakeClock) -> AsyncIterator[tuple[AsyncKlingClient, FakeKlingServer]]:
    # (The fake's refusals, the 24 h expiry among them: tests/testing/test_fake_multi_elements.py)
    with FakeKling.serve() as server:
        async with AsyncKlingClient(
            server.access_key, server.secret_key, base_url=server.url
        ) as kling:
            yield kling, server


async def test_a_session_marks_previews_and_is_edited_on_fake_kling(
    fake_client: tuple[AsyncKlingClient, FakeKlingServer],
) -> None:
    client, server = fake_client
    session = await client.multi_elements.init_selection(video_url=V)
    assert (session.fps, session.total_frame) == (30.0, 150)
    added = await session.add_selection(0, [(0.5, 0.5)])
    mask = added.masks[0].rle_mask
    assert mask is not None
    rows = mask.decode()
    assert (len(rows), len(rows[0])) == (720, 1280)
    assert rows[360][640] == 1  # the click is inside its mask...
    assert rows[0][0] == 0  # ...and a far corner is not
    preview = await session.preview()
    assert preview.video is not None
    done = await client.multi_elements.create_and_wait(
        session_id=session.session_id,
        edit_mode="removal",
        prompt="Delete the dog from <<<video_1>>>",
    )
    assert done.videos[0].session_id == session.session_id
    assert [t.task_id async for t in client.multi_elements.list()] == [done.task_id]
    assert server.fake.task(done.task_id).body["edit_mode"] == "removal"


async def test_fake_kling_remembers_the_points_of_each_frame(
    fake_client: tuple[AsyncKlingClient, FakeKlingServer],
) -> None:
    client, _ = fake_client
    session = await client.multi_elements.init_selection(video_url=V)
    await session.add_selection(3, [(0.2, 0.2)])
    # Resumed by id: this object knows nothing, Kling (the fake) knows the points.
    resumed = client.multi_elements.session(session.session_id)
    with pytest.raises(BadRequestError, match=r"\(0.3, 0.2\) was not added on frame 3"):
        await resumed.delete_selection(3, [(0.3, 0.2)])
    left = await resumed.delete_selection(3, [(0.2, 0.2)])
    assert left.masks == []
    with pytest.raises(BadRequestError, match="edit_mode 'swap' needs the element marked first"):
        await client.multi_elements.create(
            session_id=session.session_id,
            edit_mode="swap",
            image_list=[{"image": U}],
            prompt="swap <<<image_1>>> into <<<video_1>>>",
        )
