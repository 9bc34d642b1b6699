"""--output is checked before a task is paid for; results that cannot be saved still show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kling.testing import FakeKlingServer
from kling.testing._faults import Fault

from .conftest import KlingRunner, flat, server_args


def posts(server: FakeKlingServer) -> list[str]:
    return [r.path for r in server.fake.requests if r.method == "POST"]


@pytest.mark.parametrize(
    ("command", "why"),
    [
        (["image", "a cat", "--n", "2"], "2 result files (--n 2)"),
        (["text-to-audio", "rain on a roof", "--duration", "5"], "(an mp3 and a wav)"),
        (["video-to-audio", "--video-url", "https://x.test/v.mp4"], "3 result files"),
        (["omni-image", "a cat", "--result-type", "series"], "may make several"),
    ],
)
def test_a_file_name_for_several_results_is_refused_before_the_create(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path, command: list[str], why: str
) -> None:
    target = tmp_path / "outz" / "single.png"

    result = kling(*server_args(server), *command, "--wait", "-o", str(target))

    assert result.exit_code == 2, result.output
    assert "'--output'" in result.stderr
    assert why in flat(result.stderr)
    assert posts(server) == []
    assert not target.parent.exists()


def test_a_file_name_for_one_video_is_fine(kling: KlingRunner, tmp_path: Path) -> None:
    target = tmp_path / "corgi.mp4"

    result = kling("--mock", "text-to-video", "a corgi", "-o", str(target))

    assert result.exit_code == 0, result.output
    assert target.read_bytes()[4:8] == b"ftyp"


def test_an_output_under_a_file_is_refused_before_the_create(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    (tmp_path / "taken").write_text("a file")

    result = kling(
        *server_args(server), "text-to-video", "a corgi", "-o", str(tmp_path / "taken" / "out")
    )

    assert result.exit_code == 2
    assert "is a file" in flat(result.stderr)
    assert posts(server) == []


def test_a_trailing_slash_says_directory(kling: KlingRunner, tmp_path: Path) -> None:
    result = kling("--mock", "image", "a cat", "--n", "2", "-o", f"{tmp_path}/cats.d/")

    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "cats.d").iterdir())) == 2


def test_tasks_get_refuses_a_file_name_for_a_task_with_several_files(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    created = kling(*server_args(server), "--json", "image", "a cat", "--n", "3")
    task_id = json.loads(created.stdout)["task_id"]

    result = kling(
        *server_args(server), "tasks", "get", "image", task_id, "-o", str(tmp_path / "a.png")
    )

    assert result.exit_code == 2
    assert "makes 3 result files" in flat(result.stderr)


@pytest.mark.usefixtures("fast_retries")
def test_when_saving_fails_after_success_the_urls_are_printed(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    server.fake.faults.add(Fault(method="GET", path="/files/", status=500, times=None))

    result = kling(
        *server_args(server),
        "image",
        "a cat",
        "--n",
        "2",
        "--poll-interval",
        "0.1",
        "-o",
        str(tmp_path),
    )

    assert result.exit_code == 1
    assert "succeed, but its results could not be saved" in result.stderr
    urls = [line for line in result.stderr.splitlines() if line.startswith("http://")]
    assert len(urls) == 2
    assert all("/files/" in url for url in urls)


@pytest.mark.usefixtures("fast_retries")
def test_when_saving_fails_the_json_document_has_the_urls(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    server.fake.faults.add(Fault(method="GET", path="/files/", status=500, times=None))

    result = kling(
        *server_args(server),
        "--json",
        "text-to-video",
        "x",
        "--poll-interval",
        "0.1",
        "-o",
        str(tmp_path),
    )

    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["error"]["type"] == "DownloadError"
    [url] = document["error"]["urls"]
    assert url == document["task"]["task_result"]["videos"][0]["url"]
    assert document["task"]["task_status"] == "succeed"


def test_tts_output_directory_is_checked_before_the_call(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    (tmp_path / "taken").write_text("a file")

    result = kling(
        *server_args(server), "tts", "hello", "--voice-id", "v1", "-o", str(tmp_path / "taken")
    )

    assert result.exit_code == 2
    assert "not a directory" in flat(result.stderr)
    assert posts(server) == []
