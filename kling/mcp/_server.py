"""The MCP server: the tools, declared with explicit JSON schemas on the MCP SDK's low-level
``Server``, and one handler that runs them all (see ``_handlers``).
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ._options import ServerOptions
from ._paths import Root

try:
    import mcp.types as types
    from mcp.server.lowlevel import Server
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        f"kling mcp needs the official MCP SDK ({exc.name!r} is missing): pip install 'kling[mcp]'"
    ) from exc

if TYPE_CHECKING:
    from mcp.server import ServerRequestContext

    from .._async._client import AsyncKlingClient
    from ._handlers import Toolbox

__all__ = ["build_server"]

_INSTRUCTIONS = (
    "Kling AI video, image and audio generation. Each create_* tool starts a paid task and "
    "returns at once with its task_id, family and quote (what it costs at Kling's list prices; "
    "the quote tool says it before creating); then call wait_task (it reports progress), "
    "then download_results to save the files. Creates are idempotent: without an "
    "external_task_id one is derived from the arguments (and local files' contents), so an "
    "identical call returns the same task (marked existing) instead of paying twice; after a "
    "timeout, just call again, and pass a new external_task_id to make another task from the "
    "same arguments. tts, identify_face and image_recognize answer at once. Media arguments "
    "take an https URL, base64, or a path relative to {root}, where files are also saved; "
    "paths outside it are refused. Each tool sends only the fields its schema lists."
    "{read_only}"
)


def build_server(
    client: AsyncKlingClient,
    *,
    root: str | os.PathLike[str] = ".",
    read_only: bool = False,
    wait_options: dict[str, Any] | None = None,
) -> Server[Any]:
    """An MCP server whose tools call ``client`` (which the caller opens and closes).

    ``wait_options`` are passed to every wait (``poll_interval``...).
    """
    from ._handlers import Toolbox

    checked = ServerOptions.of(root=root).root  # a missing root is a ServerSetupError
    toolbox = Toolbox(client, Root(checked), read_only=read_only, wait_options=wait_options)
    return _server(toolbox)


def _server(toolbox: Toolbox) -> Server[Any]:
    tools = [
        types.Tool(
            name=tool.name,
            description=tool.description,
            input_schema=tool.input_schema,
            annotations=types.ToolAnnotations(
                read_only_hint=tool.read_only,
                destructive_hint=False,
                idempotent_hint=tool.idempotent,
                open_world_hint=True,
            ),
        )
        for tool in toolbox.definitions()
    ]

    async def list_tools(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools)

    async def call_tool(
        ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        async def progress(value: float, total: float | None, message: str) -> None:
            # A no-op unless the client sent a progressToken with the call.
            await ctx.session.report_progress(value, total, message)

        payload, is_error = await toolbox.call(params.name, params.arguments, progress)
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=json.dumps(payload, ensure_ascii=False))],
            structured_content=payload,
            is_error=is_error,
        )

    note = " This server is read-only: it only looks things up." if toolbox.read_only else ""
    return Server(
        "kling",
        version=__version__,
        instructions=_INSTRUCTIONS.format(root=toolbox.root.path, read_only=note),
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )
