"""What a create will cost, from Kling's price table (``kling._prices``): :class:`Quote`.

:func:`quote_for` reads a create's parameters (those of the row's ``create``, validated first:
``prepare_body``) and Kling's defaults for what they leave out, and prices them: units of a
resource package and their list price in USD. What the table has no row for, or what a quote
cannot know before the task runs (how long a lip-synced or motion-controlled video comes out),
is *unpriced*, with the reason: never guessed. No I/O.

Quotes add up (``q1 + q2``, ``sum(quotes)``): a batch's total per package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from ._evidence import page
from ._params._legacy_models import DEFAULT_MODELS
from ._params._rulebook import rg
from ._prices import MODEL_NAMES, USD_PER_UNIT, Price, find_price, prices_of
from ._rows import Endpoint, Product

__all__ = ["LEGACY_RESOLUTIONS", "Quote", "QuoteLine", "quote_for"]

#: What a legacy ``mode`` renders: the billing pages list a task's resolution as "720p, 1080p,
#: 4k (Legacy: mode parameter mapped as 720p=std, 1080p=pro)"; ``4k`` is its own mode.
LEGACY_RESOLUTIONS = {"std": "720p", "pro": "1080p", "4k": "4k"}
MODE_SOURCE = page("kling-assets-package", "(Legacy: mode parameter mapped as 720p=std, 1080p=pro)")

#: The legacy video families' ``mode`` when none is sent: ``std``, but ``pro`` on omni video.
LEGACY_DEFAULT_MODE = {"omni_video": "pro"}
DEFAULT_MODE_SOURCES = (
    rg("text-to-video", "mode | string | 可选 | std"),
    rg("omni-video-o1", "mode | string | 可选 | pro"),
)
#: Prices one create of a legacy family or endpoint: (its name, its parameters) -> its quote.
_Pricer = Callable[[str, Mapping[str, Any]], "Quote"]
#: Seconds of a video when ``duration`` is not sent (every video page's default).
DEFAULT_SECONDS = 5


class QuoteLine(NamedTuple):
    """One priced part of a quote: a price row, and how many of its ``per`` are bought."""

    price: Price
    quantity: Decimal
    """Seconds, images or calls."""

    @property
    def units(self) -> Decimal:
        return self.price.units * self.quantity


@dataclass(frozen=True)
class Quote:
    """What one or more creates cost at Kling's list prices, in units of each resource package.

    A quote of one create has one package; a sum (``q1 + q2``, ``sum(quotes)``) may have
    several: :attr:`packages` holds the units of each, :attr:`usd` the list price of all.
    ``priced`` is False when a create in it has no published price (:attr:`reason` says why),
    and its units then count only the creates that have one.
    """

    lines: tuple[QuoteLine, ...] = ()
    """The priced parts: each a row of the price table and the quantity bought."""
    unpriced: tuple[str, ...] = ()
    """Why each unpriced create has no price (one reason per create)."""
    rates: tuple[Price, ...] = ()
    """Rows that apply to unpriced creates whose quantity is not known yet (the per-second
    rate of a motion-controlled video, as long as a video that is not read)."""
    creates: int = 1
    """How many creates the quote is for."""

    @classmethod
    def of(cls, price: Price, quantity: Decimal | int) -> Quote:
        """The quote of one create that buys ``quantity`` of ``price``."""
        return cls(lines=(QuoteLine(price, Decimal(quantity)),))

    @classmethod
    def without_price(cls, reason: str, rates: Iterable[Price] = ()) -> Quote:
        """The quote of one create the table has no price for, and why."""
        return cls(unpriced=(reason,), rates=tuple(rates))

    @property
    def priced(self) -> bool:
        """Whether every create in the quote has a price."""
        return not self.unpriced

    @property
    def reason(self) -> str | None:
        """Why the quote is not fully priced (None when it is)."""
        if not self.unpriced:
            return None
        shown = list(dict.fromkeys(self.unpriced))
        return "; ".join(shown)

    @property
    def packages(self) -> dict[str, Decimal]:
        """Units by resource package (``{"video": Decimal("2.4")}``)."""
        totals: dict[str, Decimal] = {}
        for line in self.lines:
            package = line.price.package
            totals[package] = totals.get(package, Decimal(0)) + line.units
        return totals

    @property
    def package(self) -> str | None:
        """The one package the units come from; None when none or several."""
        packages = self.packages
        return next(iter(packages)) if len(packages) == 1 else None

    @property
    def units(self) -> Decimal:
        """The units, all of one package (0 when nothing is priced).

        Units of different packages have different prices: for a quote spanning several,
        read :attr:`packages` (this raises ``ValueError`` then).
        """
        packages = self.packages
        if len(packages) > 1:
            raise ValueError(
                f"this quote spans several packages ({', '.join(packages)}): read "
                "quote.packages for each one's units"
            )
        return next(iter(packages.values()), Decimal(0))

    @property
    def usd(self) -> Decimal:
        """The list price in US dollars of the priced units."""
        total = sum(
            (units * USD_PER_UNIT[package] for package, units in self.packages.items()),
            Decimal(0),
        )
        return _plain(total)

    @property
    def rows(self) -> tuple[Price, ...]:
        """The price rows the quote used, each once, in order."""
        used = [line.price for line in self.lines] + list(self.rates)
        return tuple(dict.fromkeys(used))

    def __add__(self, other: object) -> Quote:
        if not isinstance(other, Quote):
            return NotImplemented
        return Quote(
            lines=self.lines + other.lines,
            unpriced=self.unpriced + other.unpriced,
            rates=tuple(dict.fromkeys(self.rates + other.rates)),
            creates=self.creates + other.creates,
        )

    def __radd__(self, other: object) -> Quote:
        # sum(quotes) starts from 0.
        if other == 0:
            return self
        return NotImplemented

    def __str__(self) -> str:
        parts = [f"{_number(units)} {package} units" for package, units in self.packages.items()]
        text = " + ".join(parts) or "0 units"
        text += f" (${_number(self.usd)})"
        if self.unpriced:
            count = len(self.unpriced)
            if not self.lines and count == self.creates:
                return f"unpriced: {self.reason}"
            text += f"; {count} unpriced: {self.reason}"
        return text

    def to_json(self) -> dict[str, Any]:
        """The quote as JSON: units per package and dollars as numbers, the rows used."""
        data: dict[str, Any] = {
            "priced": self.priced,
            "units": {package: float(units) for package, units in self.packages.items()},
            "usd": float(self.usd),
            "creates": self.creates,
            "rows": [_row_json(row) for row in self.rows],
        }
        if self.unpriced:
            data["unpriced"] = len(self.unpriced)
            data["reason"] = self.reason
        return data


def _plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros (``1.232``, not ``1.2320``), and never as ``1E+2``."""
    text = f"{value:f}"
    return Decimal(text.rstrip("0").rstrip(".") if "." in text else text)


