"""The Click classes of every ``kling`` command and group, the root group among them.

All of them show flags as flags in ``--help``: Typer's rich help prints a type after each
option, ``<bool>`` after flags too (``--mock <bool>``), which reads as if the flag took a value;
a flag with an empty metavar shows none. The root group, :class:`KlingGroup`, takes the global
options anywhere on the line and ends every command as ``_errors`` says a command ends.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from typing import Any

import typer

# Typer vendors Click: its usage errors are these, not the click package's.
from typer._click.exceptions import NoSuchOption, UsageError
from typer.core import TyperCommand, TyperGroup, TyperOption
from typer.exceptions import TyperException

from kling import KlingError

from ._argv import lift_global_options
from ._errors import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    CliError,
    Interrupted,
    error_document,
    error_message,
)
from ._lazy import LazyGroup
from ._output import err_console, print_error, print_json
from ._root_help import root_help
from ._state import CliState

__all__ = ["KlingCommand", "KlingGroup", "KlingSubGroup", "PlainFlags"]


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


def _json_requested(args: Sequence[str]) -> bool:
    end = list(args).index("--") if "--" in args else len(args)
    return "--json" in args[:end]


class KlingGroup(PlainFlags, LazyGroup):
    """The root group: global options anywhere, and every ending as the contract above says.

    Its commands are built when used (``_lazy``): ``kling --help`` lists them unbuilt.
    """

    def format_help(self, ctx: Any, formatter: Any) -> None:
        # The listing ``kling --help`` prints without building the application.
        formatter.write(root_help())

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            # Typer prints no help for Click's NoArgsIsHelpError but counts on its rich help
            # having printed itself: the plain listing is printed here, with Click's status.
            typer.echo(ctx.get_help())
            ctx.exit(2)
        lifted = lift_global_options(self, ctx, args)
        given = list(lifted)  # Click's parser consumes the list it reads
        try:
            return super().parse_args(ctx, lifted)
        except NoSuchOption as exc:
            hint = _command_option_hint(self, ctx, given, exc.option_name)
            if hint is None:
                raise
            raise NoSuchOption(exc.option_name, f"{exc.message}. {hint}", ctx=ctx) from None

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        # Asked before parsing: Click's parser consumes ``args`` as it reads them.
        json_requested = _json_requested(args)
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except UsageError as exc:  # in the global options: there is no state yet
            if json_requested:
                print_json(error_document(exc, exc.format_message(), EXIT_USAGE))
            raise

    def invoke(self, ctx: Any) -> Any:  # a click Context (vendored by typer)
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            if _state_json(ctx):
                print_json(error_document(exc, exc.format_message(), EXIT_USAGE))
            raise
        except (KlingError, CliError) as exc:
            _fail(ctx, exc, getattr(exc, "exit_code", EXIT_ERROR))
        except KeyboardInterrupt:
            _fail(ctx, Interrupted("Interrupted."), EXIT_INTERRUPTED)
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # stdout closed early (| head): Typer ends quietly
                raise
            error = CliError(_os_message(exc))
            error.__cause__ = exc
            _fail(ctx, error, EXIT_ERROR, cause=exc)
        except (typer.Exit, typer.Abort, TyperException):  # Click's own endings
            raise
        except Exception as exc:  # a bug: still one error line, and one document with --json
            error = CliError(
                f"unexpected {type(exc).__name__}: {exc} (a bug in kling; --debug shows the "
                "traceback to report)"
            )
            error.__cause__ = exc
            _fail(ctx, error, EXIT_ERROR, cause=exc)


def _command_option_hint(group: TyperGroup, ctx: Any, args: list[str], name: str) -> str | None:
    """When ``name``, refused among the global options, is an option of the command that
    follows (``kling --model kling-3.0 text-to-video``): where it goes instead."""
    words = [arg for arg in args if not arg.startswith("-")]
    command: Any = group
    path: list[str] = []
    for word in words:  # the first word naming a command (the one before may be a value)
        found = command.get_command(ctx, word) if isinstance(command, TyperGroup) else None
        if found is None and path:
            break
        if found is not None:
            command, path = found, [*path, word]
    if not path or isinstance(command, TyperGroup):
        return None
    if not any(name in param.opts for param in command.get_params(ctx)):
        return None
    where = " ".join(path)
    return f"{name} is an option of '{where}': put it after the command (kling {where} {name} ...)"


def _state_json(ctx: Any) -> bool:
    state: CliState | None = ctx.find_object(CliState)
    if state is not None:
        return state.json
    return bool(ctx.params.get("json_output"))


def _os_message(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return f"{reason}: {exc.filename}" if exc.filename else reason


def _fail(ctx: Any, exc: Exception, exit_code: int, *, cause: BaseException | None = None) -> None:
    state: CliState | None = ctx.find_object(CliState)
    message = error_message(exc)
    if _state_json(ctx):
        print_json(error_document(exc, message, exit_code))
    if state is not None and state.settings.debug and exit_code != EXIT_INTERRUPTED:
        if cause is not None:
            raise cause
        raise exc
    if isinstance(exc, Interrupted):
        err_console().print(message, markup=False)
    else:
        print_error(message)
    for note in exc.notes if isinstance(exc, CliError) else ():
        err_console().print(note, markup=False, soft_wrap=True)
    raise typer.Exit(exit_code) from None
