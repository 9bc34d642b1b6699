"""``kling --help``: the root listing, printed without importing the application."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import typer.main

from kling.cli import main
from kling.cli._app import app
from kling.cli._listing import render
from kling.cli._root_help import listing_of
from kling.cli._root_listing import LISTING

from .conftest import KlingRunner


def _main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """What ``kling ARGS`` prints on stdout, run as the console script runs it."""
    monkeypatch.setattr(sys, "argv", ["kling", *args])
    if args:
        main()
    else:  # a group called without a command ends as Click ends it
        with pytest.raises(SystemExit) as ended:
            main()
        assert ended.value.code == 2
    return capsys.readouterr().out


def _sections(text: str) -> dict[str, list[str]]:
    """Each "Title:" heading of the listing -> the first words of its indented rows."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        heading = re.fullmatch(r"(\S[^:]*):", line)
        if heading:
            current = sections.setdefault(heading.group(1), [])
        elif not line.strip():
            current = None
        elif current is not None and re.match(r"  \S", line):
            current.append(line.split()[0])
    return sections


def test_the_root_help_lists_every_command_of_the_app_and_no_other(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _main(monkeypatch, capsys, "--help")

    listed = [
        name for title, names in _sections(text).items() if title != "Options" for name in names
    ]
    commands = typer.main.get_command(app).commands.items()  # type: ignore[attr-defined]
    visible = [name for name, command in commands if not command.hidden]
    assert sorted(listed) == sorted(visible)
    assert len(listed) == len(set(listed))
    assert "images" not in listed  # the hidden alias


def test_the_root_help_shows_every_global_option_and_the_notes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _main(monkeypatch, capsys, "--help")

    group = typer.main.get_command(app)
    options = [
        name
        for param in group.params
        if not getattr(param, "hidden", False)
        for name in param.opts
        if name.startswith("--")
    ]
    shown = " ".join(_sections(text)["Options"])
    assert options
    assert all(option in shown for option in options), (options, shown)
    assert "-h, --help" in text
    flat = " ".join(text.split())
    for line in (
        'Try it offline: kling --mock text-to-video "a corgi surfing at sunset" --wait',
        "Global options go before or after the command",
        "Exit status: 0 done; 1 error",
        "Text-to-video tasks.",
        "[env var: KLING_MOCK_TIMING; default: demo]",
    ):
        assert line in flat


def test_the_listing_is_the_one_generated_from_the_app() -> None:
    # `python scripts/unasync.py` writes it; `--check` fails when it is stale.
    assert listing_of(typer.main.get_command(app)) == LISTING


@pytest.mark.parametrize(
    "args", [["--help"], ["-h"], ["--json", "--help"], ["--mock", "-h"]], ids=" ".join
)
def test_the_root_help_reads_the_same_however_it_is_asked_for(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    kling: KlingRunner,
    args: list[str],
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    printed = _main(monkeypatch, capsys, "--help")

    result = kling(*args)  # through the application's root group

    assert result.exit_code == 0
    assert result.stdout.rstrip("\n") == printed.rstrip("\n")


def test_kling_alone_prints_the_listing_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], kling: KlingRunner
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    printed = _main(monkeypatch, capsys)

    result = kling()

    assert printed == _main(monkeypatch, capsys, "--help")
    assert result.exit_code == 2
    assert result.stdout.rstrip("\n") == printed.rstrip("\n")


@pytest.mark.parametrize("width", [40, 60, 80, 100])
def test_the_listing_fits_the_terminal(width: int) -> None:
    text = render(LISTING, width)

    for line in text.splitlines():
        words = line.split()
        assert len(line) <= width or len(words) <= 1 or len(words[-1]) > width // 2, line
        assert line == line.rstrip()


def test_kling_help_imports_neither_typer_nor_rich_nor_the_sdk_s_tables() -> None:
    code = (
        "import sys, json; sys.argv = ['kling', '--help']\n"
        "from kling.cli import main\n"
        "main()\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )

    loaded = set(json.loads(proc.stderr.strip().splitlines()[-1]))
    assert "Usage: kling" in proc.stdout
    heavy = {"typer", "rich", "click", "dotenv", "httpx", "pydantic", "kling._families"}
    assert not heavy & loaded, heavy & loaded
