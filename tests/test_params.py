"""The generic mechanism behind every create call: unknown keys, types, None, messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kling._errors import InvalidParameterError
from tests._helpers import prepare_body
from tests.test_files import b64, png

IMG = "https://example.com/a.png"


def error(family: str, **params: Any) -> InvalidParameterError:
    with pytest.raises(InvalidParameterError) as info:
        prepare_body(family, params)
    return info.value


def test_unknown_keyword_suggests_the_close_match() -> None:
    err = error("text_to_video", promt="a corgi")
    assert str(err) == (
        "unknown parameter 'promt' for text_to_video; did you mean 'prompt'? "
        "(use extra_body= to send fields this SDK does not know)"
    )
    assert err.field == "promt"


def test_unknown_keyword_without_a_close_match_only_points_to_extra_body() -> None:
    err = error("text_to_video", prompt="x", resolution="1080p")
    assert str(err) == (
        "unknown parameter 'resolution' for text_to_video "
        "(use extra_body= to send fields this SDK does not know)"
    )


def test_unknown_nested_key_is_located_and_suggested() -> None:
    err = error("text_to_video", prompt="x", camera_control={"type": "simple", "confg": {}})
    assert str(err) == (
        "unknown parameter 'camera_control.confg' for text_to_video; "
        "did you mean 'camera_control.config'?"
    )
    assert err.field == "camera_control.confg"


def test_unknown_key_inside_a_list_item_is_located() -> None:
    err = error("multi_image_to_video", prompt="x", image_list=[{"image": IMG}, {"img": IMG}])
    assert str(err) == (
        "unknown parameter 'image_list[1].img' for multi_image_to_video; "
        "did you mean 'image_list[1].image'?"
    )
    assert err.field == "image_list[1].img"


def test_several_problems_are_reported_together() -> None:
    err = error("text_to_video", prompt="x", mode="fast", cfg_scale=2, foo=1)
    assert str(err) == (
        "cfg_scale: must be between 0 and 1 (got 2) (also: mode: must be one of 'std', 'pro' or "
        "'4k' (got 'fast'); unknown parameter 'foo' for text_to_video) "
        "(use extra_body= to send fields this SDK does not know)"
    )
    assert err.field == "cfg_scale"


def test_long_error_lists_are_summarised() -> None:
    err = error("text_to_video", prompt="x", a=1, b=2, c=3, d=4, e=5, f=6)
    assert str(err).endswith(
        "; and 2 more) (use extra_body= to send fields this SDK does not know)"
    )


def test_none_means_not_given_at_any_depth() -> None:
    body = prepare_body(
        "text_to_video",
        {
            "prompt": "x",
            "negative_prompt": None,
            "camera_control": {"type": "simple", "config": {"pan": 2, "zoom": None}},
        },
    )
    assert body == {"prompt": "x", "camera_control": {"type": "simple", "config": {"pan": 2.0}}}


def test_tuples_are_accepted_where_lists_are() -> None:
    body = prepare_body("multi_image_to_video", {"prompt": "x", "image_list": ({"image": IMG},)})
    assert body == {"prompt": "x", "image_list": [{"image": IMG}]}


def test_the_callers_mapping_is_not_modified() -> None:
    params = {"prompt": "x", "duration": 5, "negative_prompt": None}
    prepare_body("text_to_video", params)
    assert params == {"prompt": "x", "duration": 5, "negative_prompt": None}


def test_body_with_a_file_input_is_json_ready(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(png())
    body = prepare_body("image_to_video", {"image": path})
    assert json.loads(json.dumps(body)) == {"image": b64(png())}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"prompt": 3}, "prompt: must be a string (got int)"),
        ({"prompt": "x", "cfg_scale": "0.5"}, "cfg_scale: must be a number (got str)"),
        ({"prompt": "x", "cfg_scale": True}, "cfg_scale: must be a number (got bool)"),
        ({"prompt": "x", "multi_shot": "yes"}, "multi_shot: must be True or False (got str)"),
        ({"prompt": "x", "voice_list": "v1"}, "voice_list: must be a list (got str)"),
        ({"prompt": "x", "camera_control": "simple"}, "camera_control: must be a dict (got str)"),
        ({"prompt": "x", "model_name": 3}, "model_name: must be a string (got int)"),
        ({"prompt": "x", "model_name": ""}, "model_name: must not be empty"),
    ],
    ids=["str", "no-str-to-float", "no-bool-as-number", "bool", "list", "dict", "model", "empty"],
)
def test_types_are_checked_strictly(params: dict[str, Any], message: str) -> None:
    assert str(error("text_to_video", **params)) == message


def test_integer_fields_do_not_take_strings() -> None:
    assert str(error("images", prompt="x", n="3")) == "n: must be an integer (got str)"


def test_any_model_name_string_is_accepted() -> None:
    body = prepare_body("text_to_video", {"prompt": "x", "model_name": "kling-v9-released-today"})
    assert body["model_name"] == "kling-v9-released-today"


@pytest.mark.parametrize(("given", "sent"), [(5, "5"), ("10", "10"), (15, "15"), ("3", "3")])
def test_duration_takes_int_or_string_and_sends_a_string(given: object, sent: str) -> None:
    # kling-v3 makes 3 to 15 second videos (kling-v1, the default, only 5 or 10).
    body = prepare_body(
        "text_to_video", {"prompt": "x", "model_name": "kling-v3", "duration": given}
    )
    assert body["duration"] == sent


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (20, 'duration: must be from "3" to "15" seconds (got "20")'),
        ("5s", "duration: must be a whole number of seconds like \"5\" (got '5s')"),
        (5.0, 'duration: must be a whole number of seconds like "5" (got float)'),
        (True, 'duration: must be a whole number of seconds like "5" (got bool)'),
    ],
)
def test_bad_durations_are_refused(given: object, message: str) -> None:
    err = error("text_to_video", prompt="x", duration=given)
    assert str(err) == message
    assert err.field == "duration"


def test_literal_values_are_listed_in_the_message() -> None:
    assert str(error("text_to_video", prompt="x", aspect_ratio="4:3")) == (
        "aspect_ratio: must be one of '16:9', '9:16' or '1:1' (got '4:3')"
    )


def test_large_values_are_never_echoed() -> None:
    err = error("text_to_video", prompt="x", mode="x" * 10_000)
    assert len(str(err)) < 200
    assert str(err).endswith(
        "(got 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... (10000 characters))"
    )


def test_media_error_inside_a_list_names_the_item() -> None:
    err = error(
        "multi_image_to_video", prompt="x", image_list=[{"image": IMG}, {"image": b"GIF89a"}]
    )
    assert str(err) == "image_list[1].image: file is a GIF; Kling accepts JPEG or PNG"
    assert err.field == "image_list[1].image"


def test_watermark_info_is_a_typed_object() -> None:
    body = prepare_body("text_to_video", {"prompt": "x", "watermark_info": {"enabled": True}})
    assert body == {"prompt": "x", "watermark_info": {"enabled": True}}
    err = error("text_to_video", prompt="x", watermark_info={})
    assert str(err) == "watermark_info.enabled: required"


def test_task_options_come_last_in_the_body() -> None:
    body = prepare_body(
        "text_to_video", {"callback_url": "https://cb", "external_task_id": "t1", "prompt": "x"}
    )
    assert list(body) == ["prompt", "callback_url", "external_task_id"]


def test_validators_are_built_on_first_use_not_at_import() -> None:
    code = (
        "import kling._params._validate as v; import kling._params; "
        "from kling._families import FAMILIES; "
        "print(len(v._ADAPTERS), v.builds_validator(FAMILIES['text_to_video']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "0 True"
