"""The new standard (client.v2) on the wire: three-layer bodies, API keys, /tasks, waits.

respx stands in for Kling, so every test asserts what was sent; tests/_async/test_v2_fake.py
runs the same products against FakeKling.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterable, AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from kling import (
    AsyncKlingClient,
    AsyncTask,
    AsyncV2Task,
    AuthenticationError,
    DuplicateTaskError,
    InvalidParameterError,
    KlingError,
    MissingCredentialsError,
    NotFoundError,
    TaskFailedError,
    WaitTimeoutError,
)
from tests._helpers import TASK_CREATED_AT, decode_jwt, error, ok, sent_json, task
from tests.test_files import b64, png

from .conftest import ACCESS_KEY, SECRET_KEY, FakeClock

API_KEY = "api-key-kling-test"
T2V = "/text-to-video/kling-3.0"
IMAGE = "https://cdn.example/in.png"
VIDEO = "https://cdn.example/in.mp4"


def record(
    task_id: str = "900000000000000001",
    status: str = "submitted",
    *,
    external_id: str | None = None,
    outputs: list[dict[str, Any]] | None = None,
    message: str = "",
) -> dict[str, Any]:
    """A new-standard task record as Kling sends it."""
    data: dict[str, Any] = {
        "id": task_id,
        "status": status,
        "message": message,
        "create_time": TASK_CREATED_AT,
        "update_time": TASK_CREATED_AT,
        "outputs": outputs or [],
    }
    if external_id is not None:
        data["external_id"] = external_id
    return data


def video(url: str = "https://cdn.example/out.mp4") -> dict[str, Any]:
    return {"type": "video", "id": "v1", "url": url, "duration": "5.041"}


def echo(status: str = "submitted") -> Any:
    """A create answer that echoes the external id it was sent."""

    def answer(request: httpx.Request) -> httpx.Response:
        sent = sent_json(request)
        return ok(record(external_id=sent["options"]["external_task_id"], status=status))

    return answer


def params_of(request: httpx.Request) -> dict[str, str]:
    return dict(request.url.params)


@pytest.fixture
async def client(api: respx.MockRouter, clock: FakeClock) -> AsyncIterator[AsyncKlingClient]:
    async with AsyncKlingClient(api_key=API_KEY) as kling:
        yield kling


# -- the three layers --------------------------------------------------------------------------


async def test_text_to_video_sends_prompt_settings_and_options_to_the_models_path(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.post(T2V).mock(side_effect=echo())
    created = await client.v2.text_to_video.create(
        model="kling-3.0",
        prompt="a corgi surfing",
        resolution="1080p",
        duration=10,
        audio="native",
        multi_shot=False,
        aspect_ratio="9:16",
        callback_url="https://example.com/cb",
        watermark_info={"enabled": True},
    )
    sent = sent_json(route.calls.last.request)
    external_id = sent["options"].pop("external_task_id")
    assert sent == {
        "prompt": "a corgi surfing",
        "settings": {
            "resolution": "1080p",
            "aspect_ratio": "9:16",
            "duration": 10,
            "audio": "native",
            "multi_shot": False,
        },
        "options": {"callback_url": "https://example.com/cb", "watermark_info": {"enabled": True}},
    }
    assert external_id.startswith("kling-")
    assert isinstance(created, AsyncV2Task)
    assert (created.task_id, created.external_task_id) == ("900000000000000001", external_id)


async def test_a_new_standard_call_sends_the_api_key_and_nothing_else(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.post(T2V).mock(side_effect=echo())
    await client.v2.text_to_video.create(model="kling-3.0", prompt="a corgi")
    headers = route.calls.last.request.headers
    assert headers["Authorization"] == f"Bearer {API_KEY}"
    assert "X-Api-Key" not in headers
    assert "X-Api-Secret" not in headers


async def test_image_to_video_sends_contents_with_a_local_frame_as_raw_base64(
    client: AsyncKlingClient, api: respx.MockRouter, tmp_path: Path
) -> None:
    frame = tmp_path / "frame.png"
    frame.write_bytes(png(400, 400))
    route = api.post("/image-to-video/kling-3.0").mock(side_effect=echo())
    await client.v2.image_to_video.create(
        model="kling-3.0",
        first_frame=frame,
        last_frame=IMAGE,
        prompt="@cat walks in",
        elements=[{"element_id": 321922438904313, "id": "cat"}],
    )
    sent = sent_json(route.calls.last.request)
    assert sent["contents"] == [
        {"type": "prompt", "text": "@cat walks in"},
        {"type": "first_frame", "url": b64(png(400, 400))},
        {"type": "last_frame", "url": IMAGE},
        # Kling types element ids as strings.
        {"type": "element", "element_id": "321922438904313", "id": "cat"},
    ]
    assert "settings" not in sent


async def test_omni_video_keeps_the_ids_that_the_prompt_refers_to(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.post("/omni-video/kling-3.0-omni").mock(side_effect=echo())
    await client.v2.omni_video.create(
        model="kling-3.0-omni",
        prompt="@image_1 dances like @video_1",
        refer_images=[{"url": IMAGE, "id": "image_1"}, IMAGE],
        feature_video={"url": VIDEO, "id": "video_1"},
        aspect_ratio="1:1",
    )
    assert sent_json(route.calls.last.request)["contents"] == [
        {"type": "prompt", "text": "@image_1 dances like @video_1"},
        {"type": "refer_image", "url": IMAGE, "id": "image_1"},
        {"type": "refer_image", "url": IMAGE},
        {"type": "feature_video", "url": VIDEO, "id": "video_1"},
    ]


async def test_motion_control_sends_image_video_and_the_orientation(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.post("/motion-control/kling-2.6").mock(side_effect=echo())
    await client.v2.motion_control.create(
        model="kling-2.6", image=IMAGE, video=VIDEO, character_orientation="video"
    )
    sent = sent_json(route.calls.last.request)
    assert sent["contents"] == [{"type": "image", "url": IMAGE}, {"type": "video", "url": VIDEO}]
    assert sent["settings"] == {"character_orientation": "video"}


async def test_extra_body_merges_into_the_layers(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.post(T2V).mock(side_effect=echo())
    await client.v2.text_to_video.create(
        model="kling-3.0",
        prompt="a corgi",
        duration=5,
        extra_body={"settings": {"seed": 42}, "options": {"tag": "x"}},
    )
    sent = sent_json(route.calls.last.request)
    assert sent["settings"] == {"duration": 5, "seed": 42}
    assert sent["options"]["tag"] == "x"
    assert sent["options"]["external_task_id"].startswith("kling-")


async def test_an_unknown_model_skips_the_capability_checks_and_is_sent(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.post("/text-to-video/kling-9.9").mock(side_effect=echo())
    await client.v2.text_to_video.create(model="kling-9.9", prompt="a corgi", duration=30)
    assert sent_json(route.calls.last.request)["settings"] == {"duration": 30}


# -- what each model takes, before anything is sent --------------------------------------------

CAPABILITY_MISTAKES = [
    (
        "text_to_video",
        {"model": "kling-2.6", "prompt": "x", "duration": 7},
        "duration",
        "settings.duration: kling-2.6 makes videos of 5 or 10 s (got 7)",
    ),
    (
        "text_to_video",
        {"model": "kling-2.6", "prompt": "x", "resolution": "4k"},
        "resolution",
        "4k is for kling-3.0 and kling-3.0-omni",
    ),
    (
        "text_to_video",
        {"model": "kling-2.6", "prompt": "x", "audio": "native"},
        "resolution",
        "kling-2.6 renders native audio at 1080p only",
    ),
    (
        "text_to_video",
        {"model": "kling-2.5-turbo", "prompt": "x" * 2501},
        "prompt",
        "kling-2.5-turbo takes at most 2500 characters (got 2501)",
    ),
    (
        "image_to_video",
        {"model": "kling-3.0-turbo", "prompt": "x", "first_frame": IMAGE, "last_frame": IMAGE},
        "last_frame",
        "kling-3.0-turbo takes no last_frame",
    ),
    (
        "image_to_video",
        {
            "model": "kling-2.6",
            "prompt": "x",
            "first_frame": IMAGE,
            "voices": [{"voice_id": "v", "id": "1"}],
            "resolution": "1080p",
        },
        "audio",
        "voices need audio='native'",
    ),
    (
        "image_to_video",
        {
            "model": "kling-3.0",
            "prompt": "x",
            "first_frame": IMAGE,
            "elements": [{"element_id": str(i), "id": f"e{i}"} for i in range(4)],
        },
        "elements",
        "kling-3.0 takes at most 3 element (got 4)",
    ),
    (
        "omni_video",
        {"model": "kling-3.0-omni", "prompt": "x"},
        "aspect_ratio",
        "settings.aspect_ratio: required without a first_frame",
    ),
    (
        "omni_video",
        {"model": "kling-3.0-omni", "prompt": "x", "base_video": VIDEO},
        "multi_shot",
        "editing a base_video needs multi_shot=False (kling-3.0-omni defaults to True)",
    ),
    (
        "omni_video",
        {"model": "kling-o1", "prompt": "x", "aspect_ratio": "16:9", "duration": 7},
        "duration",
        "kling-o1 makes 5 or 10 s videos without refer_images, elements, a last_frame or a "
        "reference video",
    ),
    (
        "omni_video",
        {"model": "kling-3.0-omni", "prompt": "x", "last_frame": IMAGE, "aspect_ratio": "1:1"},
        "last_frame",
        "a last_frame needs a first_frame",
    ),
    (
        "motion_control",
        {
            "model": "kling-2.6",
            "image": IMAGE,
            "video": VIDEO,
            "character_orientation": "image",
            "elements": [{"element_id": "1", "id": "a"}],
        },
        "elements",
        "kling-2.6 takes no element",
    ),
]


@pytest.mark.parametrize(
    ("product", "params", "field", "message"),
    CAPABILITY_MISTAKES,
    ids=[f"{case[0]}-{case[2]}-{i}" for i, case in enumerate(CAPABILITY_MISTAKES)],
)
async def test_what_a_model_cannot_do_is_refused_before_sending(
    client: AsyncKlingClient,
    api: respx.MockRouter,
    product: str,
    params: dict[str, Any],
    field: str,
    message: str,
) -> None:
    route = api.post(url__regex=r"^/(text|image)-to-video/|^/(omni-video|motion-control)/")
    with pytest.raises(InvalidParameterError) as info:
        await getattr(client.v2, product).create(**params)
    assert message in str(info.value)
    assert info.value.field == field
    assert not route.called


async def test_a_plain_http_image_url_is_refused_as_kling_takes_https_only(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    with pytest.raises(InvalidParameterError, match=r"first_frame: must be an https:// URL"):
        await client.v2.image_to_video.create(
            model="kling-3.0", prompt="x", first_frame="http://cdn.example/a.png"
        )


async def test_a_blank_prompt_is_refused(client: AsyncKlingClient) -> None:
    with pytest.raises(InvalidParameterError, match="prompt: must not be blank"):
        await client.v2.text_to_video.create(model="kling-3.0", prompt="   ")


async def test_a_model_with_a_slash_is_refused_before_building_a_path(
    client: AsyncKlingClient,
) -> None:
    with pytest.raises(InvalidParameterError, match="model must be a model id") as info:
        await client.v2.text_to_video.create(model="../v1/videos", prompt="x")
    assert info.value.field == "model"


# -- credentials -----------------------------------------------------------------------------


async def test_a_key_pair_alone_is_refused_before_sending_with_how_to_get_a_key(
    api: respx.MockRouter,
) -> None:
    route = api.post(T2V)
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as pair_only:
        with pytest.raises(MissingCredentialsError, match="KLING_API_KEY") as info:
            await pair_only.v2.text_to_video.create(model="kling-3.0", prompt="x")
    assert "take an API key" in str(info.value)
    assert not route.called


async def test_a_client_with_both_signs_legacy_calls_and_sends_the_key_to_the_new_standard(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    legacy = api.get("/v1/videos/text2video/t1").mock(return_value=ok(task("t1")))
    new = api.post(T2V).mock(side_effect=echo())
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY, api_key=API_KEY) as both:
        await both.text_to_video.get("t1")
        await both.v2.text_to_video.create(model="kling-3.0", prompt="x")
    token = legacy.calls.last.request.headers["Authorization"].removeprefix("Bearer ")
    assert decode_jwt(token, SECRET_KEY)["iss"] == ACCESS_KEY
    assert new.calls.last.request.headers["Authorization"] == f"Bearer {API_KEY}"


async def test_a_refused_api_key_is_explained_as_an_api_key_not_a_key_pair(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    api.get("/tasks").mock(return_value=error(401, 1002, "api key invalid"))
    api.get("/v1/videos/text2video/t1").mock(return_value=error(401, 1002, "bad token"))
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY, api_key=API_KEY) as both:
        with pytest.raises(AuthenticationError) as new:
            await both.v2.tasks.get("t1")
        with pytest.raises(AuthenticationError) as legacy:
            await both.text_to_video.get("t1")
    assert "api key invalid. Check the API key (KLING_API_KEY or api_key=)" in str(new.value)
    assert "Secret Key" not in str(new.value)
    assert "Access Key" not in str(new.value)
    # The legacy call signed with the pair: its hint is about the pair.
    assert "KLING_SECRET_KEY its Secret Key" in str(legacy.value)


# -- idempotent creates -----------------------------------------------------------------------


async def test_an_ambiguous_create_failure_is_looked_up_by_external_id_and_not_resent(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    posts = api.post(T2V).mock(return_value=error(500, 5000))

    def lookup(request: httpx.Request) -> httpx.Response:
        return ok([record("t9", "processing", external_id=params_of(request)["external_task_ids"])])

    gets = api.get("/tasks").mock(side_effect=lookup)
    found = await client.v2.text_to_video.create(model="kling-3.0", prompt="x")
    assert posts.call_count == 1
    assert gets.call_count == 1
    sent_id = sent_json(posts.calls.last.request)["options"]["external_task_id"]
    assert found.task_id == "t9"
    assert found.external_task_id == sent_id


async def test_an_external_id_taken_on_the_first_attempt_is_a_duplicate_task_error(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.post(T2V).mock(return_value=error(400, 1201, "External_task_id job-1 already exists"))
    api.get("/tasks").mock(return_value=ok([record("t1", external_id="job-1")]))
    with pytest.raises(DuplicateTaskError) as info:
        await client.v2.text_to_video.create(
            model="kling-3.0", prompt="x", external_task_id="job-1"
        )
    assert info.value.external_task_id == "job-1"
    existing = await info.value.fetch()
    assert existing.task_id == "t1"


# -- /tasks --------------------------------------------------------------------------------------


async def test_get_by_id_or_external_id_queries_tasks(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.get("/tasks").mock(return_value=ok([record("t1", external_id="job-1")]))
    by_id = await client.v2.tasks.get("t1")
    by_external = await client.v2.tasks.get(external_task_id="job-1")
    assert [params_of(call.request) for call in route.calls] == [
        {"task_ids": "t1"},
        {"external_task_ids": "job-1"},
    ]
    assert by_id.task_id == by_external.task_id == "t1"


async def test_a_task_kling_leaves_out_is_not_found(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.get("/tasks").mock(return_value=ok([]))
    with pytest.raises(NotFoundError, match="no task with task_id 'nope'"):
        await client.v2.tasks.get("nope")


async def test_get_many_asks_twenty_ids_a_request_and_keeps_the_order_asked(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        ids = params_of(request)["task_ids"].split(",")
        # Unknown ids are left out; the rest come back in Kling's order, reversed here.
        return ok([record(i) for i in reversed(ids) if i != "t7"])

    route = api.get("/tasks").mock(side_effect=answer)
    ids = [f"t{i}" for i in range(45)]
    found = await client.v2.tasks.get_many(ids)
    assert sorted(len(params_of(c.request)["task_ids"].split(",")) for c in route.calls) == [
        5,
        20,
        20,
    ]
    assert [t.task_id for t in found] == [i for i in ids if i != "t7"]


async def test_list_pages_by_cursor_with_filters_until_kling_says_no_more(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    pages = iter(
        [
            ok(
                {
                    "result": [record("t1"), record("t2")],
                    "count": 2,
                    "next_cursor": "c1",
                    "has_more": True,
                }
            ),
            ok({"count": 0, "has_more": False}),  # an empty page has no result nor cursor
        ]
    )
    route = api.post("/tasks").mock(side_effect=lambda request: next(pages))
    tasks = [
        t
        async for t in client.v2.tasks.list(
            status="succeeded", product_type=["video", "image"], start_time=1767225600000
        )
    ]
    assert [t.task_id for t in tasks] == ["t1", "t2"]
    first, second = (sent_json(call.request) for call in route.calls)
    assert first == {
        "filters": [
            {"key": "status", "values": ["succeeded"]},
            {"key": "product_type", "values": ["video", "image"]},
        ],
        "start_time": 1767225600000,
        "limit": 100,
    }
    assert second == {**first, "cursor": "c1"}


async def collect(tasks: AsyncIterable[Any], into: list[str]) -> None:
    """Read a listing to its end (or its error), keeping each task's id in ``into``."""
    async for listed in tasks:
        into.append(listed.task_id)


