"""Kling's published prices: one table, each row with its page and date. No I/O.

Kling publishes what a task costs in *units* of a resource package, and what a unit costs in
dollars, on two pages (copied on the date of :data:`kling._evidence.COPIED`):

* video, audio, lip sync and recognition, per second or per call:
  https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-video.md
* images, per image or per call:
  https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-image.md

The rows below are the pages' cells, copied verbatim ("0.6 Units ($0.084) /s") and parsed, so
that a reader can hold them against the page. A model, feature or resolution the pages do not
price has no row: a quote for it is *unpriced*, never guessed (``kling._quote``).

The package a row draws from is the page's: the video page prices "video generation and related
video capabilities" (its audio, lip-sync and recognition rows included), the image page image
generation. Kling's billing also names an ``audio`` package (a task's ``billing[].package_type``),
but no page says which capability draws from it, so no row does.

Which page model a model id is (``kling-v3`` is "Kling 3.0") is :data:`MODEL_NAMES`, each with
the source that ties the two together.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal, NamedTuple

from ._evidence import Source, page
from ._params._rulebook import rg

__all__ = [
    "IMAGE_PAGE",
    "MODEL_NAMES",
    "PRICES",
    "USD_PER_UNIT",
    "VIDEO_PAGE",
    "ModelName",
    "Package",
    "Per",
    "Price",
    "find_price",
    "prices_of",
]

Package = Literal["video", "image", "audio"]
"""The resource package a charge draws from (``billing[].package_type``)."""
Per = Literal["second", "5 seconds", "call", "image"]
"""What one row's units pay for."""

VIDEO_PAGE = "kling-pricing-video"
IMAGE_PAGE = "kling-pricing-image"

#: List price of one unit in USD, by package: the pages give each cell in units and dollars
#: ("1.0 Unit ($0.14) /s", "8 Units ($0.028) / image"); ``tests/test_quotes.py`` checks that
#: every row's dollars are its units at this rate.
USD_PER_UNIT: dict[str, Decimal] = {"video": Decimal("0.14"), "image": Decimal("0.0035")}


class Price(NamedTuple):
    """One priced cell of Kling's pricing pages."""

    model: str
    """The model as the page names it (``Kling 3.0``, ``Kling Image O1``, ``Lip Sync``)."""
    feature: str
    """The page's feature or function column, verbatim (``No Native Audio``)."""
    resolution: str
    """``720p``, ``1080p``, ``4k``, ``1k``, ``2k``; empty where the page gives none."""
    units: Decimal
    per: Per
    package: Package
    usd: Decimal
    """The page's own dollar figure for the cell."""
    source: Source

    def describe(self) -> str:
        """``Kling 3.0, No Native Audio, 720p: 0.6 units/second``."""
        where = f", {self.resolution}" if self.resolution else ""
        return f"{self.model}, {self.feature}{where}: {self.units} units/{self.per}"


_CELL = re.compile(r"^([\d.]+) Units? \(\$([\d.]+)\) ?/ ?(s|5s|call|image)$")
_PER: dict[str, Per] = {"s": "second", "5s": "5 seconds", "call": "call", "image": "image"}


def _parse(cell: str) -> tuple[Decimal, Decimal, Per]:
    match = _CELL.match(cell)
    if match is None:  # pragma: no cover - a cell copied wrong fails at import, in every test
        raise ValueError(f"not a price cell: {cell!r}")
    units, usd, per = match.groups()
    return Decimal(units), Decimal(usd), _PER[per]


