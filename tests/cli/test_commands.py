"""Every row of the SDK's table, of either standard, is a ``kling`` command."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Iterator
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from kling._families import ENDPOINTS, FAMILIES, PRODUCTS, ROWS
from kling.cli._app import app
from kling.cli._commands import Command, task_commands
from kling.cli._families import add_create_command


def _commands(group: Any, words: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    """Every leaf command of the tree as ``("kling words", what it was made from or None)``."""
    for name, command in group.commands.items():
        if hasattr(command, "commands"):  # a group (of Typer's vendored Click)
            yield from _commands(command, (*words, name))
        else:
            made_from = getattr(inspect.unwrap(command.callback), "kling_command", None)
            yield " ".join(("kling", *words, name)), made_from


def _rows_with_commands() -> dict[str, list[str]]:
    """Each row's name and standard -> the commands that create with it."""
    found: dict[str, list[str]] = {}
    for line, made_from in _commands(typer.main.get_command(app)):
        if isinstance(made_from, Command):
            for row in (made_from.legacy, made_from.product):
                if row is not None:
                    found.setdefault(f"{row.standard} {row.name}", []).append(line)
    return found


def test_every_row_of_both_standards_and_every_endpoint_has_a_command() -> None:
    commands = _rows_with_commands()
    rows = [*ROWS, *(row for name, row in ENDPOINTS.items() if name not in FAMILIES)]
    missing = [f"{row.standard} {row.name}" for row in rows]
    missing = [key for key in missing if key not in commands]
    assert missing == [], f"rows without a command: {missing}"


def test_a_product_shares_the_command_of_the_family_with_its_name() -> None:
    commands = _rows_with_commands()
    for name in PRODUCTS:
        assert commands[f"new {name}"] == commands[f"legacy {name}"]


def test_a_product_that_no_family_names_gets_a_command_of_its_own_with_a_required_model() -> None:
    solo = dataclasses.replace(PRODUCTS["omni_video"], name="omni_video_next")
    (command,) = [c for c in task_commands([*ROWS, solo]) if c.key == "omni_video_next"]

    assert command.name == "omni-video-next"
    assert (command.legacy, command.product) == (None, solo)
    model = next(field for field in command.fields if field.key == "model")
    assert model.required
    with pytest.raises(typer.BadParameter, match="--model"):
        command.route({"prompt": "x"})
    _, _, chosen = command.route({"prompt": "x", "model": "kling-3.0-omni"})
    assert chosen == "kling-3.0-omni"
    assert command.target({"model": chosen}) is solo


def test_library_families_are_created_under_their_noun() -> None:
    commands = _rows_with_commands()
    assert commands["legacy elements"] == ["kling elements create"]
    assert commands["legacy voices"] == ["kling voices create"]


def test_a_command_of_a_product_alone_says_model_is_required_before_anything_is_sent() -> None:
    # A product of the real table under a name no family has: the command the CLI makes for it.
    solo = dataclasses.replace(PRODUCTS["text_to_video"], name="text_to_video_next")
    (command,) = task_commands([solo])
    cli = typer.Typer()
    cli.callback()(lambda: None)  # a group, so that the command is called by its name
    add_create_command(cli, command, command.name, downloads=True)

    result = CliRunner().invoke(cli, ["text-to-video-next", "a corgi"])

    assert result.exit_code == 2
    assert "--model" in result.stderr
    assert "kling-3.0" in result.stderr  # a model it takes