def _number(value: Decimal) -> str:
    """``2.4`` for ``Decimal("2.40")``; at most 4 decimals (dollars per image are 0.0035)."""
    text = f"{value.quantize(Decimal('0.0001')):f}".rstrip("0").rstrip(".")
    return text or "0"


def _row_json(row: Price) -> dict[str, Any]:
    return {
        "model": row.model,
        "feature": row.feature,
        "resolution": row.resolution or None,
        "units": float(row.units),
        "per": row.per,
        "package": row.package,
        "source": row.source.url,
    }


# -- pricing one create ----------------------------------------------------------------------


def quote_for(row: Endpoint, params: Mapping[str, Any]) -> Quote:
    """The quote of one create of ``row`` (a family, product or endpoint) with ``params``.

    ``params`` are what the row's ``create`` takes (a product's carry its ``model``); check
    them first (``prepare_body``): this reads them, and what they leave out is Kling's default.
    """
    given = {key: value for key, value in params.items() if value is not None}
    if isinstance(row, Product):
        return _standard(row.name, given)
    price = _LEGACY.get(row.name)
    if price is None:
        return Quote.without_price(f"{row.name.replace('_', '-')}: {_NOT_PRICED}")
    return price(row.name, given)


_NOT_PRICED = "Kling's pricing pages give no price for it"


def _seconds(params: Mapping[str, Any]) -> Decimal:
    return Decimal(str(params.get("duration", DEFAULT_SECONDS)))


