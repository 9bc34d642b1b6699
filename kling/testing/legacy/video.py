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

from .. import _rulebook as R
from .capabilities import (
    aspect_ratio,
    camera_control,
    cfg_scale,
    duration,
    elements,
    feature_rule,
    mode,
    multi_shot,
    resolve,
    sound,
    where,
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
    _prompt(body, required=shots != "customize")
    aspect_ratio(model, body)
    cfg_scale(model, body)
    sound(model, body, combo, lookup)
    camera_control(model, body, combo)
    return _plan(model, chosen_mode, chosen)


def _prompt(body: Mapping[str, Any], *, required: bool) -> None:
    value = body.get("prompt")
    if required and (value is None or (isinstance(value, str) and not value.strip())):
        refuse(R.PROMPT, "prompt is required")
    prompt(body)


def _masks(model: LegacyModel, body: Mapping[str, Any], combo: tuple[str, str]) -> bool:
    if not (present(body, "static_mask") or present(body, "dynamic_masks")):
        return False
    rule = feature_rule(model, "motion_brush", R.MOTION_BRUSH)
    where(rule, model, "static_mask/dynamic_masks", model.motion_brush, combo)
    image(body, "static_mask")
    low, high = _TRAJECTORY_POINTS
    masks = items(body, "dynamic_masks", most=_MAX_MASKS, rule=R.MOTION_BRUSH)
    for index, group in enumerate(masks):
        path = f"dynamic_masks[{index}]"
        image(group, "mask", path=f"{path}.mask", required=True)
        points = items(
            group,
            "trajectories",
            path=f"{path}.trajectories",
            least=low,
            most=high,
            rule=R.MOTION_BRUSH,
        )
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
    """``POST /v1/videos/image2video``: a first frame, or a last frame alone where the model
    renders one (kling-v1-5 and kling-v1-6 in pro)."""
    model = resolve("image_to_video", "/v1/videos/image2video", body)
    first = image(body, "image") is not None
    chosen_mode, chosen = mode(model, body), duration(model, body)
    combo = (chosen_mode, chosen)
    shots = multi_shot(model, body, chosen)
    _prompt(body, required=shots == "intelligence")
    # No aspect_ratio: the page has no such field (the video follows its image), and Kling
    # ignores fields it does not document.
    cfg_scale(model, body)
    with_sound = sound(model, body, combo, lookup)
    tail = image(body, "image_tail") is not None
    if not first and not tail:
        refuse(R.I2V_INPUTS, "image is required")
    elif not first and chosen_mode not in model.tail_only:
        takes = f" in mode {listed(model.tail_only)}" if model.tail_only else ""
        refuse(
            R.TAIL_ONLY,
            f"image is required: {model.model} takes image_tail without image{takes}"
            if takes
            else f"image is required: {model.model} takes no image_tail without image",
        )
    if tail:
        where(R.IMAGE_TAIL, model, "image_tail", model.image_tail, combo)
        if with_sound and model.image_tail_silent:
            refuse(R.IMAGE_TAIL, f"image_tail needs sound 'off' on {model.model}")
    masks = _masks(model, body, combo)
    camera = camera_control(model, body, combo)
    if sum((tail, masks, camera)) > 1:
        refuse(
            R.I2V_INPUTS,
            "image_tail, static_mask/dynamic_masks and camera_control cannot be combined: "
            "choose one",
        )
    elements(body, lookup, model)
    return _plan(model, chosen_mode, chosen)


def multi_image_to_video(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/videos/multi-image2video``."""
    model = resolve("multi_image_to_video", "/v1/videos/multi-image2video", body)
    pictures = items(body, "image_list", least=1, most=model.max_images, rule=R.MULTI_IMAGE)
    for index, item in enumerate(pictures):
        image(item, "image", path=f"image_list[{index}].image", required=True)
    _prompt(body, required=True)
    chosen_mode, chosen = mode(model, body), duration(model, body)
    aspect_ratio(model, body)
    # No cfg_scale: the page does not document it here, and Kling ignores what it does not
    # document.
    return _plan(model, chosen_mode, chosen)


def video_extend(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/videos/video-extend``: a known, young, extendable video, under 3 minutes."""
    video_id = string(body, "video_id", required=True) or ""
    source = lookup.video(video_id)
    if source is None or source.family not in EXTENDABLE_FAMILIES:
        refuse(
            R.VIDEO_EXTEND,
            f"video_id '{shown(video_id)}' does not exist: extend a video generated by "
            "text-to-video, image-to-video or a previous extension",
        )
        return Plan()
    if lookup.now_ms - source.created_at >= INPUT_MAX_AGE_MS:
        refuse(
            R.VIDEO_EXTEND,
            f"video_id '{video_id}' is older than 30 days and can no longer be extended",
        )
    # An extension inherits its parent's model, so an extension of an extension of a
    # kling-v1-5 image-to-video still names kling-v1-5: look in both tables.
    name = source.model_name or ""
    model = LEGACY_MODELS["image_to_video"].get(name) or LEGACY_MODELS["text_to_video"].get(name)
    if model is None or not model.extendable:
        takers = [m.model for m in LEGACY_MODELS["image_to_video"].values() if m.extendable]
        refuse(
            R.VIDEO_EXTEND,
            f"videos made by {source.model_name} cannot be extended; video extension supports "
            f"videos of {listed(takers)}",
        )
    total = source.duration + EXTENSION_SECONDS
    if total > MAX_TOTAL_SECONDS:
        refuse(
            R.VIDEO_EXTEND,
            f"video_id '{video_id}' is {seconds_text(source.duration)} s long: one more "
            f"extension would pass the {MAX_TOTAL_SECONDS} s limit",
        )
    prompt(body)
    number(body, "cfg_scale", 0, 1)
    parent = {"id": video_id, "url": source.url, "duration": seconds_text(source.duration)}
    details = {"model_name": name, "parent_video": parent, "duration": seconds_text(total)}
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
        refuse(R.OMNI_REFERENCES, "image_list can hold one first_frame and one end_frame at most")
    if ends and not firsts:
        refuse(R.OMNI_REFERENCES, "image_list: an end_frame needs a first_frame")
    if ends and len(listed_images) > 2:
        refuse(R.OMNI_REFERENCES, "image_list: with more than 2 images there can be no end_frame")
    return firsts, ends, refs


def _omni_video_list(body: Mapping[str, Any]) -> str | None:
    """The ``refer_type`` of the one video, or ``None`` without one."""
    videos = items(body, "video_list", most=1, rule=R.OMNI_REFERENCES)
    if not videos:
        return None
    video = videos[0]
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
        refuse(
            R.OMNI_REFERENCES,
            f"image_list and element_list can hold at most {limit} items together{note}",
        )
    if video == "base" and (firsts or ends):
        refuse(
            R.OMNI_REFERENCES,
            "a base video (refer_type 'base') cannot be used with first_frame/end_frame",
        )
    if model.o1_frames and firsts and ends and element_count:
        refuse(
            R.OMNI_O1_FRAMES,
            f"element_list cannot be used with first and end frames on {model.model}",
        )
    if model.o1_frames and ends and video == "feature":
        refuse(
            R.OMNI_O1_FRAMES,
            f"a feature video takes a first_frame only on {model.model}, not an end_frame",
        )
    chosen_mode = mode(model, body)
    if video and chosen_mode not in model.video_modes:
        refuse(
            R.OMNI_VIDEO_MODE,
            f"mode '{chosen_mode}' is not supported by {model.model} with a video_list; "
            f"it supports mode {listed(model.video_modes)} there",
        )
    if body.get("aspect_ratio") is None and not firsts and not video:
        refuse(
            R.OMNI_ASPECT_RATIO,
            "aspect_ratio is required unless image_list has a first_frame or there is a video",
        )
    aspect_ratio(model, body, None)
    chosen: str | None
    if video == "base":
        if present(body, "duration"):
            duration(model, body)  # still one the model makes, though the video decides
            refuse(
                R.OMNI_BASE_DURATION,
                "duration cannot be set with a base video: the result follows the video",
            )
        chosen = None
    else:
        chosen = duration(model, body)
        # An end frame, like a reference image, an element or a video, allows 3-10 s.
        plain = not (ends or refs or element_count or video)
        if plain and model.plain_durations and chosen not in model.plain_durations:
            refuse(
                R.OMNI_PLAIN_DURATIONS,
                f"duration '{chosen}' is not supported by {model.model} with a prompt or a "
                f"first frame alone; it supports duration {listed(model.plain_durations)} there",
            )
    on = choice(body, "sound", ("on", "off"))
    if on is not None and not model.sound:
        rule = R.OMNI_SOUND if on == "on" else R.OFF_VALUES
        refuse(rule, f"sound is not supported by {model.model}")
    if on == "on" and video:
        refuse(R.OMNI_SOUND, "sound must be 'off' with a video_list")
    shots = multi_shot(model, body, chosen or "5")
    if shots and video == "base":
        refuse(R.OMNI_MULTI_SHOT, "multi_shot cannot be used with a base video")
    if shots == "customize" and video == "feature":
        refuse(R.OMNI_MULTI_SHOT, "with a feature video, multi_shot needs shot_type 'intelligence'")
    _prompt(body, required=shots != "customize")
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
        # With an element the video follows the reference video's orientation.
        refuse(R.MOTION_ORIENTATION, "element_list needs character_orientation 'video'")
    return _plan(model, chosen_mode, None)
