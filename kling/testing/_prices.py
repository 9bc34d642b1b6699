"""What the fake charges for a task: its own copy of Kling's price table, and the charge of a task.

Written from Kling's pricing pages, independently of the SDK's table (``kling._prices``), so
that a price copied wrong on either side fails a test instead of agreeing with itself:

* https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-video.md
* https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-image.md

Only the rows the fake's models need. A task the pages give no price for (``kling-v1``, video
effects, extensions, elements, try-on; a lip-sync not a whole number of 5-second blocks) is
charged nothing: the fake never makes a price up. A new-standard task is charged by its model's
rate (``standard.models``), the same pages' figures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Literal, NamedTuple

from .._evidence import Source, page
from ._task import FakeTask, video_seconds

__all__ = ["USD_PER_UNIT", "Rate", "amount_text", "call_charge", "charge_of", "product_type"]

ZERO = Decimal(0)
_VIDEO = "kling-pricing-video"
_IMAGE = "kling-pricing-image"

#: Dollars per unit by pack type: the pages give each cell in both ("1.0 Unit ($0.14) /s",
#: "8 Units ($0.028) / image"). What a charge to the cash balance costs.
USD_PER_UNIT: Mapping[str, Decimal] = MappingProxyType(
    {"video": Decimal("0.14"), "image": Decimal("0.0035")}
)

Per = Literal["second", "5 seconds", "call", "image"]


class Rate(NamedTuple):
    """One row of a pricing page: units per ``per``, by resolution (``""``: any)."""

    units: Mapping[str, Decimal]
    per: Per
    source: Source


def _rate(per: Per, quote: str, page_name: str = _VIDEO, **units: str) -> Rate:
    by_resolution = {key.removeprefix("r"): Decimal(value) for key, value in units.items()}
    return Rate(MappingProxyType(by_resolution), per, page(page_name, quote))


def _image(quote: str, units: str, *resolutions: str) -> Rate:
    return Rate(
        MappingProxyType(dict.fromkeys(resolutions, Decimal(units))), "image", page(_IMAGE, quote)
    )


_S: Per = "second"

#: (page model, page feature) -> its rate.
RATES: Mapping[tuple[str, str], Rate] = MappingProxyType(
    {
        ("Kling 3.0", "No Native Audio"): _rate(
            _S,
            "Kling 3.0 | Per second | No Native Audio | 0.6 | 0.8 | 3.0",
            r720p="0.6",
            r1080p="0.8",
            r4k="3.0",
        ),
        ("Kling 3.0", "With Native Audio x No Voice Control"): _rate(
            _S,
            "Kling 3.0 | With Native Audio x No Voice Control | 0.9 | 1.2 | 3.0",
            r720p="0.9",
            r1080p="1.2",
            r4k="3.0",
        ),
        ("Kling 3.0", "Motion Control"): _rate(
            _S, "Kling 3.0 | Motion Control | 0.9 | 1.2", r720p="0.9", r1080p="1.2"
        ),
        ("Kling 3.0 Omni", "No Video Input x No Native Audio"): _rate(
            _S,
            "Kling 3.0 Omni | No Video Input x No Native Audio | 0.6 | 0.8 | 3.0",
            r720p="0.6",
            r1080p="0.8",
            r4k="3.0",
        ),
        ("Kling 3.0 Omni", "No Video Input x With Native Audio"): _rate(
            _S,
            "Kling 3.0 Omni | No Video Input x With Native Audio | 0.8 | 1.0 | 3.0",
            r720p="0.8",
            r1080p="1.0",
            r4k="3.0",
        ),
        ("Kling 3.0 Omni", "With Video Input x No Native Audio"): _rate(
            _S,
            "Kling 3.0 Omni | With Video Input x No Native Audio | 0.9 | 1.2 | 3.0",
            r720p="0.9",
            r1080p="1.2",
            r4k="3.0",
        ),
        ("Kling O1", "No Video Input"): _rate(
            _S, "Kling O1 | No Video Input | 0.6 | 0.8", r720p="0.6", r1080p="0.8"
        ),
        ("Kling O1", "With Video Input"): _rate(
            _S, "Kling O1 | With Video Input | 0.9 | 1.2", r720p="0.9", r1080p="1.2"
        ),
        ("Kling 2.6", "No Native Audio"): _rate(
            _S, "Kling 2.6 | No Native Audio | 0.3 | 0.5", r720p="0.3", r1080p="0.5"
        ),
        ("Kling 2.6", "With Native Audio x No Voice Control"): _rate(
            _S, "Kling 2.6 | With Native Audio x No Voice Control | - | 1.0", r1080p="1.0"
        ),
        ("Kling 2.6", "With Native Audio x With Voice Control"): _rate(
            _S, "Kling 2.6 | With Native Audio x With Voice Control | - | 1.2", r1080p="1.2"
        ),
        ("Kling 2.6", "Motion Control"): _rate(
            _S, "Kling 2.6 | Motion Control | 0.5 | 0.8", r720p="0.5", r1080p="0.8"
        ),
        ("Kling 2.5 Turbo", "No Native Audio"): _rate(
            _S, "Kling 2.5 Turbo | No Native Audio | 0.3 | 0.5", r720p="0.3", r1080p="0.5"
        ),
        ("Avatar", "Avatar"): _rate(
            _S, "Avatar | Per second | Avatar | 0.4 | 0.8", r720p="0.4", r1080p="0.8"
        ),
        ("Avatar", "TTS"): _rate("call", "Avatar | Per request | TTS | 0.05 /call", r="0.05"),
        ("Lip Sync", "Face Recognition"): _rate(
            "call", "Lip Sync | Per request | Face Recognition | 0.05 /call", r="0.05"
        ),
        ("Lip Sync", "Lip Sync"): _rate("5 seconds", "Lip Sync | Per 5 seconds | 0.5 /5s", r="0.5"),
        ("Audio Generation", "Text to Audio"): _rate(
            "call", "Audio Generation | Per request | Text to Audio | 0.25 /call", r="0.25"
        ),
        ("Audio Generation", "Video to Audio"): _rate(
            "call", "Audio Generation | Per request | Video to Audio | 0.25 /call", r="0.25"
        ),
        ("Audio Generation", "Custom Voice"): _rate(
            "call", "Audio Generation | Per request | Custom Voice | 0.05 /call", r="0.05"
        ),
        ("Kling Image 3.0", "Text-to-Image, Image-to-Image"): _image(
            "Kling Image 3.0 | Text-to-Image, Image-to-Image | 1K、2K | 8 Units", "8", "1k", "2k"
        ),
        ("Kling Image 3.0 Omni", "Text-to-Image, Image-to-Image"): Rate(
            MappingProxyType({"1k": Decimal(8), "2k": Decimal(8), "4k": Decimal(16)}),
            "image",
            page(_IMAGE, "Kling Image 3.0 Omni | 1K、2K | 8 Units ... | 4K | 16 Units"),
        ),
        ("Kling Image O1", "Text-to-Image, Image-to-Image"): _image(
            "Kling Image O1 | Text-to-Image, Image-to-Image | 1K、2K | 8 Units", "8", "1k", "2k"
        ),
        ("Kling Image 2.1", "Text-to-Image"): _image(
            "Kling Image 2.1 | Text-to-Image | 1K、2K | 4 Units", "4", "1k", "2k"
        ),
        ("Kling Image 2.1", "Image-to-Image"): _image(
            "Kling Image 2.1 | Image-to-Image | 1K、2K | 8 Units", "8", "1k", "2k"
        ),
        ("Kling Image 2.1", "Multi-image to Image"): _image(
            "Kling Image 2.1 | Multi-image to Image | 1K、2K | 16 Units", "16", "1k", "2k"
        ),
        ("General", "AI Multi-Shot"): _rate(
            "call", "General | AI Multi-Shot | 1K | 20 Units ($0.07) / call", _IMAGE, r="20"
        ),
        ("General", "Outpainting"): _image("General | Outpainting | 1K | 8 Units", "8", "1k"),
    }
)

#: Legacy ``model_name`` -> the pricing page's model, for videos and for images. The pages name
#: models ("Kling 3.0"); the changelog and each model's page tie the ids to those names.
VIDEO_MODELS: Mapping[str, str] = MappingProxyType(
    {
        "kling-v3": "Kling 3.0",
        "kling-v3-omni": "Kling 3.0 Omni",
        "kling-video-o1": "Kling O1",
        "kling-v2-6": "Kling 2.6",
        "kling-v2-5-turbo": "Kling 2.5 Turbo",
    }
)
IMAGE_MODELS: Mapping[str, str] = MappingProxyType(
    {
        "kling-v3": "Kling Image 3.0",
        "kling-v3-omni": "Kling Image 3.0 Omni",
        "kling-image-o1": "Kling Image O1",
        "kling-v2-1": "Kling Image 2.1",
    }
)
MODEL_SOURCES = (
    page("kling-updates-api", "Text-to-Video: `kling-v3` model", date="2026-04-23"),
    page("kling-omni-3.0-ovg", "/omni-video/kling-3.0-omni"),
    page("kling-o1-video", "The Kling O1 model"),
    page("kling-updates-api", "V2.6 model upgraded", date="2025-12-16"),
    page("kling-updates-api", "V2.5-Turbo supports STD Mode", date="2025-11-11"),
    page("kling-image-omni-3.0-generation", "Path: `/v1/images/generations`"),
    page("kling-image-2.1-generation", "api/image/2-1/image-generation"),
    page("kling-image-o1-generation", "`kling-image-o1`"),
)
#: "720p, 1080p, 4k (Legacy: mode parameter mapped as 720p=std, 1080p=pro)": the package page.
RESOLUTIONS: Mapping[str, str] = MappingProxyType({"std": "720p", "pro": "1080p", "4k": "4k"})


def amount_text(amount: Decimal) -> str:
    """A decimal string without exponent or trailing zeros, as Kling writes a charge."""
    return format(amount.normalize(), "f") if amount else "0"


def product_type(task: FakeTask) -> str:
    """The pack a task draws from: ``video``, ``image`` or ``try-on`` (the package page's
    enum); the video page prices audio too ("video generation and related capabilities")."""
    if task.family.name == "virtual_try_on":
        return "try-on"
    return "image" if task.family.result == "images" else "video"


def call_charge(model: str, feature: str) -> str:
    """``final_unit_deduction`` of a synchronous call priced per request (TTS, identify-face)."""
    return amount_text(RATES[(model, feature)].units[""])


def charge_of(task: FakeTask) -> Decimal:
    """Units a task that succeeded costs (0 where the pages give no price)."""
    if task.standard == "new":
        return Decimal(getattr(task, "amount", "0"))
    pricer = _PRICERS.get(task.family.name)
    return pricer(task) if pricer is not None else ZERO


# -- each family's charge -------------------------------------------------------------------


def _units(model: str, feature: str, resolution: str, quantity: Decimal) -> Decimal:
    rate = RATES.get((model, feature))
    units = rate.units.get(resolution) if rate is not None else None
    return ZERO if units is None else units * quantity


def _seconds(task: FakeTask) -> Decimal:
    return Decimal(str(video_seconds(task)))


def _resolution(task: FakeTask, default: str = "std") -> str:
    mode = task.details.get("mode") or task.body.get("mode") or default
    return RESOLUTIONS.get(str(mode), str(mode))


def _video(task: FakeTask) -> Decimal:
    model = VIDEO_MODELS.get(str(task.details.get("model_name") or task.body.get("model_name")))
    if model is None:
        return ZERO
    body, family = task.body, task.family.name
    audio = body.get("sound") == "on"
    if family == "motion_control":
        feature = "Motion Control"
    elif family == "omni_video":
        videos = "With Video Input" if body.get("video_list") else "No Video Input"
        sound = "With Native Audio" if audio else "No Native Audio"
        feature = videos if model == "Kling O1" else f"{videos} x {sound}"
    elif not audio:
        feature = "No Native Audio"
    else:
        voices = "With Voice Control" if body.get("voice_list") else "No Voice Control"
        feature = f"With Native Audio x {voices}"
    return _units(model, feature, _resolution(task), _seconds(task))


def _images(task: FakeTask) -> Decimal:
    model = IMAGE_MODELS.get(str(task.details.get("model_name") or task.body.get("model_name")))
    if model is None:
        return ZERO
    body = task.body
    edits = bool(body.get("image") or body.get("image_list"))
    feature = "Image-to-Image" if edits else "Text-to-Image"
    if (model, feature) not in RATES:
        feature = "Text-to-Image, Image-to-Image"
    resolution = str(body.get("resolution") or "1k")
    return _units(model, feature, resolution, Decimal(len(task.result_ids)))


def _fixed(model: str, feature: str, resolution: str = "") -> Callable[[FakeTask], Decimal]:
    def charge(task: FakeTask) -> Decimal:
        rate = RATES[(model, feature)]
        count = len(task.result_ids) if rate.per == "image" else 1
        return _units(model, feature, resolution, Decimal(count))

    return charge


def _multi_image(task: FakeTask) -> Decimal:
    if str(task.details.get("model_name") or task.body.get("model_name")) != "kling-v2-1":
        return ZERO
    return _units("Kling Image 2.1", "Multi-image to Image", "1k", Decimal(len(task.result_ids)))


def _avatar(task: FakeTask) -> Decimal:
    return _units("Avatar", "Avatar", _resolution(task), _seconds(task))


def _lip_sync(task: FakeTask) -> Decimal:
    blocks, rest = divmod(_seconds(task), 5)
    # How a length that is not a whole number of 5 s blocks is billed is not published.
    return ZERO if rest else _units("Lip Sync", "Lip Sync", "", blocks)


_PRICERS: Mapping[str, Callable[[FakeTask], Decimal]] = MappingProxyType(
    {
        "text_to_video": _video,
        "image_to_video": _video,
        "omni_video": _video,
        "motion_control": _video,
        "images": _images,
        "omni_image": _images,
        "multi_image_to_image": _multi_image,
        "image_expand": _fixed("General", "Outpainting", "1k"),
        "ai_multi_shot": _fixed("General", "AI Multi-Shot"),
        "text_to_audio": _fixed("Audio Generation", "Text to Audio"),
        "video_to_audio": _fixed("Audio Generation", "Video to Audio"),
        "voices": _fixed("Audio Generation", "Custom Voice"),
        "avatar": _avatar,
        "lip_sync": _lip_sync,
        "advanced_lip_sync": _lip_sync,
    }
)
