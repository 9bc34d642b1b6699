"""``kling batch run --max-units``: a run whose jobs cost more refuses to start, and a resumed
run counts what earlier runs spent.

Each job is 1.5 video units: 5 s of Kling 2.6 at 720p without native audio, 0.3 units a second
(https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-video.md).
"""

from __future__ import annotations

import json
from pathlib import Path

from kling.testing import FakeKlingServer

from .conftest import KlingRunner, flat, server_args, without_host_notice

VIDEO = {"family": "text_to_video", "model_name": "kling-v2-6", "mode": "std", "duration": "5"}


def _jobs(tmp_path: Path, *prompts: str) -> Path:
    path = tmp_path / "jobs.jsonl"
    path.write_text("".join(json.dumps({**VIDEO, "prompt": p}) + "\n" for p in prompts))
    return path


def test_a_batch_over_max_units_refuses_to_start(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = _jobs(tmp_path, "a fox", "a hen", "a cat")
    args = [*server_args(server), "batch", "run", str(jobs), "-o", str(tmp_path / "out")]

    result = kling(*args, "--max-units", "4")

    assert result.exit_code == 1
    assert flat(without_host_notice(result.stderr)) == (
        "Error: batch of 3 jobs refused: it costs 4.5 video units ($0.63), and max_units has "
        "4 units in total left; nothing was created"
    )
    assert not server.fake.requests

    ran = kling(*args, "--max-units", "4.5")
    assert ran.exit_code == 0, ran.stderr
    assert len(server.fake.tasks) == 3


def test_unpriced_jobs_are_refused_unless_allowed(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text(json.dumps({"family": "text_to_video", "prompt": "a fox"}) + "\n")  # kling-v1
    args = [*server_args(server), "batch", "run", str(jobs), "-o", str(tmp_path / "out")]

    refused = kling(*args, "--max-units", "100", "--json")
    assert refused.exit_code == 1
    error = json.loads(refused.stdout)["error"]
    assert error["type"] == "BudgetExceededError"
    assert "kling-v1: Kling's pricing pages give no price for it" in error["message"]
    assert not server.fake.requests

    allowed = kling(*args, "--max-units", "100", "--allow-unpriced")
    assert allowed.exit_code == 0, allowed.stderr
    assert len(server.fake.tasks) == 1


def test_a_resumed_run_counts_the_tasks_earlier_runs_made(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = _jobs(tmp_path, "a fox", "FAIL this one")  # 3 units
    args = [*server_args(server), "batch", "run", str(jobs), "-o", str(tmp_path / "out")]
    args += ["--max-units", "3.9", "--retry-failed"]

    assert kling(*args).exit_code == 1  # the second job fails
    assert kling(*args).exit_code == 1  # and fails again, as a new task
    assert len(server.fake.tasks) == 3
    # Spent so far: the fox's task (what Kling charged, 1 unit or more), the failed job's first
    # task (the manifest keeps only the last attempt's charge: it counts at its quote, 1.5)
    # and its second (charged 0): one more attempt, 1.5 units, would pass 3.9.
    third = kling(*args)

    assert third.exit_code == 1
    message = flat(without_host_notice(third.stderr))
    assert message.startswith(
        "Error: batch refused (1 jobs left to create): it costs 1.5 video units ($0.21), and "
        "max_units, after the "
    )
    assert message.endswith("units in total left; nothing was created")
    assert len(server.fake.tasks) == 3
