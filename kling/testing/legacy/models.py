"""The fake's own table of Kling's legacy (``/v1``) models: what each ``model_name`` accepts.

Written from Kling's pages for each endpoint (cited where each family is checked), from its
changelog and from its capability map of the legacy models (both below), independently of
the SDK's parameter code, so that a wrong capability on either side fails a test instead of
agreeing with itself. Each row names its sources (``sources``); the rules that read the rows,
and whether a breach is refused, are rows of :mod:`kling.testing._rulebook`. Where the sources
disagree or are silent, the rule is ``unsettled`` and FakeKling accepts: it refuses only what
Kling refuses.

* https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/capability-map.md
* https://github.com/aself101/kling-api/blob/main/docs/api/kling-updates-api.md

Shape: ``LEGACY_MODELS[family][model_name]`` is a :class:`LegacyModel`; ``family`` is the SDK's
family name (``"text_to_video"``), the inner mapping is in documented order with the family's
default model (the one used when ``model_name`` is omitted, also in
``LEGACY_DEFAULT_MODELS[family]``) first. Families without ``model_name`` (extension, lip-sync,
effects, avatar, audio, elements, voices, expansion) have no entry. For example::

    LEGACY_MODELS["text_to_video"]["kling-v3"].durations      # ("3", "4", ..., "15")
    ("pro", "5") in LEGACY_MODELS["image_to_video"]["kling-v1-5"].camera_control  # True

Capabilities that depend on mode and duration are sets of ``(mode, duration)`` pairs; an empty
tuple or set means the model does not take the field (its rule says whether that is refused).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ..._evidence import Source, page
from .._rulebook import CAPABILITY_MAP, DEFAULT_IMAGE_MODEL, IMAGE_MAP, VIDEO_MAP, kwai, rg

Combo = tuple[str, str]
"""``(mode, duration)``, e.g. ``("pro", "5")``."""

CAMERA_TYPES = ("simple", "down_back", "forward_up", "right_turn_forward", "left_turn_forward")
"""Every ``camera_control.type``, as Kling's text-to-video page lists them:
https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/text-to-video.md"""

RATIOS_VIDEO = ("16:9", "9:16", "1:1")
RATIOS_IMAGE = ("16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9")
_RATIOS_IMAGE_V1 = RATIOS_IMAGE[:-1]  # kling-v1 images: no 21:9 (capability map)

_SP = ("std", "pro")
_SP4K = ("std", "pro", "4k")
_5_10 = ("5", "10")
_3_10 = tuple(str(seconds) for seconds in range(3, 11))
_3_15 = tuple(str(seconds) for seconds in range(3, 16))


def _combos(modes: Iterable[str], durations: Iterable[str]) -> frozenset[Combo]:
    return frozenset((mode, duration) for mode in modes for duration in durations)


_NONE: frozenset[Combo] = frozenset()


@dataclass(frozen=True)
class LegacyModel:
    """What one ``model_name`` accepts on one legacy family."""

    family: str
    """The SDK's family name (``text_to_video``)."""
    model: str
    """The ``model_name`` value."""
    default: bool = False
    """Used when ``model_name`` is omitted."""
    modes: tuple[str, ...] = ()
    """``mode`` values; empty: the model takes no ``mode`` field (v2 masters)."""
    default_mode: str | None = None
    """The mode used when ``mode`` is omitted; ``None`` with ``mode`` required or absent."""
    durations: tuple[str, ...] = ()
    """``duration`` values (strings, as sent); empty: the family has no duration field."""
    aspect_ratios: tuple[str, ...] = ()
    """``aspect_ratio`` values; empty: no such field (image-to-video follows its image)."""
    cfg_scale: bool = False
    """Documented with ``cfg_scale`` (kling-v1.x; the rule on the others is unsettled)."""
    sound: frozenset[Combo] = _NONE
    """Where ``sound:"on"`` renders (``sound:"off"`` is accepted wherever the set is not empty);
    ``voice_list`` needs ``sound:"on"``, so it is allowed exactly here too."""
    max_voices: int = 0
    """Longest ``voice_list``."""
    camera_control: frozenset[Combo] = _NONE
    """Where ``camera_control`` works."""
    camera_types: tuple[str, ...] = ()
    """The ``camera_control.type`` values it takes."""
    image_tail: frozenset[Combo] = _NONE
    """Where a last frame (``image_tail``) works."""
    tail_only: tuple[str, ...] = ()
    """Modes a last frame alone (``image_tail`` without ``image``) renders in."""
    image_tail_silent: bool = False
    """A first + last frame video must be silent (kling-v2-6)."""
    motion_brush: frozenset[Combo] = _NONE
    """Where ``static_mask`` / ``dynamic_masks`` work."""
    undocumented: frozenset[str] = frozenset()
    """Features no page covers on this model (``camera_control``, ``motion_brush``): their
    refusals are unsettled, so they are accepted."""
    multi_shot: bool = False
    """Takes ``multi_shot`` (with ``shot_type`` / ``multi_prompt``)."""
    max_elements: int = 0
    """Longest ``element_list``; 0: no ``element_list``."""
    extendable: bool = False
    """Its videos can be extended (``/v1/videos/video-extend``; the capability map: v1.x)."""
    plain_durations: tuple[str, ...] = ()
    """Omni o1: the durations allowed without reference images, elements or a video."""
    video_modes: tuple[str, ...] = ()
    """Omni: the modes allowed with a ``video_list`` (kling-v3-omni: no 4k)."""
    o1_frames: bool = False
    """Omni (kling-video-o1): first + end frames take no ``element_list``, a feature video no
    end frame."""
    resolutions: tuple[str, ...] = ()
    """Image ``resolution`` values, default first; empty: the field is refused."""
    image_references: tuple[str, ...] = ()
    """``image_reference`` values (image generation)."""
    needs_image: bool = False
    """Image-to-image only (kling-v2-new restyle): ``image`` is required."""
    series: bool = False
    """Omni image: ``result_type:"series"`` with ``series_amount``."""
    max_images: int = 0
    """Images (or images plus elements, where both count together) one request may hold."""
    auto_needs_refs: bool = False
    """Omni image: ``aspect_ratio:"auto"`` needs reference images or elements (kling-v3-omni)."""
    sources: tuple[Source, ...] = ()
    """The pages this row's values come from."""


