"""The root listing of ``kling --help``: its shape (:class:`Listing`) and how it prints.

Plain text, wrapped to a width, in the layout of Click's plain help: usage, help, the options
and each panel of commands with its description beside it, then the notes. Nothing here
imports more than the standard library's ``typing`` (see ``_root_help``).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Listing", "Rows", "render"]

#: (first column, description) rows: an option with its metavar, or a command's name.
Rows = tuple[tuple[str, str], ...]

_INDENT = "  "
_GAP = 2
#: A first column longer than this puts its description on the next line.
_MAX_COLUMN = 30


class Listing(NamedTuple):
    """What ``kling --help`` shows, in order."""

    usage: str
    help: tuple[str, ...]
    """Paragraphs."""
    options: Rows
    panels: tuple[tuple[str, Rows], ...]
    """(title, commands) in the order the panels first appear; hidden commands left out."""
    epilog: tuple[str, ...]
    """Paragraphs."""


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    """``text`` in lines of at most ``width`` (a longer word stands alone), the first line
    starting with ``first``, the others with ``rest``."""
    lines: list[str] = []
    line, empty = first, True
    for word in text.split():
        if not empty and len(line) + 1 + len(word) > width:
            lines.append(line)
            line, empty = rest, True
        line += word if empty else " " + word
        empty = False
    lines.append(line.rstrip())
    return lines


def _rows(rows: Rows, width: int, column: int) -> list[str]:
    lines: list[str] = []
    column = min(column, width // 2 - len(_INDENT) - _GAP)  # half the width for descriptions
    start = len(_INDENT) + column + _GAP
    for first, description in rows:
        head = _INDENT + first
        if len(first) > column:  # the description goes below
            lines.append(head)
            head = ""
        lines += _wrap(description, width, head.ljust(start), " " * start)
    return lines


def _column(rows: Rows) -> int:
    return min(max((len(first) for first, _ in rows), default=0), _MAX_COLUMN)


def render(listing: Listing, width: int = 80) -> str:
    """The listing as text, wrapped to ``width`` columns."""
    lines = [listing.usage]
    for paragraph in listing.help:
        lines += ["", *_wrap(paragraph, width, _INDENT, _INDENT)]
    lines += ["", "Options:", *_rows(listing.options, width, _column(listing.options))]
    # One column for every panel, as one table of commands.
    column = _column(tuple(row for _, rows in listing.panels for row in rows))
    for title, rows in listing.panels:
        lines += ["", f"{title}:", *_rows(rows, width, column)]
    for paragraph in listing.epilog:
        lines += ["", *_wrap(paragraph, width, _INDENT, _INDENT)]
    return "\n".join(lines) + "\n"
