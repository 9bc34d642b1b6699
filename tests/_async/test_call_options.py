"""Per-call options over the wire: ``extra_headers``, ``extra_query``, ``extra_body``, ``timeout``.

Each goes with the call it was given to and with no other; the auth headers stay the client's;
a wait sends them with every poll; a download never sends them to the file's host.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from kling import AsyncKlingClient, InvalidParameterError
from tests._helpers import ok, sent_json, task

from .conftest import ACCESS_KEY, SECRET_KEY, FakeClock

PATH = "/v1/videos/text2video"
API_KEY = "api-key-kling-test"
CDN = "https://cdn.example"
VIDEO = {"id": "v1", "url": f"{CDN}/out.mp4", "duration": "5"}
TRACE = {"X-Trace-Id": "trace-1"}


def record(task_id: str = "900000000000000001", status: str = "submitted") -> dict[str, Any]:
    """A new-standard task record."""
    return {
        "id": task_id,
        "status": status,
        "create_time": 1_722_769_557_708,
        "update_time": 1_722_769_557_708,
        "outputs": [],
    }


def timeouts(request: httpx.Request) -> dict[str, float | None]:
    """The timeouts httpx was asked to apply to ``request``."""
    return dict(request.extensions["timeout"])


@pytest.fixture
async def v2_client(api: respx.MockRouter, clock: FakeClock) -> AsyncIterator[AsyncKlingClient]:
    async with AsyncKlingClient(api_key=API_KEY) as kling:
        yield kling


# -- one call, and not the next ------------------------------------------------------------------


async def test_a_create_sends_its_options_and_the_next_call_does_not(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.post(PATH).mock(return_value=ok(task("t1")))
    await client.text_to_video.create(
        prompt="a corgi",
        extra_headers={"X-Trace-Id": "abc"},
        extra_query={"debug": "1"},
        extra_body={"beta_field": 7},
        timeout=7,
    )
    await client.text_to_video.create(prompt="a corgi")
    first, second = (call.request for call in route.calls)
    assert first.headers["x-trace-id"] == "abc"
    assert first.url.params["debug"] == "1"
    assert sent_json(first)["beta_field"] == 7
    assert timeouts(first) == {"connect": 7.0, "read": 7.0, "write": 7.0, "pool": 7.0}
    assert "x-trace-id" not in second.headers
    assert "debug" not in second.url.params
    assert "beta_field" not in sent_json(second)
    assert timeouts(second)["read"] == client.timeout
    # The client's own headers stay: the SDK's User-Agent and the credentials.
    assert first.headers["user-agent"].startswith("kling-python/")
    assert first.headers["authorization"].startswith("Bearer ")


async def test_extra_headers_replace_the_client_s_default_headers_for_that_call(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    route = api.get(f"{PATH}/t1").mock(return_value=ok(task("t1")))
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY, default_headers={"X-Team": "a"}) as kling:
        await kling.text_to_video.get("t1", extra_headers={"x-team": "b"})
        await kling.text_to_video.get("t1")
    first, second = (call.request for call in route.calls)
    assert first.headers.get_list("x-team") == ["b"]
    assert second.headers.get_list("x-team") == ["a"]


async def test_extra_query_is_merged_over_the_call_s_own_parameters(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.get(PATH).mock(return_value=ok([task("t1")]))
    tasks = client.text_to_video.list(page_size=5, limit=1, extra_query={"pageSize": 7, "x": 1})
    assert [t.task_id async for t in tasks] == ["t1"]
    assert dict(route.calls.last.request.url.params) == {"pageNum": "1", "pageSize": "7", "x": "1"}


@pytest.mark.parametrize("name", ["Authorization", "x-api-key", "X-API-SECRET"])
async def test_extra_headers_cannot_replace_the_credentials(
    client: AsyncKlingClient, api: respx.MockRouter, name: str
) -> None:
    with pytest.raises(InvalidParameterError, match="the client sends its own credentials"):
        await client.text_to_video.create(prompt="a corgi", extra_headers={name: "Bearer stolen"})
    with pytest.raises(InvalidParameterError, match="extra_headers cannot set"):
        await client.tts.create(
            text="hi", voice_id="v", voice_language="en", extra_headers={name: "x"}
        )
    assert not api.calls


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"extra_headers": {"X-Bad": "a\r\nb"}}, "line break"),
        ({"extra_headers": {"Bad Name": "a"}}, "header name"),
        ({"extra_headers": {"X-Name": "café"}}, "ASCII"),
        ({"extra_query": {"a": {"nested": 1}}}, "extra_query"),
        ({"timeout": -1}, "timeout must be a positive number"),
    ],
)
async def test_bad_options_are_refused_before_sending(
    client: AsyncKlingClient, api: respx.MockRouter, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidParameterError, match=message):
        await client.text_to_video.get("t1", **options)
    assert not api.calls


# -- every kind of method ----------------------------------------------------------------------


async def test_legacy_get_list_and_library_calls_send_the_options(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    get = api.get(f"{PATH}/t1").mock(return_value=ok(task("t1")))
    presets = api.get("/v1/general/advanced-presets-elements").mock(return_value=ok([]))
    delete = api.post("/v1/general/delete-advanced-elements").mock(return_value=ok(None))
    await client.text_to_video.get("t1", extra_headers=TRACE, extra_query={"q": "1"})
    assert [e async for e in client.elements.presets(extra_headers=TRACE)] == []
    await client.elements.delete("e1", extra_headers=TRACE, timeout=3)
    for route in (get, presets, delete):
        assert route.calls.last.request.headers["x-trace-id"] == "trace-1"
    assert get.calls.last.request.url.params["q"] == "1"
    assert timeouts(delete.calls.last.request)["read"] == 3.0


async def test_new_standard_create_get_and_list_send_the_options(
    v2_client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    create = api.post("/text-to-video/kling-3.0").mock(return_value=ok(record()))
    get = api.get("/tasks").mock(return_value=ok([record()]))
    listing = api.post("/tasks").mock(return_value=ok({"result": [record()], "has_more": False}))
    await v2_client.v2.text_to_video.create(
        model="kling-3.0", prompt="a corgi", extra_headers=TRACE, extra_body={"beta": True}
    )
    await v2_client.v2.text_to_video.get("900000000000000001", extra_headers=TRACE)
    await v2_client.v2.tasks.get_many(["900000000000000001"], extra_query={"q": "2"})
    assert [t.id async for t in v2_client.v2.tasks.list(extra_headers=TRACE)] == [
        "900000000000000001"
    ]
    assert create.calls.last.request.headers["x-trace-id"] == "trace-1"
    assert sent_json(create.calls.last.request)["beta"] is True
    first_get, second_get = (call.request for call in get.calls)
    assert first_get.headers["x-trace-id"] == "trace-1"
    assert "x-trace-id" not in second_get.headers
    assert second_get.url.params["q"] == "2"
    assert listing.calls.last.request.headers["x-trace-id"] == "trace-1"
    # The API key is still the client's.
    assert create.calls.last.request.headers["authorization"] == f"Bearer {API_KEY}"


async def test_the_synchronous_endpoints_take_every_option(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    speech = {"task_id": "t", "task_status": "succeed", "task_result": {"audios": []}}
    tts = api.post("/v1/audio/tts").mock(return_value=ok(speech))
    face = api.post("/v1/videos/identify-face").mock(
        return_value=ok({"session_id": "s1", "face_data": []})
    )
    recognize = api.post("/v1/videos/image-recognize").mock(
        return_value=ok({"task_result": {"images": []}})
    )
    costs = api.get("/account/costs").mock(
        return_value=ok({"code": 0, "msg": "ok", "resource_pack_subscribe_infos": []})
    )
    options: dict[str, Any] = {"extra_headers": TRACE, "extra_query": {"q": "1"}, "timeout": 9}
    await client.tts.create(
        text="hi", voice_id="v", voice_language="en", extra_body={"speed": 2}, **options
    )
    await client.identify_face(video_id="v1", extra_body={"beta": 1}, **options)
    await client.image_recognize(image=f"{CDN}/a.png", extra_body={"beta": 2}, **options)
    await client.account.costs(1_767_225_600_000, 1_767_312_000_000, **options)
    for route in (tts, face, recognize, costs):
        request = route.calls.last.request
        assert request.headers["x-trace-id"] == "trace-1"
        assert request.url.params["q"] == "1"
        assert timeouts(request)["read"] == 9.0
    assert sent_json(tts.calls.last.request)["speed"] == 2
    assert sent_json(face.calls.last.request) == {"video_id": "v1", "beta": 1}
    assert sent_json(recognize.calls.last.request) == {"image": f"{CDN}/a.png", "beta": 2}


async def test_custom_elements_and_multi_element_steps_take_the_options(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    element = {"element_id": 1, "element_name": "Mochi"}
    create = api.post("/v1/general/custom-elements").mock(return_value=ok(element))
    listing = api.get("/v1/general/custom-elements").mock(return_value=ok([element]))
    root = "/v1/videos/multi-elements"
    init = api.post(f"{root}/init-selection").mock(
        return_value=ok({"session_id": "s1", "status": 0})
    )
    clear = api.post(f"{root}/clear-selection").mock(
        return_value=ok({"session_id": "s1", "status": 0})
    )
    await client.custom_elements.create(
        element_name="Mochi",
        element_description="a white cat",
        element_frontal_image=f"{CDN}/front.png",
        element_refer_list=[{"image_url": f"{CDN}/side.png"}],
        extra_headers=TRACE,
        extra_body={"beta": True},
    )
    await client.custom_elements.get("1", extra_headers=TRACE)
    session = await client.multi_elements.init_selection(
        video_id="v1", extra_headers=TRACE, extra_body={"beta": 3}
    )
    await session.clear_selection(extra_headers=TRACE, extra_body={"beta": 4})
    await session.clear_selection()
    for route in (create, listing, init):
        assert route.calls.last.request.headers["x-trace-id"] == "trace-1"
    assert sent_json(create.calls.last.request)["beta"] is True
    assert sent_json(init.calls.last.request) == {"video_id": "v1", "beta": 3}
    with_options, without = (call.request for call in clear.calls)
    assert with_options.headers["x-trace-id"] == "trace-1"
    assert sent_json(with_options) == {"session_id": "s1", "beta": 4}
    assert "x-trace-id" not in without.headers
    assert sent_json(without) == {"session_id": "s1"}


async def test_create_many_sends_the_options_with_every_create(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.post(PATH).mock(return_value=ok(task("t1")))
    await client.text_to_video.create_many(
        [{"prompt": "a"}, {"prompt": "b"}], extra_headers=TRACE, extra_query={"q": "1"}
    )
    assert route.call_count == 2
    for call in route.calls:
        assert call.request.headers["x-trace-id"] == "trace-1"
        assert call.request.url.params["q"] == "1"


# -- waits ---------------------------------------------------------------------------------------


async def test_a_wait_sends_its_headers_with_every_poll_and_keeps_its_deadline(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.get(f"{PATH}/t1").mock(
        side_effect=[ok(task("t1", "processing")), ok(task("t1", "succeed", videos=[VIDEO]))]
    )
    done = await client.text_to_video.wait(
        "t1", timeout=600, poll_interval=1, extra_headers=TRACE, extra_query={"q": "1"}
    )
    assert done.task_status == "succeed"
    assert route.call_count == 2
    for call in route.calls:
        assert call.request.headers["x-trace-id"] == "trace-1"
        assert call.request.url.params["q"] == "1"
        # ``timeout`` is the wait's deadline; each request keeps the client's own.
        assert timeouts(call.request)["read"] == client.timeout


async def test_create_and_wait_sends_the_options_with_the_create_and_the_polls(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    create = api.post(PATH).mock(return_value=ok(task("t1")))
    poll = api.get(f"{PATH}/t1").mock(return_value=ok(task("t1", "succeed", videos=[VIDEO])))
    await client.text_to_video.create_and_wait(
        prompt="a corgi", timeout=600, extra_headers=TRACE, extra_body={"beta": 1}
    )
    assert create.calls.last.request.headers["x-trace-id"] == "trace-1"
    assert sent_json(create.calls.last.request)["beta"] == 1
    assert poll.calls.last.request.headers["x-trace-id"] == "trace-1"


async def test_wait_all_and_as_completed_poll_with_the_options(
    v2_client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.get("/tasks").mock(return_value=ok([record(status="succeeded")]))
    tasks = v2_client.v2.tasks
    (done,) = await tasks.wait_all(["900000000000000001"], extra_headers={"X-Trace-Id": "a"})
    assert not isinstance(done, Exception)
    finished = [
        t
        async for t in tasks.as_completed(["900000000000000001"], extra_headers={"X-Trace-Id": "b"})
    ]
    assert [t.id for t in finished] == ["900000000000000001"]
    assert [call.request.headers["x-trace-id"] for call in route.calls] == ["a", "b"]


async def test_waits_with_other_headers_do_not_share_polls_and_leave_no_poller_behind(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.get(f"{PATH}/t1").mock(return_value=ok(task("t1", "succeed", videos=[VIDEO])))
    for trace in ("a", "b", "c"):
        await client.text_to_video.wait("t1", extra_headers={"X-Trace-Id": trace})
    sent = [call.request.headers["x-trace-id"] for call in api.calls]
    assert sent == ["a", "b", "c"]
    gc.collect()
    # One poller per trace id would grow forever in a service: each goes with its waits.
    assert len(client._shared.call_pollers) == 0


# -- what does not get them ----------------------------------------------------------------------


async def test_a_task_got_with_options_downloads_without_them(
    client: AsyncKlingClient, api: respx.MockRouter, tmp_path: Path
) -> None:
    api.get(f"{PATH}/t1").mock(return_value=ok(task("t1", "succeed", videos=[VIDEO])))
    body = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 4
    with respx.mock(base_url=CDN, assert_all_called=False) as cdn:
        files = cdn.get("/out.mp4").mock(return_value=httpx.Response(200, content=body))
        done = await client.text_to_video.get("t1", extra_headers=TRACE, extra_query={"q": "1"})
        await done.download(tmp_path)
        await client.download(f"{CDN}/out.mp4", tmp_path / "again.mp4", timeout=4)
    first, second = (call.request for call in files.calls)
    assert "x-trace-id" not in first.headers
    assert "authorization" not in first.headers
    assert "q" not in first.url.params
    assert timeouts(first)["read"] == client.timeout
    # A download's own timeout is for that download.
    assert timeouts(second)["read"] == 4.0
