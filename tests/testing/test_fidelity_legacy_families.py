"""FakeKling refuses what Kling refuses on the legacy image, audio and general families.

Raw HTTP only (see ``test_fidelity_legacy.py``): each case is one documented rule of the Kling
page it is listed under, with status, code and message. The pages:

* image generation: https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-2.1-generation.md
* omni image: https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-o1-generation.md
* multi-image to image: https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-2.1-multi-image-to-image.md
* image expansion: https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-common-outpainting.md
* virtual try-on: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/virtual-try-on.md
* effects: https://github.com/aself101/kling-api/blob/main/docs/api/kling-effects-video-effects.md
* avatar: https://github.com/aself101/kling-api/blob/main/docs/api/kling-avatar.md
* lip-sync: https://github.com/aself101/kling-api/blob/main/docs/api/kling-lip-sync.md
  (the original one, no longer on Kling's pages: https://github.com/KwaiVGI/ComfyUI-KLingAI-API/blob/main/py/api/lip_sync.py)
* audio: https://github.com/aself101/kling-api/blob/main/docs/api/kling-text-to-audio.md
  https://github.com/aself101/kling-api/blob/main/docs/api/kling-video-to-audio.md
  https://github.com/aself101/kling-api/blob/main/docs/api/kling-text-to-speech.md
* elements, voices, helpers: https://github.com/aself101/kling-api/blob/main/docs/api/kling-o1-element-mgt.md
  https://github.com/aself101/kling-api/blob/main/docs/api/kling-2.6-voice-mgt.md
  https://github.com/aself101/kling-api/blob/main/docs/api/kling-img-recog.md
"""

from __future__ import annotations

from typing import Any

import pytest

from ._legacy_http import IMAGES, IMG, OMNI_IMAGE, PNG_B64, PRESET_ELEMENT, VID, client, refusal

EXPAND = "/v1/images/editing/expand"
EFFECTS = "/v1/videos/effects"
AVATAR = "/v1/videos/avatar/image2video"
LIP_SYNC = "/v1/videos/lip-sync"
TTS = "/v1/audio/tts"
ELEMENTS = "/v1/general/advanced-custom-elements"
VOICES = "/v1/general/custom-voices"
MP3 = "https://cdn.example/voice.mp3"
IMAGE_MODELS = "'kling-v1', 'kling-v1-5', 'kling-v2', 'kling-v2-new', 'kling-v2-1' or 'kling-v3'"


def _p(message: str) -> str:
    return f"Invalid parameter: {message}"


def _lip(**source: Any) -> dict[str, Any]:
    return {
        "input": {"video_url": VID, "mode": "text2video", "text": "hi", "voice_id": "v", **source}
    }


def _element(**body: Any) -> dict[str, Any]:
    images = {"frontal_image": IMG, "refer_images": [{"image_url": IMG}]}
    return {
        "element_name": "Mochi",
        "element_description": "a white cat",
        "reference_type": "image_refer",
        "element_image_list": images,
        **body,
    }


