"""Running a server: one Kling client for its whole life, over stdio or streamable HTTP.

Options and credentials are checked first, so a server that cannot start says why at once;
the MCP SDK is imported only then. Everything the server logs goes to stderr (on stdio, stdout
is the protocol).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

import anyio

from ._options import ServerOptions, ServerSetupError

if TYPE_CHECKING:
    from mcp.server.lowlevel import Server

    from .._async._client import AsyncKlingClient
    from .._budget import Budget

__all__ = ["serve"]

logger = logging.getLogger("kling.mcp")


def serve(
    transport: str = "stdio",
    host: str = "127.0.0.1",
    port: int = 8000,
    root: str | os.PathLike[str] = ".",
    read_only: bool = False,
    mock: bool = False,
    mock_timing: str | None = None,
    client_options: Mapping[str, Any] | None = None,
    budget: float | None = None,
) -> None:
    """Serve the Kling tools until the client disconnects (stdio) or Ctrl-C (http).

    ``client_options`` are keyword arguments of :class:`~kling.AsyncKlingClient` (keys,
    ``base_url``, ``timeout``, ``max_retries``...); what they leave out comes from
    ``KLING_ACCESS_KEY``/``KLING_SECRET_KEY`` (``KLING_API_KEY`` for the new standard) and
    ``KLING_BASE_URL``. ``mock=True`` uses an in-process FakeKling instead, whose tasks take two
    seconds (``mock_timing="instant"``: none; default ``$KLING_MOCK_TIMING``). ``budget``: the
    most units (of all packages together, at Kling's list prices) the agent may spend through
    the server; creates past it are refused before they are sent, and the tools say what is left.
    Raises :class:`ServerSetupError` (saying what to change) when it cannot start.

    >>> serve(mock=True, root="work/")  # doctest: +SKIP
    """
    options = ServerOptions.of(
        transport=transport,
        host=host,
        port=port,
        root=root,
        read_only=read_only,
        mock=mock,
        mock_timing=mock_timing,
    )
    if importlib.util.find_spec("mcp") is None:
        raise ServerSetupError("kling mcp needs the official MCP SDK: pip install 'kling[mcp]'")
    _log_to_stderr()
    spending = None
    if budget is not None:
        from .._budget import Budget

        try:
            spending = Budget(total=budget)
        except ValueError as exc:
            raise ServerSetupError(str(exc)) from None
    anyio.run(_serve, options, dict(client_options or {}), spending)


async def _serve(
    options: ServerOptions, client_options: dict[str, Any], budget: Budget | None = None
) -> None:
    from .._mock_timing import MOCK_WAIT_OPTIONS
    from ._client import kling_client, mock_client

    opened: AbstractAsyncContextManager[AsyncKlingClient] = (
        mock_client(options.mock_timing, budget)
        if options.mock
        else kling_client({**client_options, "budget": budget})
    )
    async with opened as client:
        from ._server import build_server

        server = build_server(
            client,
            root=options.root,
            read_only=options.read_only,
            wait_options=MOCK_WAIT_OPTIONS if options.mock else None,
        )
        mode = "mock (FakeKling)" if options.mock else client.base_url
        logger.info("kling mcp: %s over %s, root %s", mode, options.transport, options.root)
        if options.transport == "stdio":
            from mcp.server.stdio import stdio_server

            async with stdio_server() as (read, write):
                await server.run(read, write, server.create_initialization_options())
        else:
            await _serve_http(server, options)


async def _serve_http(server: Server[Any], options: ServerOptions) -> None:
    import uvicorn

    from .._config import is_loopback

    if not is_loopback(options.host):
        logger.warning(
            "kling mcp listens on %s, which is not loopback: anyone who can reach it can use "
            "the account's credentials through it",
            options.host,
        )
    # DNS-rebinding protection comes on by itself for loopback hosts.
    app = server.streamable_http_app(host=options.host)
    config = uvicorn.Config(
        app,
        host=options.host,
        port=options.port,
        log_config=None,  # the process's logging (stderr), not uvicorn's stdout access log
        access_log=False,
        lifespan="on",
    )
    logger.info("kling mcp: http://%s:%d/mcp", options.host, options.port)
    await uvicorn.Server(config).serve()


def _log_to_stderr() -> None:
    """One stderr handler for the server's own lines, unless the host configured logging."""
    if logger.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
