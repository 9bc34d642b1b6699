"""The ``kling`` command (``pip install 'kling[cli]'``).

``kling --help`` lists the commands; ``kling --mock text-to-video "a corgi" --wait --output out/``
tries one against a local fake, no keys needed.
"""

from __future__ import annotations

import sys

__all__ = ["main"]

_INSTALL_HINT = "The kling command needs extra packages: pip install 'kling[cli]'"


def main() -> None:
    """Entry point of the ``kling`` console script."""
    args = sys.argv[1:]
    if args == ["--version"]:
        # Answered before the commands are built: scripts and shells ask this often.
        from kling import __version__

        print(f"kling {__version__}")
        return
    if args in ([], ["--help"], ["-h"]):
        # The root listing, generated from the commands: nothing of the application imported.
        from ._root_help import print_root_help

        print_root_help()
        if not args:  # as Click ends a group called without a command
            raise SystemExit(2)
        return
    try:
        from ._app import app
    except ImportError as exc:
        if exc.name not in ("typer", "rich", "dotenv", "starlette", "uvicorn"):
            raise
        print(f"{_INSTALL_HINT} (missing: {exc.name})", file=sys.stderr)
        raise SystemExit(1) from None
    app(prog_name="kling")
