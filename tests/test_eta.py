"""The task history behind the estimates (``kling._eta``): kinds, percentiles, the cache file,
and which ``on_progress`` callbacks get an estimate. No I/O but the cache file."""

from __future__ import annotations

import functools
import inspect
import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from kling import Estimate, Task
from kling._eta import History, cache_path, format_seconds, kind_of, takes_estimate
from kling._families import ROWS
from tests._helpers import TASK_CREATED_AT, task

T2V = next(row for row in ROWS if row.name == "text_to_video" and row.standard == "legacy")
V2_T2V = next(row for row in ROWS if row.name == "text_to_video" and row.standard == "new")
FULL = ("text_to_video", "kling-v2-6", "pro", "5")


def finished(
    task_id: str,
    seconds: float,
    *,
    family: str | None = "text_to_video",
    created_ms: int = TASK_CREATED_AT,
) -> Task:
    """A succeeded legacy task that took ``seconds``, as a list item gives it."""
    ended = created_ms + round(seconds * 1000)
    data = task(task_id, "succeed", created_at=created_ms, updated_at=ended)
    done = Task.model_validate(data)
    done._family = family
    return done


def history_of(durations: Mapping[str, float], kinds: Mapping[str, tuple[str, ...]]) -> History:
    history = History()
    for task_id, kind in kinds.items():
        history.remember_kind(task_id, kind)
    history.add([finished(i, s) for i, s in durations.items()], "text_to_video")
    return history


def test_a_create_is_of_the_kind_its_parameters_say() -> None:
    assert kind_of(T2V, {"model_name": "kling-v2-6", "mode": "pro", "duration": "5"}) == FULL
    # Left out is left out: Kling's defaults differ per model.
    assert kind_of(T2V, {"prompt": "x"}) == ("text_to_video", "-", "-", "-")
    params = {"model": "kling-3.0-turbo", "resolution": "1080p", "duration": 10}
    assert kind_of(V2_T2V, params) == ("v2.text_to_video", "kling-3.0-turbo", "1080p", "10")


def test_percentiles_come_from_the_finest_kind_with_enough_tasks() -> None:
    # Four tasks of the full kind (10..40 s), six more of the family only (100..600 s).
    durations = {f"k{n}": 10.0 * n for n in range(1, 5)}
    durations |= {f"f{n}": 100.0 * n for n in range(1, 7)}
    history = history_of(durations, {f"k{n}": FULL for n in range(1, 5)})

    estimate = history.estimate(FULL, 0.0, any_kind=False)

    assert estimate.samples == 4
    assert estimate.basis == "4 kling-v2-6 pro 5 s text_to_video tasks"
    assert (estimate.p50, estimate.p90, estimate.p99) == pytest.approx((25.0, 37.0, 39.7))
    assert estimate.remaining == 25.0
    assert str(estimate) == "about 25 s left (from 4 kling-v2-6 pro 5 s text_to_video tasks)"


def test_a_kind_with_too_few_tasks_falls_back_to_model_then_family() -> None:
    durations = {"k1": 60.0, "m1": 30.0, "m2": 30.0, "m3": 30.0, "f1": 500.0}
    other_mode = ("text_to_video", "kling-v2-6", "std", "10")
    kinds = {"k1": FULL, "m1": other_mode, "m2": other_mode, "m3": other_mode}
    history = history_of(durations, kinds)

    by_model = history.estimate(FULL, 0.0, any_kind=False)
    assert by_model.basis == "4 kling-v2-6 text_to_video tasks"  # k1 and the three std ones

    other_model = history.estimate(("text_to_video", "kling-v3", "pro", "5"), 0.0, any_kind=False)
    assert other_model.basis == "5 text_to_video tasks"
    assert other_model.p50 == 30.0


def test_a_legacy_task_is_never_estimated_from_other_families() -> None:
    history = History()
    history.add([finished(f"i{n}", 20.0, family="images") for n in range(5)], "images")

    estimate = history.estimate(FULL, 0.0, any_kind=False)

    assert (estimate.remaining, estimate.samples) == (None, 0)
    assert estimate.describe() == "no history yet for this kind"
    assert estimate.short() == "no history"


def test_a_new_standard_task_of_unknown_product_counts_every_task() -> None:
    history = History()
    history.add([finished(f"v{n}", 20.0 * n, family=None) for n in range(1, 4)], "v2")

    estimate = history.estimate((), 0.0, any_kind=True)

    assert estimate.basis == "3 tasks of any kind"
    assert estimate.remaining == 40.0


def test_the_time_left_is_what_similar_tasks_that_ran_this_long_still_took() -> None:
    history = history_of({f"t{n}": 10.0 * n for n in range(1, 11)}, {})  # 10, 20 .. 100 s

    estimate = history.estimate(("text_to_video",), 75.0, any_kind=False)

    # Past the median of all (55 s): what the 80, 90 and 100 s tasks had left at 75 s.
    assert estimate.remaining == 15.0
    assert estimate.total == 90.0
    assert not estimate.slow
    assert estimate.short() == "~15s left"


def test_a_task_past_the_99th_percentile_is_slow() -> None:
    history = history_of({f"t{n}": 10.0 * n for n in range(1, 11)}, {})

    estimate = history.estimate(("text_to_video",), 100.0, any_kind=False)

    assert estimate.slow
    assert estimate.remaining is None
    assert estimate.describe() == "slower than 99% of 10 text_to_video similar tasks"
    assert estimate.short() == "slow"


