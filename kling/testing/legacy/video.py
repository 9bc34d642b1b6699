"""Legacy video creates with a ``model_name``, and video extension.

Sources, Kling's pages (the legacy video pages as copied in early 2026):

* text-to-video: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/text-to-video.md
* image-to-video: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/image-to-video.md
* multi-image to video: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/multi-image-to-video.md
* video extension: https://github.com/enso-ai/kling-api-wrapper/blob/c666e8d1ac2c/api-docs/kling_video_extension_docs.md
* motion control: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/motion-control.md
* omni video: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/omni-video-o1.md
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .capabilities import (
    aspect_ratio,
    camera_control,
    cfg_scale,
    duration,
    elements,
    mode,
    multi_shot,
    resolve,
    sound,
)
from .context import INPUT_MAX_AGE_MS, Lookup, Plan
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
    string,
    video_url,
)
from .models import LEGACY_MODELS, LegacyModel

MAX_TOTAL_SECONDS = 180
"""An extended video is at most 3 minutes long (the video extension page, above)."""
EXTENSION_SECONDS = 5
"""Each extension adds 4-5 s (the video extension page); the fake adds the upper bound."""
EXTENDABLE_FAMILIES = ("text_to_video", "image_to_video", "video_extend")
_MAX_MASKS = 6
_TRAJECTORY_POINTS = (2, 77)


def seconds_text(seconds: float) -> str:
    """Seconds as Kling writes a duration: ``"5"``, ``"5.041"``."""
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:.3f}".rstrip("0")


def _plan(model: LegacyModel, chosen_mode: str, chosen_duration: str | None) -> Plan:
    details: dict[str, Any] = {"model_name": model.model, "mode": chosen_mode}
    if chosen_duration is not None:
        details["duration"] = chosen_duration
    return Plan(details)


def text_to_video(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/videos/text2video``."""
    model = resolve("text_to_video", "/v1/videos/text2video", body)
    chosen_mode, chosen = mode(model, body), duration(model, body)
    combo = (chosen_mode, chosen)
    shots = multi_shot(model, body, chosen)
    prompt(body, required=shots != "customize")
    aspect_ratio(model, body)
    cfg_scale(model, body)
    sound(model, body, combo, lookup)
    camera_control(model, body, combo)
    return _plan(model, chosen_mode, chosen)


def _masks(model: LegacyModel, body: Mapping[str, Any], combo: tuple[str, str]) -> bool:
    if not (present(body, "static_mask") or present(body, "dynamic_masks")):
        return False
    if not model.motion_brush:
        raise refuse(f"static_mask and dynamic_masks are not supported by {model.model}")
    if combo not in model.motion_brush:
        raise refuse(
            f"static_mask and dynamic_masks are not supported by {model.model} in mode "
            f"'{combo[0]}' with duration '{combo[1]}'"
        )
    image(body, "static_mask")
    low, high = _TRAJECTORY_POINTS
    for index, group in enumerate(items(body, "dynamic_masks", most=_MAX_MASKS)):
        path = f"dynamic_masks[{index}]"
        image(group, "mask", path=f"{path}.mask", required=True)
        points = items(group, "trajectories", path=f"{path}.trajectories", least=low, most=high)
        for at, point in enumerate(points):
            for axis in ("x", "y"):
                number(
                    point,
                    axis,
                    -1e9,
                    1e9,
                    path=f"{path}.trajectories[{at}].{axis}",
                    required=True,
                    integer=True,
                )
    return True


