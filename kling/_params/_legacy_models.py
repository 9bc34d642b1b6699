"""What each legacy ``model_name`` accepts, family by family: one table, checked before sending.

From Kling's pages for each endpoint (cited in ``_video.py`` and ``_image.py``), its
capability map of the legacy models and its changelog (which model serves which product):

* https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/capability-map.md
* https://github.com/aself101/kling-api/blob/main/docs/api/kling-updates-api.md

A request is checked against its ``model_name``, or the family's default model when
none is given (what Kling would use); a ``model_name`` the table does not know skips the checks,
so a model released tomorrow works today. Where the documentation contradicts itself, the SDK
keeps the reading that refuses less: it must never refuse what Kling would take.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from .._evidence import Source, page
from . import _rulebook as R

__all__ = ["DEFAULT_MODELS", "LEGACY_MODELS", "LegacyModel", "check_legacy_model"]

_SHORT = ("5", "10")
_V3_DURATIONS = tuple(str(n) for n in range(3, 16))


# A NamedTuple, not a frozen dataclass: a create of any legacy family imports this table, and
# a 29-field dataclass compiles its methods at import (~1 ms of a first create, a fifth of that
# for a NamedTuple). Nothing hashes or unpacks a row; it prints by name.
class LegacyModel(NamedTuple):
    """One ``model_name`` on one family, and what it takes."""

    family: str
    model: str
    durations: tuple[str, ...] = _SHORT
    """``duration`` values (as Kling spells them); empty: not checked for this family."""
    modes: tuple[str, ...] = ("std", "pro")
    """``mode`` values; empty: not checked for this family."""
    cfg_scale: bool = True
    sound: bool = False
    """Takes ``sound`` and ``voice_list``."""
    sound_needs_pro: bool = False
    """Sound is rendered in ``mode="pro"`` only (kling-v2-6)."""
    multi_shot: bool = False
    elements: bool = False
    """Takes ``element_list``."""
    max_elements: int | None = None
    """Longest ``element_list`` (None: not checked here)."""
    camera_control: tuple[str, str] | None = None
    """``(mode, duration)`` camera control is rendered in, or None: not taken."""
    camera_types: tuple[str, ...] = ()
    """``camera_control.type`` values taken (empty: every type)."""
    image_tail: tuple[str, ...] | None = None
    """Modes a last frame (``image_tail``) is rendered in, or None: not taken."""
    tail_only: bool = False
    """Takes ``image_tail`` without ``image``."""
    tail_short: bool = False
    """A last frame renders 5 s videos only."""
    tail_silent: bool = False
    """A last frame renders silent videos only."""
    aspect_ratios: tuple[str, ...] = ()
    """Extra refusals: ``aspect_ratio`` values not taken (empty: every value of the type)."""
    four_k: bool = False
    """Takes ``mode="4k"``."""
    resolutions: tuple[str, ...] = ()
    """Image ``resolution`` values; empty: not checked for this row."""
    motion_brush: tuple[str, ...] | None = None
    """Modes a motion brush (``static_mask``, ``dynamic_masks``) renders in (5 s videos only),
    or None: not taken."""
    auto_needs_references: bool = False
    """``aspect_ratio="auto"`` needs reference images or elements (kling-v3-omni)."""
    o1_frames: bool = False
    """No elements with first and end frames, no end frame with a feature video (kling-video-o1)."""
    undocumented: tuple[str, ...] = ()
    """Capabilities no source covers for this model (``"camera_control"``): not checked."""
    image_reference: bool = False
    needs_image: bool = False
    """Restyles an input image: ``image`` is required (kling-v2-new)."""
    series: bool = False
    """Takes ``result_type="series"`` (omni image)."""
    plain_durations: tuple[str, ...] = ()
    """Durations without reference images or a video (kling-video-o1: 5 or 10)."""
    sources: tuple[Source, ...] = ()
    """The pages this row's values come from."""
    cites: Mapping[str, tuple[Source, ...]] = MappingProxyType({})
    """Attribute -> its own sources, where one value has a source the row's others lack."""

    def __repr__(self) -> str:
        return f"<LegacyModel {self.family} {self.model}>"

    def sources_of(self, attribute: str) -> tuple[Source, ...]:
        """The sources of one of this row's values (``"durations"``, ``"cfg_scale"``...)."""
        return self.cites.get(attribute, self.sources)


