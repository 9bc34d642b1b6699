"""``kling tasks get`` / ``kling tasks list`` and ``kling account costs``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kling.testing import FakeKlingServer

from .conftest import KlingRunner, server_args, without_host_notice


def create(kling: KlingRunner, server: FakeKlingServer, *args: str) -> dict[str, object]:
    result = kling(*server_args(server), "--json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_tasks_get_shows_a_task_created_earlier(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    task_id = str(create(kling, server, "text-to-video", "a corgi")["task_id"])

    result = kling(*server_args(server), "tasks", "get", "text-to-video", task_id)

    assert result.exit_code == 0, result.output
    assert f"Task {task_id}: succeed" in result.stdout
    assert ".mp4" in result.stdout


def test_tasks_get_by_external_id(kling: KlingRunner, server: FakeKlingServer) -> None:
    create(kling, server, "image", "a cat", "--external-task-id", "my-cat-1")

    result = kling(
        *server_args(server), "--json", "tasks", "get", "image", "--external-id", "my-cat-1"
    )

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["task_info"]["external_task_id"] == "my-cat-1"


def test_tasks_get_output_downloads_later(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    task_id = str(create(kling, server, "text-to-video", "a corgi")["task_id"])

    result = kling(
        *server_args(server), "tasks", "get", "text_to_video", task_id, "-o", str(tmp_path)
    )

    assert result.exit_code == 0, result.output
    assert [path.name for path in tmp_path.iterdir()] == [f"{task_id}-0.mp4"]


def test_tasks_get_needs_an_id(kling: KlingRunner, server: FakeKlingServer) -> None:
    result = kling(*server_args(server), "tasks", "get", "text-to-video")

    assert result.exit_code == 2
    assert "TASK_ID" in result.stderr


def test_tasks_get_unknown_task_is_one_error_line(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    result = kling(*server_args(server), "tasks", "get", "text-to-video", "404404")

    assert result.exit_code == 1
    assert without_host_notice(result.stderr).startswith("Error: ")


def test_tasks_list_shows_a_table(kling: KlingRunner, server: FakeKlingServer) -> None:
    first = create(kling, server, "text-to-video", "one")["task_id"]
    second = create(kling, server, "text-to-video", "two")["task_id"]

    result = kling(*server_args(server), "tasks", "list", "text-to-video")

    assert result.exit_code == 0, result.output
    assert "task_id" in result.stdout
    assert str(first) in result.stdout
    assert str(second) in result.stdout


def test_tasks_list_json_is_a_list_of_tasks(kling: KlingRunner, server: FakeKlingServer) -> None:
    task_id = create(kling, server, "image", "a cat")["task_id"]
    create(kling, server, "text-to-video", "not an image")

    result = kling(*server_args(server), "--json", "tasks", "list", "image", "--limit", "5")

    assert result.exit_code == 0, result.output
    assert [task["task_id"] for task in json.loads(result.stdout)] == [task_id]


def test_tasks_list_unknown_family_is_a_usage_error(kling: KlingRunner) -> None:
    result = kling("--mock", "tasks", "list", "text-to-movie")

    assert result.exit_code == 2
    assert "unknown family" in result.stderr


def test_account_costs_with_mock_prints_the_packs(kling: KlingRunner) -> None:
    result = kling("--mock", "account", "costs")

    assert result.exit_code == 0, result.output
    assert "Trial-Video" in result.stdout
    assert "100 / 100" in result.stdout


def test_account_costs_json_and_period(kling: KlingRunner) -> None:
    result = kling(
        "--mock",
        "--json",
        "account",
        "costs",
        "--start",
        "2020-01-01",
        "--end",
        "2099-01-01T00:00:00Z",
    )

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["status"] == "online"


def test_account_costs_start_and_days_conflict(kling: KlingRunner) -> None:
    result = kling("--mock", "account", "costs", "--start", "2024-01-01", "--days", "3")

    assert result.exit_code == 2


def test_voice_create_then_delete(kling: KlingRunner, server: FakeKlingServer) -> None:
    created = create(
        kling, server, "voices", "create", "narrator", "--voice-url", "https://x.test/v.mp3", "-w"
    )
    voice_id = created["task_result"]["voices"][0]["voice_id"]  # type: ignore[index]

    result = kling(*server_args(server), "voices", "delete", str(voice_id))

    assert result.exit_code == 0, result.output
    assert f"Deleted voice {voice_id}" in result.stdout


def test_tasks_list_shows_every_result_url(
    kling: KlingRunner, server: FakeKlingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    created = create(kling, server, "image", "a cat", "--n", "4")
    got = kling(*server_args(server), "--json", "tasks", "get", "image", str(created["task_id"]))
    urls = [image["url"] for image in json.loads(got.stdout)["task_result"]["images"]]

    result = kling(*server_args(server), "tasks", "list", "image")

    assert result.exit_code == 0, result.output
    assert len(urls) == 4
    assert all(url in result.stdout for url in urls)


def test_account_costs_shows_date_times(
    kling: KlingRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")

    result = kling("--mock", "account", "costs")

    assert result.exit_code == 0, result.output
    assert re.search(r"Resource packs, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d to ", result.stdout)
    assert len(re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", result.stdout)) == 4


def test_tasks_list_keeps_each_url_whole_at_80_columns(
    kling: KlingRunner, server: FakeKlingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    created = create(kling, server, "image", "a cat", "--n", "2")
    got = kling(*server_args(server), "--json", "tasks", "get", "image", str(created["task_id"]))
    urls = [image["url"] for image in json.loads(got.stdout)["task_result"]["images"]]

    result = kling(*server_args(server), "tasks", "list", "image")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for url in urls:
        assert len(url) > 40  # too long for its column at 80 columns: it used to be folded
        assert any(url in line for line in lines), result.stdout


def test_a_create_without_wait_says_how_to_follow_the_task(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    result = kling(*server_args(server), "text-to-video", "a fox")

    assert result.exit_code == 0, result.output
    task_id = re.search(r"Task (\S+):", result.stdout)
    assert task_id is not None, result.stdout
    follow = f"Follow it with: kling tasks get text-to-video {task_id.group(1)} --wait"
    assert follow in without_host_notice(result.stderr)
