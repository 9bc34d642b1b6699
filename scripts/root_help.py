"""Render ``kling/cli/_root_listing.py``: what ``kling --help`` lists, read from the application.

``kling --help`` prints this listing without importing the application (``kling.cli._root_help``
says why); ``scripts/unasync.py`` writes and ``--check``s it with the generated code, so the
listing cannot drift from the commands. Run as a script (``python scripts/root_help.py``) it
prints the module's code (without the generated-file header) for the checkout it sits in;
:func:`render` runs that in a child interpreter with ``root`` first on the path.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MODULE = "kling/cli/_root_listing.py"
#: Where the listing comes from (named in the generated file's header).
SOURCE = "kling/cli/_app.py (the root group's options and commands)"
EDIT = "the commands' registrations"

_TEMPLATE = '''\
"""What ``kling --help`` lists: the root group's options and commands (see ``_root_help``)."""

from ._listing import Listing

LISTING = {listing}
'''
#: Characters per part of a long string.
_PART = 60


def code() -> str:
    """The module's code, read from the application of the ``kling`` importable here."""
    import typer.main

    from kling.cli._app import app
    from kling.cli._root_help import listing_of

    listing = listing_of(typer.main.get_command(app))
    fields = "".join(f"{name}={_literal(value)},\n" for name, value in listing._asdict().items())
    return _TEMPLATE.format(listing=f"Listing(\n{fields})")


def _literal(value: object) -> str:
    """``value`` (strings in nested tuples) as code whose long strings are split into parts
    short enough to stay within the line length wherever the formatter indents them."""
    if isinstance(value, tuple):
        return "(" + "".join(f"{_literal(item)}, " for item in value) + ")"
    assert isinstance(value, str)
    parts: list[str] = []
    for word in value.split(" "):
        if parts and len(parts[-1]) + len(word) < _PART:
            parts[-1] += " " + word
        else:
            parts.append(word if not parts else " " + word)
    if len(parts) <= 1:
        return repr(value)
    return "(\n" + "\n".join(repr(part) for part in parts) + "\n)"


def render(root: Path) -> dict[Path, str]:
    """``{root / MODULE: code}``, without header or formatting, rendered by a child interpreter
    importing ``root``'s kling (nothing for a tree without the CLI, such as the generator's own
    test trees)."""
    if not (root / "kling/cli/_root_help.py").is_file():
        return {}
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve())],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"cannot render {MODULE}: {proc.stderr.strip()[-2000:]}")
    return {root / MODULE: proc.stdout}


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")  # type: ignore[attr-defined]
    sys.stdout.write(code())
