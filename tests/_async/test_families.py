"""Every task family on the client: what a create sends, how results parse, what is refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import respx

from kling import AsyncKlingClient, AsyncTask, InvalidParameterError
from tests._helpers import ok, sent_json, task
from tests.test_files import b64, png

U = "https://cdn.example/in.png"
V = "https://cdn.example/in.mp4"
VIDEO = {"id": "v1", "url": "https://cdn.example/out.mp4", "duration": "5"}
IMAGE = {"index": 0, "url": "https://cdn.example/out.png"}
AUDIO = {
    "id": "a1",
    "url_mp3": "https://cdn.example/out.mp3",
    "url_wav": "https://cdn.example/out.wav",
    "duration_mp3": "5.0",
    "duration_wav": "5.0",
}
PARENT = {"parent_video": {"id": "p1", "url": "https://cdn.example/parent.mp4", "duration": "5"}}


@dataclass
class Case:
    family: str
    path: str
    params: dict[str, Any]
    body: dict[str, Any]
    result: dict[str, Any]
    invalid: dict[str, Any]
    message: str
    task_info: dict[str, Any] = field(default_factory=dict)


CASES = [
    Case(
        "text_to_video",
        "/v1/videos/text2video",
        {"prompt": "a corgi", "camera_control": {"type": "simple", "config": {"zoom": 5}}},
        {"prompt": "a corgi", "camera_control": {"type": "simple", "config": {"zoom": 5}}},
        {"videos": [VIDEO]},
        {"prompt": "a corgi", "cfg_scale": 1.5},
        "cfg_scale",
    ),
    Case(
        "image_to_video",
        "/v1/videos/image2video",
        {"image": U, "prompt": "waves", "duration": 10},
        {"image": U, "prompt": "waves", "duration": "10"},
        {"videos": [VIDEO]},
        {"image": U, "image_tail": U, "camera_control": {"type": "down_back"}},
        "image_tail",
    ),
    Case(
        "multi_image_to_video",
        "/v1/videos/multi-image2video",
        {"prompt": "friends", "image_list": [{"image": U}, {"image": U}]},
        {"image_list": [{"image": U}, {"image": U}], "prompt": "friends"},
        {"videos": [VIDEO]},
        {"prompt": "friends", "image_list": [{"image": U}] * 5},
        "image_list",
    ),
    Case(
        "video_extend",
        "/v1/videos/video-extend",
        {"video_id": "v0", "prompt": "keep going"},
        {"video_id": "v0", "prompt": "keep going"},
        {"videos": [VIDEO]},
        {"prompt": "keep going"},
        "video_id",
        PARENT,
    ),
    Case(
        "lip_sync",
        "/v1/videos/lip-sync",
        {"video_id": "v0", "mode": "text2video", "text": "hello", "voice_id": "uk_boy1"},
        {"input": {"video_id": "v0", "mode": "text2video", "text": "hello", "voice_id": "uk_boy1"}},
        {"videos": [VIDEO]},
        {"video_id": "v0", "video_url": V, "mode": "text2video", "text": "hi", "voice_id": "x"},
        "video_id",
    ),
    Case(
        "advanced_lip_sync",
        "/v1/videos/advanced-lip-sync",
        {
            "session_id": "s1",
            "face_choose": [
                {
                    "face_id": "0",
                    "audio_id": "a0",
                    "sound_start_time": 0,
                    "sound_end_time": 3000,
                    "sound_insert_time": 0,
                }
            ],
        },
        {
            "session_id": "s1",
            "face_choose": [
                {
                    "face_id": "0",
                    "audio_id": "a0",
                    "sound_start_time": 0,
                    "sound_end_time": 3000,
                    "sound_insert_time": 0,
                }
            ],
        },
        {"videos": [VIDEO]},
        {"session_id": "s1"},
        "face_choose",
        PARENT,
    ),
    Case(
        "video_effects",
        "/v1/videos/effects",
        {"effect_scene": "bloombloom", "image": U},
        {"effect_scene": "bloombloom", "input": {"image": U}},
        {"videos": [{"id": "v1", "url": "https://cdn.example/out.mp4"}]},
        {"image": U},
        "effect_scene",
    ),
    Case(
        "avatar",
        "/v1/videos/avatar/image2video",
        {"image": U, "audio_id": "a0", "prompt": "smiles"},
        {"image": U, "audio_id": "a0", "prompt": "smiles"},
        {"videos": [VIDEO]},
        {"image": U, "audio_id": "a0", "sound_file": "https://cdn.example/a.mp3"},
        "audio_id",
    ),
    Case(
        "motion_control",
        "/v1/videos/motion-control",
        {"image_url": U, "video_url": V, "character_orientation": "video", "mode": "pro"},
        {"image_url": U, "video_url": V, "character_orientation": "video", "mode": "pro"},
        {"videos": [VIDEO]},
        {"image_url": U, "video_url": V, "character_orientation": "sideways", "mode": "pro"},
        "character_orientation",
    ),
    Case(
        "omni_video",
        "/v1/videos/omni-video",
        {
            "prompt": "<<<image_1>>> dances",
            "image_list": [{"image_url": U}],
            "aspect_ratio": "9:16",
        },
        {
            "prompt": "<<<image_1>>> dances",
            "image_list": [{"image_url": U}],
            "aspect_ratio": "9:16",
        },
        {"videos": [VIDEO]},
        {"prompt": "p", "image_list": [{"image_url": U, "type": "end_frame"}]},
        "end_frame",
    ),
    Case(
        "images",
        "/v1/images/generations",
        {"prompt": "a fox", "n": 2, "aspect_ratio": "1:1"},
        {"prompt": "a fox", "n": 2, "aspect_ratio": "1:1"},
        {"images": [IMAGE, {"index": 1, "url": "https://cdn.example/out2.png"}]},
        {"prompt": "a fox", "n": 10},
        "n",
    ),
    Case(
        "omni_image",
        "/v1/images/omni-image",
        {"prompt": "<<<image_1>>> in snow", "image_list": [{"image": U}], "resolution": "2k"},
        {"prompt": "<<<image_1>>> in snow", "image_list": [{"image": U}], "resolution": "2k"},
        {"images": [IMAGE]},
        {"prompt": "p", "n": 0},
        "n",
    ),
    Case(
        "multi_image_to_image",
        "/v1/images/multi-image2image",
        {"prompt": "together", "subject_image_list": [{"subject_image": U}], "scene_image": U},
        {"prompt": "together", "subject_image_list": [{"subject_image": U}], "scene_image": U},
        {"images": [IMAGE]},
        {"prompt": "p", "subject_image_list": []},
        "subject_image_list",
    ),
    Case(
        "image_expand",
        "/v1/images/editing/expand",
        {"image": U, "up_expansion_ratio": 0.5, "left_expansion_ratio": 0.2},
        {"image": U, "up_expansion_ratio": 0.5, "left_expansion_ratio": 0.2},
        {"images": [IMAGE]},
        {"image": U, "up_expansion_ratio": 2, "left_expansion_ratio": 2},
        "3",
    ),
    Case(
        "virtual_try_on",
        "/v1/images/kolors-virtual-try-on",
        {"human_image": U, "cloth_image": U},
        {"human_image": U, "cloth_image": U},
        {"images": [IMAGE]},
        {"human_image": U},
        "cloth_image",
    ),
    Case(
        "text_to_audio",
        "/v1/audio/text-to-audio",
        {"prompt": "rain on a tin roof", "duration": 5},
        {"prompt": "rain on a tin roof", "duration": 5.0},
        {"audios": [AUDIO]},
        {"prompt": "rain", "duration": 12},
        "duration",
    ),
    Case(
        "video_to_audio",
        "/v1/audio/video-to-audio",
        {"video_id": "v0", "bgm_prompt": "calm piano"},
        {"video_id": "v0", "bgm_prompt": "calm piano"},
        {"videos": [VIDEO], "audios": [AUDIO]},
        {"video_id": "v0", "video_url": V},
        "video_id",
        PARENT,
    ),
    Case(
        "elements",
        "/v1/general/advanced-custom-elements",
        {
            "element_name": "Mochi",
            "element_description": "a white cat",
            "reference_type": "image_refer",
            "element_image_list": {"frontal_image": U, "refer_images": [{"image_url": U}]},
        },
        {
            "element_name": "Mochi",
            "element_description": "a white cat",
            "reference_type": "image_refer",
            "element_image_list": {"frontal_image": U, "refer_images": [{"image_url": U}]},
        },
        {"elements": [{"element_id": "e1", "element_name": "Mochi", "owned_by": "me"}]},
        {"element_name": "x" * 21, "element_description": "d", "reference_type": "image_refer"},
        "element_name",
    ),
    Case(
        "voices",
        "/v1/general/custom-voices",
        {"voice_name": "narrator", "voice_url": "https://cdn.example/voice.mp3"},
        {"voice_name": "narrator", "voice_url": "https://cdn.example/voice.mp3"},
        {"voices": [{"voice_id": "vc1", "voice_name": "narrator", "trial_url": V}]},
        {"voice_name": "narrator"},
        "voice_url",
    ),
]


@pytest.fixture(params=CASES, ids=[case.family for case in CASES])
def case(request: pytest.FixtureRequest) -> Case:
    return request.param  # type: ignore[no-any-return]


def _resource(client: AsyncKlingClient, family: str) -> Any:
    return getattr(client, family)


async def test_create_sends_the_documented_body(
    client: AsyncKlingClient, api: respx.MockRouter, case: Case
) -> None:
    route = api.post(case.path).mock(return_value=ok(task("t1", external_task_id="e1")))
    created = await _resource(client, case.family).create(**case.params, external_task_id="e1")
    request = route.calls.last.request
    assert request.method == "POST"
    assert sent_json(request) == {**case.body, "external_task_id": "e1"}
    assert isinstance(created, AsyncTask)
    assert created.external_task_id == "e1"


async def test_get_parses_the_documented_result(
    client: AsyncKlingClient, api: respx.MockRouter, case: Case
) -> None:
    finished = task(
        "t1",
        "succeed",
        task_result=case.result,
        final_unit_deduction="1.5",
        watermark_info={"enabled": True},
    )
    finished["task_info"].update(case.task_info)
    api.get(f"{case.path}/t1").mock(return_value=ok(finished))
    got = await _resource(client, case.family).get("t1")
    assert got.is_succeeded
    assert got.final_unit_deduction == "1.5"
    assert got.watermark_info is not None
    assert got.watermark_info.enabled is True
    dumped = got.task_result.model_dump(exclude_none=True)
    for kind, items in case.result.items():
        assert len(dumped[kind]) == len(items)
        for key in items[0]:
            assert key in dumped[kind][0]
    if case.task_info:
        assert got.task_info.parent_video is not None
        assert got.task_info.parent_video.duration == 5.0


async def test_invalid_parameters_are_refused_before_sending(
    client: AsyncKlingClient, api: respx.MockRouter, case: Case
) -> None:
    with pytest.raises(InvalidParameterError) as info:
        await _resource(client, case.family).create(**case.invalid)
    assert case.message in str(info.value)
    assert not api.calls


async def test_list_reads_the_family_path(
    client: AsyncKlingClient, api: respx.MockRouter, case: Case
) -> None:
    route = api.get(case.path).mock(return_value=ok([task("t1"), task("t2")]))
    ids = [t.task_id async for t in _resource(client, case.family).list()]
    assert ids == ["t1", "t2"]
    assert route.calls.last.request.url.params["pageNum"] == "1"


async def test_a_local_image_file_is_sent_as_raw_base64(
    client: AsyncKlingClient, api: respx.MockRouter, tmp_path: Path
) -> None:
    picture = tmp_path / "frame.png"
    picture.write_bytes(png(400, 300))
    route = api.post("/v1/videos/image2video").mock(return_value=ok(task("t1")))
    await client.image_to_video.create(image=picture, prompt="waves")
    assert sent_json(route.calls.last.request)["image"] == b64(png(400, 300))


async def test_advanced_lip_sync_has_no_lookup_by_external_id(client: AsyncKlingClient) -> None:
    with pytest.raises(InvalidParameterError, match="only be looked up by task_id"):
        await client.advanced_lip_sync.get(external_task_id="e1")


async def test_voice_presets_and_delete(client: AsyncKlingClient, api: respx.MockRouter) -> None:
    preset = task(
        "p1", "succeed", task_result={"voices": [{"voice_id": "k1", "owned_by": "kling"}]}
    )
    api.get("/v1/general/presets-voices").mock(return_value=ok([preset]))
    delete = api.post("/v1/general/delete-voices").mock(return_value=ok(None))
    presets = [t async for t in client.voices.presets()]
    assert presets[0].task_result.voices[0].owned_by == "kling"
    await client.voices.delete("vc1")
    assert sent_json(delete.calls.last.request) == {"voice_id": "vc1"}


async def test_element_presets_and_delete(client: AsyncKlingClient, api: respx.MockRouter) -> None:
    preset = task("p1", "succeed", task_result={"elements": [{"element_id": "k1"}]})
    api.get("/v1/general/advanced-presets-elements").mock(return_value=ok([preset]))
    delete = api.post("/v1/general/delete-advanced-elements").mock(return_value=ok(None))
    presets = [t async for t in client.elements.presets()]
    assert presets[0].task_result.elements[0].element_id == "k1"
    await client.elements.delete("e1")
    assert sent_json(delete.calls.last.request) == {"element_id": "e1"}
