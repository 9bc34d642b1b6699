"""``kling models [NAME]``: the model catalogue (``kling.models()``), as a table or JSON.

What each model serves and takes is read from the rows the SDK checks before sending; each value
names its sources (listed with NAME). Nothing is sent to Kling: no keys needed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Annotated

import typer

from kling import InvalidParameterError

from ._groups import KlingCommand
from ._lazy import add_function_lazily
from ._output import out_console, print_json, print_table
from ._state import get_state

if TYPE_CHECKING:
    from kling._catalogue import ModelInfo, ModelUse
    from kling._evidence import Source

__all__ = ["register"]

_COLUMNS = ("model", "serves", "seconds", "modes, resolutions", "aspect ratios", "audio", "also")
#: Capability -> what the detail table calls it.
_LABELS = {
    "durations": "seconds",
    "modes": "modes",
    "resolutions": "resolutions",
    "aspect_ratios": "aspect ratios",
    "audio": "audio",
    "counts": "at most",
    "prompt_max": "prompt characters",
}


def models(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="NAME",
            help="One model (kling-3.0, kling-v3...): its values with their sources.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """The models the SDK knows: what each serves and takes (--json: all of it, sources too)."""
    from kling._catalogue import models as catalogue

    state = get_state(ctx)
    try:
        found = [catalogue(name)] if name is not None else catalogue()
    except InvalidParameterError as exc:
        raise typer.BadParameter(str(exc), param_hint="'NAME'") from None
    if state.json:
        data = [info.as_dict() for info in found]
        print_json(data[0] if name is not None else data)
        return
    print_table(None, _COLUMNS, (_row(info, use) for info in found for use in info.serves))
    if name is not None:
        _print_sources(found[0])
    else:
        out_console().print(
            "A model not listed is still sent as given. The sources of each value: "
            "kling models NAME (or --json)."
        )


def _row(info: ModelInfo, use: ModelUse) -> list[str]:
    also = [f"at most {_counts(use.counts)}"] if use.counts else []
    also.extend(use.features)
    return [
        info.name,
        use.resource + (" (default)" if use.default else ""),
        _seconds(use.durations),
        _listed((*use.modes, *use.resolutions)),
        _listed(use.aspect_ratios),
        _listed(use.audio) + (f" (default {use.default_audio})" if use.default_audio else ""),
        "; ".join(also) or "-",
    ]


def _print_sources(info: ModelInfo) -> None:
    from kling._catalogue import CAPABILITIES

    rows = []
    for use in info.serves:
        for key in CAPABILITIES:
            label = _LABELS[key]
            value = _value(use, key)
            if value == "-":
                continue
            origin = " (the parameter's type)" if key in use.from_parameters else ""
            rows.append(
                [
                    use.resource,
                    label,
                    value,
                    _sources(use.sources_of(key)) + origin,
                ]
            )
        for feature in use.features:
            rows.append([use.resource, feature, "yes", _sources(use.sources_of(feature))])
    print_table(
        f"Where {info.name}'s values come from", ("serves", "what", "value", "sources"), rows
    )


def _value(use: ModelUse, key: str) -> str:
    if key == "durations":
        return _seconds(use.durations)
    if key == "counts":
        return _counts(use.counts)
    if key == "prompt_max":
        return "-" if use.prompt_max is None else str(use.prompt_max)
    values: tuple[str, ...] = getattr(use, key)
    return _listed(values)


def _sources(sources: Iterable[Source]) -> str:
    shown = [f"{source} {source.quote!r}" if source.quote else str(source) for source in sources]
    return "; ".join(shown) or "-"


def _listed(values: Iterable[str]) -> str:
    return ", ".join(values) or "-"


def _seconds(values: tuple[int, ...]) -> str:
    if len(values) > 2 and values == tuple(range(values[0], values[-1] + 1)):
        return f"{values[0]}-{values[-1]}"
    return _listed(str(v) for v in values)


def _counts(counts: Mapping[str, int]) -> str:
    return _listed(f"{count} {item}" for item, count in counts.items())


def register(app: typer.Typer) -> None:
    """Add ``kling models`` to ``app``."""
    add_function_lazily(app, "models", models, cls=KlingCommand, panel="Tools")
