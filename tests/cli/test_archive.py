"""``kling archive DIR``: every finished task's files saved once, with progress, a summary, and a
warning for tasks Kling deletes soon."""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from kling import KlingClient
from kling.testing import FakeKling, FakeKlingServer, Fault

from .conftest import KlingRunner, flat, key_args

DAY = 86400.0


def make_tasks(server: FakeKlingServer) -> None:
    """A video and two images (legacy), and a new-standard video: four files."""
    with KlingClient(
        server.access_key, server.secret_key, base_url=server.url, api_key=server.api_key
    ) as client:
        client.text_to_video.create(prompt="a fox", duration="5")
        client.images.create(prompt="a cat", n=2)
        client.v2.text_to_video.create(model="kling-3.0", prompt="a dog")


def downloads(server: FakeKlingServer) -> int:
    return sum(1 for r in server.fake.requests if r.path.startswith("/files/"))


def test_archive_saves_every_result_and_says_what_it_did(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    make_tasks(server)
    out = tmp_path / "backup"

    result = kling(*key_args(server), "archive", str(out))

    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(
        rf"Saved 4 files \(\d+\.\d KB\) of 3 finished tasks into {out}; "
        rf"manifest: {out}/archive\.jsonl",
        flat(result.stdout),
    )
    assert sorted(p.suffix for p in out.iterdir()) == [".jsonl", ".mp4", ".mp4", ".png", ".png"]


def test_json_prints_the_summary_and_a_second_run_downloads_nothing(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    make_tasks(server)
    out = tmp_path / "backup"
    first = json.loads(kling(*key_args(server), "archive", str(out), "--json").stdout)
    fetched = downloads(server)

    result = kling(*key_args(server), "archive", str(out), "--json")

    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (first["saved"], first["skipped"]) == (4, 0)
    assert (summary["saved"], summary["skipped"], summary["failed"]) == (0, 4, 0)
    assert summary["manifest"] == str(out / "archive.jsonl")
    assert downloads(server) == fetched
    assert len((out / "archive.jsonl").read_text().splitlines()) == 4


def test_progress_shows_on_a_terminal(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_tasks(server)
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=200)
    monkeypatch.setattr("kling.cli._live.err_console", lambda: terminal)

    result = kling(*key_args(server), "archive", str(tmp_path / "backup"))

    assert result.exit_code == 0, result.stderr
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert "files" in shown
    assert "4/4" in shown
    assert "saved 4" in shown


def test_a_file_not_saved_is_exit_1_with_the_summary_and_how_to_go_on(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    make_tasks(server)
    server.fake.faults.add(Fault(kind="html", method="GET", path="/files/", status=200, code=None))
    out = tmp_path / "backup"

    result = kling(*key_args(server), "archive", str(out), "--family", "text-to-video", "--json")

    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert "1 of the lists or files could not be saved" in error["message"]
    assert error["summary"]["failed"] == 1
    assert error["resume"] == f"kling archive {out} --family text-to-video"
    assert "answered HTTP 200 with text/html" in flat(result.stderr)
    again = kling(*key_args(server), "archive", str(out), "--family", "text-to-video", "--json")
    assert json.loads(again.stdout)["saved"] == 1


def test_since_takes_an_age_or_a_date_and_refuses_anything_else(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    make_tasks(server)

    recent = kling(*key_args(server), "archive", str(tmp_path / "a"), "--since", "1h", "--json")
    future = kling(
        *key_args(server), "archive", str(tmp_path / "b"), "--since", "2999-01-01", "--json"
    )
    wrong = kling(*key_args(server), "archive", str(tmp_path / "c"), "--since", "last month")

    assert json.loads(recent.stdout)["saved"] == 4
    assert json.loads(future.stdout)["saved"] == 0
    assert wrong.exit_code == 2
    assert "expected an age such as 30d, 12h or 2w, or an ISO date" in flat(wrong.stderr)


@pytest.fixture
def aged() -> Iterator[FakeKlingServer]:
    """A fake whose tasks were made 29 days ago (the CLI signs in with the API key alone)."""
    with FakeKling.serve(wall_clock=lambda: time.time() - 29 * DAY) as running:
        yield running


def test_tasks_kling_deletes_soon_are_warned_about(
    kling: KlingRunner, aged: FakeKlingServer, tmp_path: Path
) -> None:
    assert aged.api_key is not None
    with KlingClient(base_url=aged.url, api_key=aged.api_key) as client:
        task = client.text_to_video.create(prompt="a fox", duration="5")
    aged.fake.faults.fail_next("GET", "/files/", code=None, status=404)
    args: list[Any] = ["--base-url", aged.url, "--api-key", aged.api_key]

    result = kling(*args, "archive", str(tmp_path / "backup"), "--json")

    assert result.exit_code == 1
    stderr = flat(result.stderr)
    assert "Warning: Kling deletes 1 of these tasks within days" in stderr
    assert f"task {task.task_id} (text_to_video), deleted about" in stderr
    expiring = json.loads(result.stdout)["error"]["summary"]["expiring"]
    assert [(t["task_id"], t["saved"]) for t in expiring] == [(task.task_id, False)]


def test_ctrl_c_says_what_is_saved_and_how_to_go_on(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("kling._sync._client.KlingClient.archive", interrupted)
    out = tmp_path / "backup"

    result = kling(*key_args(server), "archive", str(out), "--since", "7d", "--json")

    assert result.exit_code == 130
    error = json.loads(result.stdout)["error"]
    assert error["type"] == "Interrupted"
    assert error["resume"] == f"kling archive {out} --since 7d"
    assert "run the same command again to go on (nothing is fetched twice)" in flat(result.stderr)
