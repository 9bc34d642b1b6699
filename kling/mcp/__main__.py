"""``python -m kling.mcp``: serve the Kling tools over stdio (default) or streamable HTTP."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]


def parser() -> argparse.ArgumentParser:
    """The command line of ``python -m kling.mcp`` (and of ``kling mcp``)."""
    cli = argparse.ArgumentParser(
        prog="python -m kling.mcp",
        description="Serve every Kling capability as MCP tools for AI agents. Credentials come "
        "from KLING_ACCESS_KEY / KLING_SECRET_KEY (KLING_API_KEY for the new standard) and "
        "KLING_BASE_URL. Logs go to stderr.",
    )
    cli.add_argument(
        "--transport",
        choices=("stdio", "http"),
        default="stdio",
        help="stdio (default; what desktop agents launch) or streamable HTTP on /mcp",
    )
    cli.add_argument(
        "--host", default="127.0.0.1", help="where http listens (default: 127.0.0.1, loopback)"
    )
    cli.add_argument("--port", type=int, default=8000, help="http port (default: 8000)")
    cli.add_argument(
        "--root",
        default=".",
        help="the only directory media is read from and results are saved to (default: .)",
    )
    cli.add_argument(
        "--read-only",
        action="store_true",
        help="only the lookup tools (get, wait, list, costs): nothing is created or written",
    )
    cli.add_argument(
        "--budget",
        type=float,
        default=None,
        metavar="UNITS",
        help="the most units (all packages, at Kling's list prices) agents may spend through "
        "the server; creates past it are refused before sending",
    )
    cli.add_argument(
        "--mock",
        action="store_true",
        help="serve against an in-process FakeKling: try it without an account",
    )
    cli.add_argument(
        "--mock-timing",
        choices=("demo", "instant"),
        default=None,
        help="with --mock: demo (tasks take two seconds; the default, or $KLING_MOCK_TIMING) "
        "or instant",
    )
    return cli


def main(argv: Sequence[str] | None = None) -> int:
    """Run the server; 2 when it cannot start (the reason on stderr)."""
    args = parser().parse_args(argv)
    try:
        from . import ServerSetupError, serve
    except ImportError as exc:
        print(f"kling mcp: {exc}", file=sys.stderr)
        return 2
    try:
        serve(
            transport=args.transport,
            host=args.host,
            port=args.port,
            root=args.root,
            read_only=args.read_only,
            mock=args.mock,
            mock_timing=args.mock_timing,
            budget=args.budget,
        )
    except ServerSetupError as exc:
        print(f"kling mcp: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
