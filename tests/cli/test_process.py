"""The installed command as a user runs it: a real process, the README's first command."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .conftest import run_process


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.slow
def test_readme_first_command_writes_the_video(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLING_")}  # demo timing

    proc = run_process(
        ["--mock", "text-to-video", "a corgi surfing at sunset", "--wait", "--output", "out/"],
        env=env,
        cwd=tmp_path,
    )

    assert proc.returncode == 0, proc.stderr
    (video,) = (tmp_path / "out").iterdir()
    assert video.read_bytes()[4:8] == b"ftyp"
    assert f"Saved {video}" in proc.stdout
    # The status went through every state on the way (printed once each off a terminal).
    assert "submitted" in proc.stderr
    assert "processing" in proc.stderr


def test_version() -> None:
    proc = run_process(["--version"])

    assert proc.returncode == 0
    assert proc.stdout.startswith("kling ")


def test_mock_server_serves_until_stopped() -> None:
    port = free_port()
    args = [sys.executable, "-m", "kling.cli", "mock-server", "--port", str(port)]
    server = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/v1/videos/text2video", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "mock-server did not answer"
                time.sleep(0.05)
        assert response.status_code == 401  # it is up, and wants credentials like Kling
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert f"FakeKling on http://127.0.0.1:{port}" in out
