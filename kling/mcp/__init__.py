"""``kling mcp``: every Kling capability as tools for AI agents, over the Model Context Protocol.

Needs the extra ``pip install 'kling[mcp]'`` (the official ``mcp`` SDK). Serve over stdio (what
desktop agents launch) or streamable HTTP::

    from kling.mcp import serve

    serve()                                   # stdio; credentials from KLING_* variables
    serve(transport="http", port=8000)        # http://127.0.0.1:8000/mcp
    serve(mock=True, root="work/")            # an in-process FakeKling: no account needed

or from a shell: ``python -m kling.mcp --mock``. Local files are read from and written to
``root`` only; creates are idempotent; ``read_only=True`` lists only the lookup tools.

Nothing here imports ``mcp`` until a server is built, so ``import kling.mcp`` works without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._options import ServerOptions, ServerSetupError, Transport
    from ._run import serve
    from ._server import build_server

__all__ = ["ServerOptions", "ServerSetupError", "Transport", "build_server", "serve"]

_LAZY = {
    "ServerOptions": "._options",
    "Transport": "._options",
    "ServerSetupError": "._options",
    "build_server": "._server",
    "serve": "._run",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
