"""``kling mock-server``: its options reach FakeKling; a busy port is one error line, no keys."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import kling.testing
from kling.testing import Timing
from kling.testing._app import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY

from .conftest import KlingRunner
from .test_process import free_port


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.fixture
def run_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What ``kling.testing.run`` would have been called with (nothing is served)."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(kling.testing, "run", lambda *args, **kwargs: calls.append(kwargs))
    return calls


def test_a_busy_port_is_one_error_line_without_keys(kling: KlingRunner, busy_port: int) -> None:
    result = kling("mock-server", "--port", str(busy_port))

    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: cannot listen on 127.0.0.1:{busy_port}: address already in use")
    assert result.stdout == ""
    assert "key" not in result.stderr


@pytest.mark.parametrize(
    ("args", "timing"),
    [
        ([], Timing.seconds()),
        (["--mock-timing", "instant"], Timing.instant()),
        (["--timing", "seconds"], Timing.seconds()),  # the old spelling, hidden
        (["--timing", "instant"], Timing.instant()),
    ],
)
def test_mock_timing_reaches_the_fake(
    kling: KlingRunner,
    run_calls: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    timing: Timing,
) -> None:
    monkeypatch.delenv("KLING_MOCK_TIMING")

    result = kling("mock-server", "--port", "0", *args)

    assert result.exit_code == 0, result.output
    [call] = run_calls
    assert call["timing"] == timing


def test_accept_key_headers_is_passed_to_fake_kling(
    kling: KlingRunner, run_calls: list[dict[str, Any]]
) -> None:
    kling("mock-server", "--port", "0")
    kling("mock-server", "--port", "0", "--accept-key-headers")

    assert [call["accept_key_headers"] for call in run_calls] == [False, True]


def test_accept_key_headers_lets_the_x_api_headers_in() -> None:
    port = free_port()
    command = [sys.executable, "-m", "kling.cli", "mock-server", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--accept-key-headers"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    headers = {"X-Api-Key": DEFAULT_ACCESS_KEY, "X-Api-Secret": DEFAULT_SECRET_KEY}
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                url = f"http://127.0.0.1:{port}/v1/videos/text2video"
                response = httpx.get(url, headers=headers, timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None
                assert time.monotonic() < deadline, "mock-server did not answer"
                time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert response.status_code == 200, response.text
