"""The model catalogue: every model the SDK checks, what it serves and takes, and why.

:func:`models` is read from the very rows the checks before sending use: the legacy table
(``kling._params._legacy_models``: ``LEGACY_MODELS``, ``DEFAULT_MODELS``) and the new standard's
(``kling._params._standard_models``: ``MODEL_RULES``), so what it says is what the SDK refuses.
Where a row says nothing of a capability (aspect ratios, an image family's resolutions), the
value is what the family's or product's parameter type takes (its ``Literal`` in
``kling._params``, found through the row in ``kling._families``), marked as such in
:attr:`ModelUse.from_parameters`. Each value names its sources (:class:`kling._evidence.Source`)
through the row's ``sources_of``.

A model the tables do not know is still sent as given (a model released tomorrow works today);
only a lookup here (``kling.models("x")``) refuses it, naming the ones it knows.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, TypeVar, Union, get_args, get_origin, overload

from typing_extensions import get_type_hints

from ._errors import InvalidParameterError
from ._evidence import Source
from ._rows import NEW_STANDARD, Standard

if TYPE_CHECKING:
    from ._params._legacy_models import LegacyModel
    from ._params._standard_models import ModelRules

__all__ = ["CAPABILITIES", "ModelInfo", "ModelUse", "models"]

#: What a :class:`ModelUse` says of a model, each with its sources (features come on top).
CAPABILITIES = (
    "durations",
    "modes",
    "resolutions",
    "aspect_ratios",
    "audio",
    "counts",
    "prompt_max",
)

#: Legacy feature (the row's attribute that grants it) -> the parameter it lets a create send.
_LEGACY_FEATURES = {
    "cfg_scale": "cfg_scale",
    "multi_shot": "multi_shot",
    "elements": "element_list",
    "camera_control": "camera_control",
    "image_tail": "image_tail",
    "image_reference": "image_reference",
    "series": "result_type",
}

_NO_SOURCES: tuple[Source, ...] = ()
_T = TypeVar("_T")


@dataclass(frozen=True)
class ModelUse:
    """One legacy family or new-standard product a model serves, and what it takes there."""

    standard: Standard
    """``"legacy"`` (``model_name`` in a ``/v1`` body) or ``"new"`` (the model in the path)."""
    name: str
    """The family (legacy) or product (new standard): ``client.<name>``, ``client.v2.<name>``."""
    default: bool
    """Whether Kling uses this model when a legacy create gives no ``model_name``."""
    durations: tuple[int, ...]
    """Video lengths in seconds; empty where the family takes no duration (images)."""
    modes: tuple[str, ...]
    """Legacy ``mode`` values (``std``, ``pro``, ``4k``); empty where there is none."""
    resolutions: tuple[str, ...]
    """``resolution`` values (``720p``... on the new standard, ``1k``... for legacy images)."""
    aspect_ratios: tuple[str, ...]
    """``aspect_ratio`` values; empty where the input decides it (image-to-video)."""
    audio: tuple[str, ...]
    """New standard: ``audio`` values; legacy: ``sound`` values. Empty: the model makes no
    sound you can choose."""
    default_audio: str | None
    """The ``audio`` Kling uses when none is sent (new standard)."""
    counts: Mapping[str, int]
    """Content item (new standard) or ``element`` (legacy) -> the most one task may hold."""
    prompt_max: int | None
    """The longest prompt in characters, where the model's row says (new standard)."""
    features: tuple[str, ...]
    """The options that differ between models which this one takes (``multi_shot``,
    ``elements``, ``cfg_scale``, ``camera_control``, ``image_tail``...)."""
    sources: Mapping[str, tuple[Source, ...]]
    """Capability or feature -> the sources of its value (empty: none recorded yet)."""
    from_parameters: frozenset[str]
    """Capabilities read from the family's parameter type, not the model's row: what every
    model of the family takes, as far as the SDK knows."""

    @property
    def resource(self) -> str:
        """Where a client keeps what creates its tasks: ``text_to_video``, ``v2.text_to_video``."""
        return self.name if self.standard == "legacy" else f"{NEW_STANDARD}.{self.name}"

    def sources_of(self, capability: str) -> tuple[Source, ...]:
        """The sources of one capability (``"durations"``) or feature (``"multi_shot"``)."""
        return self.sources.get(capability, _NO_SOURCES)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON data (sources as ``{"page", "date", "quote", "url"}``)."""
        return {
            "standard": self.standard,
            "name": self.name,
            "default": self.default,
            "durations": list(self.durations),
            "modes": list(self.modes),
            "resolutions": list(self.resolutions),
            "aspect_ratios": list(self.aspect_ratios),
            "audio": list(self.audio),
            "default_audio": self.default_audio,
            "counts": dict(self.counts),
            "prompt_max": self.prompt_max,
            "features": list(self.features),
            "sources": {
                key: [
                    {"page": s.page, "date": s.date, "quote": s.quote, "url": s.url}
                    for s in sources
                ]
                for key, sources in self.sources.items()
            },
            "from_parameters": sorted(self.from_parameters),
        }


@dataclass(frozen=True)
class ModelInfo:
    """A model name and every family or product it serves, on either standard."""

    name: str
    serves: tuple[ModelUse, ...]

    @property
    def standards(self) -> tuple[Standard, ...]:
        """The standards the model is used on: ``("legacy",)``, ``("new",)`` or both."""
        return tuple(dict.fromkeys(use.standard for use in self.serves))

    def use(self, name: str, standard: Standard | None = None) -> ModelUse:
        """What the model takes on family or product ``name`` (of ``standard`` when both have
        one of that name)."""
        for use in self.serves:
            if use.name == name and standard in (None, use.standard):
                return use
        served = ", ".join(f"{u.name} ({u.standard})" for u in self.serves)
        raise InvalidParameterError(
            f"{self.name} does not serve {name}; it serves {served}", field="name"
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "name": self.name,
            "standards": list(self.standards),
            "serves": [use.as_dict() for use in self.serves],
        }


@overload
def models() -> list[ModelInfo]: ...
@overload
def models(name: str) -> ModelInfo: ...
def models(name: str | None = None) -> list[ModelInfo] | ModelInfo:
    """The model catalogue: every model the SDK's checks know, what it serves and takes.

    ``models()`` lists them (legacy models first, in table order); ``models("kling-3.0")`` is
    one, and an unknown name raises :class:`~kling.InvalidParameterError` listing the known
    ones. (Creates still send a model the catalogue does not know.)
    """
    catalogue = _catalogue()
    if name is None:
        return list(catalogue.values())
    info = catalogue.get(name)
    if info is None:
        raise InvalidParameterError(_unknown(name, list(catalogue)), field="name")
    return info


def _unknown(name: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown model {name!r}{hint}; the SDK's tables know {', '.join(known)}"


def _catalogue() -> dict[str, ModelInfo]:
    # Built at each call from the tables as they are now (cheap: some forty rows).
    from ._params._legacy_models import LEGACY_MODELS
    from ._params._standard_models import MODEL_RULES

    uses: dict[str, list[ModelUse]] = {}
    for (_, model), legacy_row in LEGACY_MODELS.items():
        uses.setdefault(model, []).append(_legacy_use(legacy_row))
    for (_, model), new_row in MODEL_RULES.items():
        uses.setdefault(model, []).append(_new_use(new_row))
    return {name: ModelInfo(name, tuple(served)) for name, served in uses.items()}


def _legacy_use(row: LegacyModel) -> ModelUse:
    from ._families import FAMILIES
    from ._params._legacy_models import DEFAULT_MODELS

    params = FAMILIES[row.family].typed_dict
    sources: dict[str, tuple[Source, ...]] = {}
    derived: set[str] = set()

    def own(capability: str, attribute: str, value: _T) -> _T:
        sources[capability] = row.sources_of(attribute)
        return value

    def typed(capability: str, key: str) -> tuple[str, ...]:
        if key in _hints(params):
            derived.add(capability)
        return _literal(params, key)

    durations = (
        own("durations", "durations", row.durations)
        if row.durations
        else typed("durations", "duration")
    )
    modes = own("modes", "modes", row.modes) if row.modes else typed("modes", "mode")
    resolutions = typed("resolutions", "resolution")
    if row.resolutions:  # the row lists the image resolutions the model makes
        derived.discard("resolutions")
        resolutions = own("resolutions", "resolutions", row.resolutions)
    elif "4k" in resolutions:  # the row says whether the model makes 4k images
        derived.discard("resolutions")
        resolutions = own(
            "resolutions",
            "four_k",
            resolutions if row.four_k else tuple(r for r in resolutions if r != "4k"),
        )
    ratios = typed("aspect_ratios", "aspect_ratio")
    if row.aspect_ratios:
        derived.discard("aspect_ratios")
        ratios = own(
            "aspect_ratios",
            "aspect_ratios",
            tuple(r for r in ratios if r not in row.aspect_ratios),
        )
    audio = own("audio", "sound", _literal(params, "sound") if row.sound else ())
    counts = (
        own("counts", "max_elements", {"element": row.max_elements})
        if row.max_elements is not None
        else {}
    )
    # A row's default (cfg_scale=True) means nothing on a family without the parameter.
    features = tuple(
        feature
        for feature, key in _LEGACY_FEATURES.items()
        if getattr(row, feature) not in (False, None) and key in _hints(params)
    )
    for feature in features:
        sources[feature] = row.sources_of(feature)
    return ModelUse(
        standard="legacy",
        name=row.family,
        default=DEFAULT_MODELS.get(row.family) == row.model,
        durations=tuple(int(d) for d in durations),
        modes=tuple(modes),
        resolutions=tuple(resolutions),
        aspect_ratios=tuple(ratios),
        audio=tuple(audio),
        default_audio=None,
        counts=MappingProxyType(counts),
        prompt_max=None,
        features=features,
        sources=MappingProxyType(sources),
        from_parameters=frozenset(derived),
    )


def _new_use(row: ModelRules) -> ModelUse:
    from ._families import PRODUCTS

    params = PRODUCTS[row.product].typed_dict
    keys = ("durations", "resolutions", "audio", "prompt_max")
    sources = {key: row.sources_of(key) for key in keys}
    sources["counts"] = row.sources_of("contents")
    features = ("multi_shot",) if row.multi_shot else ()
    for feature in features:
        sources[feature] = row.sources_of(feature)
    return ModelUse(
        standard="new",
        name=row.product,
        default=False,  # the model is in the path: every create names one
        durations=tuple(row.durations),
        modes=(),
        resolutions=tuple(row.resolutions),
        aspect_ratios=_literal(params, "aspect_ratio"),
        audio=tuple(row.audio),
        default_audio=row.default_audio,
        counts=MappingProxyType(dict(row.contents)),
        prompt_max=row.prompt_max,
        features=features,
        sources=MappingProxyType(sources),
        from_parameters=frozenset({"aspect_ratios"}),
    )


@functools.cache
def _hints(params: type) -> dict[str, Any]:
    return get_type_hints(params)


def _literal(params: type, key: str) -> tuple[str, ...]:
    """The ``Literal`` values field ``key`` of ``params`` takes (empty: none, or not a Literal)."""
    hint = _hints(params).get(key)
    if hint is None:
        return ()
    if get_origin(hint) is Literal:
        return tuple(str(value) for value in get_args(hint))
    values: list[str] = []
    if get_origin(hint) in (Union, types.UnionType):
        for arg in get_args(hint):
            if get_origin(arg) is Literal:
                values.extend(str(value) for value in get_args(arg))
    return tuple(values)
