"""FakeKling refuses only what Kling refuses: what the pages leave open is accepted, over HTTP.

Each case is a request FakeKling used to refuse (or to accept) and a rule of
:mod:`kling.testing._rulebook` now decides otherwise: a rule documented as having no effect
(``ignored``) or that the sources leave open (``unsettled``) lets the request through, a limit
the pages document is refused with Kling's code and message. The row each case shows is named
in its id; the pages behind it are in the row.
"""

from __future__ import annotations

from typing import Any

import pytest

from kling.testing import FakeKling

from ._legacy_http import (
    I2V,
    IMAGES,
    IMG,
    MOTION,
    OMNI_IMAGE,
    OMNI_VIDEO,
    PRESET_ELEMENT,
    T2V,
    VID,
    client,
    created,
    finished,
    refusal,
)

SIGNED_AUDIO = "https://cdn.example/signed/voice?token=abc"
SIGNED_VIDEO = "https://cdn.example/signed/clip?token=abc"
ELEMENT = {"element_id": PRESET_ELEMENT}
FIRST = {"image_url": IMG, "type": "first_frame"}
END = {"image_url": IMG, "type": "end_frame"}
FEATURE = {"video_url": VID, "refer_type": "feature"}
BASE = {"video_url": VID, "refer_type": "base"}
ELEMENTS_PATH = "/v1/general/advanced-custom-elements"
_IMAGES = {"frontal_image": IMG, "refer_images": [{"image_url": IMG}]}


def _motion() -> dict[str, Any]:
    return {"image_url": IMG, "video_url": VID, "character_orientation": "video", "mode": "std"}