def _family(*models: LegacyModel) -> Mapping[str, LegacyModel]:
    assert models[0].default, "the default model comes first"
    assert not any(model.default for model in models[1:]), "one default per family"
    return MappingProxyType({model.model: model for model in models})


_T2V_PAGES = (rg("text-to-video", "5, 10"), CAPABILITY_MAP)
_I2V_PAGES = (rg("image-to-video", "5, 10"), CAPABILITY_MAP)
_V2 = page(
    "kling-updates-api",
    "Kling-v2-master currently does not support mode parameter",
    date="2025-05-13",
)
_V2_CLIENT = kwai("Text2VideoNode, Image2VideoNode")
_V26 = rg("capability-map", "v2-6 std (仅无声视频); 声音控制 pro")
_V3 = page(
    "kling-updates-api",
    "Kling 3.0 Generation Range 3~15s; 4k: Text-to-Video kling-v3",
    date="2026-04-23",
)

_T2V = LegacyModel(
    "text_to_video",
    "",
    modes=_SP,
    default_mode="std",
    durations=_5_10,
    aspect_ratios=RATIOS_VIDEO,
    sources=_T2V_PAGES,
)
_I2V = LegacyModel(
    "image_to_video", "", modes=_SP, default_mode="std", durations=_5_10, sources=_I2V_PAGES
)


def _t2v(model: str, *sources: Source, **fields: Any) -> LegacyModel:
    return dataclasses.replace(_T2V, model=model, sources=_T2V.sources + sources, **fields)


def _i2v(model: str, *sources: Source, **fields: Any) -> LegacyModel:
    return dataclasses.replace(_I2V, model=model, sources=_I2V.sources + sources, **fields)


_PRO_5_10 = _combos(("pro",), _5_10)
_V3_UNDOCUMENTED = frozenset({"camera_control", "motion_brush"})

_TEXT_TO_VIDEO = _family(
    _t2v(
        "kling-v1",
        default=True,
        cfg_scale=True,
        camera_control=_combos(("std",), ("5",)),
        camera_types=CAMERA_TYPES,
        extendable=True,
    ),
    _t2v("kling-v1-6", cfg_scale=True, extendable=True),
    _t2v("kling-v2-master", _V2, _V2_CLIENT),
    _t2v("kling-v2-1-master", _V2_CLIENT),
    _t2v("kling-v2-5-turbo"),
    _t2v("kling-v2-6", _V26, sound=_PRO_5_10, max_voices=2),
    _t2v(
        "kling-v3",
        _V3,
        VIDEO_MAP,
        modes=_SP4K,
        durations=_3_15,
        sound=_combos(_SP4K, _3_15),
        max_voices=2,
        multi_shot=True,
        undocumented=_V3_UNDOCUMENTED,
    ),
)

