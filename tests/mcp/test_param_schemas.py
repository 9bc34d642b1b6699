"""The parameter TypedDicts have JSON schemas that say what their validation accepts."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from kling._families import ENDPOINTS, PRODUCTS
from kling._params._common import MEDIA_KEY

ROWS = [*ENDPOINTS.values(), *PRODUCTS.values()]


def schema(params: type) -> dict[str, Any]:
    result: dict[str, Any] = TypeAdapter(params).json_schema()
    return result


def properties(params: type) -> dict[str, Any]:
    props: dict[str, Any] = schema(params)["properties"]
    return props


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{type(row).__name__}:{row.name}")
def test_every_family_endpoint_and_product_has_a_json_schema_of_its_parameters(row: Any) -> None:
    generated = schema(row.typed_dict)
    assert generated["type"] == "object"
    assert generated["additionalProperties"] is False  # unknown keys are refused
    assert set(generated["properties"]) == set(row.typed_dict.__annotations__)
    assert set(generated.get("required", ())) == set(row.typed_dict.__required_keys__)


def test_text_to_video_schema_carries_the_limits_and_enums_of_its_validation() -> None:
    from kling._params import TextToVideoParams

    props = properties(TextToVideoParams)
    assert props["prompt"]["maxLength"] == 2500
    assert props["prompt"]["minLength"] == 1
    assert props["duration"]["enum"] == [str(s) for s in range(3, 16)]
    assert (props["cfg_scale"]["minimum"], props["cfg_scale"]["maximum"]) == (0, 1)
    assert props["mode"]["enum"] == ["std", "pro", "4k"]
    assert props["voice_list"]["minItems"] == 1
    assert props["voice_list"]["maxItems"] == 2
    # Any model id is accepted: the known ones are examples, not an enum.
    assert "enum" not in props["model_name"]
    assert "kling-v3" in props["model_name"]["examples"]


def test_short_durations_list_only_the_values_the_endpoint_takes() -> None:
    from kling._params import MultiImageToVideoParams

    assert properties(MultiImageToVideoParams)["duration"]["enum"] == ["5", "10"]


def test_attribute_docstrings_describe_properties_inherited_ones_too() -> None:
    from kling._params import TextToVideoParams

    props = properties(TextToVideoParams)
    # Declared on CallbackOptions, two bases up.
    assert props["external_task_id"]["description"].startswith("Your own id for the task")
    assert props["callback_url"]["description"].startswith("Kling POSTs the task here")


def test_media_inputs_are_strings_marked_with_what_they_take() -> None:
    from kling._params import AvatarParams, ImageToVideoV2Params, LipSyncParams

    avatar = properties(AvatarParams)
    assert avatar["image"]["type"] == "string"
    assert avatar["image"][MEDIA_KEY] == "image"
    assert "JPEG or PNG" in avatar["image"]["description"]
    assert avatar["sound_file"][MEDIA_KEY] == "audio"
    lip_sync = properties(LipSyncParams)
    assert lip_sync["audio_file"][MEDIA_KEY] == "audio_file"
    # A URL-only field is a URL, not a file.
    assert MEDIA_KEY not in lip_sync["video_url"]
    assert lip_sync["video_url"]["format"] == "uri"
    assert properties(ImageToVideoV2Params)["first_frame"][MEDIA_KEY] == "image"


def test_bounds_on_numbers_and_lists_in_nested_items_are_kept() -> None:
    from kling._params import ImageToVideoParams

    generated = schema(ImageToVideoParams)
    mask = generated["$defs"]["DynamicMask"]["properties"]
    assert mask["trajectories"]["minItems"] == 2
    assert mask["trajectories"]["maxItems"] == 77
    assert generated["$defs"]["CameraConfig"]["properties"]["zoom"]["maximum"] == 10


def test_a_schema_for_every_params_type_leaves_validation_as_it_was() -> None:
    from kling._params import TextToVideoParams
    from tests._helpers import prepare_body

    TypeAdapter(TextToVideoParams).json_schema()
    assert prepare_body("text_to_video", {"prompt": "a corgi", "duration": 5}) == {
        "prompt": "a corgi",
        "duration": "5",
    }


def test_a_new_standard_item_is_a_media_string_or_an_object_with_an_id() -> None:
    from kling._params import OmniVideoV2Params

    media, item = properties(OmniVideoV2Params)["first_frame"]["anyOf"]
    assert media[MEDIA_KEY] == "image"
    assert item["required"] == ["url"]
    assert item["additionalProperties"] is False
    assert set(item["properties"]) == {"url", "id"}
