"""One mechanism for every family: type-check with pydantic, run the family's rules, shape the body.

What differs per family (TypedDict, rules, body shape) is its row in ``kling._families``; the
TypedDicts and rules themselves live in ``_video``, ``_lip_sync``, ``_image``, ``_audio`` and
``_general``. This module only reads them.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, get_args, get_origin

from typing_extensions import get_type_hints, is_typeddict

from .._errors import InvalidParameterError
from .._rows import Endpoint, Product
from ._common import describe
from ._legacy_models import check_legacy_model

if TYPE_CHECKING:
    from pydantic import TypeAdapter
    from pydantic_core import ErrorDetails, ValidationError

_TASK_OPTIONS = ("callback_url", "external_task_id", "watermark_info")
EXTRA_BODY_HINT = "(use extra_body= to send fields this SDK does not know)"
# Shown in full; the rest of a long error list is summarised.
_MAX_MESSAGES = 4

_TYPE_WORDS = {
    "string_type": "a string",
    "int_type": "an integer",
    "float_type": "a number",
    "bool_type": "True or False",
    "list_type": "a list",
    "dict_type": "a dict",
}


def prepare_body(
    row: Endpoint, params: Mapping[str, Any], extra_body: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Validate ``params`` for ``row`` (of either standard); return the JSON body to send.

    ``None`` values mean "not given" and are dropped (at any depth); media inputs become URLs or
    raw Base64 (files are read here); integer durations become the strings Kling wants; for
    ``lip_sync`` and ``video_effects`` the fields are nested under ``input``. A new-standard
    product's ``params`` carry its ``model``: the types and the product's rules are checked
    first, then what the capability table says that model takes (nothing for a model it does
    not know), and the body gets its three layers. ``extra_body`` is merged in last, as is.
    Raises :class:`~kling.InvalidParameterError` naming the field and the rule broken.

    >>> from kling._families import FAMILIES
    >>> prepare_body(FAMILIES["text_to_video"], {"prompt": "a corgi", "duration": 5})
    {'prompt': 'a corgi', 'duration': '5'}
    """
    if isinstance(row, Product):
        return _standard_body(row, params, extra_body)
    checked = validate_params(row, params)
    # A no-op for the endpoints that take no model (the table knows only task families).
    check_legacy_model(row.name, checked)
    body = _shape(checked, row.top_level)
    if extra_body:
        body.update(extra_body)
    return body


def _standard_body(
    product: Product, params: Mapping[str, Any], extra_body: Mapping[str, Any] | None
) -> dict[str, Any]:
    # Only for new-standard calls: the model table takes 12 ms to import, the module of the
    # products' TypedDicts a legacy create has no use for either.
    from ._standard import merge_extra, standard_body
    from ._standard_models import check_model

    model = params.get("model")
    if not isinstance(model, str) or not model.strip() or "/" in model:
        raise InvalidParameterError(
            f"model must be a model id such as {product.example_model!r}, got {model!r}",
            field="model",
        )
    checked = validate_params(product, {k: v for k, v in params.items() if k != "model"})
    check_model(product.name, model, checked)
    body = standard_body(checked, prompt_in_contents=product.prompt_in_contents)
    return merge_extra(body, extra_body) if extra_body else body