RULES: list[tuple[str, str, dict[str, Any], int, int, str]] = [
    # image generation
    (
        "images-v1-no-21:9",
        IMAGES,
        {"prompt": "x", "model_name": "kling-v1", "aspect_ratio": "21:9"},
        400,
        1201,
        _p(
            "aspect_ratio '21:9' is not supported by kling-v1; kling-v1 supports aspect_ratio "
            "'16:9', '9:16', '1:1', '4:3', '3:4', '3:2' or '2:3'"
        ),
    ),
    (
        "images-v1-1k-only",
        IMAGES,
        {"prompt": "x", "model_name": "kling-v1", "resolution": "2k"},
        400,
        1201,
        _p("resolution '2k' is not supported by kling-v1; kling-v1 supports resolution '1k'"),
    ),
    (
        "images-v2-new-needs-image",
        IMAGES,
        {"prompt": "x", "model_name": "kling-v2-new"},
        400,
        1201,
        _p("image is required by kling-v2-new, which restyles an input image"),
    ),
    (
        "images-image-reference-v1-5-and-v2-1-only",
        IMAGES,
        {"prompt": "x", "model_name": "kling-v1", "image": IMG, "image_reference": "face"},
        400,
        1201,
        _p("image_reference is not supported by kling-v1"),
    ),
    (
        "images-image-reference-needs-image",
        IMAGES,
        {"prompt": "x", "model_name": "kling-v2-1", "image_reference": "subject"},
        400,
        1201,
        _p("image_reference needs an image"),
    ),
    (
        "images-n-at-most-9",
        IMAGES,
        {"prompt": "x", "n": 10},
        400,
        1201,
        _p("n must be in [1, 9], got 10"),
    ),
    (
        "images-model-alias-unknown",
        IMAGES,
        {"prompt": "x", "model": "kling-v9"},
        404,
        1203,
        "Requested resource does not exist: model_name 'kling-v9' is not a model of "
        f"/v1/images/generations; it takes {IMAGE_MODELS}",
    ),
    (
        "images-elements-v3-only",
        IMAGES,
        {"prompt": "x", "model_name": "kling-v1", "element_list": [{"element_id": PRESET_ELEMENT}]},
        400,
        1201,
        _p("element_list is not supported by kling-v1"),
    ),
    # omni image
    (
        "omni-image-series-v3-omni-only",
        OMNI_IMAGE,
        {"prompt": "x", "aspect_ratio": "1:1", "result_type": "series", "series_amount": 3},
        400,
        1201,
        _p("result_type 'series' is not supported by kling-image-o1"),
    ),
    (
        "omni-image-series-amount-range",
        OMNI_IMAGE,
        {
            "prompt": "x",
            "model_name": "kling-v3-omni",
            "aspect_ratio": "1:1",
            "result_type": "series",
            "series_amount": 10,
        },
        400,
        1201,
        _p(
            "series_amount '10' is invalid; result_type 'series' needs series_amount 2 to 9 "
            "or 'auto'"
        ),
    ),
    (
        "omni-image-v3-auto-needs-references",
        OMNI_IMAGE,
        {"prompt": "x", "model_name": "kling-v3-omni", "aspect_ratio": "auto"},
        400,
        1201,
        _p(
            "aspect_ratio 'auto' needs images in image_list or element_list on kling-v3-omni; "
            "without them choose an aspect_ratio"
        ),
    ),
    (
        "omni-image-at-most-10",
        OMNI_IMAGE,
        {
            "prompt": "x",
            "image_list": [{"image": IMG}] * 8,
            "element_list": [{"element_id": PRESET_ELEMENT}] * 3,
        },
        400,
        1201,
        _p("image_list and element_list can hold at most 10 items together"),
    ),
    (
        "omni-image-4k-v3-omni-only",
        OMNI_IMAGE,
        {"prompt": "x", "image_list": [{"image": IMG}], "resolution": "4k"},
        400,
        1201,
        _p(
            "resolution '4k' is not supported by kling-image-o1; kling-image-o1 supports "
            "resolution '1k' or '2k'"
        ),
    ),
    # multi-image to image
    (
        "multi-image2image-v2-1-or-v2",
        "/v1/images/multi-image2image",
        {"subject_image_list": [{"subject_image": IMG}], "model_name": "kling-v9"},
        404,
        1203,
        "Requested resource does not exist: model_name 'kling-v9' is not a model of "
        "/v1/images/multi-image2image; it takes 'kling-v2-1' or 'kling-v2'",
    ),
    (
        "multi-image2image-at-most-4",
        "/v1/images/multi-image2image",
        {"subject_image_list": [{"subject_image": IMG}] * 5},
        400,
        1201,
        _p("subject_image_list can hold at most 4 item(s), got 5"),
    ),
    # image expansion
    (
        "expand-area-at-most-3x",
        EXPAND,
        {"image": IMG, "up_expansion_ratio": 2, "down_expansion_ratio": 2},
        400,
        1201,
        _p(
            "the expanded image would be 5x the original's area; (1 + up + down) x "
            "(1 + left + right) must be at most 3"
        ),
    ),
    (
        "expand-ratio-at-most-2",
        EXPAND,
        {"image": IMG, "left_expansion_ratio": 2.5},
        400,
        1201,
        _p("left_expansion_ratio must be in [0, 2], got 2.5"),
    ),
    # virtual try-on
    (
        "try-on-unknown-model",
        "/v1/images/kolors-virtual-try-on",
        {"human_image": IMG, "cloth_image": IMG, "model_name": "kolors-virtual-try-on-v3"},
        404,
        1203,
        "Requested resource does not exist: model_name 'kolors-virtual-try-on-v3' is not a "
        "model of /v1/images/kolors-virtual-try-on; it takes 'kolors-virtual-try-on-v1' or "
        "'kolors-virtual-try-on-v1-5'",
    ),
    # effects
    (
        "effects-discontinued",
        EFFECTS,
        {"effect_scene": "hug", "input": {"image": IMG}},
        400,
        1201,
        _p("effect_scene 'hug' has been discontinued"),
    ),
    (
        "effects-dual-needs-2-images",
        EFFECTS,
        {"effect_scene": "kiss_pro", "input": {"images": [IMG]}},
        400,
        1201,
        _p("effect_scene 'kiss_pro' needs exactly 2 images in input.images"),
    ),
    (
        "effects-dual-5s-only",
        EFFECTS,
        {"effect_scene": "kiss_pro", "input": {"images": [IMG, IMG], "duration": "10"}},
        400,
        1201,
        _p("input.duration '10' is invalid; it must be '5'"),
    ),
    (
        "effects-single-needs-image",
        EFFECTS,
        {"effect_scene": "bloombloom", "input": {}},
        400,
        1201,
        _p("input.image is required"),
    ),
    # avatar
    (
        "avatar-one-audio-not-both",
        AVATAR,
        {"image": IMG, "audio_id": "a", "sound_file": MP3},
        400,
        1201,
        _p("send only one of audio_id or sound_file, not both"),
    ),
    (
        "avatar-sound-file-data-uri",
        AVATAR,
        {"image": IMG, "sound_file": "data:audio/mpeg;base64,AAAA"},
        400,
        1201,
        _p(
            "sound_file is a data: URI; Kling takes a URL or raw Base64 without the "
            "data:...;base64, prefix"
        ),
    ),
    # lip-sync
    (
        "lip-sync-text-at-most-120",
        LIP_SYNC,
        _lip(text="x" * 121),
        400,
        1201,
        _p("input.text cannot exceed 120 characters (got 121)"),
    ),
    (
        "lip-sync-text-needs-voice",
        LIP_SYNC,
        {"input": {"video_url": VID, "mode": "text2video", "text": "hi"}},
        400,
        1201,
        _p("input.voice_id is required"),
    ),
    (
        "lip-sync-audio-type",
        LIP_SYNC,
        {"input": {"video_url": VID, "mode": "audio2video"}},
        400,
        1201,
        _p("input.audio_type is required ('file' or 'url')"),
    ),
    (
        "lip-sync-video-id-xor-url",
        LIP_SYNC,
        _lip(video_id="v"),
        400,
        1201,
        _p("send only one of input.video_id or input.video_url, not both"),
    ),
    # audio
    (
        "text-to-audio-prompt-at-most-200",
        "/v1/audio/text-to-audio",
        {"prompt": "x" * 201, "duration": 5},
        400,
        1201,
        _p("prompt cannot exceed 200 characters (got 201)"),
    ),
    (
        "text-to-audio-duration-range",
        "/v1/audio/text-to-audio",
        {"prompt": "rain", "duration": 2.5},
        400,
        1201,
        _p("duration must be in [3, 10], got 2.5"),
    ),
    (
        "text-to-audio-one-decimal",
        "/v1/audio/text-to-audio",
        {"prompt": "rain", "duration": 3.55},
        400,
        1201,
        _p("duration 3.55 can have one decimal at most"),
    ),
    (
        "video-to-audio-prompts-at-most-200",
        "/v1/audio/video-to-audio",
        {"video_url": VID, "bgm_prompt": "x" * 201},
        400,
        1201,
        _p("bgm_prompt cannot exceed 200 characters (got 201)"),
    ),
    (
        "tts-text-at-most-1000",
        TTS,
        {"text": "x" * 1001, "voice_id": "oversea_male1", "voice_language": "en"},
        400,
        1201,
        _p("text cannot exceed 1000 characters (got 1001)"),
    ),
    # elements, voices, helpers
    (
        "element-name-at-most-20",
        ELEMENTS,
        _element(element_name="x" * 21),
        400,
        1201,
        _p("element_name cannot exceed 20 characters (got 21)"),
    ),
    (
        "element-1-to-3-refer-images",
        ELEMENTS,
        _element(
            element_image_list={"frontal_image": IMG, "refer_images": [{"image_url": IMG}] * 4}
        ),
        400,
        1201,
        _p("element_image_list.refer_images can hold at most 3 item(s), got 4"),
    ),
    (
        "element-needs-frontal-image",
        ELEMENTS,
        _element(element_image_list={"refer_images": [{"image_url": IMG}]}),
        400,
        1201,
        _p("element_image_list.frontal_image is required"),
    ),
    (
        "element-one-refer-video",
        ELEMENTS,
        {
            "element_name": "Mochi",
            "element_description": "a white cat",
            "reference_type": "video_refer",
            "element_video_list": {"refer_videos": [{"video_url": VID}] * 2},
        },
        400,
        1201,
        _p("element_video_list.refer_videos can hold at most 1 item(s), got 2"),
    ),
    (
        "element-tag-ids",
        ELEMENTS,
        _element(tag_list=[{"tag_id": "o_999"}]),
        400,
        1201,
        _p(
            "tag_list[0].tag_id 'o_999' is invalid; it must be 'o_101', 'o_102', 'o_103', "
            "'o_104', 'o_105', 'o_106', 'o_107' or 'o_108'"
        ),
    ),
    (
        "voice-name-at-most-20",
        VOICES,
        {"voice_name": "x" * 21, "voice_url": MP3},
        400,
        1201,
        _p("voice_name cannot exceed 20 characters (got 21)"),
    ),
    (
        "image-recognize-data-uri",
        "/v1/videos/image-recognize",
        {"image": f"data:image/png;base64,{PNG_B64}"},
        400,
        1201,
        _p(
            "image is a data: URI; Kling takes a URL or raw Base64 without the "
            "data:...;base64, prefix"
        ),
    ),
]


