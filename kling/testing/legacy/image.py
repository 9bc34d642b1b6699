"""Legacy image creates: generation, omni image, multi-image, expansion, try-on.

Sources, Kling's pages:

* generation: https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-2.1-generation.md
  (models before kling-v2-1: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/image-generation.md)
* omni image: https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-o1-generation.md
* multi-image to image: https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-2.1-multi-image-to-image.md
* expansion: https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-common-outpainting.md
* try-on: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/virtual-try-on.md
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import _rulebook as R
from .capabilities import aspect_ratio, elements, resolve
from .context import Lookup, Plan
from .fields import (
    choice,
    image,
    items,
    listed,
    number,
    present,
    prompt,
    refuse,
    shown,
)
from .models import RATIOS_IMAGE, LegacyModel

MAX_N = 9
MAX_EXPANSION_AREA = 3.0
"""An expanded image is at most 3x the original's area (the expansion page, above)."""
SERIES_DEFAULT = 4
"""``series_amount`` when omitted ("Default 4", the omni image page)."""
SERIES_AUTO_COUNT = 4
"""How many images ``series_amount:"auto"`` makes in the fake (Kling picks; docs give no count)."""
_RATIOS = ("up", "down", "left", "right")


def _n(body: Mapping[str, Any]) -> int:
    value = number(body, "n", 1, MAX_N, integer=True)
    return 1 if value is None else int(value)


def _resolution(model: LegacyModel, body: Mapping[str, Any], documented: tuple[str, ...]) -> None:
    """``resolution``: one of the family's ``documented`` values, and one the model makes."""
    value = body.get("resolution")
    if value is None:
        return
    if not isinstance(value, str) or value not in documented:
        refuse(
            R.LEGACY_FIELDS,
            f"resolution '{shown(value)}' is invalid; it must be {listed(documented)}",
        )
    elif not model.resolutions:
        refuse(
            R.FOLLOWS_INPUT,
            f"resolution is not supported by {model.model}: the output keeps the input's size",
        )
    elif not isinstance(value, str) or value not in model.resolutions:
        refuse(
            R.IMAGE_RESOLUTION,
            f"resolution '{shown(value)}' is not supported by {model.model}; "
            f"{model.model} supports resolution {listed(model.resolutions)}",
        )


def _plan(model: LegacyModel, count: int, **details: Any) -> Plan:
    return Plan({"model_name": model.model, **details}, count)


def images(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/images/generations``; ``model`` is Kling's old alias of ``model_name``."""
    model = resolve("images", "/v1/images/generations", body, alias="model")
    prompt(body, required=True)
    reference = image(body, "image") is not None
    if model.needs_image and not reference:
        refuse(R.NEEDS_IMAGE, f"image is required by {model.model}, which restyles an input image")
    if reference and body.get("negative_prompt"):
        refuse(R.NEGATIVE_WITH_IMAGE, "negative_prompt is not supported with an image")
    kind = choice(body, "image_reference", ("subject", "face"))
    if kind is not None:
        if kind not in model.image_references:
            refuse(R.IMAGE_REFERENCE, f"image_reference is not supported by {model.model}")
        if not reference:
            refuse(R.IMAGE_REFERENCE, "image_reference needs an image")
    number(body, "image_fidelity", 0, 1)
    if number(body, "human_fidelity", 0, 1) is not None and kind != "subject":
        refuse(R.HUMAN_FIDELITY, "human_fidelity is only for image_reference 'subject'")
    _resolution(model, body, ("1k", "2k"))
    aspect_ratio(model, body, documented=RATIOS_IMAGE)
    element_count = elements(body, lookup, model)
    if element_count + reference > model.max_elements and element_count:
        refuse(
            R.IMAGE_REFERENCES,
            f"element_list and image can hold at most {model.max_elements} together",
        )
    return _plan(model, _n(body))


def _series_count(model: LegacyModel, body: Mapping[str, Any]) -> int:
    """How many images a series makes: ``series_amount`` 2-9 or ``"auto"`` (default 4)."""
    if not model.series:
        refuse(R.OMNI_IMAGE_SERIES, f"result_type 'series' is not supported by {model.model}")
    amount = body.get("series_amount", SERIES_DEFAULT)
    if amount == "auto":
        return SERIES_AUTO_COUNT
    if type(amount) is int and 2 <= amount <= MAX_N:
        return amount
    refuse(
        R.OMNI_IMAGE_SERIES,
        f"series_amount '{shown(amount)}' is invalid; result_type 'series' needs "
        "series_amount 2 to 9 or 'auto'",
    )
    return SERIES_DEFAULT


def omni_image(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/images/omni-image`` (the omni image page, above)."""
    model = resolve("omni_image", "/v1/images/omni-image", body)
    prompt(body, required=True)
    listed_images = items(body, "image_list")
    for index, item in enumerate(listed_images):
        image(item, "image", path=f"image_list[{index}].image", required=True)
    element_count = elements(body, lookup, model)
    if len(listed_images) + element_count > model.max_images:
        refuse(
            R.IMAGE_REFERENCES,
            f"image_list and element_list can hold at most {model.max_images} items together",
        )
    _resolution(model, body, ("1k", "2k", "4k"))
    ratio = aspect_ratio(model, body, None)
    if ratio == "auto" and model.auto_needs_refs and not (listed_images or element_count):
        refuse(
            R.OMNI_IMAGE_AUTO,
            f"aspect_ratio 'auto' needs images in image_list or element_list on {model.model}; "
            "without them choose an aspect_ratio",
        )
    n = _n(body)
    result_type = choice(body, "result_type", ("single", "series")) or "single"
    if result_type == "single":
        if present(body, "series_amount"):
            refuse(R.OMNI_IMAGE_UNUSED, "series_amount needs result_type 'series'")
        return _plan(model, n, result_type="single")
    if n != 1:
        refuse(
            R.OMNI_IMAGE_UNUSED,
            "n cannot be used with result_type 'series': series_amount sets the count",
        )
    return _plan(model, _series_count(model, body), result_type="series")


def multi_image_to_image(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/images/multi-image2image`` (the multi-image to image page, above)."""
    model = resolve("multi_image_to_image", "/v1/images/multi-image2image", body)
    prompt(body)
    subjects = items(body, "subject_image_list", least=1, most=model.max_images)
    for index, item in enumerate(subjects):
        path = f"subject_image_list[{index}].subject_image"
        image(item, "subject_image", path=path, required=True)
    image(body, "scene_image")
    image(body, "style_image")
    aspect_ratio(model, body)
    return _plan(model, _n(body))


def image_expand(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/images/editing/expand``: the expanded area stays within 3x the original."""
    image(body, "image", required=True)
    ratios = {side: number(body, f"{side}_expansion_ratio", 0, 2) or 0.0 for side in _RATIOS}
    area = (1 + ratios["up"] + ratios["down"]) * (1 + ratios["left"] + ratios["right"])
    if area > MAX_EXPANSION_AREA + 1e-9:
        refuse(
            R.IMAGE_EXPAND,
            f"the expanded image would be {area:g}x the original's area; "
            "(1 + up + down) x (1 + left + right) must be at most 3",
        )
    prompt(body)
    return Plan({}, _n(body))


def virtual_try_on(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/images/kolors-virtual-try-on``: one image per task."""
    model = resolve("virtual_try_on", "/v1/images/kolors-virtual-try-on", body)
    image(body, "human_image", required=True)
    image(body, "cloth_image", required=True)
    return _plan(model, 1)
