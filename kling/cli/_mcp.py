"""``kling mcp``: serve every Kling capability as MCP tools (``kling.mcp``) for AI agents.

The server is ``kling.mcp.serve``; the command gives it what the global options decided: the
credentials (``./.env`` applied and checked as for every command), ``--timeout``,
``--max-retries``, and ``--mock`` with ``--mock-timing``. Nothing is printed on stdout: on stdio
it carries the protocol.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from ._errors import CliError
from ._groups import KlingCommand
from ._lazy import add_function_lazily
from ._state import get_state

__all__ = ["mcp", "register"]

_EXAMPLES = (
    "Examples:\n\n"
    "  kling mcp --root ~/videos\n\n"
    "  kling mcp --mock --root /tmp/try\n\n"
    "  kling mcp --transport http --port 8000 --read-only\n\n"
    "  kling mcp --budget 100 --root ~/videos\n\n"
    'An agent\'s config: {"mcpServers": {"kling": {"command": "kling", "args": ["mcp", '
    '"--root", "/path/to/dir"]}}}, with KLING_ACCESS_KEY and KLING_SECRET_KEY in its "env".'
)


def mcp(
    ctx: typer.Context,
    transport: Annotated[
        Literal["stdio", "http"],
        typer.Option(help="stdio (what desktop agents launch) or streamable HTTP on /mcp."),
    ] = "stdio",
    host: Annotated[
        str, typer.Option(help="Where http listens; anything but loopback logs a warning.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Where http listens.")] = 8000,
    root: Annotated[
        Path,
        typer.Option(
            file_okay=False,
            help="The only directory media is read from and results are saved to.",
        ),
    ] = Path("."),
    read_only: Annotated[
        bool,
        typer.Option(
            "--read-only",
            help="Only the lookup tools (get, wait, list, costs): nothing is created or written.",
        ),
    ] = False,
    budget: Annotated[
        float | None,
        typer.Option(
            metavar="UNITS",
            min=0,
            help="The most units (all packages, at Kling's list prices) agents may spend "
            "through the server; creates past it are refused before sending.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve Kling as MCP tools for AI agents: create, wait for and download tasks.

    Creates are idempotent, files stay under --root (made if missing), keys never reach the
    agent; logs: stderr. The global options apply: --mock serves an in-process FakeKling (no
    account, no keys); --base-url, the keys, --timeout and --max-retries as for every command.
    """
    state = get_state(ctx)
    settings = state.settings
    from kling.mcp import ServerSetupError, serve

    options = None if settings.mock else state.client_options()
    try:
        serve(
            transport=transport,
            host=host,
            port=port,
            root=root,
            read_only=read_only,
            mock=settings.mock,
            mock_timing=settings.mock_timing,
            client_options=options,
            budget=budget,
        )
    except ServerSetupError as exc:
        raise CliError(str(exc)) from None


def register(app: typer.Typer) -> None:
    """Add ``kling mcp`` to ``app``."""
    add_function_lazily(app, "mcp", mcp, cls=KlingCommand, epilog=_EXAMPLES, panel="Tools")