def _video(family: str, model: str, **rules: Any) -> LegacyModel:
    rules.setdefault("sources", _SOURCES[family])
    return LegacyModel(family, model, **rules)


#: Each family's pages, for the rows that name no others.
_SOURCES: dict[str, tuple[Source, ...]] = {
    "text_to_video": (R.rg("text-to-video"), R.RG_MAP, R.VIDEO_MAP),
    "image_to_video": (R.rg("image-to-video"), R.RG_MAP, R.VIDEO_MAP),
    "multi_image_to_video": (R.rg("multi-image-to-video"),),
    "omni_video": (R.rg("omni-video-o1"), page("kling-o1-video"), R.VIDEO_MAP),
    "motion_control": (R.rg("motion-control"), page("kling-motion-control-2.6")),
    "images": (page("kling-image-2.1-generation"), R.RG_MAP, R.IMAGE_MAP),
    "omni_image": (page("kling-image-o1-generation"), R.IMAGE_MAP),
    "multi_image_to_image": (
        page("kling-image-2.1-multi-image-to-image"),
        R.rg("multi-image-to-image"),
    ),
    "virtual_try_on": (R.rg("virtual-try-on"),),
}
_V3_SOURCES = (
    R.VIDEO_MAP,
    R.changelog("2026-04-23", "kling-v3 model"),
    page("kling-omni-3.0-t2v"),
    page("kling-omni-3.0-i2v"),
)
# The page says kling-v2.x does not support cfg_scale; Kuaishou's own client sends it with them
# (R.CFG_SCALE, unsettled): the rows say so, and nothing is refused.
_V2_NO_CFG = {"cfg_scale": False}
_V3 = {
    "durations": _V3_DURATIONS,
    "four_k": True,
    "sound": True,
    "multi_shot": True,
    "modes": ("std", "pro", "4k"),
    "sources": _V3_SOURCES,
    # No page covers camera control or the motion brush on kling-v3.
    "undocumented": ("camera_control", "motion_brush"),
}
_IMAGES = {"durations": (), "modes": ()}
_1K_2K = ("1k", "2k")

