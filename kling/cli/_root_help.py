"""``kling --help``: the root listing, printed without building the application.

The root help lists every command with its one-line description, the global options and the
notes after them. Typer's rich help would need Typer, rich's Markdown and traceback modules and
every command's registration (the SDK's tables among them) imported first, which took longer
than importing httpx and pydantic. So the listing is data (``_listing.Listing``), read from the
application by :func:`listing_of` and written into ``_root_listing.py`` by
``python scripts/unasync.py`` (which ``--check``s that it is current), and printed here as
plain text, wrapped to the terminal. ``kling``, ``kling --help`` and ``kling -h`` print it
before importing anything else (``kling.cli.main``); the root group prints the same text when
Click asks for its help (``kling --json --help``). A command's own ``--help`` stays Typer's.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from ._listing import Listing, render

__all__ = ["listing_of", "print_root_help", "root_help", "terminal_width"]

_MIN_WIDTH, _MAX_WIDTH = 40, 100


def _paragraphs(text: str | None) -> tuple[str, ...]:
    import inspect

    parts = inspect.cleandoc(text or "").split("\n\n")
    return tuple(" ".join(part.split()) for part in parts if part.strip())


def listing_of(group: Any) -> Listing:
    """The listing of the root Click group of ``kling`` (a ``KlingGroup``), from its options
    and its commands as its help lists them, unbuilt."""
    from typer._click import Context

    ctx = Context(group, info_name="kling", **group.context_settings)
    options: list[tuple[str, str]] = []
    for param in group.get_params(ctx):
        record = None if getattr(param, "hidden", False) else param.get_help_record(ctx)
        if record is None:
            continue
        first, description = record
        if param is group.get_help_option(ctx):  # Click's record names only the first
            first = ", ".join(sorted(param.opts, key=len))
        options.append((first, " ".join(description.split())))
    panels: dict[str, list[tuple[str, str]]] = {}
    for name in group.list_commands(ctx):
        command = group.commands.listed(name)
        if command is None or command.hidden:
            continue
        panel = getattr(command, "rich_help_panel", None) or "Commands"
        short = _paragraphs(command.short_help or command.help)
        panels.setdefault(panel, []).append((name, short[0] if short else ""))
    return Listing(
        usage=group.get_usage(ctx),
        help=_paragraphs(group.help),
        options=tuple(options),
        panels=tuple((title, tuple(rows)) for title, rows in panels.items()),
        epilog=_paragraphs(group.epilog),
    )


def terminal_width() -> int:
    """Columns to wrap to: ``COLUMNS``, else the terminal's, else 80; kept within 40-100."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 80
    return max(_MIN_WIDTH, min(columns, _MAX_WIDTH))


def root_help() -> str:
    """The text of ``kling --help``, from the listing generated into ``_root_listing``."""
    # Imported here: the generator imports this module to write that one.
    from ._root_listing import LISTING

    return render(LISTING, terminal_width())


def print_root_help() -> None:
    """Print ``kling --help`` on stdout (quietly when stdout is closed early: ``| head``)."""
    try:
        sys.stdout.write(root_help())
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would complain when flushing stdout again at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