def _model_name(kind: str, model: str) -> str | None:
    named = MODEL_NAMES.get((kind, model))
    return None if named is None else named.priced


def _no_model_price(model: str) -> Quote:
    return Quote.without_price(f"{model}: {_NOT_PRICED}")


def _per_second(model: str, feature: str, resolution: str, seconds: Decimal, who: str) -> Quote:
    price = find_price(model, feature, resolution)
    if price is None:
        return Quote.without_price(
            f"{who} ({model}, {feature.lower()}) at {resolution}: {_NOT_PRICED}"
        )
    return Quote.of(price, seconds)


def _unknown_length(model: str, feature: str, why: str) -> Quote:
    """A create billed per second (or per 5 s) of a result whose length a quote cannot know
    (``why``): unpriced, with the rates that will apply."""
    rates = prices_of(model, feature)
    shown = ", ".join(
        f"{rate.units} units/{rate.per}" + (f" at {rate.resolution}" if rate.resolution else "")
        for rate in rates
    )
    return Quote.without_price(f"{why}; Kling bills it at {shown}", rates)


# -- the legacy families and endpoints ---------------------------------------------------------


def _legacy_video(family: str, params: Mapping[str, Any]) -> Quote:
    model = str(params.get("model_name", DEFAULT_MODELS.get(family, "")))
    priced = _model_name("video", model)
    if priced is None:
        return _no_model_price(model or family)
    mode = str(params.get("mode", LEGACY_DEFAULT_MODE.get(family, "std")))
    resolution = LEGACY_RESOLUTIONS.get(mode, mode)
    if family == "motion_control":
        return _unknown_length(
            priced, "Motion Control", f"{model} motion control: the video is as long as its motion"
        )
    seconds = _seconds(params)
    sound = params.get("sound") == "on"
    if family == "omni_video":
        videos = params.get("video_list") or []
        if any(video.get("refer_type", "base") == "base" for video in videos):
            return _unknown_length(
                priced,
                _omni_feature(priced, video_input=True, audio=False),
                f"{model} editing a video (refer_type base): the result is as long as that video",
            )
        feature = _omni_feature(priced, video_input=bool(videos), audio=sound)
        return _per_second(priced, feature, resolution, seconds, model)
    voices = bool(params.get("voice_list"))
    return _per_second(priced, _audio_feature(priced, sound, voices), resolution, seconds, model)


def _audio_feature(priced: str, audio: bool, voices: bool) -> str:
    """The video page's feature of a text- or image-to-video with or without sound."""
    if priced == "Kling 3.0 Turbo":
        return "With Native Audio"  # always on: the page prices no silent 3.0 Turbo
    if not audio:
        return "No Native Audio"
    return "With Native Audio x " + ("With Voice Control" if voices else "No Voice Control")


def _omni_feature(priced: str, *, video_input: bool, audio: bool) -> str:
    if priced == "Kling O1":
        return "With Video Input" if video_input else "No Video Input"
    video = "With Video Input" if video_input else "No Video Input"
    return f"{video} x {'With Native Audio' if audio else 'No Native Audio'}"


def _image_model(family: str, params: Mapping[str, Any]) -> tuple[str, str | None]:
    model = str(params.get("model_name", DEFAULT_MODELS.get(family, "")))
    return model, _model_name("image", model)


def _images(family: str, params: Mapping[str, Any]) -> Quote:
    model, priced = _image_model(family, params)
    if not model:
        # Its page's table says the default is kling-v3, its text "the V1 model".
        return Quote.without_price(
            "images without model_name: Kling's page names two defaults (kling-v3 and the V1 "
            "model); pass model_name to get a price"
        )
    if priced is None:
        return _no_model_price(model)
    edits = "image" in params or "image_list" in params
    function = "Image-to-Image" if edits else "Text-to-Image"
    return _per_image(priced, function, str(params.get("resolution", "1k")), params, model)


