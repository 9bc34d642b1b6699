"""Checks against the legacy model table: ``model_name``, and each capability a model may lack.

Every refusal names the model and what it supports, e.g. ``Invalid parameter: duration '7' is
not supported by kling-v1; kling-v1 supports duration '5' or '10'``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..._evidence import Rule
from .. import _rulebook as R
from .._envelope import ApiError
from .context import Lookup
from .fields import (
    boolean,
    choice,
    items,
    listed,
    number,
    obj,
    present,
    refuse,
    shown,
    string,
)
from .models import (
    CAMERA_TYPES,
    LEGACY_DEFAULT_MODELS,
    LEGACY_MODELS,
    Combo,
    LegacyModel,
    legacy_model,
)

DEFAULT_DURATION = "5"
_SHOT_PROMPT_MAX = 512
_MAX_SHOTS = 6
_CAMERA_AXES = ("horizontal", "vertical", "pan", "tilt", "roll", "zoom")


def resolve(
    family: str, path: str, body: Mapping[str, Any], *, alias: str | None = None
) -> LegacyModel:
    """The model a create asks for; an unknown ``model_name`` is 404/1203, as Kling's error codes
    have it: https://github.com/aself101/kling-api/blob/main/docs/api/kling-get-started-error-codes.md
    """
    raw = body.get("model_name")
    if raw is None and alias is not None:
        raw = body.get(alias)
    if raw is not None and not isinstance(raw, str):
        refuse(R.LEGACY_FIELDS, "model_name must be a string")
        raw = None
    model = legacy_model(family, raw)
    if model is None:
        known = listed(tuple(LEGACY_MODELS[family]))
        R.enforce(
            R.LEGACY_MODEL,
            ApiError(
                1203,
                f"Requested resource does not exist: model_name '{shown(raw)}' is not a model of "
                f"{path}; it takes {known}",
            ),
        )
        return LEGACY_MODELS[family][LEGACY_DEFAULT_MODELS[family]]
    return model


def combos_text(model: LegacyModel, combos: frozenset[Combo]) -> str:
    """Where a capability works, e.g. ``mode 'pro' with duration '5' or '10'``."""
    if not combos:
        return "nowhere"
    modes = model.modes or ("",)
    if combos == frozenset((m, d) for m in modes for d in model.durations):
        return "every mode and duration"
    parts = []
    for mode in modes:
        durations = [d for d in model.durations if (mode, d) in combos]
        if durations:
            head = f"mode '{mode}' with " if mode else ""
            parts.append(f"{head}duration {listed(durations)}")
    return "; ".join(parts)


def mode(model: LegacyModel, body: Mapping[str, Any], *, required: bool = False) -> str:
    """The mode the task renders in (``""`` for a model without modes)."""
    value = body.get("mode")
    if value is None:
        if required:
            refuse(
                R.LEGACY_FIELDS,
                f"mode is required; {model.model} supports mode {listed(model.modes)}",
            )
        return model.default_mode or ""
    if not isinstance(value, str) or value not in model.modes:
        refuse(
            R.LEGACY_MODE,
            f"mode '{shown(value)}' is not supported by {model.model}; "
            f"{model.model} supports mode {listed(model.modes)}",
        )
        return model.default_mode or ""
    return value


def duration(model: LegacyModel, body: Mapping[str, Any]) -> str:
    """The ``duration`` string (default ``"5"``)."""
    value = body.get("duration")
    if value is None:
        return DEFAULT_DURATION
    if not isinstance(value, str):
        refuse(R.LEGACY_FIELDS, f"duration must be a string such as '5', got {shown(value)}")
        return DEFAULT_DURATION
    if value not in model.durations:
        refuse(
            R.LEGACY_DURATION,
            f"duration '{shown(value)}' is not supported by {model.model}; "
            f"{model.model} supports duration {listed(model.durations)}",
        )
        return DEFAULT_DURATION
    return value


def aspect_ratio(
    model: LegacyModel,
    body: Mapping[str, Any],
    default: str | None = "16:9",
    *,
    documented: tuple[str, ...] = (),
) -> str | None:
    """The ``aspect_ratio`` (``default`` when omitted, or where the output follows the input);
    one of the family's ``documented`` values, when given, whatever the model."""
    value = body.get("aspect_ratio")
    if value is None:
        return default
    if documented and (not isinstance(value, str) or value not in documented):
        refuse(
            R.LEGACY_FIELDS,
            f"aspect_ratio '{shown(value)}' is invalid; it must be {listed(documented)}",
        )
        return default
    if not model.aspect_ratios:
        refuse(
            R.FOLLOWS_INPUT,
            f"aspect_ratio is not supported by {model.model} here: "
            "the output follows the input image",
        )
        return default
    if not isinstance(value, str) or value not in model.aspect_ratios:
        refuse(
            R.LEGACY_ASPECT_RATIO,
            f"aspect_ratio '{shown(value)}' is not supported by {model.model}; "
            f"{model.model} supports aspect_ratio {listed(model.aspect_ratios)}",
        )
        return default
    return value