#: (row id it shows, path, body): each is accepted (200, a task).
ACCEPTED: list[tuple[str, str, dict[str, Any]]] = [
    # B1.1: "Kling-v2-master currently does not support mode" says no error.
    ("fake.legacy.mode", T2V, {"prompt": "x", "model_name": "kling-v2-master", "mode": "pro"}),
    ("fake.legacy.mode", I2V, {"image": IMG, "model_name": "kling-v2-1-master", "mode": "std"}),
    # B1.2: cfg_scale on kling-v2.x and kling-v3; undocumented on multi-image to video.
    ("fake.legacy.cfg_scale", T2V, {"prompt": "x", "model_name": "kling-v2-6", "cfg_scale": 0.5}),
    ("fake.legacy.cfg_scale", I2V, {"image": IMG, "model_name": "kling-v3", "cfg_scale": 0.5}),
    (
        "multi-image cfg_scale undocumented",
        "/v1/videos/multi-image2video",
        {"prompt": "x", "image_list": [{"image": IMG}], "cfg_scale": 7},
    ),
    # B1.3: image-to-video documents no aspect_ratio.
    ("fake.legacy.follows_input", I2V, {"image": IMG, "aspect_ratio": "16:9"}),
    # B1.4: the default value of a feature the model lacks.
    ("fake.legacy.off_values", T2V, {"prompt": "x", "sound": "off"}),
    ("fake.legacy.off_values", T2V, {"prompt": "x", "multi_shot": False}),
    ("fake.legacy.off_values", OMNI_VIDEO, {"prompt": "x", "aspect_ratio": "1:1", "sound": "off"}),
    # B1.5: shot fields without multi_shot are unused.
    (
        "fake.legacy.stray_shot_fields",
        T2V,
        {"prompt": "x", "model_name": "kling-v3", "shot_type": "intelligence"},
    ),
    # B1.6: a base video's result follows the video; the duration is ignored.
    (
        "fake.omni_video.base_duration",
        OMNI_VIDEO,
        {"prompt": "x", "video_list": [BASE], "duration": "5"},
    ),
    # B1.7: with an element, the video follows the reference video's orientation.
    (
        "fake.motion_control.element_orientation",
        MOTION,
        {
            **_motion(),
            "model_name": "kling-v3",
            "character_orientation": "image",
            "element_list": [ELEMENT],
        },
    ),
    # B1.8: kling-v2-new's output follows its input image.
    (
        "fake.legacy.follows_input",
        IMAGES,
        {
            "prompt": "x",
            "model_name": "kling-v2-new",
            "image": IMG,
            "resolution": "1k",
            "aspect_ratio": "16:9",
        },
    ),
    # B1.9, B1.10: human_fidelity only takes effect with "subject"; the page's own example sends
    # a negative_prompt with an image.
    (
        "fake.images.human_fidelity",
        IMAGES,
        {"prompt": "x", "model_name": "kling-v2-1", "image": IMG, "human_fidelity": 0.5},
    ),
    ("fake.images.negative_prompt", IMAGES, {"prompt": "x", "image": IMG, "negative_prompt": ""}),
    (
        "fake.images.negative_prompt",
        IMAGES,
        {"prompt": "x", "image": IMG, "negative_prompt": "blur"},
    ),
    # B1.11: "this parameter is invalid" with the other result_type.
    (
        "fake.omni_image.unused",
        OMNI_IMAGE,
        {"prompt": "x", "aspect_ratio": "1:1", "result_type": "single", "series_amount": 3},
    ),
    # B1.13, B1.14, B1.15.
    (
        "fake.lip_sync.voice_speed",
        "/v1/videos/lip-sync",
        {
            "input": {
                "video_url": VID,
                "mode": "text2video",
                "text": "hi",
                "voice_id": "v",
                "voice_speed": 2.5,
            }
        },
    ),
    (
        "fake.effects.still_listed",
        "/v1/videos/effects",
        {"effect_scene": "magic_match_tree", "input": {"image": IMG}},
    ),
    (
        "fake.legacy.url_suffix",
        "/v1/videos/lip-sync",
        {
            "input": {
                "video_url": SIGNED_VIDEO,
                "mode": "audio2video",
                "audio_type": "url",
                "audio_url": SIGNED_AUDIO,
            }
        },
    ),
    (
        "fake.legacy.url_suffix",
        "/v1/videos/avatar/image2video",
        {"image": IMG, "sound_file": SIGNED_AUDIO},
    ),
    (
        "fake.legacy.url_suffix",
        "/v1/general/custom-voices",
        {"voice_name": "v", "voice_url": SIGNED_AUDIO},
    ),
    ("fake.legacy.url_suffix", MOTION, {**_motion(), "video_url": SIGNED_VIDEO}),
    # B1.16: no page covers camera control or motion brush on kling-v3.
    (
        "fake.legacy.undocumented_feature",
        T2V,
        {"prompt": "x", "model_name": "kling-v3", "camera_control": {"type": "down_back"}},
    ),
    (
        "fake.legacy.undocumented_feature",
        I2V,
        {"image": IMG, "model_name": "kling-v3", "static_mask": IMG},
    ),
    # B2.19, B2.20: 2k on kling-v2-1 and kling-v3; kling-v1-5 references a subject or a face.
    (
        "fake.images.resolution",
        IMAGES,
        {"prompt": "x", "model_name": "kling-v2-1", "resolution": "2k"},
    ),
    (
        "fake.images.resolution",
        IMAGES,
        {"prompt": "x", "model_name": "kling-v3", "resolution": "2k"},
    ),
    (
        "fake.images.image_reference",
        IMAGES,
        {"prompt": "x", "model_name": "kling-v1-5", "image": IMG, "image_reference": "face"},
    ),
    # B2.21: a last frame alone on kling-v1-5 and kling-v1-6 in pro.
    ("fake.legacy.tail_only", I2V, {"image_tail": IMG, "model_name": "kling-v1-6", "mode": "pro"}),
    ("fake.legacy.tail_only", I2V, {"image_tail": IMG, "model_name": "kling-v1-5", "mode": "pro"}),
    # B2.22: the vendor's "next shot" example: a feature video, no aspect_ratio, no first frame.
    ("fake.omni_video.aspect_ratio", OMNI_VIDEO, {"prompt": "x", "video_list": [FEATURE]}),
    # B2.23: first and end frames make 3-10 s on kling-video-o1.
    (
        "fake.omni_video.plain_durations",
        OMNI_VIDEO,
        {"prompt": "x", "image_list": [FIRST, END], "duration": "7"},
    ),
    # B2.24: no model_name: what kling-v1 or kling-v3 would take.
    (
        "fake.images.default_model",
        IMAGES,
        {"prompt": "x", "aspect_ratio": "21:9", "resolution": "2k", "element_list": [ELEMENT]},
    ),
    # B2.25: kling-v2 on multi-image to image (the early-2026 copy's default).
    (
        "fake.legacy.model_name",
        "/v1/images/multi-image2image",
        {"subject_image_list": [{"subject_image": IMG}], "model_name": "kling-v2"},
    ),
    # B2.26: an omitted aspect_ratio; "auto" on kling-image-o1 (the sources conflict); "auto"
    # with elements on kling-v3-omni.
    ("fake.omni_image.auto_ratio", OMNI_IMAGE, {"prompt": "x"}),
    ("fake.omni_image.auto_ratio", OMNI_IMAGE, {"prompt": "x", "model_name": "kling-v3-omni"}),
    ("fake.omni_image.auto_ratio", OMNI_IMAGE, {"prompt": "x", "aspect_ratio": "auto"}),
    (
        "fake.omni_image.auto_ratio",
        OMNI_IMAGE,
        {
            "prompt": "x",
            "model_name": "kling-v3-omni",
            "aspect_ratio": "auto",
            "element_list": [ELEMENT],
        },
    ),
]


