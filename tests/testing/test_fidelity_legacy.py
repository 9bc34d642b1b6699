"""FakeKling refuses what Kling refuses on the legacy (``/v1``) API: one case per rule.

Driven with raw HTTP (httpx on the fake's ASGI app), never the SDK, so that the fake stays an
independent oracle. Each case states a rule of the Kling page it is listed under and asserts
the HTTP status, the business code and the whole message. Rules that need state (a video to
extend, a face session, a clock) are in ``test_fidelity_legacy_state.py``.

The pages (the legacy video pages as copied in early 2026):

* prompts and image inputs, common to every family: https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-2.1-generation.md
* model names: https://github.com/aself101/kling-api/blob/main/docs/api/kling-updates-api.md
  and the error codes: https://github.com/aself101/kling-api/blob/main/docs/api/kling-get-started-error-codes.md
* text-to-video: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/text-to-video.md
* image-to-video: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/image-to-video.md
* multi-image to video: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/multi-image-to-video.md
* video extension: https://github.com/enso-ai/kling-api-wrapper/blob/c666e8d1ac2c/api-docs/kling_video_extension_docs.md
* omni video: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/omni-video-o1.md
* motion control: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/motion-control.md
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import pytest

from kling.testing._files import make_png

from ._legacy_http import (
    EXTEND,
    I2V,
    IMAGES,
    IMG,
    MOTION,
    OMNI_IMAGE,
    OMNI_VIDEO,
    PNG_B64,
    PRESET_ELEMENT,
    PRESET_VOICE,
    T2V,
    VID,
    client,
    refusal,
)

T2V_MODELS = (
    "'kling-v1', 'kling-v1-6', 'kling-v2-master', 'kling-v2-1-master', 'kling-v2-5-turbo', "
    "'kling-v2-6' or 'kling-v3'"
)
SMALL_PNG = base64.b64encode(make_png(100, 100)).decode()
WIDE_PNG = base64.b64encode(make_png(1000, 300)).decode()
NOT_AN_IMAGE = base64.b64encode(b"GIF89a and then some bytes").decode()
SIMPLE_ZOOM = {"type": "simple", "config": {"zoom": 5}}
SHOTS = [
    {"index": 1, "prompt": "a", "duration": "2"},
    {"index": 2, "prompt": "b", "duration": "2"},
]


@dataclass(frozen=True)
class Rule:
    """A request Kling refuses, and how."""

    name: str
    path: str
    body: dict[str, Any]
    message: str
    status: int = 400
    code: int = 1201


def _p(message: str) -> str:
    return f"Invalid parameter: {message}"


def _t2v(**body: Any) -> dict[str, Any]:
    return {"prompt": "a corgi", **body}


def _i2v(**body: Any) -> dict[str, Any]:
    return {"image": IMG, **body}


def _omni(**body: Any) -> dict[str, Any]:
    return {"prompt": "a dance", "aspect_ratio": "16:9", **body}


RULES = [
    # prompts and image inputs, common to every legacy family
    Rule(
        "prompt-over-2500",
        T2V,
        {"prompt": "x" * 3000},
        _p("prompt cannot exceed 2500 characters (got 3000)"),
    ),
    Rule(
        "negative-prompt-over-2500",
        T2V,
        _t2v(negative_prompt="x" * 2501),
        _p("negative_prompt cannot exceed 2500 characters (got 2501)"),
    ),
    Rule("prompt-not-a-string", T2V, {"prompt": 5}, _p("prompt must be a string")),
    Rule(
        "image-data-uri",
        I2V,
        {"image": f"data:image/png;base64,{PNG_B64}"},
        _p(
            "image is a data: URI; Kling takes a URL or raw Base64 without the "
            "data:...;base64, prefix"
        ),
    ),
    Rule(
        "image-under-300px",
        I2V,
        {"image": SMALL_PNG},
        _p("image sides must be at least 300 px, got 100x100"),
    ),
    Rule(
        "image-aspect-over-2.5",
        I2V,
        {"image": WIDE_PNG},
        _p("image aspect ratio must be between 1:2.5 and 2.5:1, got 1000x300"),
    ),
    Rule(
        "image-not-jpg-or-png", I2V, {"image": NOT_AN_IMAGE}, _p("image must be a JPG or PNG image")
    ),
    Rule(
        "image-not-base64",
        I2V,
        {"image": "not base64 at all!"},
        _p("image is neither a URL nor Base64-encoded image data"),
    ),
    Rule(
        "image-ftp-url",
        I2V,
        {"image": "ftp://cdn.example/a.png"},
        _p("image is not an http(s) URL"),
    ),
    Rule(
        "watermark-enabled-not-bool",
        T2V,
        _t2v(watermark_info={"enabled": "yes"}),
        _p("watermark_info.enabled must be true or false"),
    ),
    Rule("callback-url-not-string", T2V, _t2v(callback_url=5), _p("callback_url must be a string")),
    # model names
    Rule(
        "t2v-unknown-model",
        T2V,
        _t2v(model_name="kling-v9-bogus"),
        "Requested resource does not exist: model_name 'kling-v9-bogus' is not a model of "
        f"/v1/videos/text2video; it takes {T2V_MODELS}",
        404,
        1203,
    ),
    Rule(
        "t2v-image-only-model",
        T2V,
        _t2v(model_name="kling-v1-5"),
        "Requested resource does not exist: model_name 'kling-v1-5' is not a model of "
        f"/v1/videos/text2video; it takes {T2V_MODELS}",
        404,
        1203,
    ),
    Rule(
        "t2v-new-standard-model-id",
        T2V,
        _t2v(model_name="kling-3.0"),
        "Requested resource does not exist: model_name 'kling-3.0' is not a model of "
        f"/v1/videos/text2video; it takes {T2V_MODELS}",
        404,
        1203,
    ),
    Rule("model-name-not-string", T2V, _t2v(model_name=3), _p("model_name must be a string")),
    # text-to-video
    Rule(
        "t2v-duration-7",
        T2V,
        _t2v(duration="7"),
        _p("duration '7' is not supported by kling-v1; kling-v1 supports duration '5' or '10'"),
    ),
    Rule(
        "t2v-duration-number",
        T2V,
        _t2v(duration=5),
        _p("duration must be a string such as '5', got 5"),
    ),
    Rule(
        "t2v-v3-duration-16",
        T2V,
        _t2v(model_name="kling-v3", duration="16"),
        _p(
            "duration '16' is not supported by kling-v3; kling-v3 supports duration '3', '4', "
            "'5', '6', '7', '8', '9', '10', '11', '12', '13', '14' or '15'"
        ),
    ),
    Rule(
        "t2v-aspect-4:3",
        T2V,
        _t2v(aspect_ratio="4:3"),
        _p(
            "aspect_ratio '4:3' is not supported by kling-v1; kling-v1 supports aspect_ratio "
            "'16:9', '9:16' or '1:1'"
        ),
    ),
    Rule(
        "t2v-mode-4k-before-v3",
        T2V,
        _t2v(model_name="kling-v2-6", mode="4k"),
        _p("mode '4k' is not supported by kling-v2-6; kling-v2-6 supports mode 'std' or 'pro'"),
    ),
    Rule(
        "t2v-v2-master-std-or-pro",
        T2V,
        _t2v(model_name="kling-v2-master", mode="4k"),
        _p(
            "mode '4k' is not supported by kling-v2-master; kling-v2-master supports "
            "mode 'std' or 'pro'"
        ),
    ),
    Rule(
        "t2v-cfg-scale-0-to-1",
        T2V,
        _t2v(model_name="kling-v2-6", cfg_scale=1.5),
        _p("cfg_scale must be in [0, 1], got 1.5"),
    ),
    Rule(
        "t2v-cfg-scale-range",
        T2V,
        _t2v(cfg_scale=1.5),
        _p("cfg_scale must be in [0, 1], got 1.5"),
    ),
    Rule(
        "t2v-sound-before-v2-6",
        T2V,
        _t2v(sound="on"),
        _p("sound 'on' is not supported by kling-v1"),
    ),
    Rule(
        "t2v-sound-on-v2-6-std",
        T2V,
        _t2v(model_name="kling-v2-6", mode="std", sound="on"),
        _p(
            "sound 'on' is not supported by kling-v2-6 in mode 'std' with duration '5'; "
            "kling-v2-6 supports it in mode 'pro' with duration '5' or '10'"
        ),
    ),
    Rule(
        "t2v-sound-value",
        T2V,
        _t2v(model_name="kling-v3", sound="loud"),
        _p("sound 'loud' is invalid; it must be 'on' or 'off'"),
    ),
    Rule(
        "t2v-voice-list-needs-sound",
        T2V,
        _t2v(model_name="kling-v3", voice_list=[{"voice_id": PRESET_VOICE}]),
        _p("voice_list needs sound 'on'"),
    ),
    Rule(
        "t2v-voice-list-at-most-2",
        T2V,
        _t2v(model_name="kling-v3", sound="on", voice_list=[{"voice_id": PRESET_VOICE}] * 3),
        _p("voice_list can hold at most 2 voices on kling-v3, got 3"),
    ),
    Rule(
        "t2v-voice-list-unknown-voice",
        T2V,
        _t2v(model_name="kling-v3", sound="on", voice_list=[{"voice_id": "nobody"}]),
        _p("voice_list[0].voice_id 'nobody' does not exist"),
    ),
    Rule(
        "t2v-camera-v1-std-5-only",
        T2V,
        _t2v(mode="pro", camera_control=SIMPLE_ZOOM),
        _p(
            "camera_control is not supported by kling-v1 in mode 'pro' with duration '5'; "
            "kling-v1 supports it in mode 'std' with duration '5'"
        ),
    ),
    Rule(
        "t2v-camera-not-on-v1-6",
        T2V,
        _t2v(model_name="kling-v1-6", camera_control=SIMPLE_ZOOM),
        _p("camera_control is not supported by kling-v1-6"),
    ),
    Rule(
        "camera-simple-one-axis",
        T2V,
        _t2v(camera_control={"type": "simple", "config": {"zoom": 5, "pan": 2}}),
        _p(
            "camera_control.config must set exactly one of horizontal, vertical, pan, tilt, "
            "roll, zoom to a non-zero value, got 2"
        ),
    ),
    Rule(
        "camera-axis-range",
        T2V,
        _t2v(camera_control={"type": "simple", "config": {"zoom": 11}}),
        _p("camera_control.config.zoom must be in [-10, 10], got 11"),
    ),
    Rule(
        "camera-config-only-simple",
        T2V,
        _t2v(camera_control={"type": "down_back", "config": {"zoom": 5}}),
        _p("camera_control.config is only for type 'simple', not 'down_back'"),
    ),
    Rule(
        "camera-type",
        T2V,
        _t2v(camera_control={"type": "spin"}),
        _p(
            "camera_control.type 'spin' is invalid; it must be 'simple', 'down_back', "
            "'forward_up', 'right_turn_forward' or 'left_turn_forward'"
        ),
    ),
    Rule(
        "t2v-multi-shot-v3-only",
        T2V,
        _t2v(multi_shot=True, shot_type="intelligence"),
        _p("multi_shot is not supported by kling-v1"),
    ),
    Rule(
        "multi-shot-needs-shot-type",
        T2V,
        _t2v(model_name="kling-v3", multi_shot=True),
        _p("shot_type is required ('customize' or 'intelligence')"),
    ),
    Rule(
        "multi-prompt-sum",
        T2V,
        {
            "model_name": "kling-v3",
            "multi_shot": True,
            "shot_type": "customize",
            "duration": "5",
            "multi_prompt": SHOTS,
        },
        _p("multi_prompt durations add up to 4 s, but duration is '5': they must be equal"),
    ),
    Rule(
        "multi-prompt-at-most-6",
        T2V,
        {
            "model_name": "kling-v3",
            "multi_shot": True,
            "shot_type": "customize",
            "duration": "7",
            "multi_prompt": [{"index": i, "prompt": "a", "duration": "1"} for i in range(7)],
        },
        _p("multi_prompt can hold at most 6 item(s), got 7"),
    ),
    Rule(
        "multi-prompt-shot-over-512",
        T2V,
        {
            "model_name": "kling-v3",
            "multi_shot": True,
            "shot_type": "customize",
            "duration": "4",
            "multi_prompt": [{"index": 1, "prompt": "x" * 513, "duration": "4"}],
        },
        _p("multi_prompt[0].prompt cannot exceed 512 characters (got 513)"),
    ),
    Rule(
        "multi-shot-intelligence-needs-prompt",
        T2V,
        {"model_name": "kling-v3", "multi_shot": True, "shot_type": "intelligence"},
        _p("prompt is required"),
    ),
    Rule(
        "t2v-element-list-not-documented",
        T2V,
        _t2v(model_name="kling-v3", element_list=[{"element_id": PRESET_ELEMENT}]),
        "",  # ignored: text-to-video documents no element_list (the create succeeds)
        200,
        0,
    ),
    # image-to-video
    Rule("i2v-needs-an-image", I2V, {"prompt": "a corgi"}, _p("image is required")),
    Rule(
        "i2v-tail-alone-not-on-v1",
        I2V,
        {"image_tail": IMG},
        _p("image is required: kling-v1 takes no image_tail without image"),
    ),
    Rule(
        "i2v-tail-alone-pro-only",
        I2V,
        {"image_tail": IMG, "model_name": "kling-v1-6", "mode": "std"},
        _p("image is required: kling-v1-6 takes image_tail without image in mode 'pro'"),
    ),
    Rule(
        "i2v-tail-not-on-v2-master",
        I2V,
        _i2v(model_name="kling-v2-master", image_tail=IMG),
        _p("image_tail is not supported by kling-v2-master"),
    ),
    Rule(
        "i2v-tail-v1-6-pro-only",
        I2V,
        _i2v(model_name="kling-v1-6", mode="std", image_tail=IMG),
        _p(
            "image_tail is not supported by kling-v1-6 in mode 'std' with duration '5'; "
            "kling-v1-6 supports it in mode 'pro' with duration '5' or '10'"
        ),
    ),
    Rule(
        "i2v-tail-v1-5s-only",
        I2V,
        _i2v(duration="10", image_tail=IMG),
        _p(
            "image_tail is not supported by kling-v1 in mode 'std' with duration '10'; "
            "kling-v1 supports it in mode 'std' with duration '5'; mode 'pro' with duration '5'"
        ),
    ),
    Rule(
        "i2v-tail-v2-6-silent",
        I2V,
        _i2v(model_name="kling-v2-6", mode="pro", sound="on", image_tail=IMG),
        _p("image_tail needs sound 'off' on kling-v2-6"),
    ),
    Rule(
        "i2v-tail-and-camera-exclusive",
        I2V,
        _i2v(
            model_name="kling-v1-5",
            mode="pro",
            image_tail=IMG,
            camera_control=SIMPLE_ZOOM,
        ),
        _p(
            "image_tail, static_mask/dynamic_masks and camera_control cannot be combined: "
            "choose one"
        ),
    ),
    Rule(
        "i2v-camera-v1-5-simple-only",
        I2V,
        _i2v(model_name="kling-v1-5", mode="pro", camera_control={"type": "down_back"}),
        _p(
            "camera_control.type 'down_back' is not supported by kling-v1-5; kling-v1-5 "
            "supports camera_control.type 'simple'"
        ),
    ),
    Rule(
        "i2v-motion-brush-not-on-v1-6",
        I2V,
        _i2v(model_name="kling-v1-6", static_mask=IMG),
        _p("static_mask/dynamic_masks is not supported by kling-v1-6"),
    ),
    Rule(
        "i2v-trajectory-2-points",
        I2V,
        _i2v(dynamic_masks=[{"mask": IMG, "trajectories": [{"x": 1, "y": 1}]}]),
        _p("dynamic_masks[0].trajectories needs at least 2 item(s)"),
    ),
    Rule(
        "i2v-at-most-6-masks",
        I2V,
        _i2v(
            dynamic_masks=[{"mask": IMG, "trajectories": [{"x": 1, "y": 1}, {"x": 2, "y": 2}]}] * 7
        ),
        _p("dynamic_masks can hold at most 6 item(s), got 7"),
    ),
    Rule(
        "i2v-element-list-v3-only",
        I2V,
        _i2v(element_list=[{"element_id": PRESET_ELEMENT}]),
        _p("element_list is not supported by kling-v1"),
    ),
    Rule(
        "i2v-unknown-element",
        I2V,
        _i2v(model_name="kling-v3", element_list=[{"element_id": 42}]),
        _p("element_list[0].element_id 42 does not exist"),
    ),
    Rule(
        "i2v-at-most-3-elements",
        I2V,
        _i2v(model_name="kling-v3", element_list=[{"element_id": PRESET_ELEMENT}] * 4),
        _p("element_list can hold at most 3 elements on kling-v3, got 4"),
    ),
    # multi-image to video
    Rule(
        "multi-image-at-most-4",
        "/v1/videos/multi-image2video",
        {"prompt": "friends", "image_list": [{"image": IMG}] * 5},
        _p("image_list can hold at most 4 item(s), got 5"),
    ),
    Rule(
        "multi-image-v1-6-only",
        "/v1/videos/multi-image2video",
        {"prompt": "friends", "image_list": [{"image": IMG}], "model_name": "kling-v1"},
        "Requested resource does not exist: model_name 'kling-v1' is not a model of "
        "/v1/videos/multi-image2video; it takes 'kling-v1-6'",
        404,
        1203,
    ),
    # video extension
    Rule(
        "extend-unknown-video",
        EXTEND,
        {"video_id": "nope"},
        _p(
            "video_id 'nope' does not exist: extend a video generated by text-to-video, "
            "image-to-video or a previous extension"
        ),
    ),
    # omni video
    Rule(
        "omni-aspect-ratio-required",
        OMNI_VIDEO,
        {"prompt": "a dance"},
        _p("aspect_ratio is required unless image_list has a first_frame or there is a video"),
    ),
    Rule(
        "omni-end-frame-needs-first",
        OMNI_VIDEO,
        _omni(image_list=[{"image_url": IMG, "type": "end_frame"}]),
        _p("image_list: an end_frame needs a first_frame"),
    ),
    Rule(
        "omni-no-end-frame-beyond-2-images",
        OMNI_VIDEO,
        _omni(
            image_list=[
                {"image_url": IMG, "type": "first_frame"},
                {"image_url": IMG, "type": "end_frame"},
                {"image_url": IMG},
            ]
        ),
        _p("image_list: with more than 2 images there can be no end_frame"),
    ),
    Rule(
        "omni-at-most-7-references",
        OMNI_VIDEO,
        _omni(image_list=[{"image_url": IMG}] * 8),
        _p("image_list and element_list can hold at most 7 items together"),
    ),
    Rule(
        "omni-at-most-4-references-with-video",
        OMNI_VIDEO,
        _omni(
            image_list=[{"image_url": IMG}] * 5,
            video_list=[{"video_url": VID, "refer_type": "feature"}],
        ),
        _p("image_list and element_list can hold at most 4 items together with a video_list"),
    ),
    Rule(
        "omni-o1-plain-5-or-10",
        OMNI_VIDEO,
        _omni(duration="7"),
        _p(
            "duration '7' is not supported by kling-video-o1 with a prompt or a first frame "
            "alone; it supports duration '5' or '10' there"
        ),
    ),
    Rule(
        "omni-o1-no-sound",
        OMNI_VIDEO,
        _omni(sound="on"),
        _p("sound is not supported by kling-video-o1"),
    ),
    Rule(
        "omni-sound-off-with-video",
        OMNI_VIDEO,
        _omni(
            model_name="kling-v3-omni",
            sound="on",
            video_list=[{"video_url": VID, "refer_type": "feature"}],
        ),
        _p("sound must be 'off' with a video_list"),
    ),
    Rule(
        "omni-no-4k-with-video",
        OMNI_VIDEO,
        _omni(
            model_name="kling-v3-omni",
            mode="4k",
            video_list=[{"video_url": VID, "refer_type": "feature"}],
        ),
        _p(
            "mode '4k' is not supported by kling-v3-omni with a video_list; it supports mode "
            "'std' or 'pro' there"
        ),
    ),
    Rule(
        "omni-base-video-no-frames",
        OMNI_VIDEO,
        _omni(
            image_list=[{"image_url": IMG, "type": "first_frame"}],
            video_list=[{"video_url": VID, "refer_type": "base"}],
        ),
        _p("a base video (refer_type 'base') cannot be used with first_frame/end_frame"),
    ),
    Rule(
        "omni-one-video",
        OMNI_VIDEO,
        _omni(video_list=[{"video_url": VID}] * 2),
        _p("video_list can hold at most 1 item(s), got 2"),
    ),
    Rule(
        "omni-unknown-model",
        OMNI_VIDEO,
        _omni(model_name="kling-v3"),
        "Requested resource does not exist: model_name 'kling-v3' is not a model of "
        "/v1/videos/omni-video; it takes 'kling-video-o1' or 'kling-v3-omni'",
        404,
        1203,
    ),
    # motion control
    Rule(
        "motion-mode-required",
        MOTION,
        {"image_url": IMG, "video_url": VID, "character_orientation": "image"},
        _p("mode is required; kling-v2-6 supports mode 'std' or 'pro'"),
    ),
    Rule(
        "motion-elements-v3-only",
        MOTION,
        {
            "image_url": IMG,
            "video_url": VID,
            "character_orientation": "video",
            "mode": "std",
            "element_list": [{"element_id": PRESET_ELEMENT}],
        },
        _p("element_list is not supported by kling-v2-6"),
    ),
]


@pytest.mark.parametrize("rule", RULES, ids=[rule.name for rule in RULES])
async def test_legacy_rule(rule: Rule) -> None:
    async with client() as http:
        response = await http.post(rule.path, json=rule.body)
    if rule.status == 200:
        assert response.status_code == 200, response.text
        return
    assert refusal(response, rule.status, rule.code) == rule.message


ACCEPTED = [
    ("prompt-of-2500", T2V, {"prompt": "x" * 2500}),
    ("image-raw-base64", I2V, {"image": PNG_B64}),
    ("t2v-v3-15s-4k-sound", T2V, _t2v(model_name="kling-v3", duration="15", mode="4k", sound="on")),
    (
        "t2v-v2-6-pro-sound-voices",
        T2V,
        _t2v(
            model_name="kling-v2-6", mode="pro", sound="on", voice_list=[{"voice_id": PRESET_VOICE}]
        ),
    ),
    ("t2v-v1-camera-std-5", T2V, _t2v(camera_control=SIMPLE_ZOOM)),
    (
        "t2v-v3-multi-shot-customize-without-prompt",
        T2V,
        {
            "model_name": "kling-v3",
            "multi_shot": True,
            "shot_type": "customize",
            "duration": "4",
            "multi_prompt": SHOTS,
        },
    ),
    (
        "i2v-v1-5-pro-camera",
        I2V,
        _i2v(model_name="kling-v1-5", mode="pro", camera_control=SIMPLE_ZOOM),
    ),
    ("i2v-v3-tail-4k", I2V, _i2v(model_name="kling-v3", mode="4k", image_tail=IMG)),
    (
        "i2v-v3-preset-element",
        I2V,
        _i2v(model_name="kling-v3", element_list=[{"element_id": PRESET_ELEMENT}]),
    ),
    (
        "i2v-v1-motion-brush",
        I2V,
        _i2v(
            static_mask=IMG,
            dynamic_masks=[{"mask": IMG, "trajectories": [{"x": 1, "y": 1}, {"x": 5, "y": 9}]}],
        ),
    ),
    ("omni-o1-7s-with-reference", OMNI_VIDEO, _omni(duration="7", image_list=[{"image_url": IMG}])),
    (
        "omni-first-frame-without-ratio",
        OMNI_VIDEO,
        {"prompt": "go", "image_list": [{"image_url": IMG, "type": "first_frame"}]},
    ),
    (
        "omni-base-video-without-ratio",
        OMNI_VIDEO,
        {"prompt": "edit", "video_list": [{"video_url": VID, "refer_type": "base"}]},
    ),
    (
        "motion-v3-element",
        MOTION,
        {
            "model_name": "kling-v3",
            "image_url": IMG,
            "video_url": VID,
            "character_orientation": "video",
            "mode": "pro",
            "element_list": [{"element_id": PRESET_ELEMENT}],
        },
    ),
    (
        "images-v2-21:9-2k",
        IMAGES,
        {"prompt": "x", "model_name": "kling-v2", "aspect_ratio": "21:9", "resolution": "2k"},
    ),
    (
        "omni-image-v3-series",
        OMNI_IMAGE,
        {
            "prompt": "x",
            "model_name": "kling-v3-omni",
            "result_type": "series",
            "series_amount": "auto",
            "aspect_ratio": "1:1",
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
