"""Field-level checks for legacy create bodies: each refusal is 400/1201 naming the field.

Messages start with Kling's ``Invalid parameter`` and say what the field takes. Keys a family
does not document are ignored, as Kling ignores them; documented fields are checked for type
and range, as the family's page gives them (the row ``fake.legacy.fields`` of
:mod:`kling.testing._rulebook`, unless a call names another row).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from ..._evidence import Rule
from .. import _rulebook as R
from .._envelope import ApiError
from .media import (
    AUDIO_TYPES,
    VIDEO_TYPES,
    audio_problem,
    image_problem,
    is_url,
    url_has_type,
    video_url_problem,
)

PROMPT_MAX = 2500


def refuse(rule: Rule, message: str) -> None:
    """400/1201 ``Invalid parameter: <message>`` when ``rule`` is a limit; otherwise return, as
    Kling takes the request (the rule's kind decides, in its row)."""
    R.enforce(rule, ApiError(1201, f"Invalid parameter: {message}"))


def reject(rule: Rule, message: str) -> NoReturn:
    """400/1201 ``Invalid parameter: <message>`` whatever ``rule``'s kind (see ``R.reject``)."""
    R.reject(rule, ApiError(1201, f"Invalid parameter: {message}"))


def shown(value: Any) -> str:
    """A value as a message quotes it (cut to 40 characters)."""
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def listed(values: Sequence[str]) -> str:
    """``'a', 'b' or 'c'``."""
    quoted = [f"'{value}'" for value in values]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def present(body: Mapping[str, Any], name: str) -> bool:
    """Sent with a value (``null`` counts as absent, as for Kling's JSON binding)."""
    return body.get(name) is not None


def string(
    body: Mapping[str, Any],
    name: str,
    *,
    path: str | None = None,
    required: bool = False,
    limit: int | None = None,
    rule: Rule = R.LEGACY_FIELDS,
) -> str | None:
    """A string field: non-blank when required, at most ``limit`` characters (``rule``)."""
    path = path or name
    value = body.get(name)
    if value is None or (required and isinstance(value, str) and not value.strip()):
        if required:
            refuse(R.LEGACY_FIELDS, f"{path} is required")
        return None
    if not isinstance(value, str):
        refuse(R.LEGACY_FIELDS, f"{path} must be a string")
        return None
    if limit is not None and len(value) > limit:
        refuse(rule, f"{path} cannot exceed {limit} characters (got {len(value)})")
    return value


def prompt(body: Mapping[str, Any], *, required: bool = False, limit: int = PROMPT_MAX) -> None:
    """``prompt`` (and ``negative_prompt``, where it is sent) up to ``limit`` characters."""
    string(body, "prompt", required=required, limit=limit)
    string(body, "negative_prompt", limit=PROMPT_MAX)


def choice(
    body: Mapping[str, Any],
    name: str,
    allowed: Sequence[str],
    *,
    path: str | None = None,
    required: bool = False,
) -> str | None:
    """A string field with a fixed set of values."""
    path = path or name
    value = body.get(name)
    if value is None:
        if required:
            refuse(R.LEGACY_FIELDS, f"{path} is required ({listed(allowed)})")
        return None
    if not isinstance(value, str) or value not in allowed:
        refuse(R.LEGACY_FIELDS, f"{path} '{shown(value)}' is invalid; it must be {listed(allowed)}")
        return None
    return value


def number(
    body: Mapping[str, Any],
    name: str,
    low: float,
    high: float,
    *,
    path: str | None = None,
    required: bool = False,
    integer: bool = False,
    rule: Rule = R.LEGACY_FIELDS,
) -> float | None:
    """A number in ``[low, high]`` (``rule``; never a bool or a numeric string)."""
    path = path or name
    value = body.get(name)
    if value is None:
        if required:
            refuse(R.LEGACY_FIELDS, f"{path} is required")
        return None
    kinds = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        refuse(R.LEGACY_FIELDS, f"{path} must be {'an integer' if integer else 'a number'}")
        return None
    if not low <= value <= high:
        refuse(rule, f"{path} must be in [{low:g}, {high:g}], got {value:g}")
    return float(value)


def boolean(body: Mapping[str, Any], name: str, *, path: str | None = None) -> bool | None:
    """A JSON boolean field."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, bool):
        refuse(R.LEGACY_FIELDS, f"{path or name} must be true or false")
        return None
    return value


def obj(
    body: Mapping[str, Any], name: str, *, path: str | None = None, required: bool = False
) -> dict[str, Any] | None:
    """An object field."""
    path = path or name
    value = body.get(name)
    if value is None:
        if required:
            refuse(R.LEGACY_FIELDS, f"{path} is required")
        return None
    if not isinstance(value, dict):
        refuse(R.LEGACY_FIELDS, f"{path} must be an object")
        return None
    return value


def items(
    body: Mapping[str, Any],
    name: str,
    *,
    path: str | None = None,
    most: int | None = None,
    least: int = 0,
    rule: Rule = R.LEGACY_FIELDS,
) -> list[dict[str, Any]]:
    """An array of objects (``[]`` when absent), with ``least``..``most`` entries (``rule``)."""
    path = path or name
    value = body.get(name)
    if value is None:
        value = []
    if not isinstance(value, list):
        refuse(R.LEGACY_FIELDS, f"{path} must be an array")
        return []
    if len(value) < least:
        refuse(rule, f"{path} needs at least {least} item(s)")
    if most is not None and len(value) > most:
        refuse(rule, f"{path} can hold at most {most} item(s), got {len(value)}")
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            refuse(R.LEGACY_FIELDS, f"{path}[{index}] must be an object")
    return [item for item in value if isinstance(item, dict)]


def image(
    body: Mapping[str, Any],
    name: str,
    *,
    path: str | None = None,
    required: bool = False,
    max_side: int | None = None,
) -> str | None:
    """An image field: a URL or raw Base64 of a JPG/PNG within Kling's limits."""
    path = path or name
    value = string(body, name, path=path, required=required)
    if value is None:
        return None
    problem = image_problem(value, max_side=max_side)
    if problem is not None:
        refuse(R.LEGACY_MEDIA, f"{path} {problem}")
    return value


def _suffix(value: str, path: str, suffixes: tuple[str, ...] | None) -> None:
    if suffixes and is_url(value) and not url_has_type(value, suffixes):
        refuse(R.URL_SUFFIX, f"{path} must be a {'/'.join(suffixes)} file")


def audio(
    body: Mapping[str, Any],
    name: str,
    *,
    path: str | None = None,
    url_only: bool = False,
    suffixes: tuple[str, ...] | None = AUDIO_TYPES,
) -> str | None:
    """An audio field: a URL or raw Base64 of at most 5 MB."""
    path = path or name
    value = string(body, name, path=path)
    if value is None:
        return None
    problem = audio_problem(value, url_only=url_only)
    if problem is not None:
        refuse(R.LEGACY_MEDIA, f"{path} {problem}")
    _suffix(value, path, suffixes)
    return value


def video_url(
    body: Mapping[str, Any],
    name: str,
    *,
    path: str | None = None,
    required: bool = False,
    suffixes: tuple[str, ...] | None = VIDEO_TYPES,
) -> str | None:
    """A video URL field."""
    path = path or name
    value = string(body, name, path=path, required=required)
    if value is None:
        return None
    problem = video_url_problem(value)
    if problem is not None:
        refuse(R.LEGACY_MEDIA, f"{path} {problem}")
    _suffix(value, path, suffixes)
    return value


def exactly_one(body: Mapping[str, Any], *names: str, path: str = "") -> str | None:
    """The one of ``names`` that is sent; refuses none and several."""
    sent = [name for name in names if body.get(name) not in (None, "")]
    if len(sent) != 1:
        what = " or ".join(f"{path}{name}" for name in names)
        if sent:
            refuse(R.LEGACY_FIELDS, f"send only one of {what}, not both")
        else:
            refuse(R.LEGACY_FIELDS, f"one of {what} is required")
        return None
    return sent[0]


def common(body: Mapping[str, Any]) -> None:
    """``callback_url``, ``external_task_id`` and ``watermark_info``, on every async create."""
    string(body, "callback_url")
    string(body, "external_task_id")
    watermark = obj(body, "watermark_info")
    if watermark is not None:
        boolean(watermark, "enabled", path="watermark_info.enabled")
