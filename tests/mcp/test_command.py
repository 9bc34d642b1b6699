"""``python -m kling.mcp`` and ``kling mcp`` as an agent launches them: a subprocess spoken to
over stdio."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TextIO

import pytest
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

from kling.mcp._tools import tool_defs
from kling.testing import DEFAULT_API_KEY, DEFAULT_SECRET_KEY
from tests._fake_helpers import is_mp4

from .conftest import Mcp, ProgressLog

REPO = Path(__file__).resolve().parents[2]
#: No KLING_* variables: the developer's real credentials never reach these processes.
CLEAN_ENV = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO)}


@pytest.fixture
def errlog(tmp_path: Path) -> Iterator[TextIO]:
    """Where the server's stderr goes: its log."""
    with (tmp_path / "server.log").open("w+") as log:
        yield log


#: The two ways to start a server: the module, and the ``kling`` command (``--mock`` is global).
MODULE = ["-m", "kling.mcp", "--mock"]
COMMAND = ["-m", "kling.cli", "mcp", "--mock"]


@asynccontextmanager
async def launched(
    root: Path, errlog: TextIO, *flags: str, command: list[str] = MODULE
) -> AsyncIterator[Mcp]:
    params = StdioServerParameters(
        command=sys.executable,
        args=[*command, "--root", str(root), *flags],
        # Tasks finish at once; and no credentials at all, which --mock does not need.
        env={**CLEAN_ENV, "KLING_MOCK_TIMING": "instant"},
        cwd=str(REPO),
    )
    async with (
        stdio_client(params, errlog=errlog) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        yield Mcp(session)


@pytest.mark.parametrize("command", [MODULE, COMMAND], ids=["python -m kling.mcp", "kling mcp"])
async def test_a_video_is_created_waited_for_with_progress_and_downloaded_over_stdio(
    root: Path, errlog: TextIO, command: list[str]
) -> None:
    async with launched(root, errlog, command=command) as mcp:
        listed = await mcp.session.list_tools()
        assert "create_v2_omni_video" in {tool.name for tool in listed.tools}
        created = await mcp.ok("create_text_to_video", {"prompt": "a corgi", "duration": "5"})
        seen: ProgressLog = []

        async def progress(value: float, total: float | None, message: str | None) -> None:
            seen.append((value, total, message))

        waited = await mcp.call(
            "wait_task", {"family": "text_to_video", "task_id": created["task_id"]}, progress
        )
        saved = await mcp.ok(
            "download_results", {"family": "text_to_video", "task_id": created["task_id"]}
        )
        bad = await mcp.call("create_text_to_video", {"prompt": "x", "duration": "7x"})
        outside = await mcp.call("create_image_to_video", {"image": "../../etc/hosts"})
    assert waited.data["status"] == "succeed"
    assert [message.split()[2] for _, _, message in seen if message][-1] == "succeed"
    assert is_mp4((root / saved["files"][0]).read_bytes())
    assert bad.error["field"] == "duration"
    assert outside.error["type"] == "OutsideRootError"
    errlog.seek(0)
    log = errlog.read()
    assert "create_text_to_video: ok" in log  # the log went to stderr, not into the protocol
    for secret in (DEFAULT_SECRET_KEY, DEFAULT_API_KEY):
        assert secret not in log
        assert all(secret not in text for text in mcp.texts)


def run_module(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kling.mcp", *args],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=REPO,
        env={**CLEAN_ENV, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def test_without_credentials_it_says_what_to_set_on_stderr_and_prints_nothing_on_stdout(
    tmp_path: Path,
) -> None:
    result = run_module("--root", str(tmp_path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "KLING_ACCESS_KEY" in result.stderr
    assert "--mock" in result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [(["--root", "/no/such/dir", "--mock"], "does not exist"), (["--port", "70000"], "port")],
)
def test_bad_options_are_refused_before_anything_starts(args: list[str], says: str) -> None:
    result = run_module(*args)
    assert result.returncode == 2
    assert says in result.stderr
    assert result.stdout == ""


async def test_the_readme_s_mock_server_starts_with_a_root_that_does_not_exist_yet(
    tmp_path: Path, errlog: TextIO
) -> None:
    # README: kling mcp --mock --root /tmp/try, on a machine without /tmp/try.
    root = tmp_path / "try"
    async with launched(root, errlog, command=COMMAND) as mcp:
        tools = await mcp.session.list_tools()
    assert any(tool.name == "create_text_to_video" for tool in tools.tools)
    assert root.is_dir()


def test_importing_kling_and_kling_mcp_does_not_import_the_mcp_sdk() -> None:
    code = "import sys, kling, kling.mcp; print('mcp' in sys.modules, kling.mcp.serve.__name__)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=CLEAN_ENV, check=True
    )
    # serve() is there, and the SDK waits until a server is built.
    assert result.stdout.split() == ["False", "serve"]


def run_command(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kling.cli", *args],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=cwd,
        env={**CLEAN_ENV, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def test_kling_mcp_without_credentials_says_what_to_set_and_prints_nothing_on_stdout(
    tmp_path: Path,
) -> None:
    result = run_command("mcp", "--root", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "KLING_ACCESS_KEY" in result.stderr
    assert "--mock" in result.stderr


def test_kling_mcp_refuses_a_dotenv_that_sends_exported_keys_elsewhere(tmp_path: Path) -> None:
    # As every kling command: a .env in the directory may not redirect the user's own keys.
    (tmp_path / ".env").write_text("KLING_BASE_URL=https://collector.example\n")
    keys = {"KLING_ACCESS_KEY": "ak-mine", "KLING_SECRET_KEY": "sk-mine-0123456789"}
    result = run_command("mcp", "--root", str(tmp_path), cwd=tmp_path, env=keys)
    assert result.returncode == 1
    assert "collector.example, which is not an official Kling host" in result.stderr
    assert "nothing was sent" in result.stderr
    assert "sk-mine" not in result.stderr + result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def http_server(root: Path, errlog: TextIO, tmp_path: Path) -> Iterator[int]:
    """``python -m kling.mcp --mock --transport http`` on a free loopback port, once it listens.

    Afterwards: it printed nothing on stdout, over http too nothing but the protocol leaves it.
    """
    port = free_port()
    flags = ["--transport", "http", "--port", str(port), "--root", str(root)]
    with (tmp_path / "stdout").open("w+") as stdout:
        server = subprocess.Popen(
            [sys.executable, *MODULE, *flags],
            env={**CLEAN_ENV, "KLING_MOCK_TIMING": "instant"},
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=errlog,
        )
        try:
            for _ in range(300):  # a few seconds: it imports the MCP SDK and uvicorn first
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) == 0:
                        break
                assert server.poll() is None, "the server exited before it listened"
                time.sleep(0.05)
            yield port
        finally:
            server.terminate()
            server.wait(timeout=15)
        stdout.seek(0)
        assert stdout.read() == ""


async def test_over_streamable_http_on_loopback_a_video_is_created_and_waited_for(
    http_server: int, errlog: TextIO
) -> None:
    from mcp.client.streamable_http import streamable_http_client

    url = f"http://127.0.0.1:{http_server}/mcp"
    async with (
        streamable_http_client(url) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        mcp = Mcp(session)
        listed = await session.list_tools()
        created = await mcp.ok("create_text_to_video", {"prompt": "a corgi"})
        waited = await mcp.ok(
            "wait_task", {"family": "text_to_video", "task_id": created["task_id"]}
        )
    assert [tool.name for tool in listed.tools] == [tool.name for tool in tool_defs()]
    assert waited["status"] == "succeed"
    errlog.seek(0)
    assert url in errlog.read()