def cfg_scale(model: LegacyModel, body: Mapping[str, Any]) -> None:
    """``cfg_scale`` in [0, 1]; documented for kling-v1.x only."""
    if present(body, "cfg_scale") and not model.cfg_scale:
        refuse(R.LEGACY_CFG_SCALE, f"cfg_scale is not supported by {model.model}")
    number(body, "cfg_scale", 0, 1)


def where(
    rule: Rule, model: LegacyModel, feature: str, combos: frozenset[Combo], combo: Combo
) -> bool:
    """Whether ``feature`` renders in ``combo``; refuses it (``rule``) where it does not."""
    if not combos:
        refuse(rule, f"{feature} is not supported by {model.model}")
        return False
    if combo not in combos:
        mode_text = f"mode '{combo[0]}' with " if combo[0] else ""
        refuse(
            rule,
            f"{feature} is not supported by {model.model} in {mode_text}duration '{combo[1]}'; "
            f"{model.model} supports it in {combos_text(model, combos)}",
        )
        return False
    return True


def feature_rule(model: LegacyModel, feature: str, documented: Rule) -> Rule:
    """``documented``, or the unsettled row when no page covers ``feature`` on this model."""
    return R.UNDOCUMENTED_FEATURE if feature in model.undocumented else documented


def sound(model: LegacyModel, body: Mapping[str, Any], combo: Combo, lookup: Lookup) -> bool:
    """``sound`` and ``voice_list``; whether the video has sound."""
    value = choice(body, "sound", ("on", "off"))
    if value == "off" and not model.sound:
        refuse(R.OFF_VALUES, f"sound is not supported by {model.model}")
    on = value == "on" and where(R.LEGACY_SOUND, model, "sound 'on'", model.sound, combo)
    voices = items(body, "voice_list")
    if voices:
        if not model.max_voices:
            refuse(R.LEGACY_SOUND, f"voice_list is not supported by {model.model}")
        if not on:
            refuse(R.LEGACY_VOICES, "voice_list needs sound 'on'")
        if len(voices) > model.max_voices:
            refuse(
                R.LEGACY_VOICES,
                f"voice_list can hold at most {model.max_voices} voices on {model.model}, "
                f"got {len(voices)}",
            )
        for index, voice in enumerate(voices):
            path = f"voice_list[{index}].voice_id"
            voice_id = string(voice, "voice_id", path=path, required=True)
            if voice_id is not None and not lookup.has_voice(voice_id):
                refuse(R.LEGACY_VOICES, f"{path} '{shown(voice_id)}' does not exist")
    return on


def camera_control(model: LegacyModel, body: Mapping[str, Any], combo: Combo) -> bool:
    """``camera_control``, where the model has it; whether it was sent. Kling documents it with
    text-to-video: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/text-to-video.md
    """
    camera = obj(body, "camera_control")
    if camera is None:
        return False
    rule = feature_rule(model, "camera_control", R.LEGACY_CAMERA)
    where(rule, model, "camera_control", model.camera_control, combo)
    kind = choice(camera, "type", CAMERA_TYPES, path="camera_control.type", required=True)
    if model.camera_types and kind not in model.camera_types:
        refuse(
            rule,
            f"camera_control.type '{kind}' is not supported by {model.model}; "
            f"{model.model} supports camera_control.type {listed(model.camera_types)}",
        )
    config = obj(camera, "config", path="camera_control.config")
    if kind != "simple":
        if config:
            refuse(
                R.CAMERA_CONFIG, f"camera_control.config is only for type 'simple', not '{kind}'"
            )
        return True
    if config is None:
        refuse(R.CAMERA_CONFIG, "camera_control.config is required with type 'simple'")
        return True
    moved = [
        axis
        for axis in _CAMERA_AXES
        if number(config, axis, -10, 10, path=f"camera_control.config.{axis}", rule=R.CAMERA_CONFIG)
    ]
    if len(moved) != 1:
        refuse(
            R.CAMERA_CONFIG,
            "camera_control.config must set exactly one of "
            f"{', '.join(_CAMERA_AXES)} to a non-zero value, got {len(moved)}",
        )
    return True


