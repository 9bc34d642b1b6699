"""Validation of new-standard create bodies against the fake's model table (which
cites Kling's pages).

Every refusal is 400/1201 with a message that names the field path the way Kling's do
(``settings.resolution value '9000p' is invalid``). Keys the model does not know are ignored, as
Kling ignores them; a field the *product* has but the *model* lacks (``audio`` on 3.0-turbo,
``multi_shot`` on 2.6) is refused, because silently dropping it would hide a client bug.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

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


def wrong_type(path: str, expected: str) -> ApiError:
    """``<path> value type is invalid, expected <expected>``."""
    return ApiError(1201, f"{path} value type is invalid, expected {expected}")


def _refuse(message: str) -> ApiError:
    return ApiError(1201, message)


def object_field(body: Mapping[str, Any], name: str) -> dict[str, Any]:
    """``body[name]`` as an object (``{}`` when absent or null)."""
    value = body.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise wrong_type(name, "object")
    return value


def _text(value: Any) -> str | None:
    """``value`` if it is a non-blank string, else ``None``."""
    return value if isinstance(value, str) and value.strip() else None


def check_options(options: Mapping[str, Any]) -> None:
    """``options.callback_url``, ``external_task_id`` (strings) and ``watermark_info``."""
    for name in ("callback_url", "external_task_id"):
        if options.get(name) is not None and not isinstance(options[name], str):
            raise wrong_type(f"options.{name}", "string")
    watermark = options.get("watermark_info")
    if watermark is None:
        return
    if not isinstance(watermark, dict):
        raise wrong_type("options.watermark_info", "object")
    enabled = watermark.get("enabled")
    if enabled is not None and not isinstance(enabled, bool):
        raise invalid("options.watermark_info.enabled", enabled)


# ---------------------------------------------------------------------------------- contents


def _check_item(
    model: StandardModel, index: int, item: Any, catalogue: Catalogue
) -> dict[str, Any]:
    path = f"contents[{index}]"
    if not isinstance(item, dict):
        raise wrong_type(path, "object")
    kind = item.get("type")
    if kind is None or kind == "":
        raise _refuse(f"{path}.type cannot be empty")
    if not isinstance(kind, str) or kind not in CONTENT_TYPES:
        raise invalid(f"{path}.type", kind)
    if kind not in model.contents:
        raise _refuse(f"content item of type '{kind}' is not supported by the current model")
    if kind == "prompt":
        text = _text(item.get("text"))
        if text is None:
            raise _refuse("content item of type 'prompt' must have non-blank text")
        if len(text) > model.prompt_max:
            raise _refuse(
                f"content item of type 'prompt' text length cannot exceed {model.prompt_max}"
            )
    elif kind in IMAGE_TYPES or kind in VIDEO_TYPES:
        url = _text(item.get("url"))
        if url is None:
            raise _refuse(f"content item of type '{kind}' must have a non-blank url")
        if kind in VIDEO_TYPES:
            if not video_ok(url):
                raise _refuse("Video URL is invalid")
        else:
            problem = image_problem(url)
            if problem is not None:
                raise invalid(f"{path}.url", url, problem)
    else:  # element or voice: a library id, and an alias the prompt refers to as @id
        _check_reference(kind, index, item, catalogue, model)
    return item


def _check_reference(
    kind: str, index: int, item: dict[str, Any], catalogue: Catalogue, model: StandardModel
) -> None:
    key = f"{kind}_id"
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        raise wrong_type(f"contents[{index}].{key}", "string")
    if not value or not value.strip():
        raise _refuse(f"Invalid {kind} id: {value or ''}")
    if kind == "element":
        if value not in catalogue.elements:
            raise _refuse(f"Element id not found: {value}")
        if catalogue.elements[value] and not model.video_characters:
            raise _refuse(
                f"Element id {value} is a video character element, "
                "which the current model does not support"
            )
    elif value not in catalogue.voices:
        raise _refuse(f"Voice id not found: {value}")
    if _text(item.get("id")) is None:
        raise _refuse(f"content item of type '{kind}' must have a non-blank id")


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
            raise wrong_type(f"contents[{index}].id", "string")
        if alias in seen:
            raise invalid(f"contents[{index}].id", alias, "ids must be unique within a task")
        seen.add(alias)


def check_contents(
    model: StandardModel, body: Mapping[str, Any], catalogue: Catalogue
) -> list[dict[str, Any]]:
    """The ``contents`` array, item by item, then counts and the frame rule."""
    raw = body.get("contents")
    if raw is None or raw == []:
        raise _refuse("contents cannot be empty")
    if not isinstance(raw, list):
        raise wrong_type("contents", "array")
    items = [_check_item(model, index, item, catalogue) for index, item in enumerate(raw)]
    _check_ids(model, items)
    counts = Counter(item["type"] for item in items)
    for kind, most in model.contents.items():
        if counts[kind] > most:
            raise _refuse(f"contents can hold at most {most} item(s) of type '{kind}'")
    for kind in model.required:
        if not counts[kind]:
            raise _refuse(f"content item of type '{kind}' is required")
    if counts["last_frame"] and not counts["first_frame"]:
        raise _refuse("content item of type 'last_frame' requires a first_frame")
    return items


# ---------------------------------------------------------------------------------- settings


def _enum(settings: Mapping[str, Any], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = settings.get(name)
    if value is None:
        return default
    if not isinstance(value, str) or value not in allowed:
        raise invalid(f"settings.{name}", value)
    return value


def check_settings(model: StandardModel, settings: Mapping[str, Any]) -> dict[str, Any]:
    """Each setting the model has, with its default; fields the model lacks are refused."""
    chosen: dict[str, Any] = {
        "resolution": _enum(settings, "resolution", model.resolutions, model.resolutions[0])
    }
    if model.aspect_ratios:
        chosen["aspect_ratio"] = _enum(settings, "aspect_ratio", model.aspect_ratios, "16:9")
    if model.durations:
        duration = settings.get("duration", _DEFAULT_DURATION)
        if type(duration) is not int or duration not in model.durations:  # 5.0, "5", True: no
            raise invalid("settings.duration", duration)
        chosen["duration"] = duration
    audio = settings.get("audio")
    if audio is not None:
        if not isinstance(audio, str) or audio not in AUDIO_MODES:
            raise invalid("settings.audio", audio)
        if audio not in model.audio:
            raise _refuse(f"audio mode '{audio}' is not supported by the current model")
    if model.audio:
        chosen["audio"] = audio if audio is not None else model.default_audio
    multi_shot = settings.get("multi_shot")
    if multi_shot is not None and not model.multi_shot and model.product in MULTI_SHOT_PRODUCTS:
        raise _refuse("settings.multi_shot is not supported by the current model")
    if model.multi_shot:
        if multi_shot is not None and not isinstance(multi_shot, bool):
            raise invalid("settings.multi_shot", multi_shot)
        chosen["multi_shot"] = True if multi_shot is None else multi_shot
    if model.orientations:
        orientation = settings.get("character_orientation")
        if orientation is None or orientation == "":
            raise _refuse("settings.character_orientation cannot be empty")
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
