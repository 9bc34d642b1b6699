"""How a failed command ends: one ``Error:`` line on stderr and exit status 1.

Usage errors (unknown option, missing argument) are Click's: usage and help hint, status 2.
``--debug`` lets the exception through, traceback and all. Ctrl-C ends with status 130.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from kling import KlingError, MissingCredentialsError

from ._output import err_console, print_error
from ._state import CliState

__all__ = ["CliError", "KlingGroup", "error_message"]

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130

_CREDENTIALS_HINT = (
    "On the command line: --access-key/--secret-key or --api-key, a .env file in the current "
    "directory, or --mock to try the CLI against a local fake."
)


class CliError(Exception):
    """A failure the CLI itself reports (not the SDK): printed like an SDK error."""


def error_message(exc: BaseException) -> str:
    """The one line shown for ``exc``, with a hint where the SDK's words speak Python."""
    message = str(exc) or type(exc).__name__
    if isinstance(exc, MissingCredentialsError):
        message = f"{message} {_CREDENTIALS_HINT}"
    return message.replace("use extra_body=", "use --extra-body KEY=VALUE")


class KlingGroup(TyperGroup):
    """The root command group: turns SDK errors into one line and a non-zero exit status."""

    def invoke(self, ctx: Any) -> Any:  # a click Context (vendored by typer)
        try:
            return super().invoke(ctx)
        except (KlingError, CliError) as exc:
            state: CliState | None = ctx.find_object(CliState)
            if state is not None and state.settings.debug:
                raise
            print_error(error_message(exc))
            raise typer.Exit(EXIT_ERROR) from None
        except KeyboardInterrupt:
            err_console().print("Interrupted.")
            raise typer.Exit(EXIT_INTERRUPTED) from None
