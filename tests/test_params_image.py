"""Image families: the body each sends, and every documented rule.

The rules are Kling's, from the pages cited in ``kling/_params/_image.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kling._errors import InvalidParameterError
from tests._helpers import prepare_body
from tests.test_files import GIF, b64, jpeg, png

IMG = "https://example.com/a.png"
IMG2 = "https://example.com/b.png"


def check(family: str, params: dict[str, Any], message: str, field: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        prepare_body(family, params)
    assert (str(info.value), info.value.field) == (message, field)


# -- images (generations) -------------------------------------------------------------------------


def test_text_to_image_body() -> None:
    body = prepare_body(
        "images",
        {
            "model_name": "kling-v2-1",
            "prompt": "a fox",
            "negative_prompt": "blur",
            "n": 4,
            "aspect_ratio": "21:9",
            "resolution": "2k",
        },
    )
    assert body == {
        "model_name": "kling-v2-1",
        "prompt": "a fox",
        "negative_prompt": "blur",
        "resolution": "2k",
        "n": 4,
        "aspect_ratio": "21:9",
    }


def test_image_to_image_body_reads_the_reference(tmp_path: Path) -> None:
    path = tmp_path / "face.jpg"
    path.write_bytes(jpeg(600, 800))
    body = prepare_body(
        "images",
        {
            "model_name": "kling-v2-1",
            "prompt": "as a painting",
            "image": path,
            "image_reference": "subject",
            "image_fidelity": 0.7,
            "human_fidelity": 0.4,
        },
    )
    assert body == {
        "model_name": "kling-v2-1",
        "prompt": "as a painting",
        "image": b64(jpeg(600, 800)),
        "image_reference": "subject",
        "image_fidelity": 0.7,
        "human_fidelity": 0.4,
    }


ELEMENTS = [{"element_id": i} for i in range(10)]

IMAGES_RULES = [
    pytest.param({}, "prompt: required", "prompt", id="prompt-required"),
    pytest.param(
        {"prompt": "p" * 2501},
        "prompt: at most 2500 characters (got 2501)",
        "prompt",
        id="prompt-length",
    ),
    pytest.param(
        {"prompt": "x", "n": 10}, "n: must be between 1 and 9 (got 10)", "n", id="n-at-most-9"
    ),
    pytest.param(
        {"prompt": "x", "n": 0}, "n: must be between 1 and 9 (got 0)", "n", id="n-at-least-1"
    ),
    pytest.param(
        {"prompt": "x", "aspect_ratio": "5:4"},
        "aspect_ratio: must be one of '16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3' "
        "or '21:9' (got '5:4')",
        "aspect_ratio",
        id="eight-ratios",
    ),
    pytest.param(
        {"prompt": "x", "image_fidelity": 1.1},
        "image_fidelity: must be between 0 and 1 (got 1.1)",
        "image_fidelity",
        id="fidelity",
    ),
    pytest.param(
        {"prompt": "x", "image_reference": "subject"},
        "image: required when image_reference is set",
        "image",
        id="reference-needs-image",
    ),
    pytest.param(
        {"prompt": "x", "image": IMG, "element_list": ELEMENTS},
        "element_list: at most 10 reference images and elements together (got 11)",
        "element_list",
        id="ten-references",
    ),
    pytest.param(
        {"prompt": "x", "resolution": "4k"},
        "resolution: must be one of '1k' or '2k' (got '4k')",
        "resolution",
        id="resolution",
    ),
    pytest.param(
        {"prompt": "x", "image": GIF},
        "image: file is a GIF; Kling accepts JPEG or PNG",
        "image",
        id="image-format",
    ),
]


@pytest.mark.parametrize(("params", "message", "field"), IMAGES_RULES)
def test_images_rule(params: dict[str, Any], message: str, field: str) -> None:
    check("images", params, message, field)


# -- omni_image -----------------------------------------------------------------------------------


def test_omni_image_series_body() -> None:
    body = prepare_body(
        "omni_image",
        {
            "model_name": "kling-v3-omni",
            "prompt": "storyboard of <<<image_1>>>",
            "image_list": [{"image": png()}],
            "element_list": [{"element_id": 829836802793406551}],
            "resolution": "4k",
            "result_type": "series",
            "series_amount": "auto",
            "aspect_ratio": "auto",
        },
    )
    assert body == {
        "model_name": "kling-v3-omni",
        "prompt": "storyboard of <<<image_1>>>",
        "image_list": [{"image": b64(png())}],
        "element_list": [{"element_id": 829836802793406551}],
        "resolution": "4k",
        "result_type": "series",
        "series_amount": "auto",
        "aspect_ratio": "auto",
    }


def test_omni_image_series_amount_takes_an_int() -> None:
    series = {"prompt": "x", "result_type": "series", "series_amount": 4}
    body = prepare_body("omni_image", {"model_name": "kling-v3-omni", **series})
    assert body == {"model_name": "kling-v3-omni", **series}


OMNI_IMAGE_RULES = [
    pytest.param(
        {"image_list": [{"image": IMG}]}, "prompt: required", "prompt", id="prompt-required"
    ),
    pytest.param(
        {"prompt": "x", "result_type": "series", "series_amount": 1},
        'series_amount: must be from 2 to 9 or "auto" (got 1)',
        "series_amount",
        id="series-at-least-2",
    ),
    pytest.param(
        {"prompt": "x", "result_type": "series", "series_amount": "4"},
        "series_amount: must be an int from 2 to 9 or \"auto\" (got str '4')",
        "series_amount",
        id="series-amount-type",
    ),
    pytest.param(
        {"prompt": "x", "result_type": "album"},
        "result_type: must be one of 'single' or 'series' (got 'album')",
        "result_type",
        id="result-type",
    ),
    pytest.param(
        {"prompt": "x", "aspect_ratio": "auto", "model_name": "kling-v3-omni"},
        'aspect_ratio: kling-v3-omni makes "auto" ratio images from reference images '
        "(image_list or element_list) only",
        "aspect_ratio",
        id="auto-needs-references",
    ),
    pytest.param(
        {"prompt": "x", "image_list": [{"image": IMG}] * 4, "element_list": ELEMENTS[:7]},
        "element_list: at most 10 reference images and elements together (got 11)",
        "element_list",
        id="ten-references",
    ),
    pytest.param({"prompt": "x", "n": 12}, "n: must be between 1 and 9 (got 12)", "n", id="n"),
]


@pytest.mark.parametrize(("params", "message", "field"), OMNI_IMAGE_RULES)
def test_omni_image_rule(params: dict[str, Any], message: str, field: str) -> None:
    check("omni_image", params, message, field)


# -- multi_image_to_image, image_expand, virtual_try_on, image_recognize --------------------------


def test_multi_image_to_image_body() -> None:
    body = prepare_body(
        "multi_image_to_image",
        {
            "model_name": "kling-v2",
            "prompt": "together at the beach",
            "subject_image_list": [{"subject_image": IMG}, {"subject_image": jpeg()}],
            "scene_image": IMG2,
            "style_image": png(),
            "n": 2,
            "aspect_ratio": "3:2",
        },
    )
    assert body == {
        "model_name": "kling-v2",
        "prompt": "together at the beach",
        "subject_image_list": [{"subject_image": IMG}, {"subject_image": b64(jpeg())}],
        "scene_image": IMG2,
        "style_image": b64(png()),
        "n": 2,
        "aspect_ratio": "3:2",
    }


@pytest.mark.parametrize(
    ("params", "message", "field"),
    [
        pytest.param(
            {"prompt": "x"},
            "subject_image_list: required",
            "subject_image_list",
            id="subjects-required",
        ),
        pytest.param(
            {"subject_image_list": [{"subject_image": IMG}] * 5},
            "subject_image_list: at most 4 items (got 5)",
            "subject_image_list",
            id="at-most-4",
        ),
        pytest.param(
            {"subject_image_list": []},
            "subject_image_list: at least 1 item (got 0)",
            "subject_image_list",
            id="at-least-1",
        ),
        pytest.param(
            {"subject_image_list": [{"subject_image": png(300, 900)}]},
            "subject_image_list[0].subject_image: 300x900 px has aspect ratio 3.00:1; "
            "Kling accepts 1:2.5 to 2.5:1",
            "subject_image_list[0].subject_image",
            id="subject-image-checked",
        ),
    ],
)
def test_multi_image_to_image_rule(params: dict[str, Any], message: str, field: str) -> None:
    check("multi_image_to_image", params, message, field)


def test_image_expand_body() -> None:
    body = prepare_body(
        "image_expand",
        {
            "image": IMG,
            "up_expansion_ratio": 0.5,
            "down_expansion_ratio": 0.5,
            "left_expansion_ratio": 0.25,
            "n": 2,
        },
    )
    assert body == {
        "image": IMG,
        "up_expansion_ratio": 0.5,
        "down_expansion_ratio": 0.5,
        "left_expansion_ratio": 0.25,
        "n": 2,
    }


@pytest.mark.parametrize(
    ("params", "message", "field"),
    [
        pytest.param({"up_expansion_ratio": 1}, "image: required", "image", id="image-required"),
        pytest.param(
            {"image": IMG, "right_expansion_ratio": 2.5},
            "right_expansion_ratio: must be between 0 and 2 (got 2.5)",
            "right_expansion_ratio",
            id="ratio-range",
        ),
        pytest.param(
            {"image": IMG, "down_expansion_ratio": 1, "left_expansion_ratio": 0.6},
            "expansion ratios: the expanded image may be at most 3x the original area, but "
            "(1+up+down)*(1+left+right) = (1+0+1)*(1+0.6+0) = 3.2",
            "down_expansion_ratio",
            id="area-at-most-3x",
        ),
    ],
)
def test_image_expand_rule(params: dict[str, Any], message: str, field: str) -> None:
    check("image_expand", params, message, field)


def test_image_expand_allows_exactly_3x() -> None:
    body = prepare_body("image_expand", {"image": IMG, "up_expansion_ratio": 2})
    assert body == {"image": IMG, "up_expansion_ratio": 2.0}


def test_virtual_try_on_body() -> None:
    body = prepare_body(
        "virtual_try_on",
        {
            "model_name": "kolors-virtual-try-on-v1-5",
            "human_image": IMG,
            "cloth_image": png(),
            "callback_url": "https://cb",
        },
    )
    assert body == {
        "model_name": "kolors-virtual-try-on-v1-5",
        "human_image": IMG,
        "cloth_image": b64(png()),
        "callback_url": "https://cb",
    }


@pytest.mark.parametrize("missing", ["human_image", "cloth_image"])
def test_virtual_try_on_needs_both_images(missing: str) -> None:
    params = {key: IMG for key in ("human_image", "cloth_image") if key != missing}
    check("virtual_try_on", params, f"{missing}: required", missing)


def test_image_recognize_body() -> None:
    assert prepare_body("image_recognize", {"image": jpeg()}) == {"image": b64(jpeg())}


def test_image_recognize_needs_an_image() -> None:
    check("image_recognize", {}, "image: required", "image")
