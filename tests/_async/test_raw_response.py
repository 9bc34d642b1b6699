"""``client.with_raw_response``: the HTTP answer of a call beside what the call returns."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
import respx

from kling import (
    AsyncKlingClient,
    AsyncTask,
    AsyncV2Task,
    CostsResult,
    FaceIdentification,
    NotFoundError,
    RawResponse,
    Speech,
)
from tests._helpers import error, ok, task

from .conftest import ACCESS_KEY, SECRET_KEY, FakeClock

PATH = "/v1/videos/text2video"
API_KEY = "api-key-kling-test"
RECORD = {
    "id": "900000000000000001",
    "status": "submitted",
    "create_time": 1_722_769_557_708,
    "update_time": 1_722_769_557_708,
    "outputs": [],
}


@pytest.fixture
async def both(api: respx.MockRouter, clock: FakeClock) -> AsyncIterator[AsyncKlingClient]:
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY, api_key=API_KEY) as kling:
        yield kling


def with_headers(response: httpx.Response, **headers: str) -> httpx.Response:
    response.headers.update(headers)
    return response


async def test_a_raw_create_gives_status_headers_request_id_body_and_the_task(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.post(PATH).mock(
        return_value=with_headers(ok(task("t1"), request_id="req-1"), **{"X-Kling-Trace": "k"})
    )
    raw = await client.with_raw_response.text_to_video.create(prompt="a corgi")
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.headers["x-kling-trace"] == "k"
    assert raw.request_id == "req-1"
    assert isinstance(raw.elapsed, timedelta)
    assert raw.json()["data"]["task_id"] == "t1"
    assert raw.json()["request_id"] == "req-1"
    created = raw.parse()
    assert isinstance(created, AsyncTask)
    assert created.task_id == "t1"
    assert raw.http_response.request.url.path == PATH
    # The task is bound to the client, as a plain create's is.
    assert created._client is client


async def test_a_raw_get_of_each_standard(both: AsyncKlingClient, api: respx.MockRouter) -> None:
    api.get(f"{PATH}/t1").mock(return_value=ok(task("t1", "processing"), request_id="req-a"))
    api.get("/tasks").mock(return_value=ok([RECORD], request_id="req-b"))
    legacy = await both.with_raw_response.text_to_video.get("t1")
    assert (legacy.request_id, legacy.parse().task_status) == ("req-a", "processing")
    new = await both.with_raw_response.v2.tasks.get("900000000000000001")
    assert new.request_id == "req-b"
    assert isinstance(new.parse(), AsyncV2Task)
    product = await both.with_raw_response.v2.text_to_video.get("900000000000000001")
    assert product.parse().id == "900000000000000001"


async def test_a_raw_new_standard_create(both: AsyncKlingClient, api: respx.MockRouter) -> None:
    api.post("/text-to-video/kling-3.0").mock(return_value=ok(RECORD, request_id="req-c"))
    raw = await both.with_raw_response.v2.text_to_video.create(
        model="kling-3.0", prompt="a corgi", extra_headers={"X-Trace-Id": "t"}
    )
    assert raw.request_id == "req-c"
    assert raw.http_response.request.headers["x-trace-id"] == "t"
    assert raw.parse().status == "submitted"


async def test_the_synchronous_endpoints_and_the_account_raw(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    speech = {"task_id": "t", "task_status": "succeed", "task_result": {"audios": []}}
    api.post("/v1/audio/tts").mock(return_value=ok(speech, request_id="req-tts"))
    api.post("/v1/videos/identify-face").mock(
        return_value=ok({"session_id": "s1", "face_data": []}, request_id="req-face")
    )
    costs = {"code": 0, "msg": "ok", "resource_pack_subscribe_infos": []}
    api.get("/account/costs").mock(return_value=ok(costs, request_id="req-costs"))
    raw_tts = await client.with_raw_response.tts.create(
        text="hi", voice_id="v", voice_language="en"
    )
    assert raw_tts.request_id == "req-tts"
    assert isinstance(raw_tts.parse(), Speech)
    raw_face = await client.with_raw_response.identify_face(video_id="v1")
    assert isinstance(raw_face.parse(), FaceIdentification)
    assert raw_face.json()["data"]["session_id"] == "s1"
    raw_costs = await client.with_raw_response.account.costs(1_767_225_600_000, 1_767_312_000_000)
    assert raw_costs.request_id == "req-costs"
    assert isinstance(raw_costs.parse(), CostsResult)


async def test_a_raw_call_that_fails_raises_kling_s_error(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.get(f"{PATH}/t9").mock(return_value=error(404, 1201, "task not found", request_id="r-9"))
    with pytest.raises(NotFoundError) as caught:
        await client.with_raw_response.text_to_video.get("t9")
    assert caught.value.request_id == "r-9"


async def test_a_raw_call_reports_its_last_request_and_other_calls_are_untouched(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    # A 500 then a success: the raw response is the answer that counted.
    api.get(f"{PATH}/t1").mock(
        side_effect=[error(500, 5000, request_id="r-bad"), ok(task("t1"), request_id="r-good")]
    )
    raw = await client.with_raw_response.text_to_video.get("t1")
    assert raw.request_id == "r-good"
    api.get(f"{PATH}/t2").mock(return_value=ok(task("t2")))
    plain = await client.text_to_video.get("t2")
    assert isinstance(plain, AsyncTask)


async def test_raw_library_and_selection_calls(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.post("/v1/general/delete-advanced-elements").mock(return_value=ok(None, request_id="r-d"))
    api.post("/v1/videos/multi-elements/init-selection").mock(
        return_value=ok({"session_id": "s1", "status": 0}, request_id="r-s")
    )
    element = {"element_id": 1, "element_name": "Mochi"}
    api.post("/v1/general/custom-elements").mock(return_value=ok(element, request_id="r-c"))
    deleted = await client.with_raw_response.elements.delete("e1")
    assert (deleted.request_id, deleted.parse()) == ("r-d", None)
    session = await client.with_raw_response.multi_elements.init_selection(video_id="v1")
    assert (session.request_id, session.parse().session_id) == ("r-s", "s1")
    created = await client.with_raw_response.custom_elements.create(
        element_name="Mochi",
        element_description="a white cat",
        element_frontal_image="https://cdn.example/front.png",
        element_refer_list=[{"image_url": "https://cdn.example/side.png"}],
    )
    assert (created.request_id, created.parse().element_id) == ("r-c", "1")
