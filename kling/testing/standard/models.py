"""The fake's own table of Kling's new-standard (API 2.0) models: what each one accepts.

Written from Kling's page for each model and its video prices, independently of the SDK's tables,
so that a wrong capability in the SDK fails a test instead of agreeing with itself. Where the
sources disagree the stricter reading is kept: the fake must never accept what Kling refuses.

Sources: the pages in https://github.com/aself101/kling-api/tree/main/docs/api, above all
https://github.com/aself101/kling-api/blob/main/docs/api/kling-guide-capability-map-video.md
and https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-video.md
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from ..._evidence import Source, page
from .._rulebook import VIDEO_MAP

Product = Literal["text-to-video", "image-to-video", "omni-video", "motion-control"]
"""The first path segment of a new-standard create (``POST /<product>/<model>``)."""

RateKind = Literal["base", "audio", "voice", "video"]
"""Which unit price applies: plain, native audio, audio with voice control, or a video input."""

PRODUCTS: tuple[Product, ...] = ("text-to-video", "image-to-video", "omni-video", "motion-control")

CONTENT_TYPES = frozenset(
    {
        "prompt",
        "first_frame",
        "last_frame",
        "refer_image",
        "feature_video",
        "base_video",
        "element",
        "voice",
        "image",
        "video",
    }
)
"""Every ``contents[].type`` of the new standard; others are refused as invalid values.