def validate_params(spec: Endpoint, params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` type-checked against ``spec``'s TypedDict and run through its rules."""
    data = _without_none(params)
    try:
        checked: dict[str, Any] = _adapter(spec).validate_python(data)
    except Exception as exc:
        # Imported on a refusal only: an import statement here costs every create a
        # microsecond, and at the top it would come with reading the table.
        from pydantic_core import ValidationError

        if not isinstance(exc, ValidationError):
            raise
        raise _translate(exc, spec) from None
    for key in getattr(spec.typed_dict, "__required_keys__", ()):
        value = checked.get(key)
        if isinstance(value, str) and not value.strip():
            raise InvalidParameterError(f"{key}: required, and must not be empty", field=key)
    for check in spec.checks:
        check(checked)
    return checked


def json_schema(row: Endpoint) -> dict[str, Any]:
    """The JSON Schema of what ``row``'s parameters accept (MCP tools describe their input with
    it), from the adapter that validates them."""
    schema: dict[str, Any] = _adapter(row).json_schema()
    return schema


#: Each TypedDict's validator by its name in ``kling._params``, built on first use (milliseconds
#: each: not at import).
_ADAPTERS: dict[str, TypeAdapter[Any]] = {}
#: One build at a time: the first creates of a kind, started together, build it once.
_BUILDING = threading.Lock()
#: Whether the new-standard model table has been imported (by ``build_validator``).
_standard_ready = False


def _adapter(row: Endpoint) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(row.params)
    if adapter is None:
        with _BUILDING:
            adapter = _ADAPTERS.get(row.params)
            if adapter is None:
                from pydantic import TypeAdapter

                adapter = _ADAPTERS[row.params] = TypeAdapter(row.typed_dict)
    return adapter


def builds_validator(row: Endpoint) -> bool:
    """Whether checking ``row``'s parameters now would first import and build its validator
    (15-60 ms of CPU, once per kind in a process): ``build_validator`` does it beforehand."""
    return row.params not in _ADAPTERS or (isinstance(row, Product) and not _standard_ready)


def build_validator(row: Endpoint) -> None:
    """Import and build what checking ``row``'s parameters needs (nothing when it is built)."""
    global _standard_ready
    _adapter(row)
    if isinstance(row, Product) and not _standard_ready:
        from . import _standard_models  # noqa: F401

        _standard_ready = True


def _without_none(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _without_none(item) for key, item in value.items() if item is not None}
    if isinstance(value, (list, tuple)):
        # Tuples are accepted wherever a list is (validation is otherwise strict).
        return [_without_none(item) for item in value]
    return value


def _shape(checked: dict[str, Any], top_level: frozenset[str] | None) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for key, value in checked.items():
        if top_level is None or key in top_level:
            body[key] = value
        else:
            body.setdefault("input", {})[key] = value
    if top_level is not None:
        body.setdefault("input", {})
    # The task options come first in every TypedDict (inherited); put them last for readable logs.
    for key in _TASK_OPTIONS:
        if key in body:
            body[key] = body.pop(key)
    return body


# -- pydantic errors -> InvalidParameterError -----------------------------------------------------


def _translate(exc: ValidationError, spec: Endpoint) -> InvalidParameterError:
    errors = exc.errors(include_url=False)
    # A typo ("promt") also makes the real key missing; the unknown-key message says it all.
    suggested = {_suggest(e["loc"], spec) for e in errors if e["type"] == "extra_forbidden"}
    errors = [e for e in errors if not (e["type"] == "missing" and _path(e["loc"]) in suggested)]
    problems = [_describe_error(error, spec) for error in errors]
    field, message = problems[0]
    others = [text for _, text in problems[1:]]
    if others:
        shown = "; ".join(others[: _MAX_MESSAGES - 1])
        more = len(others) - (_MAX_MESSAGES - 1)
        message += f" (also: {shown}" + (f"; and {more} more" if more > 0 else "") + ")"
    # extra_body= can add top-level fields; a nested typo can only be fixed. Said once, at the end.
    if any(error["type"] == "extra_forbidden" and len(error["loc"]) == 1 for error in errors):
        message += f" {EXTRA_BODY_HINT}"
    return InvalidParameterError(message, field=field)


def _describe_error(error: ErrorDetails, spec: Endpoint) -> tuple[str, str]:
    loc = error["loc"]
    path = _path(loc)
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "extra_forbidden":
        return path, _unknown(loc, spec)
    if kind == "missing":
        return path, f"{path}: required"
    if kind == "kling":
        return path, f"{path}: {ctx['reason']}"
    if kind == "literal_error":
        return path, f"{path}: must be one of {ctx['expected']} (got {describe(value)})"
    if kind in _TYPE_WORDS:
        return path, f"{path}: must be {_TYPE_WORDS[kind]} (got {type(value).__name__})"
    return path, f"{path}: {error['msg']}"


def _path(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _unknown(loc: Sequence[int | str], spec: Endpoint) -> str:
    guess = _suggest(loc, spec)
    hint = f"; did you mean {guess!r}?" if guess else ""
    return f"unknown parameter {_path(loc)!r} for {spec.name}{hint}"


def _suggest(loc: Sequence[int | str], spec: Endpoint) -> str | None:
    """The known key closest to the last part of ``loc``, as a full path (or None)."""
    import difflib  # only for an unknown key: not with every create

    parent, name = loc[:-1], str(loc[-1])
    guess = difflib.get_close_matches(name, _keys_at(spec.typed_dict, parent), n=1)
    return _path([*parent, guess[0]]) if guess else None


def _keys_at(root: type, loc: Sequence[int | str]) -> list[str]:
    """The keys the TypedDict found at ``loc`` (inside ``root``) accepts, for suggestions."""
    current: Any = root
    for part in loc:
        if isinstance(part, int):
            args = get_args(current)
            current = args[0] if get_origin(current) is list and args else None
        elif is_typeddict(current):
            current = get_type_hints(current).get(part)
        else:
            return []
    return list(get_type_hints(current)) if is_typeddict(current) else []
