"""Legacy rules that need more than one request: auth headers, queries, extensions, sessions,
result shapes, and the model table the routes enforce. Raw HTTP only, never the SDK."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kling.testing import (
    DEFAULT_ACCESS_KEY,
    DEFAULT_SECRET_KEY,
    LEGACY_DEFAULT_MODELS,
    LEGACY_MODELS,
    FakeKling,
    FakeKlingOptions,
    LegacyModel,
)

from ._legacy_http import (
    EXTEND,
    I2V,
    IMG,
    OMNI_IMAGE,
    T2V,
    VID,
    client,
    created,
    finished,
    refusal,
    video_id,
)
from .conftest import ManualClock, mint

PAIR = {"X-Api-Key": DEFAULT_ACCESS_KEY, "X-Api-Secret": DEFAULT_SECRET_KEY}
ADVANCED = "/v1/videos/advanced-lip-sync"


# ------------------------------------------------------------------------------ auth headers
# https://github.com/aself101/kling-api/blob/main/docs/api/kling-get-started-authentication.md


async def test_x_api_key_pair_alone_is_401_1001_naming_the_bearer_scheme() -> None:
    fake = FakeKling()
    async with client(fake, headers=PAIR) as http:
        message = refusal(await http.get(T2V), 401, 1001)
    assert message == (
        "Authorization is empty: Kling's API authenticates with `Authorization: Bearer <JWT or "
        "API key>`; it knows no X-Api-Key / X-Api-Secret headers "
        "(FakeKling(accept_key_headers=True) accepts them, for a gateway that does)"
    )
    assert fake.requests[-1].auth is None


async def test_a_valid_authorization_beside_the_pair_is_accepted() -> None:
    fake = FakeKling()
    async with client(fake, headers={**PAIR, "Authorization": f"Bearer {mint(fake)}"}) as http:
        assert (await http.get(T2V)).status_code == 200
    assert fake.requests[-1].auth == "jwt"


async def test_accept_key_headers_takes_the_pair_for_a_gateway() -> None:
    fake = FakeKling(accept_key_headers=True)
    async with client(fake, headers=PAIR) as http:
        assert (await http.get(T2V)).status_code == 200
    assert fake.requests[-1].auth == "headers"
    assert fake.accept_key_headers is True


def test_accept_key_headers_is_an_option() -> None:
    assert "accept_key_headers" in FakeKlingOptions.__annotations__
    assert FakeKling().accept_key_headers is False


# -------------------------------------------------------------------------- queries and lists
# https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/text-to-video.md


async def test_unknown_query_parameter_on_a_list_is_400_1201() -> None:
    async with client() as http:
        await created(http, T2V, {"prompt": "x"})
        message = refusal(await http.get(T2V, params={"external_task_id": "nope"}), 400, 1201)
    assert message == (
        "Invalid parameter: unknown query parameter 'external_task_id'; /v1/videos/text2video "
        "takes pageNum and pageSize (look a task up by id or external_task_id with GET "
        "<path>/<id>)"
    )


async def test_unknown_query_parameter_on_a_single_query_is_400_1201() -> None:
    async with client() as http:
        task_id = await created(http, T2V, {"prompt": "x"})
        message = refusal(await http.get(f"{T2V}/{task_id}", params={"x": "1"}), 400, 1201)
    assert message.startswith(f"Invalid parameter: unknown query parameter 'x'; {T2V}/{task_id} ")


async def test_a_task_that_does_not_exist_is_400_1201_saying_so() -> None:
    async with client() as http:
        message = refusal(await http.get(f"{T2V}/nope"), 400, 1201)
    assert message == "Task not found: task nope does not exist"


# --------------------------------------------------------------------------------- extension
# https://github.com/enso-ai/kling-api-wrapper/blob/c666e8d1ac2c/api-docs/kling_video_extension_docs.md


async def test_extending_a_10s_video_reports_its_duration_and_the_total() -> None:
    async with client() as http:
        parent = await video_id(http, duration="10")
        task = await finished(http, EXTEND, {"video_id": parent, "prompt": "on"})
    assert task["task_info"]["parent_video"]["id"] == parent
    assert task["task_info"]["parent_video"]["duration"] == "10"
    assert task["task_info"]["parent_video"]["url"].endswith("-0.mp4")
    assert task["task_result"]["videos"][0]["duration"] == "15"


async def test_an_extension_can_be_extended_and_adds_up() -> None:
    async with client() as http:
        first = await finished(http, EXTEND, {"video_id": await video_id(http)})
        second_id = first["task_result"]["videos"][0]["id"]
        second = await finished(http, EXTEND, {"video_id": second_id})
    assert second["task_info"]["parent_video"]["duration"] == "10"
    assert second["task_result"]["videos"][0]["duration"] == "15"


async def test_extension_stops_at_3_minutes() -> None:
    async with client() as http:
        current = await video_id(http, duration="10")
        for _ in range(34):  # 10 s + 34 x 5 s = 180 s
            task = await finished(http, EXTEND, {"video_id": current})
            current = task["task_result"]["videos"][0]["id"]
        message = refusal(await http.post(EXTEND, json={"video_id": current}), 400, 1201)
    assert message == (
        f"Invalid parameter: video_id '{current}' is 180 s long: one more extension would pass "
        "the 180 s limit"
    )


async def test_videos_of_v2_models_cannot_be_extended() -> None:
    async with client() as http:
        parent = await video_id(http, model_name="kling-v2-6")
        message = refusal(await http.post(EXTEND, json={"video_id": parent}), 400, 1201)
    assert message == (
        "Invalid parameter: videos made by kling-v2-6 cannot be extended; video extension "
        "supports videos of 'kling-v1', 'kling-v1-5' or 'kling-v1-6'"
    )


async def test_image_to_video_videos_of_v1_5_can_be_extended_twice() -> None:
    async with client() as http:
        parent = await video_id(http, I2V, image=IMG, model_name="kling-v1-5")
        first = await finished(http, EXTEND, {"video_id": parent})
        again = {"video_id": first["task_result"]["videos"][0]["id"]}
        assert (await http.post(EXTEND, json=again)).status_code == 200


async def test_videos_older_than_30_days_cannot_be_extended() -> None:
    wall = ManualClock(1_800_000_000.0)
    async with client(FakeKling(wall_clock=wall)) as http:
        parent = await video_id(http)
        wall.advance(30 * 86_400)
        message = refusal(await http.post(EXTEND, json={"video_id": parent}), 400, 1201)
    assert message == (
        f"Invalid parameter: video_id '{parent}' is older than 30 days and can no longer be "
        "extended"
    )


async def test_a_video_that_is_still_rendering_cannot_be_extended(clock: ManualClock) -> None:
    from kling.testing import Timing

    fake = FakeKling(timing=Timing.seconds(), clock=clock)
    async with client(fake) as http:
        task_id = await created(http, T2V, {"prompt": "x"})
        unfinished = fake.task(task_id).result_ids[0]  # the id its video will have
        response = await http.post(EXTEND, json={"video_id": unfinished})
    assert refusal(response, 400, 1201).startswith(f"Invalid parameter: video_id '{unfinished}'")


# ---------------------------------------------------------------------------- result shapes
# https://github.com/aself101/kling-api/blob/main/docs/api/kling-get-started-callbacks.md


async def test_omni_image_series_returns_result_type_and_series_images() -> None:
    body = {
        "prompt": "a comic strip",
        "model_name": "kling-v3-omni",
        "aspect_ratio": "1:1",
        "result_type": "series",
        "series_amount": 3,
    }
    async with client() as http:
        task = await finished(http, OMNI_IMAGE, body)
    result = task["task_result"]
    assert set(result) == {"result_type", "series_images"}
    assert result["result_type"] == "series"
    assert [image["index"] for image in result["series_images"]] == [0, 1, 2]


async def test_a_series_holds_one_concurrency_slot_per_image() -> None:
    from kling.testing import Timing

    fake = FakeKling(timing=Timing.seconds(), concurrency_limit=3)
    body = {
        "prompt": "x",
        "model_name": "kling-v3-omni",
        "aspect_ratio": "1:1",
        "result_type": "series",
        "series_amount": 3,
    }
    async with client(fake) as http:
        await created(http, OMNI_IMAGE, body)
        assert refusal(await http.post(T2V, json={"prompt": "x"}), 429, 1303)


async def test_effects_results_carry_no_duration() -> None:
    body = {"effect_scene": "bloombloom", "input": {"image": IMG}}
    async with client() as http:
        task = await finished(http, "/v1/videos/effects", body)
    (video,) = task["task_result"]["videos"]
    assert set(video) == {"id", "url"}


# ----------------------------------------------------------------------- advanced lip-sync
# https://github.com/aself101/kling-api/blob/main/docs/api/kling-lip-sync.md


async def _session(http: httpx.AsyncClient) -> str:
    response = await http.post("/v1/videos/identify-face", json={"video_url": VID})
    session_id: str = response.json()["data"]["session_id"]
    return session_id


def _face(**times: Any) -> dict[str, Any]:
    face = {
        "face_id": "0",
        "audio_id": "a",
        "sound_start_time": 0,
        "sound_end_time": 3000,
        "sound_insert_time": 0,
    }
    return {**face, **times}


async def test_advanced_lip_sync_needs_a_session_from_identify_face() -> None:
    async with client() as http:
        response = await http.post(ADVANCED, json={"session_id": "s0", "face_choose": [_face()]})
    assert refusal(response, 400, 1201) == (
        "Invalid parameter: session_id 's0' does not exist or has expired (sessions from "
        "identify-face last 24 hours)"
    )


async def test_advanced_lip_sync_sessions_expire_after_24_hours() -> None:
    wall = ManualClock(1_800_000_000.0)
    async with client(FakeKling(wall_clock=wall)) as http:
        session = await _session(http)
        wall.advance(86_400)
        response = await http.post(ADVANCED, json={"session_id": session, "face_choose": [_face()]})
    assert refusal(response, 400, 1201).startswith(f"Invalid parameter: session_id '{session}'")


@pytest.mark.parametrize(
    ("face", "message"),
    [
        (
            _face(face_id="7"),
            "face_choose[0].face_id '7' is not a face of this session",
        ),
        (
            _face(sound_end_time=1500),
            "face_choose[0]: the trimmed audio (sound_end_time - sound_start_time) must last "
            "at least 2000 ms",
        ),
        (
            _face(sound_insert_time=4000),
            "face_choose[0]: the inserted audio ends at 7000 ms, past the end of the video "
            "(5000 ms)",
        ),
        (
            _face(audio_id=None),
            "one of face_choose[0].audio_id or face_choose[0].sound_file is required",
        ),
    ],
    ids=["unknown-face", "audio-under-2s", "past-the-video", "no-audio"],
)
async def test_advanced_lip_sync_face_rules(face: dict[str, Any], message: str) -> None:
    async with client() as http:
        session = await _session(http)
        response = await http.post(ADVANCED, json={"session_id": session, "face_choose": [face]})
    assert refusal(response, 400, 1201) == f"Invalid parameter: {message}"


async def test_advanced_lip_sync_takes_one_face() -> None:
    async with client() as http:
        session = await _session(http)
        response = await http.post(
            ADVANCED, json={"session_id": session, "face_choose": [_face(), _face()]}
        )
    assert refusal(response, 400, 1201) == (
        "Invalid parameter: face_choose can hold at most 1 item(s), got 2"
    )


# --------------------------------------------------------------- elements and voices by id


async def test_an_element_the_account_created_can_be_used_by_id() -> None:
    element = {
        "element_name": "Mochi",
        "element_description": "a white cat",
        "reference_type": "image_refer",
        "element_image_list": {"frontal_image": IMG, "refer_images": [{"image_url": IMG}]},
    }
    async with client() as http:
        task = await finished(http, "/v1/general/advanced-custom-elements", element)
        element_id = task["task_result"]["elements"][0]["element_id"]
        body = {
            "image": IMG,
            "model_name": "kling-v3",
            "element_list": [{"element_id": element_id}],
        }
        assert (await http.post(I2V, json=body)).status_code == 200


async def test_a_custom_voice_can_be_used_in_voice_list() -> None:
    voice = {"voice_name": "narrator", "voice_url": "https://cdn.example/v.mp3"}
    async with client() as http:
        task = await finished(http, "/v1/general/custom-voices", voice)
        voice_id = task["task_result"]["voices"][0]["voice_id"]
        body = {
            "prompt": "hello <<<voice_1>>>",
            "model_name": "kling-v3",
            "sound": "on",
            "voice_list": [{"voice_id": voice_id}],
        }
        assert (await http.post(T2V, json=body)).status_code == 200


# ------------------------------------------------------------------------- the model table
# https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/capability-map.md


def test_each_family_keeps_its_documented_default_model() -> None:
    assert dict(LEGACY_DEFAULT_MODELS) == {
        "text_to_video": "kling-v1",
        "image_to_video": "kling-v1",
        "multi_image_to_video": "kling-v1-6",
        "omni_video": "kling-video-o1",
        "motion_control": "kling-v2-6",
        "images": "kling-v1",
        "omni_image": "kling-image-o1",
        "multi_image_to_image": "kling-v2-1",
        "virtual_try_on": "kolors-virtual-try-on-v1",
    }
    for family, models in LEGACY_MODELS.items():
        first = next(iter(models.values()))
        assert first.default
        assert first.model == LEGACY_DEFAULT_MODELS[family]
        assert all(model.family == family for model in models.values())


def test_the_table_lists_every_documented_model_name() -> None:
    assert list(LEGACY_MODELS["text_to_video"]) == [
        "kling-v1",
        "kling-v1-6",
        "kling-v2-master",
        "kling-v2-1-master",
        "kling-v2-5-turbo",
        "kling-v2-6",
        "kling-v3",
    ]
    assert list(LEGACY_MODELS["image_to_video"]) == [
        "kling-v1",
        "kling-v1-5",
        "kling-v1-6",
        "kling-v2-master",
        "kling-v2-1",
        "kling-v2-1-master",
        "kling-v2-5-turbo",
        "kling-v2-6",
        "kling-v3",
    ]
    assert list(LEGACY_MODELS["images"]) == [
        "kling-v1",
        "kling-v1-5",
        "kling-v2",
        "kling-v2-new",
        "kling-v2-1",
        "kling-v3",
    ]


def test_the_table_reads_as_documented() -> None:
    t2v, i2v = LEGACY_MODELS["text_to_video"], LEGACY_MODELS["image_to_video"]
    assert t2v["kling-v1"].durations == ("5", "10")
    assert t2v["kling-v3"].durations == tuple(str(s) for s in range(3, 16))
    assert t2v["kling-v3"].modes == ("std", "pro", "4k")
    assert t2v["kling-v2-master"].modes == ("std", "pro")
    assert t2v["kling-v2-6"].sound == {("pro", "5"), ("pro", "10")}
    assert t2v["kling-v1"].camera_control == {("std", "5")}
    assert [m.model for m in t2v.values() if m.cfg_scale] == ["kling-v1", "kling-v1-6"]
    assert [m.model for m in t2v.values() if m.multi_shot] == ["kling-v3"]
    assert i2v["kling-v1"].image_tail == {("std", "5"), ("pro", "5")}
    assert i2v["kling-v1-5"].camera_types == ("simple",)
    assert all(not m.aspect_ratios for m in i2v.values())
    assert LEGACY_MODELS["omni_video"]["kling-video-o1"].plain_durations == ("5", "10")
    assert LEGACY_MODELS["omni_image"]["kling-v3-omni"].series
    assert isinstance(t2v["kling-v1"], LegacyModel)


@pytest.mark.parametrize(
    ("family", "path", "base"),
    [
        ("text_to_video", T2V, {"prompt": "x"}),
        ("image_to_video", I2V, {"image": IMG}),
    ],
)
async def test_the_routes_enforce_the_table_for_every_model_and_duration(
    family: str, path: str, base: dict[str, Any]
) -> None:
    everything = sorted({d for m in LEGACY_MODELS[family].values() for d in m.durations}, key=int)
    async with client() as http:
        for model in LEGACY_MODELS[family].values():
            for duration in everything:
                body = {**base, "model_name": model.model, "duration": duration}
                response = await http.post(path, json=body)
                assert (response.status_code == 200) == (duration in model.durations), (
                    model.model,
                    duration,
                    response.text,
                )
