"""Start-up: a line builds only the command it runs, and ``kling --help`` builds none.

The root group lists its commands from what they were registered with (``kling.cli._lazy``);
that listing must read exactly as the built commands would.
"""

from __future__ import annotations

import pytest
import typer.main
from typer._click import Command

from kling.cli._app import app
from kling.cli._lazy import LazyCommand, LazyCommands
from kling.cli._listing import render
from kling.cli._root_help import listing_of

from .conftest import KlingRunner


def test_the_root_help_reads_the_same_before_and_after_every_command_is_built() -> None:
    group = typer.main.get_command(app)
    listed = listing_of(group)
    assert "text-to-video" in render(listed)

    built = dict(group.commands.items())  # type: ignore[attr-defined]  # builds them all

    assert list(built) == list(app.lazy)
    assert listing_of(group) == listed


def test_each_stand_in_is_listed_as_its_command_once_built() -> None:
    lazy = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    built = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert isinstance(lazy, LazyCommands)

    for name in lazy:
        stand_in, command = lazy.listed(name), built[name]
        assert stand_in is not None
        assert not isinstance(stand_in, LazyCommand)
        seen = [
            (c.name, c.hidden, c.deprecated, getattr(c, "rich_help_panel", None))
            for c in (stand_in, command)
        ]
        assert seen[0] == seen[1], name
        for limit in (45, 80, 300):
            assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit), name
        assert (stand_in.short_help or stand_in.help or "").split("\n\n")[0] == (
            command.short_help or command.help or ""
        ).split("\n\n")[0], name
    assert "images" in list(lazy)  # the hidden alias is registered too
    assert lazy.listed("images").hidden  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("args", "built"),
    [
        (["--help"], []),
        ([], []),
        (["text-to-vide"], []),
        (["text-to-video", "--help"], ["text-to-video"]),
        (["--mock", "text-to-video", "a corgi", "--json"], ["text-to-video"]),
        (["images", "--help"], ["images"]),
        (["tasks", "get", "--help"], ["tasks"]),
        (["elements", "create", "--help"], ["elements"]),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_a_line_builds_only_the_command_it_runs(
    monkeypatch: pytest.MonkeyPatch, args: list[str], built: list[str]
) -> None:
    seen: list[str] = []
    build = app.build

    def recording(command: LazyCommand) -> Command:
        seen.append(command.name)
        return build(command)

    monkeypatch.setattr(app, "build", recording)

    result = KlingRunner()(*args)

    assert result.exit_code in (0, 2), result.output
    assert seen == built