# The video page's table, row by row: Model | Features | Price (720P) | Price (1080P) | Price (4K).
_VIDEO_TABLE = (
    ("Kling 3.0 Turbo", "With Native Audio", "0.8 Units ($0.112) /s", "1.0 Unit ($0.14) /s", "-"),
    (
        "Kling 3.0",
        "No Native Audio",
        "0.6 Units ($0.084) /s",
        "0.8 Units ($0.112) /s",
        "3.0 Units ($0.42) /s",
    ),
    (
        "Kling 3.0",
        "With Native Audio x No Voice Control",
        "0.9 Units ($0.126) /s",
        "1.2 Units ($0.168) /s",
        "3.0 Units ($0.42) /s",
    ),
    ("Kling 3.0", "Motion Control", "0.9 Units ($0.126) /s", "1.2 Units ($0.168) /s", "-"),
    (
        "Kling 3.0 Omni",
        "No Video Input x No Native Audio",
        "0.6 Units ($0.084) /s",
        "0.8 Units ($0.112) /s",
        "3.0 Units ($0.42) /s",
    ),
    (
        "Kling 3.0 Omni",
        "No Video Input x With Native Audio",
        "0.8 Units ($0.112) /s",
        "1.0 Unit ($0.14) /s",
        "3.0 Units ($0.42) /s",
    ),
    (
        "Kling 3.0 Omni",
        "With Video Input x No Native Audio",
        "0.9 Units ($0.126) /s",
        "1.2 Units ($0.168) /s",
        "3.0 Units ($0.42) /s",
    ),
    ("Kling O1", "No Video Input", "0.6 Units ($0.084) /s", "0.8 Units ($0.112) /s", "-"),
    ("Kling O1", "With Video Input", "0.9 Units ($0.126) /s", "1.2 Units ($0.168) /s", "-"),
    ("Kling 2.6", "No Native Audio", "0.3 Units ($0.042) /s", "0.5 Units ($0.07) /s", "-"),
    ("Kling 2.6", "With Native Audio x No Voice Control", "-", "1.0 Unit ($0.14) /s", "-"),
    ("Kling 2.6", "With Native Audio x With Voice Control", "-", "1.2 Units ($0.168) /s", "-"),
    ("Kling 2.6", "Motion Control", "0.5 Units ($0.07) /s", "0.8 Units ($0.112) /s", "-"),
    ("Kling 2.5 Turbo", "No Native Audio", "0.3 Units ($0.042) /s", "0.5 Units ($0.07) /s", "-"),
    ("Avatar", "Avatar", "0.4 Units ($0.056) /s", "0.8 Units ($0.112) /s", "-"),
    # Priced per request or per chunk: the page puts the price in its 720P column.
    ("Avatar", "TTS", "0.05 Units ($0.007) /call", "-", "-"),
    ("Lip Sync", "Lip Sync", "0.5 Units ($0.07) /5s", "-", "-"),
    ("Lip Sync", "Face Recognition", "0.05 Units ($0.007) /call", "-", "-"),
    ("Audio Generation", "Text to Audio", "0.25 Units ($0.035) /call", "-", "-"),
    ("Audio Generation", "Video to Audio", "0.25 Units ($0.035) /call", "-", "-"),
    ("Audio Generation", "Custom Voice", "0.05 Units ($0.007) /call", "-", "-"),
    ("Image Recognition", "Image Recognition", "0.1 Units ($0.014) /call", "-", "-"),
)
_VIDEO_RESOLUTIONS = ("720p", "1080p", "4k")

# The image page's table: Model | Function | Resolution | Price.
_IMAGE_TABLE = (
    ("Kling Image 3.0", "Text-to-Image, Image-to-Image", "1K、2K", "8 Units ($0.028) / image"),
    (
        "Kling Image 3.0 Omni",
        "Text-to-Image, Image-to-Image",
        "1K、2K",
        "8 Units ($0.028) / image",
    ),
    ("Kling Image 3.0 Omni", "Text-to-Image, Image-to-Image", "4K", "16 Units ($0.056) / image"),
    ("Kling Image O1", "Text-to-Image, Image-to-Image", "1K、2K", "8 Units ($0.028) / image"),
    ("Kling Image 2.1", "Text-to-Image", "1K、2K", "4 Units ($0.014) / image"),
    ("Kling Image 2.1", "Image-to-Image", "1K、2K", "8 Units ($0.028) / image"),
    ("Kling Image 2.1", "Multi-image to Image", "1K、2K", "16 Units ($0.056) / image"),
    ("General", "AI Multi-Shot", "1K", "20 Units ($0.07) / call"),
    ("General", "Outpainting", "1K", "8 Units ($0.028) / image"),
)


def _video_rows() -> list[Price]:
    rows = []
    for model, feature, *cells in _VIDEO_TABLE:
        for resolution, cell in zip(_VIDEO_RESOLUTIONS, cells, strict=True):
            if cell == "-":
                continue
            units, usd, per = _parse(cell)
            # A per-request price is not a 720p price: it has no resolution.
            shown = resolution if per == "second" else ""
            quote = f"{model} | {feature} | {cell}"
            source = page(VIDEO_PAGE, quote)
            rows.append(Price(model, feature, shown, units, per, "video", usd, source))
    return rows


def _image_rows() -> list[Price]:
    rows = []
    for model, function, resolutions, cell in _IMAGE_TABLE:
        units, usd, per = _parse(cell)
        source = page(IMAGE_PAGE, f"{model} | {function} | {resolutions} | {cell}")
        for resolution in resolutions.lower().split("、"):
            rows.append(Price(model, function, resolution, units, per, "image", usd, source))
    return rows


#: Every priced cell of both pages.
PRICES: tuple[Price, ...] = (*_video_rows(), *_image_rows())

_BY_KEY: dict[tuple[str, str, str], Price] = {
    (row.model, row.feature, row.resolution): row for row in PRICES
}