_IMAGE_TO_VIDEO = _family(
    _i2v(
        "kling-v1",
        default=True,
        cfg_scale=True,
        image_tail=_combos(_SP, ("5",)),
        motion_brush=_combos(_SP, ("5",)),
        extendable=True,
    ),
    _i2v(
        "kling-v1-5",
        cfg_scale=True,
        image_tail=_PRO_5_10,
        tail_only=("pro",),
        motion_brush=_combos(("pro",), ("5",)),
        camera_control=_combos(("pro",), ("5",)),
        camera_types=("simple",),
        extendable=True,
    ),
    _i2v(
        "kling-v1-6",
        page(
            "kling-updates-api",
            "V1.6 model supports generating videos from end frame",
            date="2025-03-31",
        ),
        cfg_scale=True,
        image_tail=_PRO_5_10,
        tail_only=("pro",),
        extendable=True,
    ),
    _i2v("kling-v2-master", _V2, _V2_CLIENT),
    _i2v("kling-v2-1", image_tail=_PRO_5_10),
    _i2v("kling-v2-1-master", _V2_CLIENT),
    _i2v("kling-v2-5-turbo", image_tail=_PRO_5_10),
    _i2v(
        "kling-v2-6",
        _V26,
        sound=_PRO_5_10,
        max_voices=2,
        image_tail=_PRO_5_10,
        image_tail_silent=True,
    ),
    _i2v(
        "kling-v3",
        _V3,
        VIDEO_MAP,
        page("kling-omni-3.0-i2v", "Up to 3 Elements"),
        modes=_SP4K,
        durations=_3_15,
        sound=_combos(_SP4K, _3_15),
        max_voices=2,
        image_tail=_combos(_SP4K, _3_15),
        multi_shot=True,
        max_elements=3,
        undocumented=_V3_UNDOCUMENTED,
    ),
)

_MULTI_IMAGE_TO_VIDEO = _family(
    LegacyModel(
        "multi_image_to_video",
        "kling-v1-6",
        default=True,
        modes=_SP,
        default_mode="std",
        durations=_5_10,
        aspect_ratios=RATIOS_VIDEO,
        max_images=4,
        sources=(rg("multi-image-to-video", "kling-v1-6; image_list 最多4张"),),
    )
)

_OMNI_PAGES = (
    rg("omni-video-o1", "≤4 / ≤7"),
    page("kling-o1-video"),
    VIDEO_MAP,
)
_OMNI_VIDEO = _family(
    LegacyModel(
        "omni_video",
        "kling-video-o1",
        default=True,
        modes=_SP,
        default_mode="pro",
        durations=_3_10,
        plain_durations=_5_10,
        aspect_ratios=RATIOS_VIDEO,
        video_modes=_SP,
        max_images=7,
        max_elements=7,
        o1_frames=True,
        sources=(
            *_OMNI_PAGES,
            page(
                "kling-updates-api",
                "kling-video-o1 ... referencing a element is not supported",
                date="2026-03-11",
            ),
        ),
    ),
    LegacyModel(
        "omni_video",
        "kling-v3-omni",
        modes=_SP4K,
        default_mode="pro",
        durations=_3_15,
        aspect_ratios=RATIOS_VIDEO,
        sound=_combos(_SP4K, _3_15),
        multi_shot=True,
        video_modes=_SP,
        max_images=7,
        max_elements=7,
        sources=(*_OMNI_PAGES, page("kling-omni-3.0-ovg"), _V3),
    ),
)

_MOTION_CONTROL = _family(
    LegacyModel(
        "motion_control",
        "kling-v2-6",
        default=True,
        modes=_SP,
        sources=(rg("motion-control"),),
    ),
    LegacyModel(
        "motion_control",
        "kling-v3",
        modes=_SP,
        max_elements=1,
        sources=(
            rg("motion-control"),
            page("kling-motion-control-3.0", "At most 1 element can be specified."),
        ),
    ),
)

_1K_2K = ("1k", "2k")
_IMAGE_PAGES = (
    rg("image-generation"),
    rg("capability-map", "清晰度: kling-v1 1K; kling-v1-5 1K; kling-2 1K/2K"),
)
_V3_IMAGES = LegacyModel(
    "images",
    "kling-v3",
    aspect_ratios=RATIOS_IMAGE,
    resolutions=_1K_2K,
    max_elements=10,
    sources=(
        page("kling-image-2.1-generation", "shall not exceed 10"),
        page("kling-guide-capability-map-image", "Kling Image 3.0 … 1K, 2K", date="2026-05-19"),
    ),
)
_IMAGES = _family(
    LegacyModel(
        "images",
        "kling-v1",
        default=True,
        aspect_ratios=_RATIOS_IMAGE_V1,
        resolutions=("1k",),
        sources=_IMAGE_PAGES,
    ),
    LegacyModel(
        "images",
        "kling-v1-5",
        aspect_ratios=RATIOS_IMAGE,
        resolutions=("1k",),
        image_references=("subject", "face"),
        sources=(
            *_IMAGE_PAGES,
            page(
                "kling-updates-api",
                "V1.5 model supports character feature reference and character appearance "
                "reference",
                date="2025-03-25",
            ),
        ),
    ),
    LegacyModel(
        "images", "kling-v2", aspect_ratios=RATIOS_IMAGE, resolutions=_1K_2K, sources=_IMAGE_PAGES
    ),
    LegacyModel(
        "images",
        "kling-v2-new",
        needs_image=True,
        sources=(
            rg("capability-map", "风格转绘: 生成图片分辨率与入参图相同"),
            kwai("ImageGeneratorNode"),
        ),
    ),
    LegacyModel(
        "images",
        "kling-v2-1",
        aspect_ratios=RATIOS_IMAGE,
        resolutions=_1K_2K,
        image_references=("subject", "face"),
        sources=(
            page("kling-image-2.1-generation"),
            page("kling-guide-capability-map-image", "Kling Image 2.1 … 1K, 2K", date="2026-05-19"),
        ),
    ),
    _V3_IMAGES,
)

