"""The rules that tie fields together, and :func:`validate`, the one entry point (Kling's pages
for each model, cited with the fake's model table).

Field-by-field checks live in :mod:`.fields`; here are the combinations: frames and
resolution, audio and voices, and the omni-video reference matrices.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from .. import _rulebook as R
from .context import Accepted, Catalogue
from .fields import (
    bad_type,
    check_contents,
    check_options,
    check_settings,
    object_field,
    rate_for,
    refuse,
    refuse_value,
)
from .models import StandardModel

_DEFAULT_DURATION = 5


def _check_prompt(model: StandardModel, prompt: Any) -> None:
    if prompt is not None and not isinstance(prompt, str):
        bad_type("prompt", "string")
    elif not prompt or not prompt.strip():
        refuse(R.STANDARD_FIELDS, "prompt cannot be empty")
    elif len(prompt) > model.prompt_max:
        refuse(R.STANDARD_PROMPT, f"prompt length cannot exceed {model.prompt_max}")


def _check_frames_and_audio(
    model: StandardModel, chosen: Mapping[str, Any], types: Counter[str]
) -> None:
    resolution, audio = chosen["resolution"], chosen.get("audio")
    first_and_last = bool(types["first_frame"] and types["last_frame"])
    rule = R.STANDARD_COMBINATIONS
    if model.audio_needs_1080p and audio == "native" and resolution != "1080p":
        refuse_value(rule, "settings.resolution", resolution, "native audio needs 1080p")
    if first_and_last and model.first_last_needs_1080p and resolution != "1080p":
        refuse_value(rule, "settings.resolution", resolution, "first and last frames need 1080p")
    if first_and_last and model.first_last_silent and audio == "native":
        refuse_value(rule, "settings.audio", audio, "first and last frames need a silent video")
    if types["voice"] and audio == "off":
        refuse(rule, "content item of type 'voice' needs settings.audio 'native'")


def _check_omni_videos(
    model: StandardModel,
    settings: Mapping[str, Any],
    chosen: Mapping[str, Any],
    types: Counter[str],
) -> None:
    videos = types["feature_video"] + types["base_video"]
    audio = chosen["audio"]
    rule = R.STANDARD_OMNI_VIDEOS
    if videos > 1:
        refuse(rule, "contents can hold at most one video")
    if not types["first_frame"] and not videos and settings.get("aspect_ratio") is None:
        refuse(
            R.STANDARD_OMNI_ASPECT,
            "settings.aspect_ratio cannot be empty without a first_frame or a reference video",
        )
    if audio == "original" and not videos:
        refuse(rule, "audio mode 'original' is not supported by the current model")
    if types["base_video"]:
        for frame in ("first_frame", "last_frame"):
            if types[frame]:
                refuse(rule, f"content item of type '{frame}' cannot be used with a base_video")
        if chosen.get("multi_shot"):
            refuse_value(rule, "settings.multi_shot", True, "a base_video needs false")
        if audio == "native":
            refuse_value(rule, "settings.audio", audio, "not with a base_video")
    if types["feature_video"]:
        if model.canonical == "kling-o1":
            if types["last_frame"]:
                refuse(
                    rule, "content item of type 'last_frame' cannot be used with a feature_video"
                )
        else:
            if audio != "off":
                refuse_value(rule, "settings.audio", audio, "a feature_video needs 'off'")
            if not chosen["multi_shot"]:
                refuse_value(
                    R.FEATURE_MULTI_SHOT,
                    "settings.multi_shot",
                    False,
                    "a feature_video needs true",
                )


def _check_omni_counts(
    model: StandardModel,
    chosen: Mapping[str, Any],
    items: list[dict[str, Any]],
    types: Counter[str],
    catalogue: Catalogue,
) -> None:
    with_video = bool(types["feature_video"] + types["base_video"])
    refer = types["refer_image"]
    characters = sum(catalogue.elements[i["element_id"]] for i in items if i["type"] == "element")
    multi = types["element"] - characters
    video_note = " with a reference video" if with_video else ""
    rule = R.STANDARD_OMNI_COUNTS
    if model.canonical == "kling-o1":  # video characters were refused item by item
        if types["first_frame"] and types["last_frame"] and (refer or multi):
            refuse(
                rule,
                "content items of type 'refer_image' and 'element' cannot be used with "
                "first and last frames",
            )
        limit = 4 if with_video else 7
        if refer + multi > limit:
            refuse(
                rule,
                f"contents can hold at most {limit} refer_image and element items{video_note}",
            )
        # A last frame, like a reference image, an element or a video, allows 3-10 s.
        plain = not (refer or multi or with_video or types["last_frame"])
        if plain and chosen["duration"] not in model.plain_durations:
            refuse_value(
                R.STANDARD_O1_DURATIONS,
                "settings.duration",
                chosen["duration"],
                "5 or 10 with a prompt or a first_frame alone",
            )
        return
    if types["first_frame"] and types["element"] > 3:
        refuse(rule, "contents can hold at most 3 elements with a first_frame")
    if with_video and characters:
        if refer or multi:
            refuse(
                rule,
                "video character elements cannot be mixed with refer_image or multi-image "
                "elements with a reference video",
            )
        if characters > 1:
            refuse(
                rule, "contents can hold at most 1 video character element with a reference video"
            )
        return
    if characters > 3:
        refuse(rule, "contents can hold at most 3 video character elements")
    limit = 4 if with_video or characters else 7
    if refer + multi > limit:
        note = video_note or (" with video character elements" if characters else "")
        refuse(rule, f"contents can hold at most {limit} refer_image and element items{note}")


def validate(model: StandardModel, body: Mapping[str, Any], catalogue: Catalogue) -> Accepted:
    """Check a create body for ``model``; :class:`ApiError` 1201 names the first fault."""
    settings = object_field(body, "settings")
    check_options(object_field(body, "options"))
    items: list[dict[str, Any]] = []
    if model.product == "text-to-video":
        _check_prompt(model, body.get("prompt"))
    else:
        items = check_contents(model, body, catalogue)
    chosen = check_settings(model, settings)
    types = Counter(item["type"] for item in items)
    _check_frames_and_audio(model, chosen, types)
    if model.product == "omni-video":
        _check_omni_videos(model, settings, chosen, types)
        _check_omni_counts(model, chosen, items, types, catalogue)
    duration = chosen.get("duration", _DEFAULT_DURATION)
    return Accepted(chosen, items, duration, rate_for(model, chosen, items))
