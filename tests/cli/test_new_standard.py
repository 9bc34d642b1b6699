"""The ``kling`` command on Kling's new standard: ``--model`` routes a family command to it."""

from __future__ import annotations

import json
from pathlib import Path

from kling.testing import FakeKlingServer

from .conftest import KlingRunner, key_args, without_host_notice


def test_one_command_makes_a_kling_3_video_and_saves_it(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    result = kling(
        *key_args(server),
        "text-to-video",
        "a corgi surfing",
        "--model",
        "kling-3.0",
        "--resolution",
        "1080p",
        "--duration",
        "10",
        "--audio",
        "native",
        "--wait",
        "-o",
        str(tmp_path),
    )

    assert result.exit_code == 0, result.output
    # The other POST is the wait's read of the account's history (``POST /tasks``).
    [create] = [r for r in server.fake.requests if r.method == "POST" and r.path != "/tasks"]
    assert create.path == "/text-to-video/kling-3.0"
    assert create.json["prompt"] == "a corgi surfing"
    assert create.json["settings"] == {"resolution": "1080p", "duration": 10, "audio": "native"}
    assert create.headers["authorization"] == f"Bearer {server.api_key}"
    [saved] = tmp_path.iterdir()
    assert saved.suffix == ".mp4"
    assert "succeeded" in result.stdout


def test_image_to_video_takes_the_first_frame_as_its_first_argument(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    image = "https://cdn.example/frame.png"
    result = kling(
        *key_args(server),
        "--json",
        "image-to-video",
        image,
        "the waves roll in",
        "--model",
        "kling-2.5-turbo",
    )

    assert result.exit_code == 0, result.output
    [create] = [r for r in server.fake.requests if r.method == "POST"]
    assert create.json["contents"] == [
        {"type": "prompt", "text": "the waves roll in"},
        {"type": "first_frame", "url": image},
    ]


def test_a_legacy_option_with_model_says_what_the_new_standard_takes(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    result = kling(*key_args(server), "text-to-video", "x", "--model", "kling-3.0", "--mode", "pro")

    assert result.exit_code == 2
    assert "--mode is an option of the legacy endpoint" in result.stderr
    assert "--resolution" in result.stderr
    assert not server.fake.requests


def test_a_new_standard_option_without_model_says_to_add_it(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    result = kling(*key_args(server), "text-to-video", "x", "--resolution", "1080p")

    assert result.exit_code == 2
    assert "add --model" in result.stderr
    assert "kling-3.0" in result.stderr
    assert not server.fake.requests


def test_what_the_model_cannot_do_is_one_error_line_and_nothing_is_sent(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    result = kling(
        *key_args(server), "text-to-video", "x", "--model", "kling-2.6", "--duration", "7"
    )

    assert result.exit_code == 1
    assert without_host_notice(result.stderr) == (
        "Error: settings.duration: kling-2.6 makes videos of 5 or 10 s (got 7)\n"
    )
    assert not server.fake.requests


def test_a_key_pair_alone_is_told_to_set_an_api_key(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    result = kling(
        "--base-url",
        server.url,
        "--access-key",
        server.access_key,
        "--secret-key",
        server.secret_key,
        "text-to-video",
        "x",
        "--model",
        "kling-3.0",
    )

    assert result.exit_code == 1
    assert "KLING_API_KEY" in result.stderr
    assert not server.fake.requests


def test_help_says_which_models_go_where(kling: KlingRunner) -> None:
    result = kling("text-to-video", "--help")

    assert result.exit_code == 0
    assert "kling-3.0-turbo" in result.stdout
    assert "--model-name" in result.stdout


def test_tasks_get_and_list_find_new_standard_tasks_without_a_family(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    created = kling(
        *key_args(server), "--json", "text-to-video", "a corgi", "--model", "kling-3.0-turbo"
    )
    assert created.exit_code == 0, created.output
    task_id = json.loads(created.stdout)["id"]

    got = kling(*key_args(server), "tasks", "get", task_id)
    listed = kling(*key_args(server), "--json", "tasks", "list", "--status", "succeeded")

    assert got.exit_code == 0, got.output
    assert f"Task {task_id}: succeeded" in got.stdout
    assert listed.exit_code == 0, listed.output
    assert [task["id"] for task in json.loads(listed.stdout)] == [task_id]


def test_mock_mode_makes_a_new_standard_video(kling: KlingRunner, tmp_path: Path) -> None:
    result = kling(
        "--mock",
        "text-to-video",
        "a corgi",
        "--model",
        "kling-3.0",
        "--wait",
        "-o",
        str(tmp_path),
    )

    assert result.exit_code == 0, result.output
    assert [path.suffix for path in tmp_path.iterdir()] == [".mp4"]