async def test_list_ends_with_an_error_when_kling_repeats_a_cursor(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    numbers = itertools.count()

    def page(request: httpx.Request) -> httpx.Response:
        result = [record(f"t{next(numbers)}")]
        return ok({"result": result, "next_cursor": "again", "has_more": True})

    route = api.post("/tasks").mock(side_effect=page)
    seen: list[str] = []
    with pytest.raises(KlingError, match="next_cursor 'again' a second time"):
        await collect(client.v2.tasks.list(), seen)
    assert seen == ["t0", "t1"]
    assert route.call_count == 2


async def test_list_ends_with_an_error_when_kling_pages_the_same_task_again(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    cursors = (f"c{n}" for n in itertools.count())
    route = api.post("/tasks").mock(
        side_effect=lambda r: ok(
            {"result": [record("t1")], "next_cursor": next(cursors), "has_more": True}
        )
    )
    seen: list[str] = []
    with pytest.raises(KlingError, match="a page of tasks it had already listed"):
        await collect(client.v2.tasks.list(), seen)
    assert seen == ["t1"]
    assert route.call_count == 2


async def test_list_refuses_an_unknown_status_before_sending(client: AsyncKlingClient) -> None:
    with pytest.raises(InvalidParameterError, match="status must be one of") as info:
        client.v2.tasks.list(status="succeed")  # the legacy spelling
    assert info.value.field == "status"


# -- waiting -----------------------------------------------------------------------------------


async def test_wait_polls_tasks_until_succeeded_and_downloads_like_a_legacy_task(
    client: AsyncKlingClient, api: respx.MockRouter, tmp_path: Path
) -> None:
    states = iter([record("t1", "processing"), record("t1", "succeeded", outputs=[video()])])
    api.get("/tasks").mock(side_effect=lambda request: ok([next(states)]))
    api.get("https://cdn.example/out.mp4").mock(
        return_value=httpx.Response(200, content=b"\x00\x00\x00\x18ftypmp42")
    )
    done = await client.v2.tasks.wait("t1")
    assert done.is_succeeded
    assert [v.url for v in done.videos] == ["https://cdn.example/out.mp4"]
    paths = await done.download(tmp_path)
    assert [p.name for p in paths] == ["t1-0.mp4"]


async def test_a_failed_task_raises_task_failed_error_with_its_message(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.get("/tasks").mock(return_value=ok([record("t1", "failed", message="risk control")]))
    with pytest.raises(TaskFailedError, match="risk control"):
        await client.v2.tasks.wait("t1")


async def test_wait_all_of_45_tasks_polls_twenty_ids_a_request(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        ids = params_of(request)["task_ids"].split(",")
        return ok([record(i, "succeeded", outputs=[video()]) for i in ids])

    route = api.get("/tasks").mock(side_effect=answer)
    tasks = [client._v2_task(record(f"t{i}")) for i in range(45)]
    results = await client.v2.tasks.wait_all(tasks)
    assert [r.task_id for r in results if isinstance(r, AsyncV2Task)] == [t.task_id for t in tasks]
    assert route.call_count == 3  # 20 + 20 + 5, not 45


async def test_wait_all_of_250_tasks_polls_pages_of_the_listing_since_the_oldest(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    tasks = [client._v2_task(record(f"t{i}")) for i in range(250)]
    others = [record(f"other-{i}", "processing") for i in range(100)]
    bodies: list[Any] = []

    def page(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        done = [record(t.task_id, "succeeded", outputs=[video()]) for t in tasks]
        return ok({"result": [*others, *done], "has_more": False})

    listing = api.post("/tasks").mock(side_effect=page)
    ids = api.get("/tasks").mock(return_value=ok([]))
    results = await client.v2.tasks.wait_all(tasks)

    assert all(isinstance(r, AsyncV2Task) and r.is_succeeded for r in results)
    assert listing.call_count == 1  # one page of 500, not 13 requests of 20 ids
    assert not ids.called
    assert bodies[0]["limit"] == 500
    assert bodies[0]["start_time"] <= TASK_CREATED_AT  # from the oldest task's creation on


async def test_wait_all_takes_tasks_of_both_standards_and_polls_each_where_it_lives(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    legacy = api.get("/v1/videos/text2video/t-legacy").mock(
        return_value=ok(task("t-legacy", "succeed", videos=[{"id": "v", "url": "https://x/v.mp4"}]))
    )
    new = api.get("/tasks").mock(return_value=ok([record("t-new", "succeeded", outputs=[video()])]))
    old_task = client._task(task("t-legacy", "processing"), family="text_to_video")
    new_task = client._v2_task(record("t-new", "processing"))
    results = await client.v2.tasks.wait_all([old_task, new_task])
    assert isinstance(results[0], AsyncTask)
    assert isinstance(results[1], AsyncV2Task)
    assert [r.task_id for r in results if not isinstance(r, Exception)] == ["t-legacy", "t-new"]
    assert all(r.is_succeeded for r in results if not isinstance(r, Exception))
    assert legacy.called
    assert new.called


async def test_a_wait_timeout_keeps_the_last_state_polled(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.get("/tasks").mock(return_value=ok([record("t1", "processing")]))
    with pytest.raises(WaitTimeoutError) as info:
        await client.v2.tasks.wait(client._v2_task(record("t1")), timeout=30)
    assert info.value.task.task_status == "processing"


async def test_create_many_gives_each_item_its_own_external_id_and_the_model(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.post("/text-to-video/kling-3.0-turbo").mock(side_effect=echo())
    results = await client.v2.text_to_video.create_many(
        [{"prompt": f"p{i}"} for i in range(5)], model="kling-3.0-turbo", concurrency=2
    )
    assert all(isinstance(r, AsyncV2Task) for r in results)
    sent = [sent_json(call.request) for call in route.calls]
    assert sorted(s["prompt"] for s in sent) == [f"p{i}" for i in range(5)]
    assert len({s["options"]["external_task_id"] for s in sent}) == 5


async def test_create_and_wait_polls_the_created_task(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.post(T2V).mock(side_effect=echo())
    states = itertools.chain(
        [record("900000000000000001", "processing")],
        itertools.repeat(record("900000000000000001", "succeeded", outputs=[video()])),
    )
    api.get("/tasks").mock(side_effect=lambda request: ok([next(states)]))
    done = await client.v2.text_to_video.create_and_wait(model="kling-3.0", prompt="x")
    assert done.is_succeeded
    assert done.units_charged is None  # this answer had no billing


async def test_as_completed_yields_new_standard_tasks_as_they_finish(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    rounds = iter(
        [
            [record("a", "processing"), record("b", "succeeded", outputs=[video()])],
            [record("a", "failed", message="risk")],
        ]
    )
    api.get("/tasks").mock(side_effect=lambda request: ok(next(rounds)))
    tasks = [client._v2_task(record("a")), client._v2_task(record("b"))]
    seen = [(t.task_id, t.task_status) async for t in client.v2.tasks.as_completed(tasks)]
    assert seen == [("b", "succeeded"), ("a", "failed")]


async def test_as_completed_refuses_a_legacy_task_and_says_what_takes_it(
    client: AsyncKlingClient,
) -> None:
    legacy = client._task(task("t1"), family="text_to_video")
    with pytest.raises(InvalidParameterError, match="wait_all"):
        client.v2.tasks.as_completed([legacy])  # type: ignore[list-item]