def test_only_succeeded_tasks_with_both_times_count() -> None:
    failed = Task.model_validate(task("x1", "failed", updated_at=TASK_CREATED_AT + 5000))
    running = Task.model_validate(task("x2", "processing", updated_at=TASK_CREATED_AT + 5000))
    no_time = Task.model_validate(task("x3", "succeed", updated_at=None))

    assert History().add([failed, running, no_time], "text_to_video") == 0


@pytest.mark.parametrize(
    ("seconds", "long", "short"),
    [(0.2, "under 1 s", "<1s"), (12, "12 s", "12s"), (80, "1 min 20 s", "1m20s"),
     (120, "2 min", "2m00s"), (3900, "1 h 5 min", "1h05m")],
)  # fmt: skip
def test_durations_read_as_people_say_them(seconds: float, long: str, short: str) -> None:
    assert format_seconds(seconds) == long
    assert format_seconds(seconds, short=True) == short


def test_the_cache_is_written_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "kling" / "history.json"
    history = History(path)
    history.remember_kind("k1", FULL)
    history.add([finished("k1", 42.0), finished("f1", 7.0)], "text_to_video")
    history.fetched("text_to_video", TASK_CREATED_AT / 1000)
    history.save()

    again = History(path)
    again.load(TASK_CREATED_AT / 1000 + 60)

    assert again.estimate(("text_to_video",), 0.0, any_kind=False).samples == 0  # 2 < 3
    assert again.kind_for(finished("k1", 1.0), "text_to_video") == FULL
    assert not again.claim("text_to_video", TASK_CREATED_AT / 1000 + 60)  # fresh
    assert json.loads(path.read_text())["samples"]["k1"][1] == 42.0
    assert [p.name for p in path.parent.iterdir()] == ["history.json"]  # no temporary left


def test_a_save_keeps_what_another_process_saved_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    one, two = History(path), History(path)  # two runs of the CLI at once
    now_ms = round(time.time() * 1000)  # the file keeps the last 30 days
    one.add([finished("a1", 30.0, created_ms=now_ms)], "text_to_video")
    two.add([finished("b1", 40.0, created_ms=now_ms)], "text_to_video")

    one.save()
    two.save()

    assert set(json.loads(path.read_text())["samples"]) == {"a1", "b1"}


@pytest.mark.parametrize(
    "content", ["{not json", '{"version": 1}', '{"version": 99, "samples": {}}', "[]", ""]
)
def test_a_corrupt_cache_is_ignored_and_rewritten(tmp_path: Path, content: str) -> None:
    path = tmp_path / "history.json"
    path.write_text(content)
    history = History(path)

    history.load(TASK_CREATED_AT / 1000)
    history.add([finished(f"t{n}", 30.0) for n in range(3)], "text_to_video")
    history.save()

    assert History(path).estimate(("text_to_video",), 0.0, any_kind=False).samples == 0
    reread = History(path)
    reread.load(TASK_CREATED_AT / 1000)
    assert reread.estimate(("text_to_video",), 0.0, any_kind=False).samples == 3


def test_old_tasks_in_the_cache_are_forgotten(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    history = History(path)
    history.add([finished(f"t{n}", 30.0) for n in range(3)], "text_to_video")
    history.save()

    later = History(path)
    later.load(TASK_CREATED_AT / 1000 + 31 * 24 * 3600)

    assert later.estimate(("text_to_video",), 0.0, any_kind=False).samples == 0


def test_an_unwritable_cache_never_raises(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    history = History(blocker / "kling" / "history.json")  # a directory under a file
    history.add([finished("t1", 30.0)], "text_to_video")

    history.save()  # logged at DEBUG, not raised


def test_the_cache_file_is_per_account_and_never_names_the_secret(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    one = cache_path("ak-one", "https://api-singapore.klingai.com")
    assert one is not None
    assert one.parent == tmp_path / "kling"
    assert one != cache_path("ak-two", "https://api-singapore.klingai.com")
    assert one != cache_path("ak-one", "https://api-beijing.klingai.com")
    assert "ak-one" not in str(one)
    assert cache_path(None, "https://api-singapore.klingai.com") is None
    # FakeKling under ``kling --mock`` listens on a new port each run: one history for it.
    assert cache_path("ak", "http://127.0.0.1:4001") == cache_path("ak", "http://127.0.0.1:4002")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    home = cache_path("ak-one", "https://x")
    assert home is not None
    assert home.parent == tmp_path / ".cache" / "kling"


class _Callable:
    def __call__(self, task: Any, elapsed: float, estimate: Estimate) -> None: ...


def _two(task: Any, elapsed: float) -> None: ...
def _three(task: Any, elapsed: float, estimate: Estimate) -> None: ...
def _optional(task: Any, elapsed: float, estimate: Estimate | None = None) -> None: ...
def _starred(*args: Any) -> None: ...
def _keyword_only(task: Any, elapsed: float, *, estimate: Estimate | None = None) -> None: ...


def _readable(function: Any) -> bool:
    try:
        inspect.signature(function)
    except (TypeError, ValueError):
        return False
    return True


@pytest.mark.parametrize(
    ("callback", "gets_it"),
    [
        (_two, False),
        (lambda task, elapsed: None, False),
        (_three, True),
        (_optional, True),
        (_starred, True),
        (_keyword_only, False),
        (_Callable(), True),
        (functools.partial(_three, None), False),  # one already bound: two left
        (print, _readable(print)),  # *args, where its signature can be read (3.11+)
        (max, False),  # no signature to read: called as before
    ],
)
def test_the_estimate_goes_to_callbacks_that_take_a_third_argument(
    callback: Any, gets_it: bool
) -> None:
    assert takes_estimate(callback) is gets_it
