"""End to end: the client against a real FakeKling server over loopback.

No mocks between the SDK and the socket: requests are signed, sent, answered by the fake's
Starlette app in a uvicorn thread and parsed back. Waits do not sleep (the ``clock`` fixture), and
``Timing.polls(1, 1)`` walks every task through ``submitted`` -> ``processing`` -> final by the
number of queries rather than by time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from kling import (
    AsyncKlingClient,
    AsyncTask,
    AuthenticationError,
    TaskFailedError,
)
from kling import _compat_async as _compat
from kling.testing import FakeKlingServer, Timing
from tests._fake_helpers import (
    T2V,
    calls,
    codes,
    external_ids,
    files_in,
    is_mp4,
    is_png,
    polls,
    serve,
)
from tests.test_files import b64, png

from .conftest import FakeClock

U = "https://cdn.example/in.png"
V = "https://cdn.example/in.mp4"
START_MS = 1_767_225_600_000  # 2026-01-01
END_MS = 1_767_312_000_000


@pytest.fixture(scope="module")
def shared_server() -> Iterator[FakeKlingServer]:
    # Starting and stopping uvicorn costs ~0.2 s: one server per module, reset for every test.
    with serve(timing=Timing.polls(1, 1)) as running:
        yield running


@pytest.fixture
def server(shared_server: FakeKlingServer) -> Iterator[FakeKlingServer]:
    shared_server.fake.reset()  # no tasks, requests or fault rules from an earlier test
    yield shared_server
    shared_server.fake.reset()


def connect(server: FakeKlingServer, **options: Any) -> AsyncKlingClient:
    """A client for ``server``: its key pair unless ``api_key`` (or other keys) are given."""
    if "api_key" not in options:
        options = {"access_key": server.access_key, "secret_key": server.secret_key, **options}
    return AsyncKlingClient(base_url=server.url, **options)


@pytest.fixture
async def client(server: FakeKlingServer, clock: FakeClock) -> AsyncIterator[AsyncKlingClient]:
    async with connect(server) as kling:
        yield kling


# -- create, get, list ----------------------------------------------------------------------------


async def test_text_to_video_is_found_by_id_by_external_id_and_in_the_list(
    client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    created = await client.text_to_video.create(
        prompt="a corgi surfing at sunset", duration="5", external_task_id="e2e-corgi"
    )
    assert created.task_status == "submitted"
    assert created.external_task_id == "e2e-corgi"
    by_id = await client.text_to_video.get(created.task_id)
    by_external_id = await client.text_to_video.get(external_task_id="e2e-corgi")
    listed = [task.task_id async for task in client.text_to_video.list()]
    assert by_id.task_id == by_external_id.task_id == created.task_id
    assert by_external_id.external_task_id == "e2e-corgi"
    assert listed == [created.task_id]
    assert server.fake.task(created.task_id).body["prompt"] == "a corgi surfing at sunset"
    assert by_id.created_at is not None
    assert by_id.created_at.tzinfo is not None


async def test_a_create_without_external_id_still_sends_one_and_the_fake_stores_it(
    client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    created = await client.text_to_video.create(prompt="a lighthouse")
    assert created.external_task_id is not None
    assert server.fake.task(created.external_task_id).task_id == created.task_id


async def test_wait_walks_the_lifecycle_and_reports_every_state(
    client: AsyncKlingClient, server: FakeKlingServer, clock: FakeClock
) -> None:
    seen: list[str] = []
    created = await client.text_to_video.create(prompt="a fox in the snow")
    done = await client.text_to_video.wait(
        created, on_progress=lambda task, elapsed: seen.append(task.task_status)
    )
    assert done.is_succeeded
    # Reported as given (no request for what is already known), then after every poll.
    assert seen == ["submitted", "submitted", "processing", "succeed"]
    assert len(polls(server.fake)) == 3
    assert len(clock.sleeps) == 3  # waited before each poll, without real sleeping


async def test_a_failing_prompt_raises_task_failed_error_with_the_servers_reason(
    client: AsyncKlingClient,
) -> None:
    created = await client.text_to_video.create(prompt="please FAIL this one")
    with pytest.raises(TaskFailedError) as info:
        await client.text_to_video.wait(created)
    assert info.value.task.task_id == created.task_id
    assert info.value.task.task_status_msg == "Content risk control"
    assert "Content risk control" in str(info.value)


async def test_create_and_wait_then_download_writes_the_real_mp4(
    client: AsyncKlingClient, tmp_path: Path
) -> None:
    done = await client.text_to_video.create_and_wait(prompt="waves at night")
    paths = await done.download(tmp_path)
    assert [path.name for path in paths] == [f"{done.task_id}-0.mp4"]
    assert is_mp4(paths[0].read_bytes())
    assert files_in(tmp_path) == [f"{done.task_id}-0.mp4"]  # no temporary file left behind


async def test_image_to_video_sends_a_local_png_as_raw_base64(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    picture = tmp_path / "frame.png"
    picture.write_bytes(png(400, 300))
    created = await client.image_to_video.create(image=picture, prompt="the sea moves")
    assert server.fake.task(created.task_id).body["image"] == b64(png(400, 300))
    done = await client.image_to_video.wait(created)
    assert (done.videos[0].url or "").startswith(server.url)


async def test_images_with_n_2_download_two_real_pngs(
    client: AsyncKlingClient, tmp_path: Path
) -> None:
    done = await client.images.create_and_wait(prompt="a red fox", n=2, aspect_ratio="1:1")
    assert [image.index for image in done.images] == [0, 1]
    paths = await done.download(tmp_path)
    assert len(paths) == 2
    assert all(is_png(path.read_bytes()) for path in paths)


async def test_text_to_audio_downloads_an_mp3_and_a_wav(
    client: AsyncKlingClient, tmp_path: Path
) -> None:
    done = await client.text_to_audio.create_and_wait(prompt="rain on a tin roof", duration=5)
    audio = done.audios[0]
    assert audio.duration_mp3 == 5.0
    paths = await done.download(tmp_path)
    assert sorted(path.suffix for path in paths) == [".mp3", ".wav"]
    wav = next(path for path in paths if path.suffix == ".wav").read_bytes()
    assert wav[:4] == b"RIFF"
    assert wav[8:12] == b"WAVE"


VIDEO_FAMILIES = [
    ("lip_sync", {"video_id": "v0", "mode": "text2video", "text": "hello", "voice_id": "uk_boy1"}),
    ("video_effects", {"effect_scene": "bloombloom", "image": U}),
    ("video_extend", {"video_id": "v0", "prompt": "keep going"}),
    ("multi_image_to_video", {"prompt": "friends", "image_list": [{"image": U}, {"image": U}]}),
    ("avatar", {"image": U, "audio_id": "a0", "prompt": "smiles"}),
    (
        "motion_control",
        {"image_url": U, "video_url": V, "character_orientation": "video", "mode": "pro"},
    ),
]


@pytest.mark.parametrize(
    ("family", "params"), VIDEO_FAMILIES, ids=[family for family, _ in VIDEO_FAMILIES]
)
async def test_video_families_finish_with_a_video_found_again_by_external_id(
    client: AsyncKlingClient, server: FakeKlingServer, family: str, params: dict[str, Any]
) -> None:
    resource = getattr(client, family)
    if family == "video_extend":  # Kling extends only a video it made
        made = await client.text_to_video.create_and_wait(prompt="a fox")
        params = {**params, "video_id": made.videos[0].id}
    done = await resource.create_and_wait(**params, external_task_id=f"e2e-{family}")
    assert (done.videos[0].url or "").startswith(f"{server.url}/files/")
    again = await resource.get(external_task_id=f"e2e-{family}")
    assert again.task_id == done.task_id
    assert again.is_succeeded


async def test_element_presets_then_create_and_delete_an_element(
    client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    presets = [task async for task in client.elements.presets()]
    assert [task.task_result.elements[0].owned_by for task in presets] == ["kling", "kling"]
    done = await client.elements.create_and_wait(
        element_name="Mochi",
        element_description="a white cat",
        reference_type="image_refer",
        element_image_list={"frontal_image": U, "refer_images": [{"image_url": U}]},
    )
    element = done.task_result.elements[0]
    assert element.element_name == "Mochi"
    assert element.element_id is not None
    await client.elements.delete(element.element_id)
    assert server.fake.task(done.task_id).deleted
    again = await client.elements.get(done.task_id)
    assert (again.task_result.elements[0].model_extra or {})["status"] == "deleted"


async def test_voice_presets_then_create_and_delete_a_voice(
    client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    presets = [task async for task in client.voices.presets(page_size=2)]
    assert len(presets) == 4  # two pages of two
    assert presets[0].task_result.voices[0].owned_by == "kling"
    done = await client.voices.create_and_wait(
        voice_name="narrator", voice_url="https://cdn.example/voice.mp3"
    )
    voice = done.task_result.voices[0]
    assert voice.voice_name == "narrator"
    assert voice.voice_id is not None
    await client.voices.delete(voice.voice_id)
    assert server.fake.task(done.task_id).deleted


async def test_tts_answers_at_once_with_a_downloadable_mp3(
    client: AsyncKlingClient, tmp_path: Path
) -> None:
    speech = await client.tts.create(
        text="hello there", voice_id="oversea_male1", voice_language="en"
    )
    url = speech.audios[0].url
    assert url is not None
    path = await client.download(url, tmp_path)
    assert path.suffix == ".mp3"
    assert path.stat().st_size > 0


async def test_identify_face_then_advanced_lip_sync_finishes(client: AsyncKlingClient) -> None:
    found = await client.identify_face(video_id="v1")
    assert found.session_id
    face = found.face_data[0]
    assert (face.face_id, face.start_time, face.end_time) == ("0", 0, 5000)
    done = await client.advanced_lip_sync.create_and_wait(
        session_id=found.session_id,
        face_choose=[
            {
                "face_id": face.face_id,
                "audio_id": "a0",
                "sound_start_time": 0,
                "sound_end_time": 3000,
                "sound_insert_time": 0,
            }
        ],
    )
    assert done.videos


async def test_image_recognize_returns_the_four_masks_for_a_local_png(
    client: AsyncKlingClient, tmp_path: Path
) -> None:
    picture = tmp_path / "face.png"
    picture.write_bytes(png())
    result = await client.image_recognize(image=picture)
    assert [image.type for image in result.images] == [
        "object_seg",
        "head_seg",
        "face_seg",
        "cloth_seg",
    ]
    assert all(image.is_contain for image in result.images)


async def test_account_costs_lists_the_trial_pack(client: AsyncKlingClient) -> None:
    costs = await client.account.costs(START_MS, END_MS)
    pack = costs.resource_pack_subscribe_infos[0]
    assert pack.resource_pack_name == "Trial-Video-100Units-5Con-1Months"
    # The tasks other tests made on this server have been charged to it.
    assert pack.total_quantity == 100.0
    assert pack.remaining_quantity is not None
    assert 0 <= pack.remaining_quantity <= 100.0
    assert pack.invalid_time is not None


# -- authentication -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("auth", "kind"), [("both", "jwt"), ("jwt", "jwt"), ("headers", "headers")]
)
async def test_every_auth_mode_is_accepted(
    server: FakeKlingServer,
    clock: FakeClock,
    auth: Any,
    kind: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The pair alone is for a gateway in front of Kling (Kling itself wants the JWT).
    monkeypatch.setattr(server.fake, "accept_key_headers", auth == "headers")
    async with connect(server, auth=auth) as kling:
        await kling.text_to_video.create(prompt="signed")
        listed = [task.task_id async for task in kling.text_to_video.list(limit=1)]
    assert len(listed) == 1
    assert [request.auth for request in server.fake.requests] == [kind, kind]
    if auth == "jwt":
        assert all("x-api-secret" not in request.headers for request in server.fake.requests)


async def test_the_key_pair_alone_is_refused_where_kling_wants_the_jwt(
    server: FakeKlingServer, clock: FakeClock
) -> None:
    async with connect(server, auth="headers") as kling:
        with pytest.raises(AuthenticationError) as info:
            await kling.text_to_video.create(prompt="unsigned")
    assert info.value.api_code == 1001
    assert "auth='headers' sends only the X-Api-Key / X-Api-Secret pair" in str(info.value)
    assert "use auth='both' or 'jwt'" in str(info.value)
    assert not server.fake.tasks


async def test_a_static_api_key_is_accepted(server: FakeKlingServer, clock: FakeClock) -> None:
    async with connect(server, api_key=server.api_key) as kling:
        created = await kling.text_to_video.create(prompt="with an api key")
    assert server.fake.requests[-1].auth == "api_key"
    assert len(server.fake.tasks) == 1
    assert created.task_id in server.fake.tasks


async def test_a_wrong_secret_is_an_authentication_error_with_the_hint(
    server: FakeKlingServer, clock: FakeClock
) -> None:
    async with connect(server, secret_key="not-the-secret-0123456789abcdef0123") as kling:
        with pytest.raises(AuthenticationError) as info:
            await kling.text_to_video.create(prompt="refused")
    assert info.value.code == 401
    assert info.value.api_code == 1002
    assert info.value.request_id is not None
    message = str(info.value)
    assert "Authentication failed" in message
    assert "base_url matches the key's region" in message
    assert "not-the-secret" not in message
    assert not server.fake.tasks
    assert len(server.fake.requests) == 1  # 1002 is not a clock problem: no second try


# -- many tasks -----------------------------------------------------------------------------------


async def test_create_many_of_30_on_a_5_slot_account_creates_every_task_once(
    clock: FakeClock,
) -> None:
    # The fake's lifecycle runs on the test clock, so the batch's back-off frees the slots.
    with serve(
        concurrency_limit=5, timing=Timing.seconds(1.0, 2.0), clock=clock.monotonic
    ) as server:
        async with connect(server) as kling:
            results = await kling.text_to_video.create_many(
                [{"prompt": f"clip {index}"} for index in range(30)]
            )
        fake = server.fake
        assert all(isinstance(result, AsyncTask) for result in results)
        tasks = [result for result in results if isinstance(result, AsyncTask)]
        assert len(tasks) == 30
        assert len(fake.tasks) == 30
        assert {task.task_id for task in tasks} == set(fake.tasks)
        assert [fake.task(task.task_id).body["prompt"] for task in tasks] == [
            f"clip {index}" for index in range(30)
        ]
        assert max(external_ids(fake).values()) == 1
        assert codes(fake)[1303] > 0  # the account's limit was hit, and survived


async def test_wait_all_of_20_polls_through_the_list_endpoint(
    client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    prompts = [f"scene {index}" + (" FAIL" if index in (3, 11) else "") for index in range(20)]
    created = await client.text_to_video.create_many([{"prompt": p} for p in prompts])
    tasks = [task for task in created if isinstance(task, AsyncTask)]
    assert len(tasks) == 20
    results = await client.text_to_video.wait_all(tasks)
    failed = [index for index, result in enumerate(results) if isinstance(result, TaskFailedError)]
    assert failed == [3, 11]
    assert all(
        isinstance(result, AsyncTask) and result.is_succeeded
        for index, result in enumerate(results)
        if index not in failed
    )
    # Three rounds (submitted, processing, finished) of one list page each, instead of 60 GETs.
    assert len(calls(server.fake, "GET", T2V)) == 3
    assert polls(server.fake) == []


async def test_forty_concurrent_waits_on_one_client_poll_together_like_wait_all(
    client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    created = await client.text_to_video.create_many([{"prompt": f"p{i}"} for i in range(40)])
    tasks = iter([task for task in created if isinstance(task, AsyncTask)])
    finished: list[AsyncTask] = []
    # Waits do not sleep (the clock is fake): the first poll takes 200 ms, so that all forty
    # waiters have joined the poller by the next round, however late the sync twin's threads
    # start.
    first_poll = server.fake.faults.slow("GET", "/v1/videos/text2video", delay=0.2, times=1)

    async def one_waiter() -> None:  # each caller waits for its own task, as handlers do
        for task in tasks:
            finished.append(await client.text_to_video.wait(task))

    await _compat.run_workers(one_waiter, 40)
    assert first_poll.hits == 1
    assert len(finished) == 40
    assert all(task.is_succeeded for task in finished)
    # The waits joined one poller: a few pages of the list, not a GET per task per round
    # (alone, each wait would make three), so the whole costs under 1.5 requests a task.
    gets = [request for request in server.fake.requests if request.method == "GET"]
    assert len(gets) <= 10
    assert len(server.fake.requests) <= 1.5 * 40


async def test_a_5xx_on_a_result_file_is_retried_and_the_file_is_intact(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    done = await client.text_to_video.create_and_wait(prompt="a short film")
    fault = server.fake.faults.gateway_error("GET", "/files/", status=503)
    paths = await done.download(tmp_path)
    assert fault.hits == 1
    assert is_mp4(paths[0].read_bytes())
    assert len(calls(server.fake, "GET", "/files/", prefix=True)) == 2