@pytest.mark.parametrize(
    ("row", "path", "body"), ACCEPTED, ids=[f"{row}-{n}" for n, (row, _, _) in enumerate(ACCEPTED)]
)
async def test_fake_kling_accepts_what_kling_does_not_refuse(
    row: str, path: str, body: dict[str, Any]
) -> None:
    async with client() as http:
        task = await finished(http, path, body)
    assert task["task_id"]


async def test_tts_without_voice_language_speaks_chinese_by_default() -> None:
    async with client() as http:
        response = await http.post("/v1/audio/tts", json={"text": "hello", "voice_id": "v"})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["task_status"] == "succeed"


async def test_tts_rounds_voice_speed_into_range() -> None:
    async with client() as http:
        body = {"text": "hello", "voice_id": "v", "voice_language": "en", "voice_speed": 5}
        response = await http.post("/v1/audio/tts", json=body)
    assert response.status_code == 200, response.text


async def test_omni_image_series_n_is_ignored_and_series_amount_defaults_to_4() -> None:
    """B1.11 and B2.27: n is invalid with a series; series_amount is "Default 4"."""
    body = {"prompt": "x", "model_name": "kling-v3-omni", "aspect_ratio": "1:1"}
    async with client() as http:
        with_n = await finished(
            http, OMNI_IMAGE, {**body, "result_type": "series", "n": 2, "series_amount": 3}
        )
        default = await finished(http, OMNI_IMAGE, {**body, "result_type": "series"})
    assert len(with_n["task_result"]["series_images"]) == 3
    assert len(default["task_result"]["series_images"]) == 4


async def test_a_last_frame_alone_is_refused_where_the_model_needs_a_first() -> None:
    async with client() as http:
        v1 = await http.post(I2V, json={"image_tail": IMG})
        std = await http.post(I2V, json={"image_tail": IMG, "model_name": "kling-v1-5"})
    assert refusal(v1, 400, 1201) == (
        "Invalid parameter: image is required: kling-v1 takes no image_tail without image"
    )
    assert refusal(std, 400, 1201) == (
        "Invalid parameter: image is required: kling-v1-5 takes image_tail without image in "
        "mode 'pro'"
    )


async def test_image_resolution_2k_stays_refused_on_kling_v1_5() -> None:
    async with client() as http:
        body = {"prompt": "x", "model_name": "kling-v1-5", "resolution": "2k"}
        response = await http.post(IMAGES, json=body)
    assert refusal(response, 400, 1201) == (
        "Invalid parameter: resolution '2k' is not supported by kling-v1-5; kling-v1-5 supports "
        "resolution '1k'"
    )


async def test_v3_omni_auto_ratio_without_references_stays_refused() -> None:
    async with client() as http:
        body = {"prompt": "x", "model_name": "kling-v3-omni", "aspect_ratio": "auto"}
        response = await http.post(OMNI_IMAGE, json=body)
    assert refusal(response, 400, 1201) == (
        "Invalid parameter: aspect_ratio 'auto' needs images in image_list or element_list on "
        "kling-v3-omni; without them choose an aspect_ratio"
    )


# ------------------------------------------------------------------ B3: limits added


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("element_description", "element_description is required"),
        ("reference_type", "reference_type is required ('image_refer' or 'video_refer')"),
    ],
)
async def test_element_creation_requires_a_description_and_a_reference_type(
    missing: str, message: str
) -> None:
    """fake.elements.required: both are "Required Yes" on the element page."""
    body = {
        "element_name": "Mochi",
        "element_description": "a white cat",
        "reference_type": "image_refer",
        "element_image_list": _IMAGES,
    }
    del body[missing]
    fake = FakeKling()
    async with client(fake) as http:
        response = await http.post(ELEMENTS_PATH, json=body)
    assert refusal(response, 400, 1201) == f"Invalid parameter: {message}"
    assert fake.tasks == {}