_ROWS = (
    # Text-to-video (kling-v1-5 and kling-v2-1 are image-to-video only).
    _video("text_to_video", "kling-v1", camera_control=("std", "5")),
    _video("text_to_video", "kling-v1-6"),
    _video("text_to_video", "kling-v2-master", **_V2_NO_CFG),
    _video("text_to_video", "kling-v2-1-master", **_V2_NO_CFG),
    _video("text_to_video", "kling-v2-5-turbo", **_V2_NO_CFG),
    _video("text_to_video", "kling-v2-6", sound=True, sound_needs_pro=True, **_V2_NO_CFG),
    _video("text_to_video", "kling-v3", **_V3),
    # Image-to-video: last frames, camera control and the motion brush by model, per the
    # capability map.
    _video(
        "image_to_video",
        "kling-v1",
        image_tail=("std", "pro"),
        tail_short=True,
        motion_brush=("std", "pro"),
    ),
    _video(
        "image_to_video",
        "kling-v1-5",
        image_tail=("pro",),
        tail_only=True,
        camera_control=("pro", "5"),
        camera_types=("simple",),
        motion_brush=("pro",),
    ),
    _video("image_to_video", "kling-v1-6", image_tail=("pro",), tail_only=True),
    _video("image_to_video", "kling-v2-master", **_V2_NO_CFG),
    _video("image_to_video", "kling-v2-1", image_tail=("pro",), **_V2_NO_CFG),
    _video("image_to_video", "kling-v2-1-master", **_V2_NO_CFG),
    _video("image_to_video", "kling-v2-5-turbo", image_tail=("pro",), **_V2_NO_CFG),
    _video(
        "image_to_video",
        "kling-v2-6",
        sound=True,
        sound_needs_pro=True,
        image_tail=("pro",),
        tail_silent=True,
        **_V2_NO_CFG,
    ),
    _video(
        "image_to_video",
        "kling-v3",
        image_tail=("std", "pro", "4k"),
        elements=True,
        max_elements=3,
        **_V3,
    ),
    # Multi-image to video: one model.
    _video("multi_image_to_video", "kling-v1-6"),
    # Omni video.
    _video(
        "omni_video",
        "kling-video-o1",
        durations=tuple(str(n) for n in range(3, 11)),
        plain_durations=_SHORT,
        elements=True,
        o1_frames=True,
    ),
    _video(
        "omni_video",
        "kling-v3-omni",
        durations=_V3_DURATIONS,
        modes=("std", "pro", "4k"),
        four_k=True,
        sound=True,
        multi_shot=True,
        elements=True,
        sources=(page("kling-omni-3.0-ovg"), R.VIDEO_MAP),
    ),
    # Motion control: elements on kling-v3 only, one at most.
    _video("motion_control", "kling-v2-6", durations=()),
    _video(
        "motion_control",
        "kling-v3",
        durations=(),
        elements=True,
        max_elements=1,
        sources=(page("kling-motion-control-3.0"), R.changelog("2026-03-04", "kling-v3")),
    ),
    # Images: generation, omni image, multi-image to image, try-on.
    _video("images", "kling-v1", aspect_ratios=("21:9",), resolutions=("1k",), **_IMAGES),
    _video("images", "kling-v1-5", image_reference=True, resolutions=("1k",), **_IMAGES),
    _video("images", "kling-v2", resolutions=_1K_2K, **_IMAGES),
    # kling-v2-new is image-to-image restyling (the capability map); its output keeps the input's
    # resolution, which is a statement about the output, not a refusal: not checked.
    _video("images", "kling-v2-new", needs_image=True, **_IMAGES),
    # The 2025 docs give image_reference to kling-v1-5, the 2026 ones to kling-v2-1: both.
    _video("images", "kling-v2-1", image_reference=True, resolutions=_1K_2K, **_IMAGES),
    _video("images", "kling-v3", elements=True, resolutions=_1K_2K, **_IMAGES),
    _video("omni_image", "kling-image-o1", elements=True, resolutions=_1K_2K, **_IMAGES),
    _video(
        "omni_image",
        "kling-v3-omni",
        elements=True,
        series=True,
        auto_needs_references=True,
        resolutions=("1k", "2k", "4k"),
        sources=(page("kling-image-omni-3.0-image-omni"), R.IMAGE_MAP),
        **_IMAGES,
    ),
    _video("multi_image_to_image", "kling-v2", **_IMAGES),
    _video("multi_image_to_image", "kling-v2-1", **_IMAGES),
    _video("virtual_try_on", "kolors-virtual-try-on-v1", **_IMAGES),
    _video("virtual_try_on", "kolors-virtual-try-on-v1-5", **_IMAGES),
)

#: (family, model_name) -> what it takes.
LEGACY_MODELS: dict[tuple[str, str], LegacyModel] = {(r.family, r.model): r for r in _ROWS}

#: The model Kling uses for a family when ``model_name`` is not given. Not image generation:
#: its page's table says kling-v3, its text "the V1 model", so an image request without a
#: model_name is checked against no model.
DEFAULT_MODELS = {
    "text_to_video": "kling-v1",
    "image_to_video": "kling-v1",
    "multi_image_to_video": "kling-v1-6",
    "omni_video": "kling-video-o1",
    "motion_control": "kling-v2-6",
    "omni_image": "kling-image-o1",
    "multi_image_to_image": "kling-v2",
    "virtual_try_on": "kolors-virtual-try-on-v1",
}


