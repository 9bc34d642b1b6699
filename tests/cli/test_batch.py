"""``kling batch run``: a jobs file into a directory, resumed by running it again."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from kling import BatchProgress
from kling.cli._batch import BatchDisplay
from kling.testing import FakeKlingServer
from tests._helpers import unwritable

from .conftest import KlingRunner, flat, server_args, without_host_notice

JOBS = [
    {"family": "text_to_video", "prompt": "a corgi surfing"},
    {"family": "images", "prompt": "a fox", "n": 2},
    {"family": "text_to_video", "prompt": "this one FAILs"},
]


@pytest.fixture
def jobs(tmp_path: Path) -> Path:
    path = tmp_path / "jobs.jsonl"
    path.write_text("".join(json.dumps(job) + "\n" for job in JOBS[:2]))
    return path


def manifest(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


def test_a_run_saves_every_result_and_says_what_it_did(
    kling: KlingRunner, server: FakeKlingServer, jobs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = kling(*server_args(server), "batch", "run", str(jobs), "-o", str(out))

    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(
        # kling-v1 (both jobs' default model) has no published price: nothing quoted or charged.
        rf"2 jobs in \d+s: 2 succeeded; 0 units quoted \(2 unpriced\), 0 units charged; "
        rf"manifest: {out}/manifest.jsonl",
        flat(result.stdout),
    )
    assert len(server.fake.tasks) == 2
    assert sorted(p.suffix for p in out.iterdir()) == [".jsonl", ".mp4", ".png", ".png"]
    assert {r["line"] for r in manifest(out)} == {1, 2}


def test_json_prints_the_summary_as_one_document(
    kling: KlingRunner, server: FakeKlingServer, jobs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = kling(*server_args(server), "batch", "run", str(jobs), "-o", str(out), "--json")

    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["counts"] == {"succeeded": 2}
    assert summary["units_charged"] == summary["units_quoted"] == 0.0  # kling-v1: unpriced
    assert summary["manifest"] == str(out / "manifest.jsonl")
    assert isinstance(summary["wall_time"], float)


def test_running_it_again_sends_nothing(
    kling: KlingRunner, server: FakeKlingServer, jobs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    kling(*server_args(server), "batch", "run", str(jobs), "-o", str(out))
    sent = len(server.fake.requests)

    again = kling(*server_args(server), "batch", "run", str(jobs), "-o", str(out), "--json")

    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["counts"] == {"succeeded": 2}
    assert len(server.fake.requests) == sent


def test_a_failed_job_is_exit_1_with_the_summary_and_how_to_retry_it(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text("".join(json.dumps(job) + "\n" for job in JOBS))
    out = tmp_path / "out"
    args = [*server_args(server), "batch", "run", str(jobs), "-o", str(out)]

    result = kling(*args, "--json")

    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert error["type"] == "BatchIncomplete"
    assert error["message"] == (
        f"of 3 jobs, 1 failed: see {out / 'manifest.jsonl'}; run the same command again to "
        "resume (add --retry-failed to try the failed jobs again)"
    )
    assert error["summary"]["counts"] == {"succeeded": 2, "failed": 1}
    assert error["resume"] == f"kling batch run {jobs} -o {out}"
    assert "line 3: failed: Content risk control" in result.stderr

    retried = kling(*args, "--retry-failed")
    assert retried.exit_code == 1  # it fails again, as a new task
    assert len(server.fake.tasks) == 4


def test_a_bad_line_stops_the_run_before_anything_is_created(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text(json.dumps(JOBS[0]) + "\n" + '{"family": "text_to_video", "prompt": ""}\n')

    result = kling(*server_args(server), "batch", "run", str(jobs), "-o", str(tmp_path / "out"))

    assert result.exit_code == 1
    assert flat(without_host_notice(result.stderr)) == (
        "Error: line 2: prompt: must not be empty or only spaces; nothing was created"
    )
    assert not server.fake.requests


def test_csv_rows_take_the_family_option(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = tmp_path / "prompts.csv"
    jobs.write_text("prompt,duration\na corgi,5\na fox,10\n")
    out = tmp_path / "out"

    result = kling(
        *server_args(server), "batch", "run", str(jobs), "-o", str(out), "--family", "text-to-video"
    )

    assert result.exit_code == 0, result.stderr
    assert sorted(t.body["duration"] for t in server.fake.tasks.values()) == ["10", "5"]


def test_shards_on_two_machines_cover_the_file_once(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text(
        "".join(json.dumps({**JOBS[0], "prompt": f"shot {i}"}) + "\n" for i in range(8))
    )
    lines: list[int] = []
    for index in (0, 1):
        out = tmp_path / f"machine-{index}"
        result = kling(
            *server_args(server), "batch", "run", str(jobs), "-o", str(out), "--shard", f"{index}/2"
        )
        assert result.exit_code == 0, result.stderr
        lines += [r["line"] for r in manifest(out)]
    assert sorted(lines) == list(range(1, 9))
    assert len(server.fake.tasks) == 8


def test_a_bad_shard_is_refused_with_what_to_write(
    kling: KlingRunner, server: FakeKlingServer, jobs: Path, tmp_path: Path
) -> None:
    result = kling(
        *server_args(server), "batch", "run", str(jobs), "-o", str(tmp_path / "o"), "--shard", "2/2"
    )

    assert result.exit_code == 1
    assert "shard must be INDEX/COUNT with 0 <= INDEX < COUNT, such as 0/4" in flat(result.stderr)


def test_a_missing_jobs_file_is_a_usage_error(kling: KlingRunner, tmp_path: Path) -> None:
    result = kling("--mock", "batch", "run", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path))

    assert result.exit_code == 2
    assert "does not exist" in flat(result.stderr)


def test_ctrl_c_says_the_tasks_go_on_and_how_to_resume(
    kling: KlingRunner,
    server: FakeKlingServer,
    jobs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("kling._sync._jobs.Batch.run", interrupted)
    out = tmp_path / "out"
    result = kling(*server_args(server), "batch", "run", str(jobs), "-o", str(out), "--json")

    assert result.exit_code == 130
    error = json.loads(result.stdout)["error"]
    assert error["type"] == "Interrupted"
    assert error["resume"] == f"kling batch run {jobs} -o {out}"
    assert "run the same command again to resume; nothing is created twice" in flat(result.stderr)


def test_progress_shows_on_a_terminal(
    kling: KlingRunner,
    server: FakeKlingServer,
    jobs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=200)
    monkeypatch.setattr("kling.cli._live.err_console", lambda: terminal)

    result = kling(*server_args(server), "batch", "run", str(jobs), "-o", str(tmp_path / "o"))

    assert result.exit_code == 0, result.stderr
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert "2/2" in shown
    assert "succeeded 2" in shown
    assert "downloaded 2" in shown


def test_a_result_url_that_answers_a_page_is_not_a_success(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text(json.dumps(JOBS[0]) + "\n")
    out = tmp_path / "out"
    args = [*server_args(server), "batch", "run", str(jobs), "-o", str(out)]
    page = server.fake.faults.fail_next(
        "GET", "/files/", kind="html", status=200, code=None, times=None
    )

    result = kling(*args, "--json")

    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert error["message"].startswith(
        "of 1 jobs, 1 succeeded but their files could not be saved: see"
    )
    assert error["summary"]["not_downloaded"] == 1
    assert "answered HTTP 200 with text/html" in flat(result.stderr)
    assert sorted(p.name for p in out.iterdir()) == ["manifest.jsonl"]

    server.fake.faults.remove(page)
    again = kling(*args)
    assert again.exit_code == 0, again.stderr
    assert sorted(p.suffix for p in out.iterdir()) == [".jsonl", ".mp4"]
    assert len(server.fake.tasks) == 1


def test_an_output_directory_that_cannot_take_a_file_is_a_usage_error_before_any_create(
    kling: KlingRunner, server: FakeKlingServer, jobs: Path, tmp_path: Path
) -> None:
    with unwritable(tmp_path / "out") as out:
        result = kling(*server_args(server), "batch", "run", str(jobs), "-o", str(out))

    assert result.exit_code == 2
    assert f"cannot write into {str(out)!r}" in flat(result.stderr)
    assert not server.fake.requests


def test_a_server_gone_during_the_batch_says_kling_is_unreachable_and_how_to_resume(
    kling: KlingRunner,
    slow_server: FakeKlingServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    update = BatchDisplay.update

    def update_then_stop(self: BatchDisplay, progress: BatchProgress) -> None:
        update(self, progress)
        if progress.submitted == progress.total:  # every task created: now the server dies
            slow_server.stop()

    monkeypatch.setattr(BatchDisplay, "update", update_then_stop)
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text(
        "".join(json.dumps({**JOBS[0], "prompt": f"shot {i}"}) + "\n" for i in range(3))
    )
    out = tmp_path / "dout"
    args = [*server_args(slow_server), "--unreachable-timeout", "0.5", "--max-retries", "0"]

    result = kling(*args, "batch", "run", str(jobs), "-o", str(out), "--json")

    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    resume = f"kling batch run {jobs} -o {out}"
    assert error["message"] == (
        f"Kling at {slow_server.url} is unreachable: no answer for 0.5 s "
        "(--unreachable-timeout). 3 jobs left unsettled (created tasks go on at Kling); "
        f"0 settled, recorded in {out / 'manifest.jsonl'}; run {resume} again once it "
        "answers: it adopts the tasks that exist and creates the rest"
    )
    assert error["resume"] == resume
    assert error["host"] == slow_server.url
    assert error["summary"]["counts"] == {"pending": 3}
    assert (out / "manifest.jsonl").is_file()  # the file the message names exists


def test_every_bad_line_is_listed_and_no_option_batch_run_lacks_is_suggested(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = tmp_path / "jobs.jsonl"
    lines = [
        JOBS[0],
        {**JOBS[0], "bogus": 1},
        {"family": "image_to_video", "image": "frame.png", "prompt": "waves"},
        {"family": "text_to_video", "prompt": "frame.png"},  # a prompt, not a file name
    ]
    jobs.write_text("".join(json.dumps(job) + "\n" for job in lines))

    result = kling(*server_args(server), "batch", "run", str(jobs), "-o", str(tmp_path / "out"))

    assert result.exit_code == 1
    assert without_host_notice(result.stderr).splitlines() == [
        "Error: 2 bad lines; nothing was created:",
        "line 2: unknown parameter 'bogus' for text_to_video",
        "line 3: image: file not found: frame.png (relative to the jobs file)",
    ]
    assert not server.fake.requests

    out = str(tmp_path / "out")
    as_json = kling(*server_args(server), "--json", "batch", "run", str(jobs), "-o", out)
    error = json.loads(as_json.stdout)["error"]
    assert error["bad_lines"] == without_host_notice(result.stderr).splitlines()[1:]


def test_warnings_of_a_batch_are_printed_where_no_progress_bar_shows_them(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = tmp_path / "jobs.jsonl"
    job = {"product": "text_to_video", "model": "kling-9.9", "prompt": "a cat", "duration": 5}
    jobs.write_text(json.dumps(job) + "\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.jsonl").write_bytes(b'{"job_id": "\xff"}\n')

    result = kling(*server_args(server), "batch", "run", str(jobs), "-o", str(out))

    stderr = flat(result.stderr)
    assert f"Warning: {out / 'manifest.jsonl'} line 1: not UTF-8 text; skipped" in stderr
    assert "Warning: line 1: model 'kling-9.9' is not one this SDK knows" in stderr
