"""Checks of the lookup tools' arguments, each failing with the argument's name and the fix.

Create arguments are checked by the SDK's own validation (the TypedDicts); these few small
tools check theirs here, with the same kind of message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ._errors import ToolInputError
from ._schemas import TASK_FAMILIES

__all__ = ["TaskRef", "family", "integer", "number", "only", "task_ref", "text"]


@dataclass(frozen=True)
class TaskRef:
    """Which task: its family (or ``v2``) and exactly one of its two ids."""

    family: str
    task_id: str | None
    external_task_id: str | None


def only(arguments: Mapping[str, Any], allowed: Iterable[str], tool: str) -> None:
    """Refuse arguments the tool does not take."""
    known = list(allowed)
    for key in arguments:
        if key not in known:
            raise ToolInputError(
                f"{tool} takes no argument {key!r}; it takes {', '.join(known)}", field=key
            )


def text(arguments: Mapping[str, Any], name: str, *, default: str | None = None) -> str | None:
    """A non-empty string argument, or ``default`` when it is absent."""
    value = arguments.get(name)
    if value is None:
        return default
    if not isinstance(value, str) or not value.strip():
        raise ToolInputError(f"{name} must be a non-empty string, got {value!r}", field=name)
    return value


def texts(arguments: Mapping[str, Any], name: str) -> list[str] | None:
    """A list of non-empty strings, or None when the argument is absent."""
    value = arguments.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ToolInputError(
            f"{name} must be a list of non-empty strings, got {value!r}", field=name
        )
    return value


def integer(arguments: Mapping[str, Any], name: str, *, low: int, high: int, default: int) -> int:
    """An integer argument in ``low..high``, or ``default`` when it is absent."""
    value = arguments.get(name)
    if value is None:
        return default
    # JSON has one number type: 10.0 from a client means 10.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ToolInputError(
            f"{name} must be an integer from {low} to {high}, got {value!r}", field=name
        )
    return value


def number(
    arguments: Mapping[str, Any], name: str, *, low: float, high: float, default: float
) -> float:
    """A number argument in ``low..high``, or ``default`` when it is absent."""
    value = arguments.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ToolInputError(
            f"{name} must be a number from {low:g} to {high:g}, got {value!r}", field=name
        )
    return float(value)


def family(arguments: Mapping[str, Any]) -> str:
    """The ``family`` argument: a legacy family's name, or ``v2``."""
    value = arguments.get("family")
    if value not in TASK_FAMILIES:
        raise ToolInputError(
            f"family must be one of {', '.join(TASK_FAMILIES)} (the create tool's name "
            f"without 'create_', or 'v2' for create_v2_* tasks), got {value!r}",
            field="family",
        )
    return str(value)


def task_ref(arguments: Mapping[str, Any]) -> TaskRef:
    """The task a get, wait or download names."""
    name = family(arguments)
    task_id = text(arguments, "task_id")
    external_id = text(arguments, "external_task_id")
    if (task_id is None) == (external_id is None):
        raise ToolInputError("give exactly one of task_id or external_task_id", field="task_id")
    return TaskRef(name, task_id, external_id)
