"""Command classes for every ``kling`` command and group: flags read as flags in ``--help``.

Typer's rich help prints a type after each option, ``<bool>`` after flags too (``--mock
<bool>``), which reads as if the flag took a value. A flag with an empty metavar shows none.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand, TyperGroup, TyperOption

__all__ = ["KlingCommand", "KlingSubGroup", "PlainFlags"]


class PlainFlags:
    """Mixin for a Click command: its flags (``--help`` included) show no type in help."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            flag = isinstance(param, TyperOption) and (param.is_flag or param.count)
            if flag and param.metavar is None:
                param.metavar = ""
        return params


class KlingCommand(PlainFlags, TyperCommand):
    """A ``kling`` command."""


class KlingSubGroup(PlainFlags, TyperGroup):
    """A ``kling`` group below the root (``tasks``, ``account``, ``elements``...)."""