def _choices(values: tuple[str, ...]) -> str:
    quoted = [f'"{v}"' for v in values]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def check_legacy_model(family: str, params: Mapping[str, Any]) -> None:
    """Break no rule of what the request's model (or the family's default) can do; each rule's
    kind (``_rulebook``) decides whether a breach is refused, warned about or let through."""
    model = params.get("model_name", DEFAULT_MODELS.get(family))
    rules = LEGACY_MODELS.get((family, model)) if isinstance(model, str) else None
    if rules is None:
        return
    _values(rules, params)
    _features(rules, params)
    _brush(rules, params)
    _camera(rules, params)
    _frames(rules, params)


def _values(rules: LegacyModel, params: Mapping[str, Any]) -> None:
    model = rules.model
    duration = params.get("duration")
    if duration is not None and rules.durations and str(duration) not in rules.durations:
        R.DURATION.broken(
            "duration",
            f'{model} makes {_choices(rules.durations)} second videos (got "{duration}")',
        )
    mode = params.get("mode")
    if mode is not None and rules.modes and mode not in rules.modes:
        note = "; 4k is for kling-v3 and kling-v3-omni" if mode == "4k" else ""
        R.MODE.broken("mode", f'{model} takes {_choices(rules.modes)} (got "{mode}"){note}')
    ratio = params.get("aspect_ratio")
    if ratio in rules.aspect_ratios:
        R.IMAGE_ASPECT.broken("aspect_ratio", f"{model} does not make {ratio} images")
    resolution = params.get("resolution")
    if resolution is not None and rules.resolutions and resolution not in rules.resolutions:
        note = "; 4k is for kling-v3-omni" if resolution == "4k" else ""
        R.IMAGE_RESOLUTION.broken(
            "resolution",
            f'{model} makes {_choices(rules.resolutions)} images (got "{resolution}"){note}',
        )
    references = params.get("image_list") or params.get("element_list")
    if ratio == "auto" and rules.auto_needs_references and not references:
        R.AUTO_RATIO.broken(
            "aspect_ratio",
            f'{model} makes "auto" ratio images from reference images (image_list or '
            "element_list) only",
        )


def _features(rules: LegacyModel, params: Mapping[str, Any]) -> None:
    model = rules.model
    if "cfg_scale" in params and not rules.cfg_scale:
        R.CFG_SCALE.broken("cfg_scale", f"{model} takes no cfg_scale (Kling's 2.x models do not)")
    for key in ("sound", "voice_list"):
        if key in params and not rules.sound and (key == "voice_list" or params[key] == "on"):
            R.SOUND.broken(key, f"{model} makes no sound; kling-v2-6 and kling-v3 do")
    if rules.sound_needs_pro and params.get("sound") == "on" and params.get("mode", "std") != "pro":
        R.SOUND_PRO.broken("mode", f'{model} renders sound in mode="pro" only')
    if params.get("multi_shot") and not rules.multi_shot:
        R.MULTI_SHOT.broken("multi_shot", f"{model} makes no multi-shot videos; kling-v3 models do")
    if "element_list" in params and not rules.elements:
        R.ELEMENTS.broken("element_list", f"{model} takes no element_list; kling-v3 models do")
    count = len(params.get("element_list", ()))
    if rules.max_elements is not None and count > rules.max_elements:
        R.MAX_ELEMENTS.broken(
            "element_list",
            f"{model} takes at most {rules.max_elements} "
            f"element{'s' if rules.max_elements > 1 else ''} in "
            f"{rules.family.replace('_', '-')} (got {count})",
        )
    if rules.needs_image and "image" not in params:
        R.NEEDS_IMAGE.broken(
            "image", f"{model} restyles an input image: pass one, or use another model_name"
        )
    if "image_reference" in params and not rules.image_reference:
        R.IMAGE_REFERENCE.broken(
            "image_reference", f"{model} takes no image_reference (kling-v1-5 and kling-v2-1 do)"
        )
    if params.get("result_type") == "series" and not rules.series:
        R.SERIES.broken(
            "result_type", f'{model} makes no series; result_type="series" is for kling-v3-omni'
        )