def find_price(model: str, feature: str, resolution: str = "") -> Price | None:
    """The row of ``model`` and ``feature`` at ``resolution``, or None: no published price.

    An image row whose function the page lists with another ("Text-to-Image, Image-to-Image")
    is found by either.
    """
    found = _BY_KEY.get((model, feature, resolution))
    if found is not None:
        return found
    for row in PRICES:
        functions = [part.strip() for part in row.feature.split(",")]
        if row.model == model and row.resolution == resolution and feature in functions:
            return row
    return None


def prices_of(model: str, feature: str) -> tuple[Price, ...]:
    """Every resolution's row of ``model`` and ``feature`` (for a rate a quote cannot apply)."""
    return tuple(row for row in PRICES if row.model == model and row.feature == feature)


class ModelName(NamedTuple):
    """Which model of the pricing pages a model id is, and the source that says so."""

    priced: str
    """The model as the pricing page names it."""
    source: Source


def _changelog(date: str, quote: str) -> Source:
    return page("kling-updates-api", quote, date=date)


#: (what the model id is used on, model id) -> the page model. ``video`` is any video family or
#: product, ``image`` the image families. A model id with no entry has no published price.
MODEL_NAMES: dict[tuple[str, str], ModelName] = {
    # The new standard: each model's own page is the page of the model the pricing page names.
    ("video", "kling-3.0-turbo"): ModelName(
        "Kling 3.0 Turbo",
        _changelog(
            "2026-06-17",
            "Kling 3.0 Turbo Officially Released ... 0.8 units are deducted per second for 720P "
            "generation, and 1.0 unit is deducted per second for 1080P generation",
        ),
    ),
    ("video", "kling-3.0"): ModelName(
        "Kling 3.0", page("kling-omni-3.0-t2v", "Path: `/text-to-video/kling-3.0`")
    ),
    ("video", "kling-3.0-omni"): ModelName(
        "Kling 3.0 Omni", page("kling-omni-3.0-ovg", "/omni-video/kling-3.0-omni")
    ),
    ("video", "kling-o1"): ModelName(
        "Kling O1", page("kling-o1-video", "Path: `/omni-video/kling-o1` ... The Kling O1 model")
    ),
    ("video", "kling-2.6"): ModelName(
        "Kling 2.6", page("kling-2.6-t2v", "Path: `/text-to-video/kling-2.6`")
    ),
    ("video", "kling-2.5-turbo"): ModelName(
        "Kling 2.5 Turbo", page("kling-2.5-turbo-t2v", "Path: `/text-to-video/kling-2.5-turbo`")
    ),
    # The legacy model names, tied to the page models by the changelog's prices and names.
    ("video", "kling-v3"): ModelName(
        "Kling 3.0",
        _changelog(
            "2026-04-23",
            "Text-to-Video: `kling-v3` model ... Image-to-Video: `kling-v3` model ... 3 units "
            "deducted per second",
        ),
    ),
    ("video", "kling-v3-omni"): ModelName(
        "Kling 3.0 Omni",
        _changelog(
            "2026-04-23",
            "Omni-Video: The `kling-v3-omni` model supports all functions except for "
            '"reference video"',
        ),
    ),
    ("video", "kling-video-o1"): ModelName(
        "Kling O1",
        rg("omni-video-o1", "# Omni-Video (O1) ... `kling-video-o1`"),
    ),
    ("video", "kling-v2-6"): ModelName(
        "Kling 2.6",
        _changelog(
            "2025-12-16",
            "V2.6 model upgraded: By using prompt and voice_list ... 6 units will be deducted "
            "for 5 seconds, and 12 units will be deducted for 10 seconds",
        ),
    ),
    ("video", "kling-v2-5-turbo"): ModelName(
        "Kling 2.5 Turbo",
        _changelog(
            "2025-11-11",
            "V2.5-Turbo supports STD Mode ... Deduct 1.5 units when generate a 5-second video",
        ),
    ),
    # Images: the page of each model id names its pricing-page model.
    ("image", "kling-v3"): ModelName(
        "Kling Image 3.0",
        page(
            "kling-image-omni-3.0-generation",
            "Source: .../api/image/3-0-omni/image-generation ... Path: `/v1/images/generations`",
        ),
    ),
    ("image", "kling-v2-1"): ModelName(
        "Kling Image 2.1",
        page("kling-image-2.1-generation", "Source: .../api/image/2-1/image-generation"),
    ),
    ("image", "kling-image-o1"): ModelName(
        "Kling Image O1",
        page("kling-image-o1-generation", "`model_name` | string | No | `kling-image-o1`"),
    ),
    ("image", "kling-v3-omni"): ModelName(
        "Kling Image 3.0 Omni",
        page(
            "kling-image-omni-3.0-image-omni",
            "Source: .../api/image/3-0-omni/image-omni ... `kling-v3-omni`",
        ),
    ),
}