def elements(
    body: Mapping[str, Any], lookup: Lookup, model: LegacyModel, *, most: int | None = None
) -> int:
    """``element_list[{element_id}]`` of elements the account has; how many."""
    listed_items = items(body, "element_list")
    if not listed_items:
        return 0
    if not model.max_elements:
        refuse(R.LEGACY_ELEMENTS, f"element_list is not supported by {model.model}")
    limit = model.max_elements if most is None else most
    if len(listed_items) > limit:
        refuse(
            R.LEGACY_ELEMENTS,
            f"element_list can hold at most {limit} elements on {model.model}, "
            f"got {len(listed_items)}",
        )
    for index, item in enumerate(listed_items):
        value = item.get("element_id")
        path = f"element_list[{index}].element_id"
        if value is None or value == "":
            refuse(R.LEGACY_FIELDS, f"{path} is required")
        elif isinstance(value, bool) or not isinstance(value, (int, str)):
            refuse(R.LEGACY_FIELDS, f"{path} must be an element id (a number)")
        elif isinstance(value, str) and not value.isdigit():
            refuse(R.LEGACY_ELEMENTS, f"{path} '{shown(value)}' is not an element id (a number)")
        elif not lookup.has_element(str(value)):
            refuse(R.LEGACY_ELEMENTS, f"{path} {value} does not exist")
    return len(listed_items)


def multi_shot(model: LegacyModel, body: Mapping[str, Any], total: str) -> str | None:
    """``multi_shot`` / ``shot_type`` / ``multi_prompt``; the shot type when multi-shot is on."""
    flag = boolean(body, "multi_shot")
    if flag is not None and not model.multi_shot:
        rule = R.LEGACY_MULTI_SHOT if flag else R.OFF_VALUES
        refuse(rule, f"multi_shot is not supported by {model.model}")
        flag = False
    if not flag:
        for name in ("shot_type", "multi_prompt"):
            if present(body, name):
                refuse(R.STRAY_SHOT_FIELDS, f"{name} needs multi_shot true")
        return None
    kind = choice(body, "shot_type", ("customize", "intelligence"), required=True)
    if kind == "intelligence":
        if present(body, "multi_prompt"):
            refuse(
                R.LEGACY_MULTI_SHOT,
                "multi_prompt is for shot_type 'customize', not 'intelligence'",
            )
        return kind
    shots = items(body, "multi_prompt", least=1, most=_MAX_SHOTS, rule=R.LEGACY_MULTI_SHOT)
    seconds = 0
    for index, shot in enumerate(shots):
        path = f"multi_prompt[{index}]"
        number(shot, "index", 0, 1_000, path=f"{path}.index", required=True, integer=True)
        string(
            shot,
            "prompt",
            path=f"{path}.prompt",
            required=True,
            limit=_SHOT_PROMPT_MAX,
            rule=R.LEGACY_MULTI_SHOT,
        )
        length = string(shot, "duration", path=f"{path}.duration", required=True) or ""
        if not length.isdigit() or int(length) < 1:
            refuse(
                R.LEGACY_MULTI_SHOT,
                f"{path}.duration '{shown(length)}' must be whole seconds, at least '1'",
            )
            continue
        seconds += int(length)
    if seconds != int(total):
        refuse(
            R.LEGACY_MULTI_SHOT,
            f"multi_prompt durations add up to {seconds} s, but duration is '{total}': "
            "they must be equal",
        )
    return kind