Kling's type validator is shared by all products (types of another product pass it and are
refused, or ignored, later): a known type the model does not take gets its own message.
"""

IMAGE_TYPES = frozenset({"first_frame", "last_frame", "refer_image", "image"})
"""Content types whose ``url`` is an image: an https URL or raw Base64."""
VIDEO_TYPES = frozenset({"feature_video", "base_video", "video"})
"""Content types whose ``url`` is a video: an https URL only."""

ASPECT_RATIOS = ("16:9", "9:16", "1:1")


def _prices(*rows: tuple[RateKind, str, str, str | None]) -> Mapping[RateKind, Mapping[str, str]]:
    table: dict[RateKind, Mapping[str, str]] = {}
    for kind, p720, p1080, p4k in rows:
        row = {"720p": p720, "1080p": p1080} if p720 else {"1080p": p1080}
        if p4k is not None:
            row["4k"] = p4k
        table[kind] = MappingProxyType(row)
    return MappingProxyType(table)


def _counts(**counts: int) -> Mapping[str, int]:
    return MappingProxyType(counts)


@dataclass(frozen=True, eq=False)  # eq=False: hashable (by identity) despite its mappings
class StandardModel:
    """What one model accepts on one new-standard product, and what a second of it costs."""

    product: Product
    model: str
    """The path id (``kling-3.0``)."""
    resolutions: tuple[str, ...]
    """``settings.resolution`` values; the first is the default."""
    durations: tuple[int, ...]
    """``settings.duration`` values (default 5); empty: the product has no duration."""
    aspect_ratios: tuple[str, ...]
    """``settings.aspect_ratio`` values (default 16:9); empty: the product has no such field."""
    audio: tuple[str, ...]
    """``settings.audio`` values; empty: the model has no audio field (refused if sent)."""
    default_audio: str | None
    multi_shot: bool
    """Has ``settings.multi_shot`` (default ``true``); refused if sent to a model without it."""
    prompt_max: int
    """Longest prompt, in characters."""
    contents: Mapping[str, int]
    """Content type -> how many items of it one task may hold (empty: a top-level prompt)."""
    required: tuple[str, ...]
    """Content types a task must hold."""
    rates: Mapping[RateKind, Mapping[str, str]]
    """Units per second by kind and resolution (Kling's video prices); ``base`` always exists."""
    orientations: tuple[str, ...] = ()
    """``settings.character_orientation`` values (required when non-empty: motion control)."""
    audio_needs_1080p: bool = False
    """Native audio only renders at 1080p (2.6)."""
    first_last_needs_1080p: bool = False
    """A first + last frame pair only renders at 1080p (2.6 and 2.5-turbo image-to-video)."""
    first_last_silent: bool = False
    """A first + last frame pair only renders silent (2.6: the capability map's reading)."""
    plain_durations: tuple[int, ...] = ()
    """Durations allowed without reference images, elements or videos (O1: 5 or 10)."""
    video_characters: bool = True
    """Takes video-character elements (O1 takes multi-image elements only)."""
    alias_of: str | None = None
    """For a path id observed live but not documented: the documented model it stands for."""
    sources: tuple[Source, ...] = ()
    """The pages this row's values come from."""

    @property
    def canonical(self) -> str:
        """The documented model id this entry behaves as."""
        return self.alias_of or self.model


_PRICES = page("kling-pricing-video")
_CAP_3072 = 3072
_CAP_2500 = 2500
_FRAMES = {"prompt": 1, "first_frame": 1, "last_frame": 1}
_OMNI_CONTENTS = _counts(
    prompt=1, first_frame=1, last_frame=1, refer_image=7, feature_video=1, base_video=1, element=7
)
_3_TO_15 = tuple(range(3, 16))
_5_OR_10 = (5, 10)
_UP_TO_4K = ("720p", "1080p", "4k")
_UP_TO_1080P = ("720p", "1080p")


def _video(product: Product, turbo_prompt_max: int) -> tuple[StandardModel, ...]:
    """The four text-/image-to-video models; image-to-video takes ``contents`` and no ratio."""
    t2v = product == "text-to-video"

    def contents(**counts: int) -> Mapping[str, int]:
        return _counts() if t2v else _counts(**counts)

    ratios = ASPECT_RATIOS if t2v else ()
    required = () if t2v else ("prompt", "first_frame")
    kind = "t2v" if t2v else "i2v"

    def pages(name: str) -> tuple[Source, ...]:
        return (page(f"kling-{name}-{kind}.md"), _PRICES, VIDEO_MAP)

    return (
        StandardModel(
            model="kling-3.0-turbo",
            resolutions=_UP_TO_1080P,
            durations=_3_TO_15,
            audio=(),  # always on, no field
            default_audio=None,
            multi_shot=False,  # multi-shot by prompt syntax only
            prompt_max=turbo_prompt_max,
            contents=contents(prompt=1, first_frame=1),
            rates=_prices(("base", "0.8", "1.0", None)),
            sources=pages("3.0-turbo"),
            product=product,
            aspect_ratios=ratios,
            required=required,
        ),
        StandardModel(
            model="kling-3.0",
            resolutions=_UP_TO_4K,
            durations=_3_TO_15,
            audio=("native", "off"),
            default_audio="off",
            multi_shot=True,
            prompt_max=_CAP_3072,
            contents=contents(**_FRAMES, element=3),
            rates=_prices(("base", "0.6", "0.8", "3.0"), ("audio", "0.9", "1.2", "3.0")),
            sources=pages("omni-3.0"),
            product=product,
            aspect_ratios=ratios,
            required=required,
        ),
        StandardModel(
            model="kling-2.6",
            resolutions=_UP_TO_1080P,
            durations=_5_OR_10,
            audio=("native", "off"),
            default_audio="off",
            multi_shot=False,
            prompt_max=_CAP_2500,
            contents=contents(**_FRAMES, voice=2),
            rates=_prices(
                ("base", "0.3", "0.5", None), ("audio", "", "1.0", None), ("voice", "", "1.2", None)
            ),
            audio_needs_1080p=True,
            first_last_needs_1080p=not t2v,
            first_last_silent=not t2v,
            sources=pages("2.6"),
            product=product,
            aspect_ratios=ratios,
            required=required,
        ),
        StandardModel(
            model="kling-2.5-turbo",
            resolutions=_UP_TO_1080P,
            durations=_5_OR_10,
            audio=(),  # silent, no field
            default_audio=None,
            multi_shot=False,
            prompt_max=_CAP_2500,
            contents=contents(**_FRAMES),
            rates=_prices(("base", "0.3", "0.5", None)),
            first_last_needs_1080p=not t2v,
            sources=pages("2.5-turbo"),
            product=product,
            aspect_ratios=ratios,
            required=required,
        ),
    )


_OMNI_3 = StandardModel(
    product="omni-video",
    model="kling-3.0-omni",
    resolutions=_UP_TO_4K,
    durations=_3_TO_15,
    aspect_ratios=ASPECT_RATIOS,
    audio=("native", "original", "off"),
    default_audio="off",
    multi_shot=True,
    prompt_max=_CAP_3072,
    contents=_OMNI_CONTENTS,
    required=("prompt",),
    rates=_prices(
        ("base", "0.6", "0.8", "3.0"),
        ("audio", "0.8", "1.0", "3.0"),
        ("video", "0.9", "1.2", "3.0"),
    ),
    sources=(page("kling-omni-3.0-ovg"), _PRICES, VIDEO_MAP),
)
_O1 = StandardModel(
    product="omni-video",
    model="kling-o1",
    resolutions=_UP_TO_1080P,
    durations=tuple(range(3, 11)),
    aspect_ratios=ASPECT_RATIOS,
    audio=("original", "off"),
    default_audio="off",
    multi_shot=False,
    prompt_max=_CAP_2500,
    contents=_OMNI_CONTENTS,
    required=("prompt",),
    rates=_prices(("base", "0.6", "0.8", None), ("video", "0.9", "1.2", None)),
    plain_durations=_5_OR_10,
    video_characters=False,
    sources=(page("kling-o1-video"), _PRICES, VIDEO_MAP),
)


def _motion(model: str, p720: str, p1080: str, *, element: bool, name: str) -> StandardModel:
    return StandardModel(
        product="motion-control",
        model=model,
        resolutions=_UP_TO_1080P,
        durations=(),  # the output follows the motion video
        aspect_ratios=(),
        audio=("original", "off"),
        default_audio="original",
        multi_shot=False,
        prompt_max=_CAP_2500,
        contents=_counts(prompt=1, image=1, video=1, **({"element": 1} if element else {})),
        required=("image", "video"),
        rates=_prices(("base", p720, p1080, None)),
        orientations=("image", "video"),
        sources=(page(f"kling-motion-control-{name}.md"), _PRICES),
    )


MODELS: tuple[StandardModel, ...] = (
    *_video("text-to-video", turbo_prompt_max=_CAP_3072),
    # The 3.0-turbo i2v page's JSON comment says 2500 where the t2v page says 3072
    # ("recommended: ≤ 2500"): the cap is 3072 (fake.standard.prompt).
    *_video("image-to-video", turbo_prompt_max=_CAP_3072),
    _OMNI_3,
    _O1,
    # Observed live as a path id by a third party's migration notes (not in Kling's pages, and no
    # public copy to cite); treated as a true alias of the documented model.
    dataclasses.replace(_OMNI_3, model="kling-v3-omni", alias_of="kling-3.0-omni"),
    _motion("kling-3.0", "0.9", "1.2", element=True, name="3.0"),
    _motion("kling-2.6", "0.5", "0.8", element=False, name="2.6"),
)
"""Every (product, model) the fake's new-standard routes accept, documented order."""

_BY_KEY: dict[tuple[str, str], StandardModel] = {(m.product, m.model): m for m in MODELS}

MULTI_SHOT_PRODUCTS = frozenset(m.product for m in MODELS if m.multi_shot)
"""Products with a ``settings.multi_shot`` field on some model (motion control has none)."""


def find_model(product: str, model: str) -> StandardModel | None:
    """The table entry for ``POST /<product>/<model>``, or ``None`` when Kling refuses it."""
    return _BY_KEY.get((product, model))


def is_standard_path(path: str) -> bool:
    """Whether ``path`` belongs to the new standard (API-key auth, new error texts)."""
    first = path.lstrip("/").partition("/")[0]
    return first == "tasks" or first in PRODUCTS
