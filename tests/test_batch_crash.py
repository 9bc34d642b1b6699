"""A batch run killed halfway (SIGKILL) resumes without paying twice; two runs at once create
each task once.

The runs are real processes against one FakeKling server that outlives them, as Kling's task
store outlives a crashed machine. Its account has 25 task slots and a task takes a second, so a
run of 200 jobs creates them over eight seconds or more, while the first results are on disk
after about three: it is killed with results on disk and jobs not yet created.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kling.testing import FakeKlingServer, Timing
from tests._fake_helpers import external_ids, serve

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

JOBS = 200
CHILD = """
import sys
from kling import KlingClient

jobs, out = sys.argv[1:3]
with KlingClient() as client:  # KLING_ACCESS_KEY, KLING_SECRET_KEY, KLING_BASE_URL
    report = client.batch.run(jobs, output_dir=out)
print(report.counts)
"""


@pytest.fixture
def server() -> Iterator[FakeKlingServer]:
    with serve(timing=Timing.seconds(0.1, 0.9), concurrency_limit=25) as running:
        yield running


def write_jobs(path: Path, count: int) -> Path:
    lines = [
        {"family": "text_to_video", "prompt": f"shot {i}", "duration": "5"} for i in range(count)
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def start(server: FakeKlingServer, jobs: Path, out: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "KLING_ACCESS_KEY": server.access_key,
        "KLING_SECRET_KEY": server.secret_key,
        "KLING_BASE_URL": server.url,
    }
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(jobs), str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> str:
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    return stdout


def manifest_lines(out: Path) -> int:
    path = out / "manifest.jsonl"
    return len(path.read_text().splitlines()) if path.is_file() else 0


def results_on_disk(out: Path) -> set[str]:
    return {p.name for p in out.iterdir() if p.suffix == ".mp4"}


def test_a_run_killed_halfway_resumes_and_every_job_is_paid_for_once(
    server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs, out = write_jobs(tmp_path / "jobs.jsonl", JOBS), tmp_path / "out"
    process = start(server, jobs, out)
    deadline = time.monotonic() + 60
    while manifest_lines(out) < JOBS // 4 and process.poll() is None:
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.communicate()  # reaps it and closes its pipes
    assert process.returncode == -signal.SIGKILL
    created_before = len(server.fake.tasks)
    recorded_before = manifest_lines(out)
    assert recorded_before < JOBS, "the run finished before it was killed"
    assert created_before < JOBS, "every task was created before the kill"

    assert "'succeeded': 200" in finish(start(server, jobs, out))

    assert len(server.fake.tasks) == JOBS
    assert max(external_ids(server.fake).values()) == 1
    records = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert len({r["job_id"] for r in records}) == JOBS
    assert len(records) == JOBS  # nothing recorded twice: the rerun skipped what was settled
    assert {r["task_id"] for r in records} == set(server.fake.tasks)
    assert len(results_on_disk(out)) == JOBS
    assert results_on_disk(out) == {name for r in records for name in r["files"]}


def test_two_runs_of_one_file_at_once_create_each_task_once(
    server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs, out = write_jobs(tmp_path / "jobs.jsonl", 60), tmp_path / "out"
    first, second = start(server, jobs, out), start(server, jobs, out)
    finish(first)
    finish(second)
    assert len(server.fake.tasks) == 60
    assert max(external_ids(server.fake).values()) == 1
    assert len(results_on_disk(out)) == 60
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]
