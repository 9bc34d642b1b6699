"""Video families: the body each sends, and every documented rule.

The rules are Kling's, from the pages cited in ``kling/_params/_video.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kling._errors import InvalidParameterError
from tests._helpers import prepare_body
from tests.test_files import GIF, MP3_ID3, b64, jpeg, png

IMG = "https://example.com/a.png"
IMG2 = "https://example.com/b.png"
VIDEO = "https://example.com/v.mp4"


def error(family: str, **params: Any) -> InvalidParameterError:
    with pytest.raises(InvalidParameterError) as info:
        prepare_body(family, params)
    return info.value


def check(family: str, params: dict[str, Any], message: str, field: str) -> None:
    err = error(family, **params)
    assert (str(err), err.field) == (message, field)


# -- text_to_video --------------------------------------------------------------------------------


def test_text_to_video_body() -> None:
    body = prepare_body(
        "text_to_video",
        {
            "model_name": "kling-v1",
            "prompt": "a corgi surfing",
            "negative_prompt": "blur",
            "cfg_scale": 0.5,
            "mode": "std",
            "aspect_ratio": "9:16",
            "duration": 5,
            "camera_control": {"type": "simple", "config": {"zoom": -5}},
            "callback_url": "https://hook.example.com",
            "external_task_id": "job-1",
            "watermark_info": {"enabled": False},
        },
    )
    assert body == {
        "model_name": "kling-v1",
        "prompt": "a corgi surfing",
        "negative_prompt": "blur",
        "cfg_scale": 0.5,
        "mode": "std",
        "aspect_ratio": "9:16",
        "duration": "5",
        "camera_control": {"type": "simple", "config": {"zoom": -5.0}},
        "callback_url": "https://hook.example.com",
        "external_task_id": "job-1",
        "watermark_info": {"enabled": False},
    }


def test_text_to_video_multi_shot_needs_no_prompt() -> None:
    shots = [
        {"index": 1, "prompt": "sunrise", "duration": 2},
        {"index": 2, "prompt": "sunset", "duration": "3"},
    ]
    body = prepare_body(
        "text_to_video",
        {
            "model_name": "kling-v3",
            "multi_shot": True,
            "shot_type": "customize",
            "multi_prompt": shots,
            "duration": 5,
        },
    )
    assert body["multi_prompt"] == [
        {"index": 1, "prompt": "sunrise", "duration": "2"},
        {"index": 2, "prompt": "sunset", "duration": "3"},
    ]


def test_text_to_video_voices_with_sound() -> None:
    body = prepare_body(
        "text_to_video",
        {
            "model_name": "kling-v3",
            "prompt": "<<<voice_1>>> says hi",
            "sound": "on",
            "voice_list": [{"voice_id": "v1"}],
        },
    )
    assert body == {
        "model_name": "kling-v3",
        "prompt": "<<<voice_1>>> says hi",
        "sound": "on",
        "voice_list": [{"voice_id": "v1"}],
    }


SHOT = {"index": 1, "prompt": "a", "duration": 5}

TEXT_TO_VIDEO_RULES = [
    pytest.param(
        {},
        'prompt: required (unless multi_shot=True with shot_type="customize")',
        "prompt",
        id="prompt-required",
    ),
    pytest.param(
        {"prompt": "x" * 2612},
        "prompt: at most 2500 characters (got 2612)",
        "prompt",
        id="prompt-length",
    ),
    pytest.param(
        {"prompt": "x", "negative_prompt": "n" * 2501},
        "negative_prompt: at most 2500 characters (got 2501)",
        "negative_prompt",
        id="negative-prompt-length",
    ),
    pytest.param(
        {"prompt": "x", "cfg_scale": 1.5},
        "cfg_scale: must be between 0 and 1 (got 1.5)",
        "cfg_scale",
        id="cfg-scale-range",
    ),
    pytest.param(
        {"prompt": "x", "cfg_scale": -0.1},
        "cfg_scale: must be between 0 and 1 (got -0.1)",
        "cfg_scale",
        id="cfg-scale-negative",
    ),
    pytest.param(
        {"prompt": "x", "mode": "turbo"},
        "mode: must be one of 'std', 'pro' or '4k' (got 'turbo')",
        "mode",
        id="mode",
    ),
    pytest.param(
        {"prompt": "x", "camera_control": {"type": "orbit"}},
        "camera_control.type: must be one of 'simple', 'down_back', 'forward_up', "
        "'right_turn_forward' or 'left_turn_forward' (got 'orbit')",
        "camera_control.type",
        id="camera-type",
    ),
    pytest.param(
        {"prompt": "x", "camera_control": {"type": "simple"}},
        'camera_control.config: required when type is "simple"',
        "camera_control.config",
        id="camera-simple-needs-config",
    ),
    pytest.param(
        {"prompt": "x", "camera_control": {"type": "simple", "config": {"pan": 1, "zoom": 2}}},
        'camera_control.config: type "simple" needs exactly one non-zero axis among horizontal, '
        "vertical, pan, tilt, roll, zoom (got 2: pan, zoom)",
        "camera_control.config",
        id="camera-simple-two-axes",
    ),
    pytest.param(
        {"prompt": "x", "camera_control": {"type": "simple", "config": {"pan": 0}}},
        'camera_control.config: type "simple" needs exactly one non-zero axis among horizontal, '
        "vertical, pan, tilt, roll, zoom (got 0)",
        "camera_control.config",
        id="camera-simple-no-axis",
    ),
    pytest.param(
        {"prompt": "x", "camera_control": {"type": "simple", "config": {"tilt": 10.5}}},
        "camera_control.config.tilt: must be between -10 and 10 (got 10.5)",
        "camera_control.config.tilt",
        id="camera-axis-range",
    ),
    pytest.param(
        {"prompt": "x", "camera_control": {"type": "forward_up", "config": {"zoom": 1}}},
        'camera_control.config: only allowed when type is "simple" (got type "forward_up")',
        "camera_control.config",
        id="camera-preset-takes-no-config",
    ),
    pytest.param(
        {"prompt": "x", "sound": "yes"},
        "sound: must be one of 'on' or 'off' (got 'yes')",
        "sound",
        id="sound",
    ),
    pytest.param(
        {"prompt": "x", "sound": "on", "voice_list": [{"voice_id": "a"}] * 3},
        "voice_list: at most 2 items (got 3)",
        "voice_list",
        id="voice-list-max-2",
    ),
    pytest.param(
        {"prompt": "x", "voice_list": [{"voice_id": "a"}]},
        'voice_list: needs sound="on"',
        "voice_list",
        id="voices-need-sound",
    ),
    pytest.param(
        {"prompt": "x", "multi_shot": True},
        'shot_type: required when multi_shot=True ("customize" or "intelligence")',
        "shot_type",
        id="multi-shot-needs-shot-type",
    ),
    pytest.param(
        {"multi_shot": True, "shot_type": "customize"},
        'multi_prompt: required when shot_type is "customize"',
        "multi_prompt",
        id="customize-needs-multi-prompt",
    ),
    pytest.param(
        {"multi_shot": True, "shot_type": "intelligence"},
        'prompt: required when shot_type is "intelligence"',
        "prompt",
        id="intelligence-needs-prompt",
    ),
    pytest.param(
        {"multi_shot": True, "shot_type": "customize", "multi_prompt": [SHOT] * 7},
        "multi_prompt: at most 6 items (got 7)",
        "multi_prompt",
        id="at-most-6-shots",
    ),
    pytest.param(
        {
            "multi_shot": True,
            "shot_type": "customize",
            "multi_prompt": [{**SHOT, "prompt": "p" * 513}],
        },
        "multi_prompt[0].prompt: at most 512 characters (got 513)",
        "multi_prompt[0].prompt",
        id="shot-prompt-length",
    ),
    pytest.param(
        {"multi_shot": True, "shot_type": "customize", "multi_prompt": [{**SHOT, "duration": 0}]},
        'multi_prompt[0].duration: must be from "1" to "15" seconds (got "0")',
        "multi_prompt[0].duration",
        id="shot-at-least-1s",
    ),
    pytest.param(
        {
            "multi_shot": True,
            "shot_type": "customize",
            "multi_prompt": [SHOT, SHOT],
            "duration": "5",
        },
        "multi_prompt: shot durations add up to 10 s but duration is 5 s",
        "multi_prompt",
        id="shots-fill-duration",
    ),
]


@pytest.mark.parametrize(("params", "message", "field"), TEXT_TO_VIDEO_RULES)
def test_text_to_video_rule(params: dict[str, Any], message: str, field: str) -> None:
    check("text_to_video", params, message, field)


# -- image_to_video -------------------------------------------------------------------------------


def test_image_to_video_body_reads_files(tmp_path: Path) -> None:
    first = tmp_path / "first.png"
    first.write_bytes(png())
    body = prepare_body(
        "image_to_video",
        {
            "model_name": "kling-v2-1",
            "mode": "pro",  # kling-v2-1 renders a last frame in pro only
            "image": first,
            "image_tail": jpeg(),
            "prompt": "x",
            "duration": 10,
        },
    )
    assert body == {
        "model_name": "kling-v2-1",
        "mode": "pro",
        "image": b64(png()),
        "image_tail": b64(jpeg()),
        "prompt": "x",
        "duration": "10",
    }


def test_image_to_video_tail_alone_is_enough_on_the_models_that_take_it() -> None:
    tail_only = {"model_name": "kling-v1-6", "mode": "pro", "image_tail": IMG}
    assert prepare_body("image_to_video", tail_only) == tail_only


def test_image_to_video_motion_brush_body() -> None:
    masks = [{"mask": IMG2, "trajectories": [{"x": 279, "y": 219}, {"x": 417, "y": 65}]}]
    body = prepare_body(
        "image_to_video", {"image": IMG, "static_mask": IMG2, "dynamic_masks": masks}
    )
    assert body == {"image": IMG, "static_mask": IMG2, "dynamic_masks": masks}


POINTS = [{"x": 1, "y": 1}, {"x": 2, "y": 2}]

IMAGE_TO_VIDEO_RULES = [
    pytest.param(
        {"prompt": "x"},
        "image: one of image or image_tail is required",
        "image",
        id="needs-an-image",
    ),
    pytest.param(
        {"image": IMG, "image_tail": IMG2, "static_mask": IMG},
        "static_mask: cannot be combined with image_tail; image_to_video takes at most one of "
        "image_tail, static_mask/dynamic_masks, camera_control",
        "static_mask",
        id="tail-excludes-masks",
    ),
    pytest.param(
        {"image": IMG, "image_tail": IMG2, "camera_control": {"type": "down_back"}},
        "camera_control: cannot be combined with image_tail; image_to_video takes at most one of "
        "image_tail, static_mask/dynamic_masks, camera_control",
        "camera_control",
        id="tail-excludes-camera",
    ),
    pytest.param(
        {
            "image": IMG,
            "dynamic_masks": [{"mask": IMG, "trajectories": POINTS}],
            "camera_control": {"type": "down_back"},
        },
        "camera_control: cannot be combined with dynamic_masks; image_to_video takes at most "
        "one of image_tail, static_mask/dynamic_masks, camera_control",
        "camera_control",
        id="masks-exclude-camera",
    ),
    pytest.param(
        {"image": IMG, "dynamic_masks": [{"mask": IMG, "trajectories": POINTS}] * 7},
        "dynamic_masks: at most 6 items (got 7)",
        "dynamic_masks",
        id="at-most-6-masks",
    ),
    pytest.param(
        {"image": IMG, "dynamic_masks": [{"mask": IMG, "trajectories": POINTS[:1]}]},
        "dynamic_masks[0].trajectories: at least 2 items (got 1)",
        "dynamic_masks[0].trajectories",
        id="at-least-2-points",
    ),
    pytest.param(
        {"image": IMG, "dynamic_masks": [{"mask": IMG, "trajectories": POINTS * 39}]},
        "dynamic_masks[0].trajectories: at most 77 items (got 78)",
        "dynamic_masks[0].trajectories",
        id="at-most-77-points",
    ),
    pytest.param(
        {
            "image": IMG,
            "dynamic_masks": [
                {"mask": IMG, "trajectories": [{"x": 1.5, "y": 1}, {"x": 1, "y": 1}]}
            ],
        },
        "dynamic_masks[0].trajectories[0].x: must be an integer (got float)",
        "dynamic_masks[0].trajectories[0].x",
        id="integer-points",
    ),
    pytest.param(
        {"image": IMG, "dynamic_masks": [{"mask": GIF, "trajectories": POINTS}]},
        "dynamic_masks[0].mask: file is a GIF; Kling accepts JPEG or PNG",
        "dynamic_masks[0].mask",
        id="mask-is-an-image",
    ),
    pytest.param(
        {"image": IMG, "camera_control": {"type": "simple", "config": {"pan": 1, "roll": 1}}},
        'camera_control.config: type "simple" needs exactly one non-zero axis among horizontal, '
        "vertical, pan, tilt, roll, zoom (got 2: pan, roll)",
        "camera_control.config",
        id="camera-rules-apply",
    ),
    pytest.param(
        {"image": IMG, "cfg_scale": 2},
        "cfg_scale: must be between 0 and 1 (got 2)",
        "cfg_scale",
        id="cfg-scale",
    ),
    pytest.param(
        {"image": png(100, 100)},
        "image: 100x100 px; each side must be at least 300 px",
        "image",
        id="image-size",
    ),
]


@pytest.mark.parametrize(("params", "message", "field"), IMAGE_TO_VIDEO_RULES)
def test_image_to_video_rule(params: dict[str, Any], message: str, field: str) -> None:
    check("image_to_video", params, message, field)


# -- multi_image_to_video, video_extend -----------------------------------------------------------


def test_multi_image_to_video_body() -> None:
    body = prepare_body(
        "multi_image_to_video",
        {
            "image_list": [{"image": IMG}, {"image": png()}],
            "prompt": "they dance",
            "duration": 10,
            "mode": "pro",
        },
    )
    assert body == {
        "image_list": [{"image": IMG}, {"image": b64(png())}],
        "prompt": "they dance",
        "duration": "10",
        "mode": "pro",
    }


@pytest.mark.parametrize(
    ("params", "message", "field"),
    [
        pytest.param(
            {"prompt": "x", "image_list": [{"image": IMG}] * 5},
            "image_list: at most 4 items (got 5)",
            "image_list",
            id="at-most-4",
        ),
        pytest.param(
            {"prompt": "x", "image_list": []},
            "image_list: at least 1 item (got 0)",
            "image_list",
            id="at-least-1",
        ),
        pytest.param(
            {"image_list": [{"image": IMG}]}, "prompt: required", "prompt", id="prompt-required"
        ),
        pytest.param({"prompt": "x"}, "image_list: required", "image_list", id="images-required"),
        pytest.param(
            {"prompt": "x", "image_list": [{"image": IMG}], "duration": 3},
            'duration: must be one of "5", "10" seconds (got "3")',
            "duration",
            id="duration-5-or-10",
        ),
        pytest.param(
            {"prompt": "x", "image_list": [{"image": IMG}], "mode": "4k"},
            "mode: must be one of 'std' or 'pro' (got '4k')",
            "mode",
            id="no-4k",
        ),
    ],
)
def test_multi_image_to_video_rule(params: dict[str, Any], message: str, field: str) -> None:
    check("multi_image_to_video", params, message, field)


def test_video_extend_body() -> None:
    body = prepare_body("video_extend", {"video_id": "v1", "prompt": "and then", "cfg_scale": 0.3})
    assert body == {"video_id": "v1", "prompt": "and then", "cfg_scale": 0.3}


def test_video_extend_needs_a_video_id() -> None:
    check("video_extend", {"prompt": "x"}, "video_id: required", "video_id")


# -- video_effects --------------------------------------------------------------------------------


def test_video_effects_single_image_is_nested_in_input() -> None:
    body = prepare_body(
        "video_effects",
        {"effect_scene": "bloombloom", "image": IMG, "duration": 5, "external_task_id": "e1"},
    )
    assert body == {
        "effect_scene": "bloombloom",
        "input": {"image": IMG, "duration": "5"},
        "external_task_id": "e1",
    }


def test_video_effects_original_dual_effect_body() -> None:
    body = prepare_body(
        "video_effects",
        {
            "effect_scene": "hug",
            "images": [IMG, IMG2],
            "model_name": "kling-v1-6",
            "mode": "std",
            "duration": "5",
        },
    )
    assert body == {
        "effect_scene": "hug",
        "input": {
            "images": [IMG, IMG2],
            "duration": "5",
            "model_name": "kling-v1-6",
            "mode": "std",
        },
    }


@pytest.mark.parametrize(
    ("params", "message", "field"),
    [
        pytest.param(
            {"effect_scene": "hug"},
            "image: one of image or images is required",
            "image",
            id="needs-images",
        ),
        pytest.param(
            {"effect_scene": "hug", "image": IMG, "images": [IMG, IMG2]},
            "images: cannot be combined with image; pass only one of image or images",
            "images",
            id="image-xor-images",
        ),
        pytest.param(
            {"effect_scene": "hug", "images": [IMG]},
            "images: exactly 2 items (got 1)",
            "images",
            id="exactly-two",
        ),
        pytest.param({"image": IMG}, "effect_scene: required", "effect_scene", id="scene-required"),
        pytest.param(
            {"effect_scene": "hug", "images": [IMG, GIF]},
            "images[1]: file is a GIF; Kling accepts JPEG or PNG",
            "images[1]",
            id="images-are-checked",
        ),
    ],
)
def test_video_effects_rule(params: dict[str, Any], message: str, field: str) -> None:
    check("video_effects", params, message, field)


# -- avatar, motion_control -----------------------------------------------------------------------


def test_avatar_body_with_a_sound_file() -> None:
    body = prepare_body(
        "avatar", {"image": IMG, "sound_file": MP3_ID3, "prompt": "smiles", "mode": "pro"}
    )
    assert body == {"image": IMG, "sound_file": b64(MP3_ID3), "prompt": "smiles", "mode": "pro"}


@pytest.mark.parametrize(
    ("params", "message", "field"),
    [
        pytest.param(
            {"image": IMG},
            "audio_id: one of audio_id or sound_file is required",
            "audio_id",
            id="needs-audio",
        ),
        pytest.param(
            {"image": IMG, "audio_id": "a1", "sound_file": IMG},
            "sound_file: cannot be combined with audio_id; pass only one of audio_id or sound_file",
            "sound_file",
            id="audio-id-xor-file",
        ),
        pytest.param({"audio_id": "a1"}, "image: required", "image", id="image-required"),
        pytest.param(
            {"image": IMG, "sound_file": png()},
            "sound_file: file is a PNG image; Kling accepts MP3, WAV, M4A or AAC",
            "sound_file",
            id="sound-file-is-audio",
        ),
    ],
)
def test_avatar_rule(params: dict[str, Any], message: str, field: str) -> None:
    check("avatar", params, message, field)


def test_motion_control_body() -> None:
    body = prepare_body(
        "motion_control",
        {
            "model_name": "kling-v3",
            "image_url": png(),
            "video_url": VIDEO,
            "character_orientation": "video",
            "mode": "std",
            "keep_original_sound": "no",
            "element_list": [{"element_id": 829836802793406551}],
        },
    )
    assert body == {
        "model_name": "kling-v3",
        "image_url": b64(png()),
        "video_url": VIDEO,
        "keep_original_sound": "no",
        "character_orientation": "video",
        "mode": "std",
        "element_list": [{"element_id": 829836802793406551}],
    }


MOTION = {"image_url": IMG, "video_url": VIDEO, "character_orientation": "image", "mode": "pro"}


@pytest.mark.parametrize("missing", ["image_url", "video_url", "character_orientation", "mode"])
def test_motion_control_required_fields(missing: str) -> None:
    params = {key: value for key, value in MOTION.items() if key != missing}
    check("motion_control", params, f"{missing}: required", missing)


def test_motion_control_video_must_be_a_url() -> None:
    check(
        "motion_control",
        {**MOTION, "video_url": b"\x00\x00\x00\x18ftypmp42"},
        "video_url: must be an http(s) URL string (got bytes)",
        "video_url",
    )


def test_motion_control_orientation_is_image_or_video() -> None:
    check(
        "motion_control",
        {**MOTION, "character_orientation": "left"},
        "character_orientation: must be one of 'image' or 'video' (got 'left')",
        "character_orientation",
    )


# -- omni_video -----------------------------------------------------------------------------------


def test_omni_video_first_and_end_frame_body() -> None:
    body = prepare_body(
        "omni_video",
        {
            "model_name": "kling-video-o1",
            "prompt": "<<<image_1>>> turns into <<<image_2>>>",
            "image_list": [
                {"image_url": IMG, "type": "first_frame"},
                {"image_url": png(), "type": "end_frame"},
            ],
            "duration": 5,
        },
    )
    assert body == {
        "model_name": "kling-video-o1",
        "prompt": "<<<image_1>>> turns into <<<image_2>>>",
        "image_list": [
            {"image_url": IMG, "type": "first_frame"},
            {"image_url": b64(png()), "type": "end_frame"},
        ],
        "duration": "5",
    }


def test_omni_video_reference_video_body() -> None:
    body = prepare_body(
        "omni_video",
        {
            "prompt": "like <<<video_1>>>",
            "video_list": [
                {"video_url": VIDEO, "refer_type": "feature", "keep_original_sound": "yes"}
            ],
            "image_list": [{"image_url": IMG}],
            "element_list": [{"element_id": "829836802793406551"}],
            "aspect_ratio": "1:1",
            "sound": "off",
        },
    )
    assert body["video_list"] == [
        {"video_url": VIDEO, "refer_type": "feature", "keep_original_sound": "yes"}
    ]
    assert body["element_list"] == [{"element_id": "829836802793406551"}]


def test_omni_video_editing_a_base_video_needs_no_aspect_ratio() -> None:
    body = prepare_body(
        "omni_video", {"prompt": "make it snow", "video_list": [{"video_url": VIDEO}]}
    )
    assert body == {"prompt": "make it snow", "video_list": [{"video_url": VIDEO}]}


REF = {"image_url": IMG}
FEATURE = [{"video_url": VIDEO, "refer_type": "feature"}]

OMNI_VIDEO_RULES = [
    pytest.param(
        {"aspect_ratio": "1:1"},
        'prompt: required (unless multi_shot=True with shot_type="customize")',
        "prompt",
        id="prompt-required",
    ),
    pytest.param(
        {"prompt": "x", "aspect_ratio": "1:1", "video_list": FEATURE * 2},
        "video_list: exactly 1 item (got 2)",
        "video_list",
        id="one-video",
    ),
    pytest.param(
        {
            "prompt": "x",
            "aspect_ratio": "1:1",
            "image_list": [REF] * 5,
            "element_list": [{"element_id": 1}] * 3,
        },
        "image_list + element_list: at most 7 images and elements together "
        "without video_list (got 8)",
        "image_list",
        id="seven-references",
    ),
    pytest.param(
        {"prompt": "x", "aspect_ratio": "1:1", "image_list": [REF] * 5, "video_list": FEATURE},
        "image_list + element_list: at most 4 images and elements together with video_list (got 5)",
        "image_list",
        id="four-references-with-video",
    ),
    pytest.param(
        {
            "prompt": "x",
            "image_list": [{"image_url": IMG, "type": "end_frame"}],
            "aspect_ratio": "1:1",
        },
        'image_list: an "end_frame" image needs a "first_frame" image',
        "image_list",
        id="end-needs-first",
    ),
    pytest.param(
        {
            "prompt": "x",
            "image_list": [
                {"image_url": IMG, "type": "first_frame"},
                {"image_url": IMG, "type": "end_frame"},
                REF,
            ],
        },
        'image_list: an "end_frame" allows at most 2 images (got 3)',
        "image_list",
        id="end-frame-only-with-two-images",
    ),
    pytest.param(
        {"prompt": "x", "image_list": [{"image_url": IMG, "type": "first_frame"}] * 2},
        'image_list: at most one image of type "first_frame" (got 2)',
        "image_list",
        id="one-first-frame",
    ),
    pytest.param(
        {
            "prompt": "x",
            "image_list": [{"image_url": IMG, "type": "first_frame"}],
            "video_list": [{"video_url": VIDEO}],
        },
        'image_list: first/end frames cannot be used with a video_list of refer_type "base"',
        "image_list",
        id="no-frames-with-base-video",
    ),
    pytest.param(
        {"prompt": "x", "aspect_ratio": "1:1", "video_list": FEATURE, "sound": "on"},
        'sound: must be "off" when video_list is given',
        "sound",
        id="no-sound-with-video",
    ),
    pytest.param(
        {"prompt": "x", "aspect_ratio": "1:1", "video_list": FEATURE, "mode": "4k"},
        'mode: "4k" cannot be used with video_list',
        "mode",
        id="no-4k-with-video",
    ),
    pytest.param(
        {"prompt": "x", "image_list": [REF]},
        'aspect_ratio: required unless image_list has a "first_frame" or a video_list is given',
        "aspect_ratio",
        id="aspect-ratio-required",
    ),
    pytest.param(
        {"prompt": "x", "aspect_ratio": "1:1", "video_list": [{"video_url": "clip.mp4"}]},
        "video_list[0].video_url: must be an http:// or https:// URL (got 'clip.mp4')",
        "video_list[0].video_url",
        id="video-by-url",
    ),
    pytest.param(
        {"prompt": "x", "aspect_ratio": "1:1", "duration": 16},
        'duration: must be from "3" to "15" seconds (got "16")',
        "duration",
        id="duration-range",
    ),
    pytest.param(
        {"prompt": "x", "aspect_ratio": "1:1", "element_list": [{"element_id": True}]},
        "element_list[0].element_id: must be an id (int or str) (got bool)",
        "element_list[0].element_id",
        id="element-id-type",
    ),
]


@pytest.mark.parametrize(("params", "message", "field"), OMNI_VIDEO_RULES)
def test_omni_video_rule(params: dict[str, Any], message: str, field: str) -> None:
    check("omni_video", params, message, field)