def image_to_video(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/videos/image2video``: a first frame is required (tail-only is refused)."""
    model = resolve("image_to_video", "/v1/videos/image2video", body)
    image(body, "image", required=True)
    chosen_mode, chosen = mode(model, body), duration(model, body)
    combo = (chosen_mode, chosen)
    shots = multi_shot(model, body, chosen)
    prompt(body, required=shots == "intelligence")
    aspect_ratio(model, body, None)
    cfg_scale(model, body)
    with_sound = sound(model, body, combo, lookup)
    tail = image(body, "image_tail") is not None
    if tail:
        if not model.image_tail:
            raise refuse(f"image_tail is not supported by {model.model}")
        if combo not in model.image_tail:
            raise refuse(
                f"image_tail is not supported by {model.model} in mode '{chosen_mode}' with "
                f"duration '{chosen}'"
            )
        if with_sound and model.image_tail_silent:
            raise refuse(f"image_tail needs sound 'off' on {model.model}")
    masks = _masks(model, body, combo)
    camera = camera_control(model, body, combo)
    if sum((tail, masks, camera)) > 1:
        raise refuse(
            "image_tail, static_mask/dynamic_masks and camera_control cannot be combined: "
            "choose one"
        )
    elements(body, lookup, model)
    return _plan(model, chosen_mode, chosen)


def multi_image_to_video(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/videos/multi-image2video``."""
    model = resolve("multi_image_to_video", "/v1/videos/multi-image2video", body)
    for index, item in enumerate(items(body, "image_list", least=1, most=model.max_images)):
        image(item, "image", path=f"image_list[{index}].image", required=True)
    prompt(body, required=True)
    chosen_mode, chosen = mode(model, body), duration(model, body)
    aspect_ratio(model, body)
    cfg_scale(model, body)
    return _plan(model, chosen_mode, chosen)


def video_extend(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/videos/video-extend``: a known, young, extendable video, under 3 minutes."""
    video_id = string(body, "video_id", required=True) or ""
    source = lookup.video(video_id)
    if source is None or source.family not in EXTENDABLE_FAMILIES:
        raise refuse(
            f"video_id '{shown(video_id)}' does not exist: extend a video generated by "
            "text-to-video, image-to-video or a previous extension"
        )
    if lookup.now_ms - source.created_at >= INPUT_MAX_AGE_MS:
        raise refuse(f"video_id '{video_id}' is older than 30 days and can no longer be extended")
    # An extension inherits its parent's model, so an extension of an extension of a
    # kling-v1-5 image-to-video still names kling-v1-5: look in both tables.
    name = source.model_name or ""
    model = LEGACY_MODELS["image_to_video"].get(name) or LEGACY_MODELS["text_to_video"].get(name)
    if model is None or not model.extendable:
        takers = [m.model for m in LEGACY_MODELS["image_to_video"].values() if m.extendable]
        raise refuse(
            f"videos made by {source.model_name} cannot be extended; video extension supports "
            f"videos of {listed(takers)}"
        )
    total = source.duration + EXTENSION_SECONDS
    if total > MAX_TOTAL_SECONDS:
        raise refuse(
            f"video_id '{video_id}' is {seconds_text(source.duration)} s long: one more "
            f"extension would pass the {MAX_TOTAL_SECONDS} s limit"
        )
    prompt(body)
    number(body, "cfg_scale", 0, 1)
    parent = {"id": video_id, "url": source.url, "duration": seconds_text(source.duration)}
    details = {"model_name": model.model, "parent_video": parent, "duration": seconds_text(total)}
    return Plan(details)


def _omni_images(body: Mapping[str, Any]) -> tuple[int, int, int]:
    """(first frames, end frames, plain references) of ``image_list``."""
    firsts = ends = refs = 0
    listed_images = items(body, "image_list")
    for index, item in enumerate(listed_images):
        image(item, "image_url", path=f"image_list[{index}].image_url", required=True)
        kind = choice(item, "type", ("first_frame", "end_frame"), path=f"image_list[{index}].type")
        firsts += kind == "first_frame"
        ends += kind == "end_frame"
        refs += kind is None
    if firsts > 1 or ends > 1:
        raise refuse("image_list can hold one first_frame and one end_frame at most")
    if ends and not firsts:
        raise refuse("image_list: an end_frame needs a first_frame")
    if ends and len(listed_images) > 2:
        raise refuse("image_list: with more than 2 images there can be no end_frame")
    return firsts, ends, refs


def _omni_video_list(body: Mapping[str, Any]) -> str | None:
    """The ``refer_type`` of the one video, or ``None`` without one."""
    videos = items(body, "video_list", most=1)
    if not videos:
        return None
    (video,) = videos
    video_url(video, "video_url", path="video_list[0].video_url", required=True)
    choice(video, "keep_original_sound", ("yes", "no"), path="video_list[0].keep_original_sound")
    kind = choice(video, "refer_type", ("feature", "base"), path="video_list[0].refer_type")
    return kind or "base"


def omni_video(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/videos/omni-video`` (the omni video page, above)."""
    model = resolve("omni_video", "/v1/videos/omni-video", body)
    firsts, ends, refs = _omni_images(body)
    element_count = elements(body, lookup, model)
    video = _omni_video_list(body)
    limit = 4 if video else 7
    if firsts + ends + refs + element_count > limit:
        note = " with a video_list" if video else ""
        raise refuse(f"image_list and element_list can hold at most {limit} items together{note}")
    if video == "base" and (firsts or ends):
        raise refuse("a base video (refer_type 'base') cannot be used with first_frame/end_frame")
    chosen_mode = mode(model, body)
    if video and chosen_mode not in model.video_modes:
        raise refuse(
            f"mode '{chosen_mode}' is not supported by {model.model} with a video_list; "
            f"it supports mode {listed(model.video_modes)} there"
        )
    if body.get("aspect_ratio") is None and not firsts and video != "base":
        raise refuse("aspect_ratio is required unless image_list has a first_frame or a base video")
    aspect_ratio(model, body, None)
    if video == "base":
        if present(body, "duration"):
            raise refuse("duration cannot be set with a base video: the result follows the video")
        chosen = None
    else:
        chosen = duration(model, body)
        plain = not (refs or element_count or video)
        if plain and model.plain_durations and chosen not in model.plain_durations:
            raise refuse(
                f"duration '{chosen}' is not supported by {model.model} without reference "
                f"images, elements or a video; it supports duration {listed(model.plain_durations)}"
                " there"
            )
    on = choice(body, "sound", ("on", "off"))
    if on is not None and not model.sound:
        raise refuse(f"sound is not supported by {model.model}")
    if on == "on" and video:
        raise refuse("sound must be 'off' with a video_list")
    shots = multi_shot(model, body, chosen or "5")
    if shots and video == "base":
        raise refuse("multi_shot cannot be used with a base video")
    if shots == "customize" and video == "feature":
        raise refuse("with a feature video, multi_shot needs shot_type 'intelligence'")
    prompt(body, required=shots != "customize")
    return _plan(model, chosen_mode, chosen)


def motion_control(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/videos/motion-control`` (the motion control page, above)."""
    model = resolve("motion_control", "/v1/videos/motion-control", body)
    image(body, "image_url", required=True, max_side=65536)
    video_url(body, "video_url", required=True)
    orientation = choice(body, "character_orientation", ("image", "video"), required=True)
    chosen_mode = mode(model, body, required=True)
    choice(body, "keep_original_sound", ("yes", "no"))
    prompt(body)
    if elements(body, lookup, model) and orientation != "video":
        raise refuse("element_list needs character_orientation 'video'")
    return _plan(model, chosen_mode, None)
