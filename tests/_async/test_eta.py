"""Estimates of the time left, over the wire: a wait whose ``on_progress`` takes a third argument
reads the account's finished tasks from the list endpoints beside its polls, and hands each
state an :class:`~kling.Estimate`. Waits do not sleep (the ``clock`` fixture)."""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from kling import AsyncKlingClient, AsyncTask, BatchProgress, Estimate
from kling import _compat_async as _compat
from kling._async import _history
from kling._eta import cache_path
from kling.testing import Timing
from tests._fake_helpers import serve
from tests._helpers import TASK_CREATED_AT, error, ok, sent_json, task

from .conftest import ACCESS_KEY, SECRET_KEY, FakeClock

PATH = "/v1/videos/text2video"


def done(task_id: str, seconds: float, status: str = "succeed") -> dict[str, Any]:
    """A list item of a task that took ``seconds``."""
    return task(task_id, status, updated_at=TASK_CREATED_AT + round(seconds * 1000))


def history_read(monkeypatch: pytest.MonkeyPatch) -> Any:
    """An event set whenever a wait's history read has ended (or found nothing to do)."""
    read = _compat.Event()
    original = _history.AsyncEstimator.refresh

    async def refresh(estimator: _history.AsyncEstimator) -> None:
        try:
            await original(estimator)
        finally:
            read.set()

    monkeypatch.setattr(_history.AsyncEstimator, "refresh", refresh)
    return read


