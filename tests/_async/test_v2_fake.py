"""The new standard end to end: client.v2 against a real FakeKling over loopback.

Waits do not sleep (the ``clock`` fixture), and ``Timing.polls(1, 1)`` walks each task through
``submitted`` -> ``processing`` -> ``succeeded`` by the number of queries.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from kling import AsyncKlingClient, AsyncTask, AsyncV2Task, TaskFailedError, V2TaskBase, webhooks
from kling.testing import FakeKlingServer, Timing
from kling.testing._presets import PRESET_ELEMENT_IDS
from tests._fake_helpers import calls, codes, external_ids, files_in, is_mp4, serve
from tests.test_files import png

from .conftest import FakeClock

IMAGE = "https://cdn.example/in.png"
VIDEO = "https://cdn.example/in.mp4"
SECRET = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI="


@pytest.fixture(scope="module")
def shared_server() -> Iterator[FakeKlingServer]:
    with serve(timing=Timing.polls(1, 1), webhook_secret=SECRET) as running:
        yield running


@pytest.fixture
def server(shared_server: FakeKlingServer) -> Iterator[FakeKlingServer]:
    shared_server.fake.reset()
    yield shared_server
    shared_server.fake.reset()


@pytest.fixture
async def client(server: FakeKlingServer, clock: FakeClock) -> AsyncIterator[AsyncKlingClient]:
    async with AsyncKlingClient(
        server.access_key, server.secret_key, server.url, api_key=server.api_key
    ) as kling:
        yield kling


async def test_a_kling_3_video_is_made_waited_for_and_downloaded(
    client: AsyncKlingClient, tmp_path: Path
) -> None:
    done = await client.v2.text_to_video.create_and_wait(
        model="kling-3.0", prompt="a corgi surfing", resolution="1080p", duration=10, audio="native"
    )
    assert isinstance(done, AsyncV2Task)
    assert done.status == "succeeded"
    [video] = done.videos
    assert video.duration is not None
    assert 10 <= video.duration < 11
    assert done.units_charged == 12.0  # 1.2 units a second at 1080p with native audio
    paths = await done.download(tmp_path)
    assert files_in(tmp_path) == [f"{done.task_id}-0.mp4"]
    assert is_mp4(paths[0].read_bytes())


async def test_image_to_video_uploads_a_local_frame(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    frame = tmp_path / "frame.png"
    frame.write_bytes(png(640, 360))
    done = await client.v2.image_to_video.create_and_wait(
        model="kling-2.5-turbo", first_frame=frame, prompt="the waves roll in"
    )
    assert done.is_succeeded
    [create] = calls(server.fake, "POST", "/image-to-video/kling-2.5-turbo")
    first = create.json["contents"][1]
    assert first["type"] == "first_frame"
    assert not first["url"].startswith(("http", "data:"))  # raw Base64


async def test_omni_video_and_motion_control_finish_with_a_video(
    client: AsyncKlingClient,
) -> None:
    omni = await client.v2.omni_video.create(
        model="kling-3.0-omni",
        prompt="@el walks like in @video_1",
        elements=[{"element_id": PRESET_ELEMENT_IDS[0], "id": "el"}],
        feature_video={"url": VIDEO, "id": "video_1"},
    )
    motion = await client.v2.motion_control.create(
        model="kling-3.0", image=IMAGE, video=VIDEO, character_orientation="video"
    )
    results = await client.v2.tasks.wait_all([omni, motion])
    assert all(isinstance(r, AsyncV2Task) and r.videos for r in results)


async def test_a_failing_prompt_raises_task_failed_error(client: AsyncKlingClient) -> None:
    with pytest.raises(TaskFailedError) as info:
        await client.v2.text_to_video.create_and_wait(model="kling-3.0", prompt="FAIL please")
    assert info.value.task.task_status == "failed"


async def test_a_legacy_task_is_found_through_tasks_and_waited_for_with_a_new_one(
    client: AsyncKlingClient,
) -> None:
    legacy = await client.text_to_video.create(prompt="a fox in the snow")
    new = await client.v2.text_to_video.create(model="kling-3.0-turbo", prompt="a fox")
    seen = await client.v2.tasks.get(legacy.task_id)
    assert isinstance(seen, AsyncV2Task)  # Kling answers legacy tasks in the new shape
    results = await client.v2.tasks.wait_all([legacy, new])
    assert isinstance(results[0], AsyncTask)
    assert isinstance(results[1], AsyncV2Task)
    assert all(r.is_succeeded for r in results if isinstance(r, (AsyncTask, AsyncV2Task)))
    listed = {task.task_id async for task in client.v2.tasks.list(limit=10)}
    assert {legacy.task_id, new.task_id} <= listed


async def test_create_many_of_30_on_a_5_slot_account_creates_every_task_once(
    clock: FakeClock,
) -> None:
    # The fake's lifecycle runs on the test clock, so the batch's back-off frees the slots.
    with serve(
        concurrency_limit=5, timing=Timing.seconds(1.0, 2.0), clock=clock.monotonic
    ) as server:
        async with AsyncKlingClient(api_key=server.api_key, base_url=server.url) as kling:
            created = await kling.v2.text_to_video.create_many(
                [{"prompt": f"scene {i}"} for i in range(30)], model="kling-3.0-turbo"
            )
        tasks = [task for task in created if isinstance(task, AsyncV2Task)]
        assert len(tasks) == 30
        assert {task.task_id for task in tasks} == set(server.fake.tasks)
        assert max(external_ids(server.fake).values()) == 1
        assert codes(server.fake)[1303] > 0  # the account's limit was hit, and survived


async def test_a_signed_new_standard_callback_is_verified_and_parsed_as_a_new_task(
    client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    created = await client.v2.text_to_video.create_and_wait(
        model="kling-3.0",
        prompt="a corgi",
        callback_url=f"{server.url}/_fake/callbacks",
        external_task_id="cb-1",
    )
    server.fake.wait_for_callbacks()
    received = server.fake.callbacks_received
    assert received
    final = webhooks.unwrap(received[-1].body, received[-1].headers, SECRET)
    assert isinstance(final, V2TaskBase)
    assert (final.task_id, final.external_task_id) == (created.task_id, "cb-1")
    assert final.is_succeeded
    assert final.videos
