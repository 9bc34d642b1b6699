"""What each new-standard model accepts: one capability table, checked before sending.

One row per (product, model): resolutions, durations, audio modes, ``multi_shot``, prompt length,
and which content items the model takes and how many. From Kling's page for each model (copies
in https://github.com/aself101/kling-api/tree/main/docs/api: ``kling-3.0-turbo-t2v``,
``kling-omni-3.0-i2v``, ``kling-omni-3.0-ovg``, ``kling-o1-video``, ``kling-2.6-i2v``, ...) and
its capability map: https://github.com/aself101/kling-api/blob/main/docs/api/kling-guide-capability-map-video.md

:func:`check_model` runs the row's checks, then the rules that tie fields together, with
messages that name the field path as Kling does (``settings.duration ...``). A model that is
not in the table (a new one) skips all of it and goes through.

Where the docs leave a count open (omni-video element kinds), the SDK checks the bound that
holds for every kind, so that it never refuses what Kling would take.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .._evidence import Rule, Source, page
from . import _rulebook as R

__all__ = [
    "DEFAULT_DURATION",
    "DEFAULT_RESOLUTION",
    "MODEL_RULES",
    "ModelRules",
    "check_model",
    "known_models",
    "rules_for",
]

_3_TO_15 = tuple(range(3, 16))
_5_OR_10 = (5, 10)
_HD = ("720p", "1080p")
_UP_TO_4K = ("720p", "1080p", "4k")
#: Kling's defaults for settings that are not sent.
DEFAULT_RESOLUTION = "720p"
DEFAULT_DURATION = 5


@dataclass(frozen=True)
class ModelRules:
    """One model on one product: the values and content items it takes."""

    product: str
    model: str
    resolutions: tuple[str, ...]
    durations: tuple[int, ...] = ()
    """``settings.duration`` values; empty for products without a duration (motion control)."""
    audio: tuple[str, ...] = ()
    """``settings.audio`` values; empty: this model has no audio setting."""
    default_audio: str | None = None
    multi_shot: bool = False
    """Has ``settings.multi_shot`` (Kling's default is ``True`` where it exists)."""
    prompt_max: int = 2500
    contents: Mapping[str, int] = field(default_factory=dict)
    """Content item -> the most one task may hold; an item not listed is not taken."""
    native_audio_1080p: bool = False
    """Native audio renders at 1080p only (kling-2.6)."""
    first_last_1080p: bool = False
    """A first + last frame renders at 1080p only."""
    first_last_silent: bool = False
    """A first + last frame renders silent only (kling-2.6)."""
    plain_durations: tuple[int, ...] = ()
    """Durations without reference images, elements or a video (kling-o1: 5 or 10)."""
    sources: tuple[Source, ...] = ()
    """The pages this row's values come from."""
    cites: Mapping[str, tuple[Source, ...]] = field(default_factory=dict)
    """Attribute -> its own sources, where one value has a source the row's others lack."""

    def sources_of(self, attribute: str) -> tuple[Source, ...]:
        """The sources of one of this row's values (``"durations"``, ``"audio"``...)."""
        return self.cites.get(attribute, self.sources)


def _pages(*names: str) -> tuple[Source, ...]:
    return (*(page(name) for name in names), R.VIDEO_MAP)


def _video_models(product: str, turbo_prompt: int) -> tuple[ModelRules, ...]:
    i2v = product == "image_to_video"
    kind = "i2v" if i2v else "t2v"

    def contents(**counts: int) -> dict[str, int]:
        return {"first_frame": 1, **counts} if i2v else {}

    return (
        ModelRules(
            product,
            "kling-3.0-turbo",
            _HD,
            _3_TO_15,
            prompt_max=turbo_prompt,
            sources=_pages(f"kling-3.0-turbo-{kind}"),
            contents=contents(),
        ),
        ModelRules(
            product,
            "kling-3.0",
            _UP_TO_4K,
            _3_TO_15,
            sources=_pages(f"kling-omni-3.0-{kind}"),
            audio=("native", "off"),
            default_audio="off",
            multi_shot=True,
            prompt_max=3072,
            contents=contents(last_frame=1, element=3),
        ),
        ModelRules(
            product,
            "kling-2.6",
            _HD,
            _5_OR_10,
            sources=_pages(f"kling-2.6-{kind}"),
            audio=("native", "off"),
            default_audio="off",
            contents=contents(last_frame=1, voice=2),
            native_audio_1080p=True,
            first_last_1080p=i2v,
            first_last_silent=i2v,
        ),
        ModelRules(
            product,
            "kling-2.5-turbo",
            _HD,
            _5_OR_10,
            sources=_pages(f"kling-2.5-turbo-{kind}"),
            contents=contents(last_frame=1),
            first_last_1080p=i2v,
        ),
    )


_OMNI_CONTENTS = {
    "first_frame": 1,
    "last_frame": 1,
    "refer_image": 7,
    "feature_video": 1,
    "base_video": 1,
    "element": 7,
}
_OMNI_3 = ModelRules(
    "omni_video",
    "kling-3.0-omni",
    _UP_TO_4K,
    _3_TO_15,
    sources=_pages("kling-omni-3.0-ovg"),
    audio=("native", "original", "off"),
    default_audio="off",
    multi_shot=True,
    prompt_max=3072,
    contents=_OMNI_CONTENTS,
)

MODEL_RULES: dict[tuple[str, str], ModelRules] = {
    (rules.product, rules.model): rules
    for rules in (
        *_video_models("text_to_video", turbo_prompt=3072),
        # The 3.0-turbo image-to-video page's example says 2500, its t2v page 3072 ("recommended:
        # <= 2500"): the sources disagree, so the SDK takes the larger.
        *_video_models("image_to_video", turbo_prompt=3072),
        _OMNI_3,
        # Observed live as a path id on /omni-video (the legacy model_name spelling).
        dataclasses.replace(_OMNI_3, model="kling-v3-omni"),
        ModelRules(
            "omni_video",
            "kling-o1",
            _HD,
            tuple(range(3, 11)),
            sources=_pages("kling-o1-video"),
            audio=("original", "off"),
            default_audio="off",
            contents=_OMNI_CONTENTS,
            plain_durations=_5_OR_10,
        ),
        ModelRules(
            "motion_control",
            "kling-3.0",
            _HD,
            sources=_pages("kling-omni-3.0-motion-control", "kling-motion-control-3.0"),
            audio=("original", "off"),
            default_audio="original",
            contents={"image": 1, "video": 1, "element": 1},
        ),
        ModelRules(
            "motion_control",
            "kling-2.6",
            _HD,
            sources=_pages("kling-2.6-motion-control", "kling-motion-control-2.6"),
            audio=("original", "off"),
            default_audio="original",
            contents={"image": 1, "video": 1},
        ),
    )
}

#: Keyword -> the content item it becomes (see ``_standard.standard_body``).
_ITEMS = {
    "first_frame": "first_frame",
    "last_frame": "last_frame",
    "refer_images": "refer_image",
    "feature_video": "feature_video",
    "base_video": "base_video",
    "image": "image",
    "video": "video",
    "elements": "element",
    "voices": "voice",
}


def rules_for(product: str, model: str) -> ModelRules | None:
    """The table's row for ``model`` on ``product``, or None for a model it does not know."""
    return MODEL_RULES.get((product, model))


def known_models(product: str) -> list[str]:
    """The models the table knows for ``product``, for messages and ``--help``."""
    return [model for (p, model) in MODEL_RULES if p == product]


def _fail(rule: Rule, path: str, field: str, reason: str) -> None:
    rule.broken(field, reason, at=path)


def _choices(values: tuple[Any, ...]) -> str:
    shown = [repr(v) if isinstance(v, str) else str(v) for v in values]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


def _counts(params: Mapping[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for key, item in _ITEMS.items():
        if key in params:
            value = params[key]
            counts[item] = len(value) if isinstance(value, list) else 1
    return counts


def check_model(product: str, model: str, params: Mapping[str, Any]) -> None:
    """Refuse what ``model`` cannot do, naming the field; nothing for an unknown model."""
    rules = rules_for(product, model)
    if rules is None:
        return
    _check_values(rules, params)
    counts = _counts(params)
    _check_contents(rules, counts)
    _check_combinations(rules, params, counts)
    if product == "omni_video":
        _check_omni(rules, params, counts)


def _check_values(rules: ModelRules, params: Mapping[str, Any]) -> None:
    model = rules.model
    prompt = params.get("prompt")
    if isinstance(prompt, str) and len(prompt) > rules.prompt_max:
        _fail(
            R.V2_PROMPT,
            "prompt",
            "prompt",
            f"{model} takes at most {rules.prompt_max} characters (got {len(prompt)})",
        )
    resolution = params.get("resolution")
    if resolution is not None and resolution not in rules.resolutions:
        extra = "; 4k is for kling-3.0 and kling-3.0-omni" if resolution == "4k" else ""
        _fail(
            R.V2_RESOLUTION,
            "settings.resolution",
            "resolution",
            f"{model} takes {_choices(rules.resolutions)} (got {resolution!r}){extra}",
        )
    duration = params.get("duration")
    if duration is not None and rules.durations and duration not in rules.durations:
        _fail(
            R.V2_DURATION,
            "settings.duration",
            "duration",
            f"{model} makes videos of {_durations(rules.durations)} s (got {duration})",
        )
    audio = params.get("audio")
    if audio is not None:
        if not rules.audio:
            _fail(
                R.V2_NO_SETTING,
                "settings.audio",
                "audio",
                f"{model} has no audio setting"
                + ("; its videos always have sound" if model == "kling-3.0-turbo" else ""),
            )
        elif audio not in rules.audio:
            _fail(
                R.V2_AUDIO,
                "settings.audio",
                "audio",
                f"{model} takes {_choices(rules.audio)} (got {audio!r})",
            )
    if "multi_shot" in params and not rules.multi_shot:
        _fail(
            R.V2_NO_SETTING,
            "settings.multi_shot",
            "multi_shot",
            f"{model} has no multi_shot setting (shots can be written in the prompt on 3.0 models)",
        )


def _durations(values: tuple[int, ...]) -> str:
    if len(values) > 2 and values == tuple(range(values[0], values[-1] + 1)):
        return f"{values[0]} to {values[-1]}"
    return _choices(values)


def _check_contents(rules: ModelRules, counts: Mapping[str, int]) -> None:
    taken = ", ".join(["prompt", *rules.contents]) if rules.contents else "a prompt only"
    for item, count in counts.items():
        limit = rules.contents.get(item, 0)
        field = next(key for key, value in _ITEMS.items() if value == item)
        if limit == 0:
            _fail(
                R.V2_CONTENTS,
                "contents",
                field,
                f"{rules.model} takes no {item} (it takes {taken})",
            )
        if count > limit:
            _fail(
                R.V2_CONTENTS,
                "contents",
                field,
                f"{rules.model} takes at most {limit} {item} (got {count})",
            )


def _check_combinations(
    rules: ModelRules, params: Mapping[str, Any], counts: Mapping[str, int]
) -> None:
    model = rules.model
    resolution = params.get("resolution", DEFAULT_RESOLUTION)
    audio = params.get("audio", rules.default_audio)
    first_and_last = "first_frame" in counts and "last_frame" in counts
    if "last_frame" in counts and "first_frame" not in counts:
        _fail(R.V2_COMBINATIONS, "contents", "last_frame", "a last_frame needs a first_frame")
    if rules.native_audio_1080p and audio == "native" and resolution != "1080p":
        _fail(
            R.V2_COMBINATIONS,
            "settings.resolution",
            "resolution",
            f"{model} renders native audio at 1080p only; pass resolution='1080p'",
        )
    if first_and_last and rules.first_last_1080p and resolution != "1080p":
        _fail(
            R.V2_COMBINATIONS,
            "settings.resolution",
            "resolution",
            f"{model} renders a first + last frame at 1080p only; pass resolution='1080p'",
        )
    if first_and_last and rules.first_last_silent and audio == "native":
        _fail(
            R.V2_COMBINATIONS,
            "settings.audio",
            "audio",
            f"{model} renders a first + last frame silent only",
        )
    if "voice" in counts and audio == "off":
        _fail(R.V2_COMBINATIONS, "settings.audio", "audio", "voices need audio='native'")


def _check_omni(rules: ModelRules, params: Mapping[str, Any], counts: Mapping[str, int]) -> None:
    model = rules.model
    videos = counts.get("feature_video", 0) + counts.get("base_video", 0)
    audio = params.get("audio", rules.default_audio)
    multi_shot = params.get("multi_shot", rules.multi_shot)
    references = counts.get("refer_image", 0) + counts.get("element", 0)
    if videos > 1:
        _fail(
            R.V2_OMNI,
            "contents",
            "base_video",
            "takes one video at most: feature_video or base_video",
        )
    if "first_frame" not in counts and not videos and "aspect_ratio" not in params:
        _fail(
            R.V2_OMNI,
            "settings.aspect_ratio",
            "aspect_ratio",
            "required without a first_frame or a reference video (feature_video, base_video)",
        )
    if audio == "original" and not videos:
        _fail(
            R.V2_OMNI,
            "settings.audio",
            "audio",
            "'original' keeps a reference video's sound: give one",
        )
    if "base_video" in counts:
        for frame in ("first_frame", "last_frame"):
            if frame in counts:
                _fail(
                    R.V2_OMNI, "contents", frame, f"a base_video cannot be combined with a {frame}"
                )
        # A model without the setting (kling-o1) is sent it as is (R.V2_NO_SETTING).
        if multi_shot and rules.multi_shot:
            _fail(
                R.V2_OMNI,
                "settings.multi_shot",
                "multi_shot",
                f"editing a base_video needs multi_shot=False ({model} defaults to True)",
            )
        if audio == "native":
            _fail(R.V2_OMNI, "settings.audio", "audio", "a base_video takes 'original' or 'off'")
    if "feature_video" in counts:
        if model == "kling-o1":
            if "last_frame" in counts:
                _fail(
                    R.V2_OMNI,
                    "contents",
                    "last_frame",
                    "kling-o1 takes no last_frame with a feature_video",
                )
        elif audio != "off":
            _fail(R.V2_OMNI, "settings.audio", "audio", "a feature_video needs audio='off'")
    limit = 4 if videos else 7
    if references > limit:
        _fail(
            R.V2_OMNI,
            "contents",
            "refer_images" if counts.get("refer_image") else "elements",
            f"at most {limit} refer_images and elements together"
            + (" with a reference video" if videos else "")
            + f" (got {references})",
        )
    if model == "kling-o1":
        if "first_frame" in counts and "last_frame" in counts and references:
            _fail(
                R.V2_OMNI,
                "contents",
                "refer_images" if counts.get("refer_image") else "elements",
                "kling-o1 takes no refer_images or elements with a first and last frame",
            )
        duration = params.get("duration", DEFAULT_DURATION)
        # A last frame is no "first frame alone": 3 to 10 s, as with references.
        plain = not (references or videos or "last_frame" in counts)
        if plain and duration not in rules.plain_durations:
            _fail(
                R.V2_OMNI,
                "settings.duration",
                "duration",
                f"kling-o1 makes {_choices(rules.plain_durations)} s videos without "
                f"refer_images, elements, a last_frame or a reference video (got {duration})",
            )
    elif "first_frame" in counts and counts.get("element", 0) > 3:
        _fail(
            R.V2_OMNI,
            "contents",
            "elements",
            f"{model} takes at most 3 elements with a first_frame",
        )
