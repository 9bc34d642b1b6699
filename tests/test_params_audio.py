"""Audio families, TTS, and the element and voice libraries.

The rules are Kling's, from the pages cited in ``kling/_params/_audio.py`` and
``kling/_params/_general.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from kling._errors import InvalidParameterError
from tests._helpers import prepare_body
from tests.test_files import b64, png

IMG = "https://example.com/a.png"
VIDEO = "https://example.com/v.mp4"


def check(family: str, params: dict[str, Any], message: str, field: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        prepare_body(family, params)
    assert (str(info.value), info.value.field) == (message, field)


# -- text_to_audio, video_to_audio, tts -----------------------------------------------------------


def test_text_to_audio_body() -> None:
    body = prepare_body(
        "text_to_audio", {"prompt": "thunder", "duration": 4.5, "external_task_id": "sfx"}
    )
    assert body == {"prompt": "thunder", "duration": 4.5, "external_task_id": "sfx"}


def test_text_to_audio_whole_seconds_are_sent_as_float() -> None:
    assert prepare_body("text_to_audio", {"prompt": "x", "duration": 3})["duration"] == 3.0


@pytest.mark.parametrize(
    ("params", "message", "field"),
    [
        pytest.param({"duration": 5}, "prompt: required", "prompt", id="prompt-required"),
        pytest.param({"prompt": "x"}, "duration: required", "duration", id="duration-required"),
        pytest.param(
            {"prompt": "p" * 201, "duration": 5},
            "prompt: at most 200 characters (got 201)",
            "prompt",
            id="prompt-length",
        ),
        pytest.param(
            {"prompt": "x", "duration": 2.9},
            "duration: must be between 3 and 10 (got 2.9)",
            "duration",
            id="at-least-3s",
        ),
        pytest.param(
            {"prompt": "x", "duration": 10.1},
            "duration: must be between 3 and 10 (got 10.1)",
            "duration",
            id="at-most-10s",
        ),
        pytest.param(
            {"prompt": "x", "duration": 3.25},
            "duration: at most one decimal place (got 3.25)",
            "duration",
            id="tenths",
        ),
        pytest.param(
            {"prompt": "x", "duration": "5"},
            "duration: must be a number (got str)",
            "duration",
            id="number",
        ),
    ],
)
def test_text_to_audio_rule(params: dict[str, Any], message: str, field: str) -> None:
    check("text_to_audio", params, message, field)


def test_video_to_audio_body() -> None:
    body = prepare_body(
        "video_to_audio",
        {
            "video_url": VIDEO,
            "sound_effect_prompt": "rain",
            "bgm_prompt": "lofi",
            "asmr_mode": True,
        },
    )
    assert body == {
        "video_url": VIDEO,
        "sound_effect_prompt": "rain",
        "bgm_prompt": "lofi",
        "asmr_mode": True,
    }


@pytest.mark.parametrize(
    ("params", "message", "field"),
    [
        pytest.param(
            {}, "video_id: one of video_id or video_url is required", "video_id", id="needs-a-video"
        ),
        pytest.param(
            {"video_id": "v", "video_url": VIDEO},
            "video_url: cannot be combined with video_id; pass only one of video_id or video_url",
            "video_url",
            id="id-xor-url",
        ),
        pytest.param(
            {"video_id": "v", "sound_effect_prompt": "s" * 201},
            "sound_effect_prompt: at most 200 characters (got 201)",
            "sound_effect_prompt",
            id="sfx-prompt-length",
        ),
        pytest.param(
            {"video_id": "v", "bgm_prompt": "b" * 201},
            "bgm_prompt: at most 200 characters (got 201)",
            "bgm_prompt",
            id="bgm-prompt-length",
        ),
        pytest.param(
            {"video_id": "v", "asmr_mode": "on"},
            "asmr_mode: must be True or False (got str)",
            "asmr_mode",
            id="asmr-bool",
        ),
    ],
)
def test_video_to_audio_rule(params: dict[str, Any], message: str, field: str) -> None:
    check("video_to_audio", params, message, field)


def test_tts_body() -> None:
    body = prepare_body(
        "tts",
        {"text": "hello", "voice_id": "oversea_male1", "voice_language": "en", "voice_speed": 0.8},
    )
    assert body == {
        "text": "hello",
        "voice_id": "oversea_male1",
        "voice_language": "en",
        "voice_speed": 0.8,
    }


@pytest.mark.parametrize(
    ("params", "message", "field"),
    [
        pytest.param(
            {"text": "t" * 1001, "voice_id": "v"},
            "text: at most 1000 characters (got 1001)",
            "text",
            id="text-length",
        ),
        pytest.param({"text": "hi"}, "voice_id: required", "voice_id", id="voice-required"),
        pytest.param(
            {"text": "hi", "voice_id": "v", "voice_language": "jp"},
            "voice_language: must be one of 'zh' or 'en' (got 'jp')",
            "voice_language",
            id="language",
        ),
        pytest.param(
            {"text": "hi", "voice_id": "v", "external_task_id": "x"},
            "unknown parameter 'external_task_id' for tts "
            "(use extra_body= to send fields this SDK does not know)",
            "external_task_id",
            id="synchronous-no-task-options",
        ),
    ],
)
def test_tts_rule(params: dict[str, Any], message: str, field: str) -> None:
    check("tts", params, message, field)


# -- elements and voices --------------------------------------------------------------------------


def test_image_element_body() -> None:
    body = prepare_body(
        "elements",
        {
            "element_name": "Mochi",
            "element_description": "a grey cat",
            "reference_type": "image_refer",
            "element_image_list": {"frontal_image": png(), "refer_images": [{"image_url": IMG}]},
            "tag_list": [{"tag_id": "o_102"}],
            "callback_url": "https://cb",
        },
    )
    assert body == {
        "element_name": "Mochi",
        "element_description": "a grey cat",
        "reference_type": "image_refer",
        "element_image_list": {"frontal_image": b64(png()), "refer_images": [{"image_url": IMG}]},
        "tag_list": [{"tag_id": "o_102"}],
        "callback_url": "https://cb",
    }


def test_video_element_body() -> None:
    body = prepare_body(
        "elements",
        {
            "element_name": "Ann",
            "element_description": "a presenter",
            "reference_type": "video_refer",
            "element_video_list": {"refer_videos": [{"video_url": VIDEO}]},
            "element_voice_id": "voice-1",
        },
    )
    assert body == {
        "element_name": "Ann",
        "element_description": "a presenter",
        "reference_type": "video_refer",
        "element_video_list": {"refer_videos": [{"video_url": VIDEO}]},
        "element_voice_id": "voice-1",
    }


IMAGES = {"frontal_image": IMG, "refer_images": [{"image_url": IMG}]}
VIDEOS = {"refer_videos": [{"video_url": VIDEO}]}

#: What element creation requires besides a name (Kling's page marks both "Required: Yes").
DESCRIBED = {"element_description": "d", "reference_type": "image_refer"}

ELEMENT_RULES = [
    pytest.param(
        {"element_image_list": IMAGES, **DESCRIBED},
        "element_name: required",
        "element_name",
        id="name-required",
    ),
    pytest.param(
        {"element_name": "n", "reference_type": "image_refer", "element_image_list": IMAGES},
        "element_description: required",
        "element_description",
        id="description-required",
    ),
    pytest.param(
        {"element_name": "n", "element_description": "d", "element_image_list": IMAGES},
        "reference_type: required",
        "reference_type",
        id="reference-type-required",
    ),
    pytest.param(
        {"element_name": "n" * 21, "element_image_list": IMAGES, **DESCRIBED},
        "element_name: at most 20 characters (got 21)",
        "element_name",
        id="name-length",
    ),
    pytest.param(
        {
            "element_name": "n",
            "element_image_list": IMAGES,
            **DESCRIBED,
            "element_description": "d" * 101,
        },
        "element_description: at most 100 characters (got 101)",
        "element_description",
        id="description-length",
    ),
    pytest.param(
        {
            "element_name": "n",
            "element_image_list": {**IMAGES, "refer_images": [{"image_url": IMG}] * 4},
            **DESCRIBED,
        },
        "element_image_list.refer_images: at most 3 items (got 4)",
        "element_image_list.refer_images",
        id="at-most-3-refer-images",
    ),
    pytest.param(
        {"element_name": "n", "element_image_list": {**IMAGES, "refer_images": []}, **DESCRIBED},
        "element_image_list.refer_images: at least 1 item (got 0)",
        "element_image_list.refer_images",
        id="at-least-1-refer-image",
    ),
    pytest.param(
        {
            "element_name": "n",
            "element_image_list": {"refer_images": [{"image_url": IMG}]},
            **DESCRIBED,
        },
        "element_image_list.frontal_image: required",
        "element_image_list.frontal_image",
        id="frontal-required",
    ),
    pytest.param(
        {"element_name": "n", **DESCRIBED},
        'element_image_list: required when reference_type is "image_refer"',
        "element_image_list",
        id="needs-references",
    ),
    pytest.param(
        {
            "element_name": "n",
            "element_description": "d",
            "reference_type": "video_refer",
            "element_image_list": IMAGES,
        },
        'element_video_list: required when reference_type is "video_refer"',
        "element_video_list",
        id="reference-type-matches",
    ),
    pytest.param(
        {
            "element_name": "n",
            "element_description": "d",
            "reference_type": "video_refer",
            "element_video_list": {"refer_videos": [{"video_url": VIDEO}] * 2},
        },
        "element_video_list.refer_videos: exactly 1 item (got 2)",
        "element_video_list.refer_videos",
        id="one-video",
    ),
]


@pytest.mark.parametrize(("params", "message", "field"), ELEMENT_RULES)
def test_element_rule(params: dict[str, Any], message: str, field: str) -> None:
    check("elements", params, message, field)


def test_voice_body() -> None:
    body = prepare_body(
        "voices", {"voice_name": "Narrator", "voice_url": "https://example.com/v.wav"}
    )
    assert body == {"voice_name": "Narrator", "voice_url": "https://example.com/v.wav"}


@pytest.mark.parametrize(
    ("params", "message", "field"),
    [
        pytest.param({"video_id": "v"}, "voice_name: required", "voice_name", id="name-required"),
        pytest.param(
            {"voice_name": "n" * 21, "video_id": "v"},
            "voice_name: at most 20 characters (got 21)",
            "voice_name",
            id="name-length",
        ),
        pytest.param(
            {"voice_name": "n"},
            "voice_url: one of voice_url or video_id is required",
            "voice_url",
            id="needs-a-source",
        ),
        pytest.param(
            {"voice_name": "n", "voice_url": VIDEO, "video_id": "v"},
            "video_id: cannot be combined with voice_url; pass only one of voice_url or video_id",
            "video_id",
            id="url-xor-video-id",
        ),
        pytest.param(
            {"voice_name": "n", "voice_url": "voice.wav"},
            "voice_url: must be an http:// or https:// URL (got 'voice.wav')",
            "voice_url",
            id="url-only",
        ),
        pytest.param(
            {"voice_name": "n", "video_id": "v", "watermark_info": {"enabled": True}},
            "unknown parameter 'watermark_info' for voices "
            "(use extra_body= to send fields this SDK does not know)",
            "watermark_info",
            id="no-watermark",
        ),
    ],
)
def test_voice_rule(params: dict[str, Any], message: str, field: str) -> None:
    check("voices", params, message, field)