IMAGES_UNNAMED = dataclasses.replace(
    _V3_IMAGES, model="kling-v1", sources=DEFAULT_IMAGE_MODEL.evidence.sources
)
"""What an image generation without ``model_name`` is checked against: the page's table says
kling-v3 is the default, its text kling-v1 (``fake.images.default_model``, unsettled), so
FakeKling takes what either would take (kling-v3's capabilities take in kling-v1's); the task
names kling-v1, as the text has it."""

_OMNI_IMAGE = _family(
    LegacyModel(
        "omni_image",
        "kling-image-o1",
        default=True,
        aspect_ratios=(*RATIOS_IMAGE, "auto"),
        resolutions=_1K_2K,
        max_images=10,
        max_elements=10,
        sources=(
            page("kling-image-o1-generation", "must not exceed 10"),
            page(
                "kling-guide-capability-map-image",
                "O1 1K, 2K; Series: O1 Not Supported",
                date="2026-05-19",
            ),
        ),
    ),
    LegacyModel(
        "omni_image",
        "kling-v3-omni",
        aspect_ratios=(*RATIOS_IMAGE, "auto"),
        resolutions=("1k", "2k", "4k"),
        series=True,
        max_images=10,
        max_elements=10,
        auto_needs_refs=True,
        sources=(page("kling-image-omni-3.0-generation"), IMAGE_MAP),
    ),
)

_MULTI_IMAGE = LegacyModel(
    "multi_image_to_image",
    "kling-v2-1",
    default=True,
    aspect_ratios=RATIOS_IMAGE,
    max_images=4,
    sources=(page("kling-image-2.1-multi-image-to-image", "up to 4 images, at least 1"),),
)
_MULTI_IMAGE_TO_IMAGE = _family(
    _MULTI_IMAGE,
    # The early-2026 copy of the page has kling-v2 (its default), the current one kling-v2-1
    # only: FakeKling takes both, with the same capabilities.
    dataclasses.replace(
        _MULTI_IMAGE,
        model="kling-v2",
        default=False,
        sources=(rg("multi-image-to-image"),),
    ),
)

_TRY_ON = (rg("virtual-try-on"),)
_VIRTUAL_TRY_ON = _family(
    LegacyModel("virtual_try_on", "kolors-virtual-try-on-v1", default=True, sources=_TRY_ON),
    LegacyModel("virtual_try_on", "kolors-virtual-try-on-v1-5", sources=_TRY_ON),
)

LEGACY_MODELS: Mapping[str, Mapping[str, LegacyModel]] = MappingProxyType(
    {
        "text_to_video": _TEXT_TO_VIDEO,
        "image_to_video": _IMAGE_TO_VIDEO,
        "multi_image_to_video": _MULTI_IMAGE_TO_VIDEO,
        "omni_video": _OMNI_VIDEO,
        "motion_control": _MOTION_CONTROL,
        "images": _IMAGES,
        "omni_image": _OMNI_IMAGE,
        "multi_image_to_image": _MULTI_IMAGE_TO_IMAGE,
        "virtual_try_on": _VIRTUAL_TRY_ON,
    }
)
"""Family name -> ``model_name`` -> :class:`LegacyModel`, default model first."""

LEGACY_DEFAULT_MODELS: Mapping[str, str] = MappingProxyType(
    {family: next(iter(models)) for family, models in LEGACY_MODELS.items()}
)
"""Family name -> the ``model_name`` Kling uses when the field is omitted."""


def legacy_model(family: str, model_name: str | None) -> LegacyModel | None:
    """The entry for ``model_name`` (``None``: the default) on ``family``, or ``None``."""
    models = LEGACY_MODELS.get(family)
    if models is None:
        return None
    if model_name is None and family == "images":
        return IMAGES_UNNAMED
    return models.get(LEGACY_DEFAULT_MODELS[family] if model_name is None else model_name)
