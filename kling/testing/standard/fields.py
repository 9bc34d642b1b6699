"""Validation of new-standard create bodies against the fake's model table (which
cites Kling's pages).

Every refusal is 400/1201 with a message that names the field path the way Kling's do
(``settings.resolution value '9000p' is invalid``), and names its row of
:mod:`kling.testing._rulebook`, whose kind decides whether it is refused. Keys the model does not
know are ignored, as Kling ignores them: a field the *product* has but the *model's* page lacks
(``audio`` on 3.0-turbo, ``multi_shot`` on 2.6) too (``fake.standard.undocumented_setting``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..._evidence import Rule
from .. import _rulebook as R
from .._envelope import ApiError
from .context import Catalogue
from .media import image_problem, video_ok
from .models import (
    CONTENT_TYPES,
    IMAGE_TYPES,
    MULTI_SHOT_PRODUCTS,
    VIDEO_TYPES,
    RateKind,
    StandardModel,
)

AUDIO_MODES = ("native", "original", "off")
PRODUCT_AUDIO: Mapping[str, tuple[str, ...]] = {
    "text-to-video": ("native", "off"),
    "image-to-video": ("native", "off"),
    "omni-video": AUDIO_MODES,
    "motion-control": AUDIO_MODES,
}
"""``settings.audio`` values a product's validator takes: the text- and image-to-video pages list
``native`` and ``off`` only (a model's own values are checked after)."""
_DEFAULT_DURATION = 5
_OPTIONAL_ID_TYPES = IMAGE_TYPES | VIDEO_TYPES


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def invalid(path: str, value: Any, why: str = "") -> ApiError:
    """``<path> value '<value>' is invalid`` (plus the fake's reason, when it has one)."""
    return ApiError(
        1201, f"{path} value '{_shown(value)}' is invalid" + (f", {why}" if why else "")
    )


def refuse(rule: Rule, message: str) -> None:
    """400/1201 ``message`` when ``rule`` is a limit; otherwise return, as Kling takes it."""
    R.enforce(rule, ApiError(1201, message))


def refuse_value(rule: Rule, path: str, value: Any, why: str = "") -> None:
    """:func:`invalid` when ``rule`` is a limit; otherwise return, as Kling takes it."""
    R.enforce(rule, invalid(path, value, why))


def wrong_type(path: str, expected: str) -> ApiError:
    """``<path> value type is invalid, expected <expected>``."""
    return ApiError(1201, f"{path} value type is invalid, expected {expected}")


def bad_type(path: str, expected: str) -> None:
    """Refuse a field of the wrong JSON type (``fake.standard.fields``)."""
    R.enforce(R.STANDARD_FIELDS, wrong_type(path, expected))


def object_field(body: Mapping[str, Any], name: str) -> dict[str, Any]:
    """``body[name]`` as an object (``{}`` when absent or null)."""
    value = body.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        bad_type(name, "object")
        return {}
    return value


def _text(value: Any) -> str | None:
    """``value`` if it is a non-blank string, else ``None``."""
    return value if isinstance(value, str) and value.strip() else None


def check_options(options: Mapping[str, Any]) -> None:
    """``options.callback_url``, ``external_task_id`` (strings) and ``watermark_info``."""
    for name in ("callback_url", "external_task_id"):
        if options.get(name) is not None and not isinstance(options[name], str):
            bad_type(f"options.{name}", "string")
    watermark = options.get("watermark_info")
    if watermark is None:
        return
    if not isinstance(watermark, dict):
        bad_type("options.watermark_info", "object")
        return
    enabled = watermark.get("enabled")
    if enabled is not None and not isinstance(enabled, bool):
        refuse_value(R.STANDARD_FIELDS, "options.watermark_info.enabled", enabled)


# ---------------------------------------------------------------------------------- contents


def _check_item(
    model: StandardModel, index: int, item: Any, catalogue: Catalogue
) -> dict[str, Any] | None:
    """The item, or ``None`` when a rule that let it through leaves nothing to count."""
    path = f"contents[{index}]"
    if not isinstance(item, dict):
        bad_type(path, "object")
        return None
    kind = item.get("type")
    if kind is None or kind == "":
        refuse(R.STANDARD_FIELDS, f"{path}.type cannot be empty")
        return None
    if not isinstance(kind, str) or kind not in CONTENT_TYPES:
        refuse_value(R.STANDARD_FIELDS, f"{path}.type", kind)
        return None
    if kind not in model.contents:
        refuse(
            R.STANDARD_CONTENTS,
            f"content item of type '{kind}' is not supported by the current model",
        )
        return None
    if kind == "prompt":
        text = _text(item.get("text"))
        if text is None:
            refuse(R.STANDARD_FIELDS, "content item of type 'prompt' must have non-blank text")
        elif len(text) > model.prompt_max:
            refuse(
                R.STANDARD_PROMPT,
                f"content item of type 'prompt' text length cannot exceed {model.prompt_max}",
            )
    elif kind in IMAGE_TYPES or kind in VIDEO_TYPES:
        url = _text(item.get("url"))
        if url is None:
            refuse(R.STANDARD_FIELDS, f"content item of type '{kind}' must have a non-blank url")
        elif kind in VIDEO_TYPES:
            if not video_ok(url):
                refuse(R.STANDARD_MEDIA, "Video URL is invalid")
        else:
            problem = image_problem(url)
            if problem is not None:
                refuse_value(R.STANDARD_MEDIA, f"{path}.url", url, problem)
    elif not _check_reference(kind, index, item, catalogue, model):
        # element or voice: a library id, and an alias the prompt refers to as @id
        return None
    return item


def _check_reference(
    kind: str, index: int, item: dict[str, Any], catalogue: Catalogue, model: StandardModel
) -> bool:
    """Whether the item names an element or voice of the account (the counts read it)."""
    key = f"{kind}_id"
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        bad_type(f"contents[{index}].{key}", "string")
        return False
    if not value or not value.strip():
        refuse(R.STANDARD_FIELDS, f"Invalid {kind} id: {value or ''}")
        return False
    if kind == "element":
        if value not in catalogue.elements:
            refuse(R.STANDARD_REFERENCES, f"Element id not found: {value}")
            return False
        if catalogue.elements[value] and not model.video_characters:
            refuse(
                R.STANDARD_REFERENCES,
                f"Element id {value} is a video character element, "
                "which the current model does not support",
            )
    elif value not in catalogue.voices:
        refuse(R.STANDARD_REFERENCES, f"Voice id not found: {value}")
    if _text(item.get("id")) is None:
        refuse(R.STANDARD_FIELDS, f"content item of type '{kind}' must have a non-blank id")
    return True


def _check_ids(model: StandardModel, items: list[dict[str, Any]]) -> None:
    """Aliases (``id``) are strings, unique within the task."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        kind = item["type"]
        documented = kind in ("element", "voice") or (
            model.product == "omni-video" and kind in _OPTIONAL_ID_TYPES
        )
        alias = item.get("id")
        if not documented or alias is None:
            continue
        if not isinstance(alias, str):
            bad_type(f"contents[{index}].id", "string")
            continue
        if alias in seen:
            refuse_value(
                R.STANDARD_REFERENCES,
                f"contents[{index}].id",
                alias,
                "ids must be unique within a task",
            )
        seen.add(alias)


def check_contents(
    model: StandardModel, body: Mapping[str, Any], catalogue: Catalogue
) -> list[dict[str, Any]]:
    """The ``contents`` array, item by item, then counts and the frame rule."""
    raw = body.get("contents")
    if raw is None or raw == []:
        refuse(R.STANDARD_FIELDS, "contents cannot be empty")
        raw = []
    if not isinstance(raw, list):
        bad_type("contents", "array")
        raw = []
    checked = [_check_item(model, index, item, catalogue) for index, item in enumerate(raw)]
    items = [item for item in checked if item is not None]
    _check_ids(model, items)
    counts = Counter(item["type"] for item in items)
    for kind, most in model.contents.items():
        if counts[kind] > most:
            refuse(
                R.STANDARD_CONTENTS, f"contents can hold at most {most} item(s) of type '{kind}'"
            )
    for kind in model.required:
        if not counts[kind]:
            refuse(R.STANDARD_CONTENTS, f"content item of type '{kind}' is required")
    if counts["last_frame"] and not counts["first_frame"]:
        refuse(R.STANDARD_CONTENTS, "content item of type 'last_frame' requires a first_frame")
    return items


# ---------------------------------------------------------------------------------- settings


def _enum(settings: Mapping[str, Any], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = settings.get(name)
    if value is None:
        return default
    if not isinstance(value, str) or value not in allowed:
        refuse_value(R.STANDARD_SETTINGS, f"settings.{name}", value)
        return default
    return value


def check_settings(model: StandardModel, settings: Mapping[str, Any]) -> dict[str, Any]:
    """Each setting the model has, with its default; fields its page lacks are ignored."""
    chosen: dict[str, Any] = {
        "resolution": _enum(settings, "resolution", model.resolutions, model.resolutions[0])
    }
    if model.aspect_ratios:
        chosen["aspect_ratio"] = _enum(settings, "aspect_ratio", model.aspect_ratios, "16:9")
    if model.durations:
        duration = settings.get("duration", _DEFAULT_DURATION)
        if type(duration) is not int or duration not in model.durations:  # 5.0, "5", True: no
            refuse_value(R.STANDARD_SETTINGS, "settings.duration", duration)
            duration = _DEFAULT_DURATION
        chosen["duration"] = duration
    audio = settings.get("audio")
    if audio is not None:
        if not isinstance(audio, str) or audio not in PRODUCT_AUDIO[model.product]:
            refuse_value(R.STANDARD_SETTINGS, "settings.audio", audio)
            audio = None
        elif not model.audio:
            refuse(R.UNDOCUMENTED_SETTING, "settings.audio is not supported by the current model")
            audio = None
        elif audio not in model.audio:
            refuse(
                R.STANDARD_SETTINGS, f"audio mode '{audio}' is not supported by the current model"
            )
            audio = None
    if model.audio:
        chosen["audio"] = audio if audio is not None else model.default_audio
    multi_shot = settings.get("multi_shot")
    if multi_shot is not None and not model.multi_shot and model.product in MULTI_SHOT_PRODUCTS:
        refuse(R.UNDOCUMENTED_SETTING, "settings.multi_shot is not supported by the current model")
    if model.multi_shot:
        if multi_shot is not None and not isinstance(multi_shot, bool):
            refuse_value(R.STANDARD_FIELDS, "settings.multi_shot", multi_shot)
            multi_shot = None
        chosen["multi_shot"] = True if multi_shot is None else multi_shot
    if model.orientations:
        orientation = settings.get("character_orientation")
        if orientation is None or orientation == "":
            refuse(R.STANDARD_FIELDS, "settings.character_orientation cannot be empty")
        chosen["character_orientation"] = _enum(
            settings, "character_orientation", model.orientations, ""
        )
    return chosen


def rate_for(
    model: StandardModel, chosen: Mapping[str, Any], items: list[dict[str, Any]]
) -> Decimal:
    """Units per second for this combination, from Kling's video prices:
    https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-video.md
    """
    types = {item["type"] for item in items}
    kind: RateKind = "base"
    if types & {"feature_video", "base_video"} and "video" in model.rates:
        kind = "video"
    elif "voice" in types and "voice" in model.rates:
        kind = "voice"
    elif chosen.get("audio") == "native" and "audio" in model.rates:
        kind = "audio"
    resolution = chosen["resolution"]
    price = model.rates[kind].get(resolution) or model.rates["base"][resolution]
    return Decimal(price)
