"""Command-line options from the parameter TypedDicts: one ``--kebab-case`` option per key.

Each key of a family's TypedDict (``kling._params.TYPED_PARAMS``) becomes a :class:`Field`
that knows how to read its value from the command line: plain text and numbers as they are,
media inputs as a local file (read by the SDK) or a URL, and nested lists/objects as JSON. The
SDK validates the result, so the rules live in one place.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from typing_extensions import NotRequired, Required, get_type_hints, is_typeddict

__all__ = ["Field", "Kind", "fields_of", "parse_assignment", "read_media", "read_value"]

#: How a value is read from the command line.
Kind = Literal["text", "int", "float", "bool", "media", "json", "id"]

_URL_PREFIXES = ("http://", "https://", "data:")
_SHOWN_CHOICES = 8


@dataclass(frozen=True)
class Field:
    """One create parameter as a command-line option (or positional argument)."""

    key: str
    hint: Any
    """The full type hint, extras included (used to find media inside JSON values)."""
    kind: Kind
    required: bool
    choices: tuple[str, ...] = ()
    """Known values, listed in the help (any value is still passed on to the SDK)."""
    open_choices: bool = False
    """Whether values beyond ``choices`` are accepted too (``model_name``)."""

    @property
    def flag(self) -> str:
        return "--" + self.key.replace("_", "-")

    @property
    def metavar(self) -> str:
        if self.kind == "json":
            return "JSON"
        if self.kind == "media":
            return "FILE|URL"
        if self.kind == "bool":
            return ""
        return {"int": "INTEGER", "float": "NUMBER"}.get(self.kind, "TEXT")

    def help(self, *, usage: bool = True) -> str:
        """Help text; ``usage=False`` leaves out what Click says itself for arguments."""
        parts = [_HELP.get(self.key, "")]
        if self.kind == "media":
            parts.append("A local file, an http(s) URL or a data: URI.")
        elif self.kind == "json":
            parts.append(f"JSON: {_describe_json(self.hint)}.")
        if self.choices:
            shown = ", ".join(self.choices[:_SHOWN_CHOICES])
            more = f" ... {self.choices[-1]}" if len(self.choices) > _SHOWN_CHOICES else ""
            parts.append(f"{'Known' if self.open_choices else 'One of'}: {shown}{more}.")
        if self.required and usage:
            parts.append("Required.")
        return " ".join(part for part in parts if part)


#: Short descriptions of the parameters most families share; the rest describe themselves.
_HELP = {
    "prompt": "What to generate.",
    "negative_prompt": "What to avoid.",
    "model_name": "Model to use.",
    "cfg_scale": "Prompt adherence, 0 to 1.",
    "duration": "Length in seconds.",
    "callback_url": "Kling POSTs the task here whenever its status changes.",
    "external_task_id": "Your own id for the task (unique per account).",
    "watermark_info": "Also return a watermarked copy.",
    "n": "How many images, 1 to 9.",
}


@functools.cache
def fields_of(typed_dict: type) -> tuple[Field, ...]:
    """The fields of a parameter TypedDict, in declaration order (task options last)."""
    hints = get_type_hints(typed_dict, include_extras=True)
    required: frozenset[str] = getattr(typed_dict, "__required_keys__", frozenset())
    fields = [_field(key, _unwrap_required(hint), key in required) for key, hint in hints.items()]
    # Inherited task options (callback_url, ...) come first in the TypedDict; show them last.
    common = ("callback_url", "external_task_id", "watermark_info")
    return (
        *(f for f in fields if f.key not in common),
        *(f for f in fields if f.key in common),
    )


def _unwrap_required(hint: Any) -> Any:
    while get_origin(hint) in (Required, NotRequired):
        hint = get_args(hint)[0]
    return hint


def _strip_annotated(hint: Any) -> Any:
    while get_origin(hint) is Annotated:
        hint = get_args(hint)[0]
    return hint


def _is_union(hint: Any) -> bool:
    origin = get_origin(hint)
    return origin is Union or (origin is not None and origin.__name__ == "UnionType")


def _literal_values(hint: Any) -> tuple[str, ...]:
    return tuple(str(value) for value in get_args(hint))


def _is_media(hint: Any) -> bool:
    """An image/audio input: ``str | os.PathLike[str] | bytes`` (sent as URL or Base64)."""
    if not _is_union(hint):
        return False
    return any(get_origin(arg) is os.PathLike or arg is os.PathLike for arg in get_args(hint))


def _field(key: str, hint: Any, required: bool) -> Field:
    base = _strip_annotated(hint)
    if _is_media(base):
        return Field(key, hint, "media", required)
    if base is bool:
        return Field(key, hint, "bool", required)
    if base is int:
        return Field(key, hint, "int", required)
    if base is float:
        return Field(key, hint, "float", required)
    if base is str:
        return Field(key, hint, "text", required)
    if get_origin(base) is Literal:
        return Field(key, hint, "text", required, _literal_values(base))
    if _is_union(base):
        args = [_strip_annotated(arg) for arg in get_args(base)]
        choices = tuple(
            v for arg in args if get_origin(arg) is Literal for v in _literal_values(arg)
        )
        if int in args:
            # "5" or 5 (durations), an int or "auto" (series_amount), element/face ids.
            return Field(key, hint, "id", required, choices, open_choices=True)
        if str in args:
            return Field(key, hint, "text", required, choices, open_choices=True)
    return Field(key, hint, "json", required)


def _describe_json(hint: Any) -> str:
    base = _strip_annotated(hint)
    if get_origin(base) is list:
        return f"a list of {_describe_json(get_args(base)[0])}"
    if is_typeddict(base):
        keys = ", ".join(get_type_hints(base))
        return f"{{{keys}}}"
    if _is_media(base):
        return "files or URLs"
    return "a value"


# -- reading values -----------------------------------------------------------------------------


class ValueProblem(ValueError):
    """A command-line value could not be read (bad JSON, malformed ``KEY=VALUE``)."""


def read_media(value: str) -> str | Path:
    """A URL or ``data:`` URI stays text; a file name becomes a Path the SDK will read.

    Anything else is passed on as text, taken for Base64 by the SDK (which checks it). Base64
    never contains a dot, so a value with one that is not an existing file is a mistyped name.
    """
    if value.startswith(_URL_PREFIXES):
        return value
    path = Path(value).expanduser()
    if path.is_file():
        return path
    if "." in value:
        raise ValueProblem(f"no such file: {value!r}")
    return value


def read_value(field: Field, value: Any) -> Any:
    """Turn what the option parser produced into what the SDK takes for ``field``."""
    if field.kind == "media" and isinstance(value, str):
        return read_media(value)
    if field.kind == "id" and isinstance(value, str):
        return int(value) if value.isascii() and value.isdigit() else value
    if field.kind in ("int", "float") and isinstance(value, str):
        # An option both standards have, typed differently, arrives as text (see
        # _families._loosened): read it for the standard the call goes to.
        try:
            return int(value) if field.kind == "int" else float(value)
        except ValueError:
            raise ValueProblem(f"{value!r} is not a valid {field.metavar.lower()}") from None
    if field.kind == "json" and isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueProblem(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    return localize(field.hint, value)


def localize(hint: Any, value: Any) -> Any:
    """Turn file names at media positions inside a JSON value into Paths (by the type hint)."""
    base = _strip_annotated(_unwrap_required(hint))
    if _is_media(base):
        return read_media(value) if isinstance(value, str) else value
    if get_origin(base) is list and isinstance(value, list):
        (item,) = get_args(base)
        return [localize(item, element) for element in value]
    if is_typeddict(base) and isinstance(value, dict):
        keys = get_type_hints(base, include_extras=True)
        return {k: localize(keys[k], v) if k in keys else v for k, v in value.items()}
    return value


def parse_assignment(text: str) -> tuple[str, Any]:
    """``KEY=VALUE`` -> ``("key", value)``; VALUE is JSON when it parses, else the text itself.

    Keys may be written ``model-name`` or ``model_name``.
    """
    key, sep, raw = text.partition("=")
    key = key.strip().replace("-", "_")
    if not sep or not key:
        raise ValueProblem(f"expected KEY=VALUE, got {text!r}")
    try:
        value: Any = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return key, value
