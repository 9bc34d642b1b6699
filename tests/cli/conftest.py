"""Running the ``kling`` command in tests: in-process with Typer's runner, or as a process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from kling.cli._app import app
from kling.testing import FakeKling, FakeKlingServer, Timing


@pytest.fixture(autouse=True)
def _restore_environ(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tasks finish at once under --mock, and a .env read by a test does not leak into others."""
    saved = dict(os.environ)
    monkeypatch.setenv("KLING_MOCK_TIMING", "instant")
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def kling() -> KlingRunner:
    return KlingRunner()


class KlingRunner:
    """``kling(...)`` runs the app in-process and returns Typer's result (stdout/stderr apart)."""

    def __init__(self) -> None:
        self._runner = CliRunner()

    def __call__(self, *args: str) -> Result:
        return self._runner.invoke(app, list(args))


@pytest.fixture
def server() -> Iterator[FakeKlingServer]:
    """A FakeKling over a real socket (instant tasks) that several invocations can share."""
    with FakeKling.serve() as running:
        yield running


@pytest.fixture
def slow_server() -> Iterator[FakeKlingServer]:
    """A FakeKling whose tasks stay ``submitted`` for a minute: a wait on them goes on."""
    with FakeKling.serve(timing=Timing.seconds(60, 60)) as running:
        yield running


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries after a hundredth of a second instead of the SDK's backoff."""
    monkeypatch.setattr("kling._retry.delay_for", lambda exc, attempt: 0.01)


def key_args(server: FakeKlingServer) -> list[str]:
    """Global options pointing the CLI at ``server`` with both kinds of credentials."""
    assert server.api_key is not None
    return [*server_args(server), "--api-key", server.api_key]


def server_args(server: FakeKlingServer) -> list[str]:
    """Global options pointing the CLI at ``server``."""
    return [
        "--base-url",
        server.url,
        "--access-key",
        server.access_key,
        "--secret-key",
        server.secret_key,
    ]


def flat(text: str) -> str:
    """``text`` on one line, without the frame rich draws around a usage error."""
    return " ".join(text.replace("│", " ").split())


def without_host_notice(stderr: str) -> str:
    """``stderr`` less the "Using Kling API at ..." line shown for a non-default host."""
    lines = stderr.splitlines(keepends=True)
    if lines and lines[0].startswith("Using Kling API at "):
        lines = lines[1:]
    return "".join(lines)


def run_process(
    args: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m kling.cli ARGS`` in a child process, as a user would run ``kling``."""
    return subprocess.run(
        [sys.executable, "-m", "kling.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env if env is not None else dict(os.environ),
        cwd=cwd,
        check=False,
    )