class History:
    """The family's list; ``read`` is set once a wait has read it."""

    def __init__(
        self, api: respx.MockRouter, items: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        self.items = items
        self.read = history_read(monkeypatch)
        self.route = api.get(PATH).mock(side_effect=self.page)

    def page(self, request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["pageNum"])
        size = int(request.url.params["pageSize"])
        return ok(self.items[(number - 1) * size : number * size])

    @property
    def pages(self) -> list[tuple[str, str]]:
        calls = self.route.calls
        return [(c.request.url.params["pageNum"], c.request.url.params["pageSize"]) for c in calls]


def polls(api: respx.MockRouter, task_id: str, states: list[dict[str, Any]], history: Any) -> Any:
    """Answer the polls of ``task_id`` with ``states`` (the last for ever), the first once the
    history has been read: the estimates that follow come from it."""
    answers = itertools.chain(states, itertools.repeat(states[-1]))

    async def answer(request: httpx.Request) -> httpx.Response:
        await history.read.wait()
        return ok(next(answers))

    return api.get(f"{PATH}/{task_id}").mock(side_effect=answer)


def given(client: AsyncKlingClient, task_id: str) -> AsyncTask:
    return client._task(task(task_id), family="text_to_video")


async def test_the_history_comes_from_the_family_list_pages(
    client: AsyncKlingClient,
    api: respx.MockRouter,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_history, "HISTORY_PAGE_SIZE", 4)
    items = [done(f"h{n}", 10 * n) for n in range(1, 7)]
    items += [done("x1", 5, "failed"), done("x2", 5, "processing"), done("h7", 70)]
    history = History(api, items, monkeypatch)
    polls(api, "t0", [done("t0", 80)], history)
    polls(api, "t1", [done("t1", 1)], history)
    second: list[Estimate] = []

    await client.text_to_video.wait(given(client, "t0"), on_progress=lambda t, e, x: None)
    clock.now = 1000.0  # t1 is brand new (its created_at is t0's)
    await client.text_to_video.wait(
        given(client, "t1"), on_progress=lambda t, e, x: second.append(x)
    )

    assert history.pages == [("1", "4"), ("2", "4"), ("3", "4")]  # once: then it is fresh
    # Seven succeeded list items (10..70 s) and t0 itself (80 s); no failed or running one.
    estimate = second[0]
    assert estimate.samples == 8
    assert estimate.basis == "8 text_to_video tasks"
    assert (estimate.p50, estimate.p90, estimate.p99) == pytest.approx((45, 73, 79.3))
    assert str(estimate) == "about 45 s left (from 8 text_to_video tasks)"


async def test_a_two_argument_callback_still_works_and_reads_no_history(
    client: AsyncKlingClient,
    api: respx.MockRouter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    history = History(api, [done("h1", 10)], monkeypatch)
    history.read.set()
    polls(api, "t0", [task("t0", "processing"), done("t0", 30)], history)
    seen: list[tuple[str, float]] = []

    await client.text_to_video.wait(
        given(client, "t0"), on_progress=lambda t, elapsed: seen.append((t.task_status, elapsed))
    )

    assert [status for status, _ in seen] == ["submitted", "processing", "succeed"]
    assert not history.route.called


async def test_a_three_argument_callback_gets_an_estimate_with_every_state(
    client: AsyncKlingClient,
    api: respx.MockRouter,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    history = History(api, [done(f"h{n}", 100) for n in range(5)], monkeypatch)
    polls(api, "t0", [task("t0", "processing"), done("t0", 20)], history)
    seen: list[tuple[str, Estimate]] = []

    def on_progress(t: AsyncTask, elapsed: float, estimate: Estimate) -> None:
        seen.append((t.task_status, estimate))

    await client.text_to_video.wait(given(client, "t0"), on_progress=on_progress)

    assert [status for status, _ in seen] == ["submitted", "processing", "succeed"]
    processing = seen[1][1]
    age = clock.sleeps[0]  # the poll came after the first pause, as the task aged
    assert processing.age == pytest.approx(age)
    assert processing.remaining == pytest.approx(100 - age)
    assert processing.total == pytest.approx(100)
    assert processing.describe().endswith("left (from 5 text_to_video tasks)")
    assert (seen[2][1].finished, seen[2][1].remaining, seen[2][1].short()) == (True, 0.0, "done")


async def test_no_history_says_so_and_makes_up_no_number(
    client: AsyncKlingClient,
    api: respx.MockRouter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    history = History(api, [], monkeypatch)
    polls(api, "t0", [task("t0", "processing"), done("t0", 20)], history)
    seen: list[Estimate] = []

    await client.text_to_video.wait(given(client, "t0"), on_progress=lambda t, e, x: seen.append(x))

    running = seen[:-1]
    assert {(x.remaining, x.total, x.samples, x.slow) for x in running} == {(None, None, 0, False)}
    assert {str(x) for x in running} == {"no history yet for this kind"}


async def test_a_task_past_the_99th_percentile_of_its_kind_is_slow(
    client: AsyncKlingClient,
    api: respx.MockRouter,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    history = History(api, [done(f"h{n}", 10 + n / 10) for n in range(5)], monkeypatch)
    running = [task("t0", "processing")] * 20
    polls(api, "t0", [*running, done("t0", 60)], history)
    seen: list[tuple[float, bool, str]] = []

    def on_progress(t: AsyncTask, elapsed: float, estimate: Estimate) -> None:
        if not t.is_finished:
            seen.append((estimate.age, estimate.slow, estimate.describe()))

    await client.text_to_video.wait(given(client, "t0"), on_progress=on_progress, poll_interval=1)

    late = [(age, describe) for age, slow, describe in seen if slow]
    assert late
    assert all(age > 10.39 for age, _ in late)
    assert {d for _, d in late} == {"slower than 99% of 5 text_to_video similar tasks"}
    assert not any(slow for age, slow, _ in seen if age <= 10.39)


async def test_a_failed_history_read_never_fails_the_wait(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.get(PATH).mock(return_value=error(400, 1201, "no list for you"))
    api.get(f"{PATH}/t0").mock(return_value=ok(done("t0", 20)))
    seen: list[Estimate] = []

    result = await client.text_to_video.wait(
        given(client, "t0"), on_progress=lambda t, e, x: seen.append(x)
    )

    assert result.is_succeeded
    assert seen[-1].finished


async def test_the_history_is_cached_on_disk_for_the_next_client(
    client: AsyncKlingClient,
    api: respx.MockRouter,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    history = History(api, [done(f"h{n}", 30) for n in range(4)], monkeypatch)
    polls(api, "t0", [done("t0", 30)], history)
    await client.text_to_video.wait(given(client, "t0"), on_progress=lambda t, e, x: None)
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "kling"
    (written,) = cache.iterdir()
    assert ACCESS_KEY not in written.name
    assert SECRET_KEY not in written.read_text()
    assert set(json.loads(written.read_text())["samples"]) == {"h0", "h1", "h2", "h3", "t0"}

    seen: list[Estimate] = []
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as another:
        api.get(f"{PATH}/t1").mock(return_value=ok(done("t1", 30)))
        await another.text_to_video.wait(
            given(another, "t1"), on_progress=lambda t, e, x: seen.append(x)
        )

    assert seen[0].basis == "5 text_to_video tasks"  # from the file, before any request
    assert history.route.call_count == 1  # and the file was fresh: not read again


async def test_a_corrupt_cache_is_ignored(
    client: AsyncKlingClient,
    api: respx.MockRouter,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "kling"
    cache.mkdir(parents=True)
    history = History(api, [done(f"h{n}", 30) for n in range(4)], monkeypatch)
    polls(api, "t0", [done("t0", 30)], history)
    await client.text_to_video.wait(given(client, "t0"), on_progress=lambda t, e, x: None)
    (written,) = cache.iterdir()
    written.write_text('{"version": 1, "samples": {"h0": "garbage"')

    history.route.mock(return_value=error(400, 1201, "no list this time"))

    seen: list[Estimate] = []
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as another:
        polls(api, "t1", [task("t1", "processing"), done("t1", 30)], history)
        await another.text_to_video.wait(
            given(another, "t1"), on_progress=lambda t, e, x: seen.append(x)
        )

    assert [x.samples for x in seen[:-1]] == [0, 0]  # the file said nothing usable
    assert history.route.call_count == 2  # so the list was asked again
    assert set(json.loads(written.read_text())["samples"]) == {"t1"}  # and the file rewritten


async def test_a_created_task_is_estimated_by_its_own_kind(
    client: AsyncKlingClient,
    api: respx.MockRouter,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Three earlier tasks of the same kind, known by id from an earlier wait's cache.
    created = itertools.count()
    api.post(PATH).mock(side_effect=lambda request: ok(task(f"c{next(created)}")))
    history = History(api, [], monkeypatch)
    for n in range(3):
        polls(api, f"c{n}", [done(f"c{n}", 40 + n)], history)
    polls(api, "c3", [done("c3", 40)], history)
    params: dict[str, Any] = {"model_name": "kling-v2-6", "mode": "pro", "duration": "5"}
    seen: list[Estimate] = []

    for _ in range(4):
        seen.clear()
        clock.now = 1000.0  # each task brand new as its wait starts (their created_at is one)
        await client.text_to_video.create_and_wait(
            prompt="a corgi", **params, on_progress=lambda t, e, x: seen.append(x)
        )

    assert str(seen[0]) == "about 41 s left (from 3 kling-v2-6 pro 5 s text_to_video tasks)"


async def test_a_new_standard_wait_reads_the_succeeded_tasks_of_tasks(
    api: respx.MockRouter, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def record(task_id: str, status: str, seconds: float) -> dict[str, Any]:
        return {
            "id": task_id,
            "status": status,
            "create_time": TASK_CREATED_AT,
            "update_time": TASK_CREATED_AT + round(seconds * 1000),
        }

    read = history_read(monkeypatch)

    def page(request: httpx.Request) -> httpx.Response:
        items = [record(f"r{n}", "succeeded", 20 * n) for n in range(1, 4)]
        return ok({"result": items, "has_more": False})

    listing = api.post("/tasks").mock(side_effect=page)
    api.post("/text-to-video/kling-3.0").mock(return_value=ok(record("n1", "submitted", 0)))
    answers = iter([record("n1", "processing", 0), record("n1", "succeeded", 30)])

    async def poll(request: httpx.Request) -> httpx.Response:
        await read.wait()
        return ok([next(answers)])

    api.get("/tasks").mock(side_effect=poll)
    seen: list[str] = []
    async with AsyncKlingClient(api_key="api-key-test") as client:
        await client.v2.text_to_video.create_and_wait(
            model="kling-3.0", prompt="x", on_progress=lambda t, e, x: seen.append(str(x))
        )

    assert sent_json(listing.calls[0].request) == {
        "filters": [{"key": "status", "values": ["succeeded"]}],
        "limit": 500,
    }
    # Kling's records do not say their product: the estimate says it is from any task.
    assert seen[1].endswith("(from 3 tasks of any kind)")


def fresh_history(key: str, base_url: str, durations: list[float]) -> Path:
    """The account's history cache, just read: text-to-video tasks that took ``durations``."""
    path = cache_path(key, base_url)
    assert path is not None
    now = time.time()
    samples = {f"old{n}": [["text_to_video"], s, now - 60] for n, s in enumerate(durations)}
    data = {"version": 1, "samples": samples, "kinds": {}, "fetched": {"text_to_video": now}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return path


async def test_a_batch_reports_how_long_its_running_tasks_have_left(
    clock: FakeClock, tmp_path: Path
) -> None:
    jobs = tmp_path / "jobs.jsonl"
    lines = [{"family": "text_to_video", "prompt": f"scene {n}", "mode": "pro"} for n in range(3)]
    jobs.write_text("".join(json.dumps(line) + "\n" for line in lines))
    seen: list[Estimate] = []

    def on_progress(progress: BatchProgress) -> None:
        left = progress.time_left  # read once: the sync twin's threads update it
        if left is not None:
            seen.append(left)

    with serve(timing=Timing.polls(1, 1)) as server:
        path = fresh_history(server.access_key, server.url, [100] * 5)
        async with AsyncKlingClient(server.access_key, server.secret_key, server.url) as client:
            await client.batch.run(
                jobs,
                output_dir=tmp_path / "out",
                on_progress=on_progress,
            )
        listed = [r for r in server.fake.requests if "pageNum" in r.query]

    assert seen[0].basis == "5 text_to_video tasks"
    assert 0 < (seen[0].remaining or 0) <= 100
    # As the run's own tasks finish they are history too: of the family, then of their kind.
    bases = {x.basis for x in seen}
    assert bases <= {f"{n} text_to_video tasks" for n in (5, 6, 7)} | {"3 pro text_to_video tasks"}
    assert not listed  # the history was fresh: no list read
    # The run's tasks are kept, by kind, for the next estimates: one write at the end.
    kinds = json.loads(path.read_text())["kinds"]
    assert sorted(kinds.values()) == [["text_to_video", "-", "pro", "-"]] * 3