def _per_image(
    priced: str, function: str, resolution: str, params: Mapping[str, Any], who: str
) -> Quote:
    count = params.get("n", 1)
    if params.get("result_type") == "series":
        count = params.get("series_amount", 4)  # the omni-image page's default
        if count == "auto":
            return Quote.without_price(
                f'{who}: series_amount="auto" lets Kling choose how many images to make'
            )
    price = find_price(priced, function, resolution)
    if price is None:
        return Quote.without_price(f"{who} ({priced}, {function}) at {resolution}: {_NOT_PRICED}")
    return Quote.of(price, int(count))


def _omni_image(family: str, params: Mapping[str, Any]) -> Quote:
    model, priced = _image_model(family, params)
    if priced is None:
        return _no_model_price(model)
    edits = bool(params.get("image_list"))
    function = "Image-to-Image" if edits else "Text-to-Image"
    return _per_image(priced, function, str(params.get("resolution", "1k")), params, model)


def _multi_image_to_image(family: str, params: Mapping[str, Any]) -> Quote:
    model, priced = _image_model(family, params)
    if priced != "Kling Image 2.1":
        return _no_model_price(f"{model} multi-image to image")
    return _per_image(priced, "Multi-image to Image", "1k", params, model)


def _fixed(model: str, feature: str, resolution: str = "", *, per_image: bool = False) -> _Pricer:
    def quote(family: str, params: Mapping[str, Any]) -> Quote:
        price = find_price(model, feature, resolution)
        assert price is not None, f"no row {model} / {feature}"
        return Quote.of(price, int(params.get("n", 1)) if per_image else 1)

    return quote


def _unknown(model: str, feature: str, why: str) -> _Pricer:
    def quote(family: str, params: Mapping[str, Any]) -> Quote:
        return _unknown_length(model, feature, why)

    return quote


_LEGACY: dict[str, _Pricer] = {
    "text_to_video": _legacy_video,
    "image_to_video": _legacy_video,
    "omni_video": _legacy_video,
    "motion_control": _legacy_video,
    "images": _images,
    "omni_image": _omni_image,
    "multi_image_to_image": _multi_image_to_image,
    "image_expand": _fixed("General", "Outpainting", "1k", per_image=True),
    "ai_multi_shot": _fixed("General", "AI Multi-Shot", "1k"),
    "text_to_audio": _fixed("Audio Generation", "Text to Audio"),
    "video_to_audio": _fixed("Audio Generation", "Video to Audio"),
    "voices": _fixed("Audio Generation", "Custom Voice"),
    "tts": _fixed("Avatar", "TTS"),
    "identify_face": _fixed("Lip Sync", "Face Recognition"),
    "image_recognize": _fixed("Image Recognition", "Image Recognition"),
    "lip_sync": _unknown(
        "Lip Sync", "Lip Sync", "lip-sync: the video is as long as its audio or text, unknown here"
    ),
    "advanced_lip_sync": _unknown(
        "Lip Sync",
        "Lip Sync",
        "advanced lip-sync: how a length that is not a multiple of 5 s is billed is not published",
    ),
    "avatar": _unknown(
        "Avatar", "Avatar", "avatar: the video is as long as its audio, unknown here"
    ),
}


# -- the new standard ------------------------------------------------------------------------


def _standard(product: str, params: Mapping[str, Any]) -> Quote:
    from ._params._standard_models import DEFAULT_RESOLUTION, rules_for

    model = str(params.get("model", ""))
    priced = _model_name("video", model)
    if priced is None:
        return _no_model_price(model)
    if product == "motion_control":
        return _unknown_length(
            priced, "Motion Control", f"{model} motion control: the video is as long as its motion"
        )
    rules = rules_for(product, model)
    audio = params.get("audio", rules.default_audio if rules is not None else None)
    resolution = str(params.get("resolution", DEFAULT_RESOLUTION))
    seconds = _seconds(params)
    if product == "omni_video":
        if "base_video" in params:
            return _unknown_length(
                priced,
                _omni_feature(priced, video_input=True, audio=False),
                f"{model} editing a base_video: the result is as long as that video",
            )
        feature = _omni_feature(
            priced, video_input="feature_video" in params, audio=audio == "native"
        )
        return _per_second(priced, feature, resolution, seconds, model)
    feature = _audio_feature(priced, audio == "native", bool(params.get("voices")))
    return _per_second(priced, feature, resolution, seconds, model)
