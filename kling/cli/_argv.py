"""Global options after the command: ``kling text-to-video x --json`` as ``kling --json
text-to-video x``.

Click reads a group's options only before its command, but users put ``--json`` or ``--mock``
at the end as often as at the front. Before the root group parses its arguments, each global
option found after the command is moved, with its value, in front of the command. A command's
own option of the same name keeps it (``mock-server --mock-timing``), the value of a command's
option is never taken for an option (``--negative-prompt --json`` stays a prompt), and nothing
after ``--`` moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from typer.core import TyperGroup, TyperOption

__all__ = ["lift_global_options"]

#: Answered by the root group at once, wherever they are: never moved.
_STAY = frozenset({"--help", "-h", "--version"})


def _arity(params: Iterable[Any]) -> dict[str, bool]:
    """Option name -> whether it takes a value (``--base-url URL``) or is a flag."""
    names: dict[str, bool] = {}
    for param in params:
        if isinstance(param, TyperOption):
            takes_value = not (param.is_flag or param.count)
            for name in (*param.opts, *param.secondary_opts):
                names[name] = takes_value
    return names


def _width(token: str, arity: dict[str, bool]) -> int:
    """Tokens an option occupies: 2 for ``--opt VALUE``, 1 for a flag or ``--opt=VALUE``."""
    name, equals, _ = token.partition("=")
    return 2 if arity.get(name) and not equals else 1


def lift_global_options(group: TyperGroup, ctx: Any, args: list[str]) -> list[str]:
    """``args`` with the global options that follow the command moved in front of it."""
    root = _arity(group.get_params(ctx))
    start = 0  # where the command name is
    while start < len(args) and args[start].startswith("-") and args[start] != "--":
        start += _width(args[start], root)
    command: Any = group
    end = start  # just past the command's words (``tasks get``)
    while isinstance(command, TyperGroup) and end < len(args):
        command = command.get_command(ctx, args[end])
        if command is None:
            return args  # an unknown command: Click says so
        end += 1
    if isinstance(command, TyperGroup):
        return args
    own = _arity(command.get_params(ctx))
    lifted = {name: value for name, value in root.items() if name not in _STAY}
    moved: list[str] = []
    kept: list[str] = []
    index = end
    while index < len(args):
        token = args[index]
        if token == "--":
            kept += args[index:]
            break
        name = token.partition("=")[0]
        if name in own:
            width = _width(token, own)
            kept += args[index : index + width]
        elif name in lifted:
            width = _width(token, lifted)
            moved += args[index : index + width]
        else:
            width = 1
            kept.append(token)
        index += width
    return [*args[:start], *moved, *args[start:end], *kept]
