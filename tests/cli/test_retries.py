"""Retries show on stderr as they happen; a server that never answers is named in the error."""

from __future__ import annotations

import json
import socket

import pytest

from kling.testing import FakeKlingServer

from .conftest import KlingRunner, server_args, without_host_notice

pytestmark = pytest.mark.usefixtures("fast_retries")


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_a_throttled_create_says_it_retries(kling: KlingRunner, server: FakeKlingServer) -> None:
    server.fake.faults.rate_limited("POST", "/v1/videos/text2video", code=1303)

    result = kling(*server_args(server), "text-to-video", "a corgi")

    assert result.exit_code == 0, result.output
    line, follow = without_host_notice(result.stderr).splitlines()
    assert follow.startswith("Follow it with: kling tasks get text-to-video ")
    assert line.startswith("Retrying in ")
    assert "(1/3): 429 " in line
    assert "(code 1303)" in line


def test_a_server_that_is_down_shows_each_retry_then_names_the_host(kling: KlingRunner) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    args = ["--base-url", url, "--access-key", "ak-test-0123", "--secret-key", "s" * 32]

    result = kling(*args, "--max-retries", "2", "text-to-video", "a corgi")

    assert result.exit_code == 1
    lines = without_host_notice(result.stderr).splitlines()
    assert [line.split(":")[0] for line in lines[:2]] == [
        "Retrying in 0.0 s (1/2)",
        "Retrying in 0.0 s (2/2)",
    ]
    assert lines[-1].startswith("Error: ")
    assert url in lines[-1]
    assert lines[-1].endswith("gave up after 3 attempts")


def test_under_json_retries_stay_off_stdout(kling: KlingRunner, server: FakeKlingServer) -> None:
    server.fake.faults.rate_limited("POST", "/v1/images/generations", code=1302, times=2)

    result = kling(*server_args(server), "--json", "image", "a cat")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["task_status"] == "submitted"
    assert without_host_notice(result.stderr).count("Retrying in ") == 2