@pytest.mark.parametrize(
    ("path", "body", "status", "code", "message"),
    [rule[1:] for rule in RULES],
    ids=[rule[0] for rule in RULES],
)
async def test_legacy_rule(
    path: str, body: dict[str, Any], status: int, code: int, message: str
) -> None:
    async with client() as http:
        response = await http.post(path, json=body)
    assert refusal(response, status, code) == message


ACCEPTED = [
    (
        "expand-exactly-3x",
        EXPAND,
        {"image": IMG, "up_expansion_ratio": 1, "down_expansion_ratio": 1},
    ),
    (
        "tts-voice-speed-is-rounded",
        TTS,
        {"text": "hi", "voice_id": "oversea_male1", "voice_language": "en", "voice_speed": 5},
    ),
    (
        "images-v2-1-subject-reference",
        IMAGES,
        {
            "prompt": "x",
            "model_name": "kling-v2-1",
            "image": IMG,
            "image_reference": "subject",
            "human_fidelity": 0.3,
        },
    ),
    (
        "effects-dual-two-images",
        EFFECTS,
        {"effect_scene": "hug_pro", "input": {"images": [IMG, IMG]}},
    ),
    (
        "lip-sync-audio-url",
        LIP_SYNC,
        {"input": {"video_url": VID, "mode": "audio2video", "audio_type": "url", "audio_url": MP3}},
    ),
    (
        "element-video-refer",
        ELEMENTS,
        {
            "element_name": "Mochi",
            "element_description": "a white cat",
            "reference_type": "video_refer",
            "element_video_list": {"refer_videos": [{"video_url": VID}]},
        },
    ),
]


@pytest.mark.parametrize(
    ("path", "body"), [case[1:] for case in ACCEPTED], ids=[case[0] for case in ACCEPTED]
)
async def test_legacy_create_kling_accepts(path: str, body: dict[str, Any]) -> None:
    async with client() as http:
        response = await http.post(path, json=body)
    assert response.status_code == 200, response.text