async def test_element_creation_with_both_is_accepted() -> None:
    body = {
        "element_name": "Mochi",
        "element_description": "a white cat",
        "reference_type": "image_refer",
        "element_image_list": _IMAGES,
    }
    async with client() as http:
        assert await created(http, ELEMENTS_PATH, body)


async def test_kling_video_o1_takes_no_element_with_first_and_end_frames() -> None:
    """fake.omni_video.o1_frames (changelog 2026-03-11)."""
    body = {"prompt": "x", "image_list": [FIRST, END], "element_list": [ELEMENT]}
    async with client() as http:
        o1 = await http.post(OMNI_VIDEO, json=body)
        v3 = await http.post(OMNI_VIDEO, json={**body, "model_name": "kling-v3-omni"})
    assert refusal(o1, 400, 1201) == (
        "Invalid parameter: element_list cannot be used with first and end frames on kling-video-o1"
    )
    assert v3.status_code == 200, v3.text


async def test_kling_video_o1_takes_no_end_frame_with_a_feature_video() -> None:
    body = {"prompt": "x", "image_list": [FIRST, END], "video_list": [FEATURE]}
    async with client() as http:
        response = await http.post(OMNI_VIDEO, json=body)
    assert refusal(response, 400, 1201) == (
        "Invalid parameter: a feature video takes a first_frame only on kling-video-o1, not an "
        "end_frame"
    )


# ------------------------------------------------------------------ the new standard


def _item(kind: str, url: str = IMG) -> dict[str, Any]:
    return {"type": kind, "url": url}


_PROMPT = {"type": "prompt", "text": "a corgi"}

STANDARD_ACCEPTED: list[tuple[str, str, dict[str, Any]]] = [
    # B1.17: fields those models' pages do not have are ignored.
    (
        "fake.standard.undocumented_setting",
        "/text-to-video/kling-3.0-turbo",
        {"prompt": "x", "settings": {"audio": "native"}},
    ),
    (
        "fake.standard.undocumented_setting",
        "/text-to-video/kling-2.5-turbo",
        {"prompt": "x", "settings": {"audio": "off"}},
    ),
    (
        "fake.standard.undocumented_setting",
        "/text-to-video/kling-2.6",
        {"prompt": "x", "settings": {"multi_shot": False}},
    ),
    (
        "fake.standard.undocumented_setting",
        "/image-to-video/kling-3.0-turbo",
        {"contents": [_PROMPT, _item("first_frame")], "settings": {"multi_shot": True}},
    ),
    (
        "fake.standard.undocumented_setting",
        "/omni-video/kling-o1",
        {"contents": [_PROMPT, _item("first_frame")], "settings": {"multi_shot": False}},
    ),
    # B1.18: multi-shot with a feature video is an option, not a requirement.
    (
        "fake.standard.feature_multi_shot",
        "/omni-video/kling-3.0-omni",
        {"contents": [_PROMPT, _item("feature_video", VID)], "settings": {"multi_shot": False}},
    ),
    # B2.28: the 3.0-turbo cap is 3072.
    (
        "fake.standard.prompt",
        "/image-to-video/kling-3.0-turbo",
        {"contents": [{"type": "prompt", "text": "x" * 3072}, _item("first_frame")]},
    ),
    # B2.23: a last frame makes 3-10 s on kling-o1.
    (
        "fake.standard.o1_plain_durations",
        "/omni-video/kling-o1",
        {
            "contents": [_PROMPT, _item("first_frame"), _item("last_frame")],
            "settings": {"duration": 7},
        },
    ),
]


@pytest.mark.parametrize(
    ("row", "path", "body"),
    STANDARD_ACCEPTED,
    ids=[f"{row}-{n}" for n, (row, _, _) in enumerate(STANDARD_ACCEPTED)],
)
async def test_new_standard_accepts_what_kling_does_not_refuse(
    row: str, path: str, body: dict[str, Any]
) -> None:
    async with client() as http:
        response = await http.post(path, json=body)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["id"]
