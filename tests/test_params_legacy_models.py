"""What each legacy model_name takes is checked before sending, naming the model and its limits."""

from __future__ import annotations

from typing import Any

import pytest

from kling._errors import InvalidParameterError
from tests._helpers import prepare_body

IMG = "https://cdn.example/a.png"

MISTAKES = [
    pytest.param(
        "text_to_video",
        {"prompt": "x", "model_name": "kling-v1", "duration": "7"},
        "duration",
        'duration: kling-v1 makes "5" or "10" second videos (got "7")',
        id="v1-duration",
    ),
    pytest.param(
        "text_to_video",
        {"prompt": "x", "duration": "15"},  # no model_name: Kling's default, kling-v1
        "duration",
        'duration: kling-v1 makes "5" or "10" second videos (got "15")',
        id="default-model-duration",
    ),
    pytest.param(
        "text_to_video",
        {"prompt": "x", "model_name": "kling-v2-6", "mode": "4k"},
        "mode",
        'mode: kling-v2-6 takes "std" or "pro" (got "4k"); 4k is for kling-v3 and kling-v3-omni',
        id="4k-only-on-v3",
    ),
    pytest.param(
        "text_to_video",
        {"prompt": "x", "model_name": "kling-v1-6", "sound": "on"},
        "sound",
        "sound: kling-v1-6 makes no sound; kling-v2-6 and kling-v3 do",
        id="no-sound-before-v2-6",
    ),
    pytest.param(
        "text_to_video",
        {"prompt": "x", "model_name": "kling-v2-6", "sound": "on"},
        "mode",
        'mode: kling-v2-6 renders sound in mode="pro" only',
        id="v2-6-sound-needs-pro",
    ),
    pytest.param(
        "text_to_video",
        {
            "prompt": "x",
            "model_name": "kling-v2-6",
            "multi_shot": True,
            "shot_type": "intelligence",
        },
        "multi_shot",
        "multi_shot: kling-v2-6 makes no multi-shot videos; kling-v3 models do",
        id="multi-shot-on-v3-only",
    ),
    pytest.param(
        "text_to_video",
        {
            "prompt": "x",
            "model_name": "kling-v2-6",
            "camera_control": {"type": "down_back"},
        },
        "camera_control",
        "camera_control: kling-v2-6 takes no camera_control",
        id="camera-control-narrow",
    ),
    pytest.param(
        "text_to_video",
        {"prompt": "x", "camera_control": {"type": "down_back"}, "duration": "10"},
        "camera_control",
        'camera_control: kling-v1 renders camera control in mode="std", 5 s videos only',
        id="camera-control-v1-std-5s",
    ),
    pytest.param(
        "image_to_video",
        {"image": IMG, "image_tail": IMG, "model_name": "kling-v2-master"},
        "image_tail",
        "image_tail: kling-v2-master takes no last frame (image_tail)",
        id="no-tail-on-v2-master",
    ),
    pytest.param(
        "image_to_video",
        {"image": IMG, "image_tail": IMG, "model_name": "kling-v2-5-turbo"},
        "image_tail",
        'image_tail: kling-v2-5-turbo renders a last frame in mode "pro" only',
        id="tail-needs-pro",
    ),
    pytest.param(
        "image_to_video",
        {"image_tail": IMG, "model_name": "kling-v2-1", "mode": "pro"},
        "image",
        "image: kling-v2-1 needs an image with image_tail",
        id="tail-only-on-v1-5-and-v1-6",
    ),
    pytest.param(
        "image_to_video",
        {"image": IMG, "model_name": "kling-v2-6", "element_list": [{"element_id": 1}]},
        "element_list",
        "element_list: kling-v2-6 takes no element_list; kling-v3 models do",
        id="elements-on-v3",
    ),
    pytest.param(
        "images",
        {"prompt": "x", "aspect_ratio": "21:9", "model_name": "kling-v1"},
        "aspect_ratio",
        "aspect_ratio: kling-v1 does not make 21:9 images",
        id="no-21-9-on-image-v1",
    ),
    pytest.param(
        "omni_image",
        {"prompt": "x", "result_type": "series", "series_amount": 3},
        "result_type",
        'result_type: kling-image-o1 makes no series; result_type="series" is for kling-v3-omni',
        id="series-on-v3-omni",
    ),
    pytest.param(
        "omni_video",
        {"prompt": "x", "aspect_ratio": "16:9", "duration": "7"},
        "duration",
        'duration: kling-video-o1 makes "5" or "10" second videos from a prompt or a first frame',
        id="o1-plain-durations",
    ),
]


@pytest.mark.parametrize(("family", "params", "field", "message"), MISTAKES)
def test_what_a_model_cannot_do_is_refused_naming_the_model(
    family: str, params: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(InvalidParameterError) as info:
        prepare_body(family, params)
    assert message in str(info.value)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("family", "params"),
    [
        ("text_to_video", {"prompt": "x", "model_name": "kling-v3", "duration": "7"}),
        ("text_to_video", {"prompt": "x", "model_name": "kling-v3", "mode": "4k"}),
        (
            "text_to_video",
            {"prompt": "x", "model_name": "kling-v2-6", "sound": "on", "mode": "pro"},
        ),
        ("image_to_video", {"image": IMG, "image_tail": IMG, "model_name": "kling-v3"}),
        ("image_to_video", {"image_tail": IMG, "model_name": "kling-v1-6", "mode": "pro"}),
        ("images", {"prompt": "x", "model_name": "kling-v3", "aspect_ratio": "21:9"}),
        (
            "omni_video",
            {"prompt": "x", "aspect_ratio": "16:9", "duration": "7", "model_name": "kling-v3-omni"},
        ),
    ],
)
def test_what_a_model_can_do_goes_through(family: str, params: dict[str, Any]) -> None:
    prepare_body(family, params)


def test_an_unknown_model_name_skips_the_checks_so_tomorrows_model_works() -> None:
    body = prepare_body(
        "text_to_video",
        {"prompt": "x", "model_name": "kling-v4", "duration": "7", "mode": "4k", "cfg_scale": 0.3},
    )
    assert body["model_name"] == "kling-v4"


@pytest.mark.parametrize("prompt", ["", "   ", "\n\t"])
def test_an_empty_or_blank_prompt_is_refused_before_sending(prompt: str) -> None:
    with pytest.raises(InvalidParameterError, match="prompt: must not be empty or only spaces"):
        prepare_body("text_to_video", {"prompt": prompt})


def test_a_blank_required_string_is_refused() -> None:
    with pytest.raises(InvalidParameterError, match="video_id: required, and must not be empty"):
        prepare_body("video_extend", {"video_id": "  "})