def _camera(rules: LegacyModel, params: Mapping[str, Any]) -> None:
    control = params.get("camera_control")
    if control is None or "camera_control" in rules.undocumented:
        return
    model = rules.model
    if rules.camera_control is None:
        R.CAMERA.broken("camera_control", f"{model} takes no camera_control")
        return
    mode, duration = rules.camera_control
    kind = control.get("type")
    if rules.camera_types and kind not in rules.camera_types:
        R.CAMERA.broken(
            "camera_control",
            f"{model} renders camera control of type {_choices(rules.camera_types)} only "
            f'(got "{kind}")',
        )
    if params.get("mode", "std") != mode or str(params.get("duration", "5")) != duration:
        R.CAMERA.broken(
            "camera_control",
            f'{model} renders camera control in mode="{mode}", {duration} s videos only',
        )


def _brush(rules: LegacyModel, params: Mapping[str, Any]) -> None:
    brush = [key for key in ("static_mask", "dynamic_masks") if key in params]
    if not brush or rules.family != "image_to_video" or "motion_brush" in rules.undocumented:
        return
    model = rules.model
    if rules.motion_brush is None:
        R.MOTION_BRUSH.broken(
            brush[0], f"{model} takes no motion brush (kling-v1 and kling-v1-5 do, in 5 s videos)"
        )
        return
    if (
        params.get("mode", "std") not in rules.motion_brush
        or str(params.get("duration", "5")) != "5"
    ):
        R.MOTION_BRUSH.broken(
            brush[0],
            f"{model} renders a motion brush in mode {_choices(rules.motion_brush)}, "
            "5 s videos only",
        )


def _frames(rules: LegacyModel, params: Mapping[str, Any]) -> None:
    model = rules.model
    if rules.family == "image_to_video" and "image_tail" in params:
        _tail(rules, params)
    if rules.family == "omni_video" and params.get("shot_type") == "customize":
        videos = params.get("video_list", [])
        if any(video.get("refer_type", "base") == "feature" for video in videos):
            R.OMNI_FEATURE_SHOTS.broken(
                "shot_type",
                f'{model} makes multi-shot videos of a feature video with shot_type="intelligence"'
                " only",
            )
    if rules.o1_frames:
        _o1_frames(rules, params)
    if rules.plain_durations and rules.family == "omni_video":
        images = [i for i in params.get("image_list", []) if i.get("type") != "first_frame"]
        plain = not images and not params.get("element_list") and not params.get("video_list")
        duration = str(params.get("duration", "5"))
        if plain and duration not in rules.plain_durations:
            R.PLAIN_DURATIONS.broken(
                "duration",
                f"{model} makes {_choices(rules.plain_durations)} second videos from a prompt "
                f'or a first frame alone (got "{duration}")',
            )


def _tail(rules: LegacyModel, params: Mapping[str, Any]) -> None:
    model = rules.model
    if rules.image_tail is None:
        R.TAIL.broken("image_tail", f"{model} takes no last frame (image_tail)")
        return
    if params.get("mode", "std") not in rules.image_tail:
        R.TAIL.broken(
            "image_tail", f"{model} renders a last frame in mode {_choices(rules.image_tail)} only"
        )
    if "image" not in params and not rules.tail_only:
        R.TAIL.broken(
            "image",
            f"{model} needs an image with image_tail (a last frame alone is for "
            "kling-v1-5 and kling-v1-6)",
        )
    if rules.tail_short and str(params.get("duration", "5")) != "5":
        R.TAIL.broken("duration", f"{model} renders a last frame in 5 second videos only")
    if rules.tail_silent and params.get("sound") == "on":
        R.TAIL.broken("sound", f"{model} renders a last frame silent only")


def _o1_frames(rules: LegacyModel, params: Mapping[str, Any]) -> None:
    frames = {image.get("type") for image in params.get("image_list", [])}
    if {"first_frame", "end_frame"} <= frames and params.get("element_list"):
        R.O1_FRAMES.broken(
            "element_list", f"{rules.model} takes no element_list with a first and end frame"
        )
    videos = params.get("video_list", [])
    if "end_frame" in frames and any(v.get("refer_type", "base") == "feature" for v in videos):
        R.O1_FRAMES.broken(
            "image_list",
            f'{rules.model} takes no "end_frame" with a feature video (a first frame only)',
        )
