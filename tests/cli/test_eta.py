"""The single task ``--wait`` line shows the estimate of the time left, under ``--mock``: from
the account's cached history ("~1m40s left"), or "no history" when there is none."""

from __future__ import annotations

import json
import re
import time

from rich.console import Console

from kling import BatchProgress, Estimate, TaskBase
from kling._eta import cache_path
from kling.cli._batch import BatchDisplay
from kling.cli._output import WaitDisplay
from kling.testing import DEFAULT_ACCESS_KEY

from .conftest import KlingRunner


def prepare_history(seconds: float, count: int) -> None:
    """A fresh cache for the mock's account: ``count`` new-standard tasks of ``seconds`` each."""
    path = cache_path(DEFAULT_ACCESS_KEY, "http://127.0.0.1:1")  # the mock's, whatever its port
    assert path is not None
    now = time.time()
    samples = {f"old{n}": [["text_to_video"], seconds, now - 60] for n in range(count)}
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": 1, "samples": samples, "kinds": {}, "fetched": {"text_to_video": now}}
    path.write_text(json.dumps(data))


def test_the_wait_line_says_how_long_is_left(kling: KlingRunner) -> None:
    prepare_history(100, 5)

    result = kling("--mock", "text-to-video", "a corgi", "--wait")

    assert result.exit_code == 0, result.output
    first = result.stderr.splitlines()[0]
    assert first.endswith("submitted (0s, ~1m40s left)")


def test_without_history_the_wait_line_says_so(kling: KlingRunner) -> None:
    result = kling("--mock", "text-to-video", "a corgi", "--wait")

    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0].endswith("submitted (0s, no history)")
    # The task's kind is remembered for the next run, which reads it from Kling's list.
    path = cache_path(DEFAULT_ACCESS_KEY, "http://127.0.0.1:1")
    assert path is not None
    (kind,) = json.loads(path.read_text())["kinds"].values()
    assert kind[0] == "text_to_video"


def test_on_a_terminal_the_live_line_shows_the_estimate() -> None:
    task = TaskBase(task_id="1", task_status="processing")
    display = WaitDisplay("text-to-video 1", task, enabled=False)
    console = Console(record=True, width=200)
    left = Estimate(80.0, 100.0, 20.0, 37, "37 text_to_video tasks", slow=False)
    slow = Estimate(None, None, 300.0, 37, "37 text_to_video tasks", slow=True)

    for estimate in (left, slow, None):
        display.update(task, 3.0, estimate)
        console.print(display)

    with_left, with_slow, without = console.export_text().splitlines()
    assert re.search(r"text-to-video 1: processing \d+s, ~1m20s left$", with_left)
    assert re.search(r"text-to-video 1: processing \d+s, slow$", with_slow)
    assert re.search(r"text-to-video 1: processing \d+s$", without)


def test_the_batch_bar_shows_how_long_the_running_tasks_have_left() -> None:
    progress = BatchProgress(total=10, submitted=4, succeeded=1)
    display = BatchDisplay(enabled=False)

    without = display.counts(progress)
    progress.time_left = Estimate(80.0, 100.0, 20.0, 37, "37 text_to_video tasks", slow=False)
    with_left = display.counts(progress)
    progress.time_left = Estimate(None, None, 20.0, 0, "", slow=False)
    no_history = display.counts(progress)

    assert "running 3  " in without
    assert "running 3 (~1m20s left)  " in with_left
    assert "running 3 (no history)  " in no_history
