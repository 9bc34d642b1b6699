"""The synchronous endpoints: tts, identify_face, image_recognize, account.costs."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import respx

from kling import AsyncKlingClient, InvalidParameterError, KlingAPIError, ServerError
from tests._helpers import error, ok, sent_json

U = "https://cdn.example/in.png"


async def test_tts_returns_the_audio_at_once(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    audio = {"id": "a1", "url": "https://cdn.example/tts.mp3", "duration": "2.4"}
    route = api.post("/v1/audio/tts").mock(
        return_value=ok(
            {"task_id": "t1", "task_status": "succeed", "task_result": {"audios": [audio]}}
        )
    )
    speech = await client.tts.create(text="hello", voice_id="oversea_male1", voice_language="en")
    assert sent_json(route.calls.last.request) == {
        "text": "hello",
        "voice_id": "oversea_male1",
        "voice_language": "en",
    }
    assert speech.audios[0].url == "https://cdn.example/tts.mp3"
    assert speech.audios[0].duration == pytest.approx(2.4)


async def test_tts_text_over_1000_characters_is_refused(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    with pytest.raises(InvalidParameterError, match="text"):
        await client.tts.create(text="x" * 1001, voice_id="v", voice_language="en")
    assert not api.calls


async def test_tts_is_not_resent_after_a_server_error(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.post("/v1/audio/tts").mock(return_value=error(500, 5000))
    with pytest.raises(ServerError):
        await client.tts.create(text="hello", voice_id="v", voice_language="en")
    assert route.call_count == 1


async def test_identify_face_returns_the_session_and_faces(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    data = {
        "session_id": "s1",
        "final_unit_deduction": "0",
        "face_data": [{"face_id": "0", "face_image": U, "start_time": 0, "end_time": 5200}],
    }
    route = api.post("/v1/videos/identify-face").mock(return_value=ok(data))
    found = await client.identify_face(video_id="v1")
    assert sent_json(route.calls.last.request) == {"video_id": "v1"}
    assert found.session_id == "s1"
    assert found.face_data[0].end_time == 5200


async def test_identify_face_needs_exactly_one_video(client: AsyncKlingClient) -> None:
    with pytest.raises(InvalidParameterError, match="video_id"):
        await client.identify_face()


async def test_image_recognize_lists_the_masks(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    data = {"task_result": {"images": [{"type": "head_seg", "is_contain": True, "url": U}]}}
    route = api.post("/v1/videos/image-recognize").mock(return_value=ok(data))
    result = await client.image_recognize(image=U)
    assert sent_json(route.calls.last.request) == {"image": U}
    assert result.images[0].type == "head_seg"
    assert result.images[0].is_contain is True


async def test_account_costs_sends_milliseconds_and_unwraps_twice(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    pack = {
        "resource_pack_name": "Trial-Video-100Units-5Con-1Months",
        "resource_pack_id": "rp1",
        "resource_pack_type": "decreasing_total",
        "total_quantity": 100.0,
        "remaining_quantity": 42.5,
        "purchase_time": 1_726_124_664_368,
        "effective_time": 1_726_124_664_368,
        "invalid_time": 1_728_716_664_368,
        "status": "online",
    }
    route = api.get("/account/costs").mock(
        return_value=ok({"code": 0, "msg": "success", "resource_pack_subscribe_infos": [pack]})
    )
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    costs = await client.account.costs(start, 1_767_312_000_000, resource_pack_name="Trial")
    params = route.calls.last.request.url.params
    assert params["start_time"] == "1767225600000"
    assert params["end_time"] == "1767312000000"
    assert params["resource_pack_name"] == "Trial"
    only = costs.resource_pack_subscribe_infos[0]
    assert only.remaining_quantity == 42.5
    assert only.invalid_time is not None
    assert only.invalid_time.year == 2024


async def test_account_without_packs_has_an_empty_list(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.get("/account/costs").mock(return_value=ok({"code": 0, "msg": "success"}))
    costs = await client.account.costs(1_767_225_600_000, 1_767_312_000_000)
    assert costs.resource_pack_subscribe_infos == []


async def test_account_costs_inner_error_is_raised(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.get("/account/costs").mock(return_value=ok({"code": 1201, "msg": "bad time range"}))
    with pytest.raises(KlingAPIError, match="bad time range"):
        await client.account.costs(1_767_225_600_000, 1_767_312_000_000)


async def test_account_costs_refuses_seconds_and_reversed_ranges(client: AsyncKlingClient) -> None:
    with pytest.raises(InvalidParameterError, match="looks like seconds"):
        await client.account.costs(1_767_225_600, 1_767_312_000)
    with pytest.raises(InvalidParameterError, match="before end_time"):
        await client.account.costs(1_767_312_000_000, 1_767_225_600_000)
