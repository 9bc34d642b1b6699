"""Waits that end without the task finishing: Kling out of reach, --wait-timeout, Ctrl-C.

Each says the task goes on and prints the command that waits again (under --mock, that the task
went with the in-process fake); with --json the same as one document on stdout.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from rich.console import Console

from kling import KlingClient, TaskBase
from kling.cli._output import WaitDisplay
from kling.testing import FakeKlingServer

from .conftest import KlingRunner, key_args, server_args, without_host_notice


def stop_server_when_waiting(monkeypatch: pytest.MonkeyPatch, server: FakeKlingServer) -> None:
    """Kill the server right after the wait has seen the task once (the submit answered)."""
    update = WaitDisplay.update

    def update_then_stop(self: WaitDisplay, task: Any, elapsed: float) -> None:
        update(self, task, elapsed)
        server.stop()

    monkeypatch.setattr(WaitDisplay, "update", update_then_stop)


def gone_args(server: FakeKlingServer) -> list[str]:
    return [
        *server_args(server),
        "--unreachable-timeout",
        "0.5",
        "--max-retries",
        "0",
        "text-to-video",
        "a corgi",
        "--wait",
        "--poll-interval",
        "0.1",
    ]


def test_server_gone_while_waiting_stops_and_says_how_to_resume(
    kling: KlingRunner, slow_server: FakeKlingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = slow_server.url
    stop_server_when_waiting(monkeypatch, slow_server)

    result = kling(*gone_args(slow_server))

    assert result.exit_code == 1
    lines = without_host_notice(result.stderr).strip().splitlines()
    error = lines[-1]
    assert error.startswith("Error: ")
    assert "unreachable" in error
    assert host in error
    task_id = lines[0].split()[1].rstrip(":")  # "text-to-video <id>: submitted (0s)"
    assert f"resume with: kling tasks get text-to-video {task_id} --wait" in error
    assert "last seen submitted" in error
    # The status line said when the task was last seen, once, and the poller's raw warning
    # ("Polling 1 text_to_video task(s) failed ...; still waiting") never showed.
    [trouble] = [line for line in lines if "last seen" in line and line != error]
    assert trouble.startswith(f"text-to-video {task_id}: submitted, last seen ")
    assert "still waiting" not in result.stderr


def test_server_gone_under_json_is_one_document_naming_host_and_resume(
    kling: KlingRunner, slow_server: FakeKlingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_server_when_waiting(monkeypatch, slow_server)

    result = kling("--json", *gone_args(slow_server))

    assert result.exit_code == 1
    document = json.loads(result.stdout)
    error = document["error"]
    assert error["type"] == "ServerUnreachableError"
    assert error["host"] == slow_server.url
    assert error["task_status"] == "submitted"
    assert error["resume"] == f"kling tasks get text-to-video {error['task_id']} --wait"
    assert error["last_seen_at"].endswith("Z")
    assert document["task"]["task_id"] == error["task_id"]


def test_unreachable_timeout_zero_waits_until_the_wait_timeout(
    kling: KlingRunner, slow_server: FakeKlingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    stop_server_when_waiting(monkeypatch, slow_server)
    args = gone_args(slow_server)
    args[args.index("0.5")] = "0"

    result = kling("--json", *args, "--wait-timeout", "1")

    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"]["type"] == "WaitTimeoutError"


def test_wait_timeout_under_json_gives_the_task_id_and_status(
    kling: KlingRunner, slow_server: FakeKlingServer, tmp_path: Any
) -> None:
    out = str(tmp_path / "out") + "/"
    result = kling(
        *server_args(slow_server),
        "text-to-video",
        "a corgi",
        "-o",
        out,
        "--wait-timeout",
        "0.1",
        "--json",
    )

    assert result.exit_code == 1
    document = json.loads(result.stdout)
    error = document["error"]
    assert error["type"] == "WaitTimeoutError"
    assert error["task_status"] == "submitted"
    assert error["resume"] == f"kling tasks get text-to-video {error['task_id']} --wait -o {out}"
    assert document["task"]["task_status"] == "submitted"


def interrupt(*args: object, **kwargs: object) -> None:
    raise KeyboardInterrupt


def test_ctrl_c_under_json_is_one_document_with_the_task(
    kling: KlingRunner, server: FakeKlingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(WaitDisplay, "update", interrupt)

    result = kling(*server_args(server), "--json", "image", "a cat", "--wait")

    assert result.exit_code == 130
    document = json.loads(result.stdout)
    assert document["error"]["type"] == "Interrupted"
    assert document["error"]["exit_code"] == 130
    assert document["error"]["task_status"] == "submitted"
    assert document["error"]["resume"].startswith("kling tasks get image ")
    assert document["task"]["task_id"] == document["error"]["task_id"]


def test_ctrl_c_under_mock_says_the_task_is_gone_not_how_to_resume(
    kling: KlingRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(WaitDisplay, "update", interrupt)

    result = kling("--mock", "--json", "text-to-video", "a corgi", "--wait")

    assert result.exit_code == 130
    assert "kling --mock tasks get" not in result.stderr
    assert "gone with the mock server" in result.stderr
    assert "kling mock-server" in result.stderr
    error = json.loads(result.stdout)["error"]
    assert error["resume"] is None
    assert "kling mock-server" in error["hint"]


def test_wait_timeout_under_mock_says_the_task_is_gone(
    kling: KlingRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KLING_MOCK_TIMING", "demo")

    result = kling("--mock", "text-to-video", "a corgi", "--wait", "--wait-timeout", "0.1")

    assert result.exit_code == 1
    error = result.stderr.strip().splitlines()[-1]
    assert "gone with the mock server" in error
    assert "tasks get" not in error


def test_bad_wait_options_are_refused_before_the_create(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    for option in ("--wait-timeout", "--poll-interval"):
        result = kling(*server_args(server), "text-to-video", "a corgi", "--wait", option, "0")

        assert result.exit_code == 2, result.output
        assert option in result.stderr
    assert server.fake.requests == []


def test_on_a_terminal_the_live_line_says_when_the_task_was_last_seen() -> None:
    task = TaskBase(task_id="1", task_status="processing")
    display = WaitDisplay("text-to-video 1", task, enabled=False)
    console = Console(record=True, width=200)

    display.trouble("polls fail: Connection refused")
    console.print(display)
    display.update(task, 3.0)
    console.print(display)

    troubled, recovered = console.export_text().splitlines()
    assert "text-to-video 1: processing, last seen " in troubled
    assert troubled.endswith("polls fail: Connection refused")
    assert "last seen" not in recovered


def interrupt_the_send(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Ctrl-C while the create is in flight; returns the paths it interrupted."""
    interrupted: list[str] = []
    owner = threading.current_thread()
    original = KlingClient._send

    def send(self: KlingClient, method: str, path: str, *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is not owner:
            # A history read an earlier command's wait left running (a thread cannot be
            # cancelled: it ends with its page) is not this command's create.
            return original(self, method, path, *args, **kwargs)
        interrupted.append(path)
        raise KeyboardInterrupt

    monkeypatch.setattr(KlingClient, "_send", send)
    return interrupted


def test_ctrl_c_during_the_create_says_how_to_find_the_task_by_its_external_id(
    kling: KlingRunner, server: FakeKlingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    interrupted = interrupt_the_send(monkeypatch)

    result = kling(*server_args(server), "--json", "text-to-video", "a corgi", "-o", "out/")

    assert interrupted == ["/v1/videos/text2video"]
    assert result.exit_code == 130
    error = json.loads(result.stdout)["error"]
    external_id = error["external_task_id"]
    assert external_id.startswith("kling-")
    assert error["type"] == "Interrupted"
    assert error["resume"] == (
        f"kling tasks get text-to-video --external-id {external_id} --wait -o out/"
    )
    assert error["resume"] in result.stderr


def test_ctrl_c_during_a_create_keeps_the_callers_external_id(
    kling: KlingRunner, server: FakeKlingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    interrupt_the_send(monkeypatch)

    result = kling(*server_args(server), "image", "a cat", "--external-task-id", "my-job-7")

    assert result.exit_code == 130
    assert "kling tasks get image --external-id my-job-7 --wait" in result.stderr


def test_ctrl_c_during_a_new_standard_create_looks_it_up_through_tasks(
    kling: KlingRunner, server: FakeKlingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    interrupted = interrupt_the_send(monkeypatch)

    result = kling(*key_args(server), "--json", "text-to-video", "a corgi", "--model", "kling-3.0")

    assert interrupted == ["/text-to-video/kling-3.0"]
    error = json.loads(result.stdout)["error"]
    assert error["resume"] == f"kling tasks get --external-id {error['external_task_id']} --wait"


def test_ctrl_c_during_a_create_under_mock_says_the_task_is_gone(
    kling: KlingRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    interrupt_the_send(monkeypatch)

    result = kling("--mock", "--json", "text-to-video", "a corgi")

    assert result.exit_code == 130
    error = json.loads(result.stdout)["error"]
    assert error["resume"] is None
    assert "gone with the mock server" in error["hint"]
    assert error["external_task_id"].startswith("kling-")
