"""Fan-out: 1,000 tasks created and awaited against FakeKling with simulated latency.

FakeKling (served on 127.0.0.1 in its own process) keeps every task ``submitted`` for 1 s and
``processing`` for 2 s, so no client can finish a task sooner than 3 s after creating it.
Each side runs in a fresh process, so its peak RSS is its own:

* **SDK**: ``client.text_to_video.create_many(items)`` then ``wait_all(tasks)``, with the
  SDK's defaults (16 creates in flight; polls start at 2 s and back off to 15 s; waiting
  polls the list endpoint, 500 tasks a page).
* **naive baseline**: what a user writes without batch helpers: ``asyncio.gather`` of one
  coroutine per task that POSTs with raw httpx, then GETs the task every second until it has
  finished, and builds a ``kling.TaskBase`` from the last answer. One ``httpx.AsyncClient``
  with the same limits (100 connections) and timeout (60 s) as the SDK's.
* for information, **naive, bounded**: the same, with an ``asyncio.Semaphore(100)`` around
  each request. Unbounded, up to 1,000 requests at a time queue inside httpx's connection
  pool (100 connections), and that queue gets slower the longer it grows; the bounded
  variant shows what per-task polling costs once that trap is avoided.
* **SDK, new standard**: ``client.v2.text_to_video.create_many(items, model="kling-3.0-turbo")``
  then ``client.v2.tasks.wait_all(tasks)``, which polls through ``GET /tasks``, 20 ids a request.
* for information, **SDK one by one**: ``asyncio.gather`` of the SDK's single-task
  ``create_and_wait`` with a fixed 1 s poll interval (the naive pattern written with the SDK).
* **SDK, a wait per task**: ``create_many``, then ``asyncio.gather`` of one
  ``client.text_to_video.wait(task)`` per task with the SDK's defaults, as web handlers that
  each await their own task do. Concurrent waits on one client share one poller, so this
  should cost about what ``wait_all`` costs; each wait's return is timed against the moment
  its task finished on the server (created + 3 s), which the polling schedule promises to
  notice within max(2 s, a tenth of the task's age).

Requests are counted from the fake's own request log; wall time runs from the first create
to the last task known finished.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import dataclass
from typing import Any

from ._process import emit, peak_rss_bytes, rss_bytes, run_child
from ._report import Row, Section, fmt, md_table
from ._server import FAMILY_PATH, FakeServerProcess

TARGET_REQUESTS_PER_TASK = 3.0
#: A wait per task, gathered: about what wait_all costs (issue #10).
TARGET_GATHER_REQUESTS_PER_TASK = 1.5
#: How late a waiter may return after its task finished: max(2 s, 10% of the task's age).
TARGET_RETURN_DELAY = max(2.0, 0.1 * 3.0)
SUBMITTED = 1.0
PROCESSING = 2.0
NAIVE_POLL = 1.0
TIMEOUT = 120.0

SIDES = {
    "sdk": "SDK create_many + wait_all",
    "naive": "naive gather, raw httpx, 1 s polls",
    "naive-bounded": "naive gather + Semaphore(100) per request",
    "sdk-single": "SDK create_and_wait per task (gather, 1 s polls)",
    "sdk-gather": "SDK create_many + a wait() per task (gather)",
    "sdk-v2": "SDK new standard: v2 create_many + v2.tasks.wait_all",
}
#: The new standard should cost about a request per task or fewer (a create, and its share
#: of the 20-id polls).
TARGET_V2_REQUESTS_PER_TASK = 1.5


# ---------------------------------------------------------------------------- child side


async def _sdk(url: str, api_key: str, n: int) -> dict[str, Any]:
    from kling import AsyncKlingClient, AsyncTask

    async with AsyncKlingClient(api_key=api_key, base_url=url) as client:
        start = time.perf_counter()
        created = await client.text_to_video.create_many(
            [{"prompt": f"benchmark task {i}"} for i in range(n)]
        )
        created_at = time.perf_counter()
        tasks = [t for t in created if isinstance(t, AsyncTask)]
        done = await client.text_to_video.wait_all(tasks, timeout=TIMEOUT)
        end = time.perf_counter()
    ok = sum(1 for t in done if isinstance(t, AsyncTask) and t.is_succeeded)
    return {"wall": end - start, "create_wall": created_at - start, "succeeded": ok}


async def _sdk_v2(url: str, api_key: str, n: int) -> dict[str, Any]:
    from kling import AsyncKlingClient, AsyncV2Task

    async with AsyncKlingClient(api_key=api_key, base_url=url) as client:
        start = time.perf_counter()
        created = await client.v2.text_to_video.create_many(
            [{"prompt": f"benchmark task {i}"} for i in range(n)], model="kling-3.0-turbo"
        )
        tasks = [t for t in created if isinstance(t, AsyncV2Task)]
        done = await client.v2.tasks.wait_all(tasks, timeout=TIMEOUT)
        end = time.perf_counter()
    ok = sum(1 for t in done if isinstance(t, AsyncV2Task) and t.is_succeeded)
    return {"wall": end - start, "succeeded": ok}


async def _sdk_gather(url: str, api_key: str, n: int) -> dict[str, Any]:
    from kling import AsyncKlingClient, AsyncTask

    async with AsyncKlingClient(api_key=api_key, base_url=url) as client:
        start = time.perf_counter()
        created = await client.text_to_video.create_many(
            [{"prompt": f"benchmark task {i}"} for i in range(n)]
        )

        async def wait(task: AsyncTask) -> tuple[AsyncTask, float]:
            done = await client.text_to_video.wait(task, timeout=TIMEOUT)
            return done, time.time()

        tasks = [t for t in created if isinstance(t, AsyncTask)]
        done = await asyncio.gather(*(wait(t) for t in tasks), return_exceptions=True)
        end = time.perf_counter()
    finished = [d for d in done if not isinstance(d, BaseException)]
    delays = sorted(
        returned - (task.created_at.timestamp() + SUBMITTED + PROCESSING)
        for task, returned in finished
        if task.created_at is not None
    )
    ok = sum(1 for task, _ in finished if task.is_succeeded)
    return {"wall": end - start, "succeeded": ok, "delays": delays}


async def _sdk_single(url: str, api_key: str, n: int) -> dict[str, Any]:
    from kling import AsyncKlingClient

    async with AsyncKlingClient(api_key=api_key, base_url=url) as client:
        start = time.perf_counter()
        done = await asyncio.gather(
            *(
                client.text_to_video.create_and_wait(
                    prompt=f"benchmark task {i}",
                    poll_interval=NAIVE_POLL,
                    max_poll_interval=NAIVE_POLL,
                    timeout=TIMEOUT,
                )
                for i in range(n)
            ),
            return_exceptions=True,
        )
        end = time.perf_counter()
    ok = sum(1 for t in done if not isinstance(t, BaseException) and t.is_succeeded)
    return {"wall": end - start, "succeeded": ok}


async def _naive(url: str, api_key: str, n: int, bound: int | None = None) -> dict[str, Any]:
    import contextlib

    import httpx

    from kling import TaskBase

    headers = {"Authorization": f"Bearer {api_key}"}
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
    gate: contextlib.AbstractAsyncContextManager[Any] = (
        asyncio.Semaphore(bound) if bound is not None else contextlib.nullcontext()
    )

    async with httpx.AsyncClient(limits=limits, timeout=60) as http:

        def data(response: httpx.Response) -> dict[str, Any]:
            body = response.json()
            if response.status_code >= 400 or body.get("code") != 0:
                raise RuntimeError(f"Kling error {response.status_code}: {body}")
            result: dict[str, Any] = body["data"]
            return result

        async def create_and_wait(i: int) -> TaskBase:
            async with gate:
                response = await http.post(
                    url + FAMILY_PATH, json={"prompt": f"benchmark task {i}"}, headers=headers
                )
            task = data(response)
            while task["task_status"] not in ("succeed", "failed"):
                await asyncio.sleep(NAIVE_POLL)
                async with gate:
                    response = await http.get(
                        f"{url}{FAMILY_PATH}/{task['task_id']}", headers=headers
                    )
                task = data(response)
            return TaskBase.model_validate(task)

        start = time.perf_counter()
        done = await asyncio.gather(*(create_and_wait(i) for i in range(n)), return_exceptions=True)
        end = time.perf_counter()
    ok = sum(1 for t in done if isinstance(t, TaskBase) and t.is_succeeded)
    errors = sorted({type(t).__name__ for t in done if isinstance(t, BaseException)})
    return {"wall": end - start, "succeeded": ok, "errors": errors}


def _child(side: str, options: dict[str, Any]) -> None:
    # The same modules in every side, so their resting RSS compares too.
    import httpx  # noqa: F401

    import kling._async._client
    import kling._async._resources
    import kling._models  # noqa: F401

    before = rss_bytes()
    url, api_key, n = options["url"], options["api_key"], options["n"]
    if side == "sdk":
        result = asyncio.run(_sdk(url, api_key, n))
    elif side == "sdk-single":
        result = asyncio.run(_sdk_single(url, api_key, n))
    elif side == "sdk-gather":
        result = asyncio.run(_sdk_gather(url, api_key, n))
    elif side == "sdk-v2":
        result = asyncio.run(_sdk_v2(url, api_key, n))
    elif side == "naive":
        result = asyncio.run(_naive(url, api_key, n))
    else:
        result = asyncio.run(_naive(url, api_key, n, bound=100))
    result.update(rss_before=before, rss_peak=peak_rss_bytes())
    emit(result)


# --------------------------------------------------------------------------- parent side


@dataclass(frozen=True)
class Outcome:
    side: str
    n: int
    wall: float
    succeeded: int
    requests: dict[str, int]
    rss_before: int
    rss_peak: int
    create_wall: float | None = None
    errors: tuple[str, ...] = ()
    delays: tuple[float, ...] = ()

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    @property
    def per_task(self) -> float:
        return self.total_requests / self.n


def measure(server: FakeServerProcess, side: str, n: int) -> Outcome:
    server.reset()
    options = {"url": server.url, "api_key": server.api_key, "n": n}
    result = run_child("benchmarks._fanout", side, json.dumps(options), timeout=600)
    counts = server.stats()
    return Outcome(
        side=side,
        n=n,
        wall=result["wall"],
        succeeded=result["succeeded"],
        requests=dict(counts),
        rss_before=result["rss_before"],
        rss_peak=result["rss_peak"],
        create_wall=result.get("create_wall"),
        errors=tuple(result.get("errors", ())),
        delays=tuple(result.get("delays", ())),
    )


def run(quick: bool) -> Section:
    # Quick mode keeps to 200 tasks: unbounded, the naive side spends over a minute on 1,000.
    n = 200 if quick else 1000
    sides = ["sdk", "naive", "sdk-gather", "sdk-v2"]
    if not quick:
        sides += ["naive-bounded", "sdk-single"]
    latency = SUBMITTED + PROCESSING
    with FakeServerProcess(submitted=SUBMITTED, processing=PROCESSING) as server:
        outcomes = {side: measure(server, side, n) for side in sides}

    sdk, naive = outcomes["sdk"], outcomes["naive"]
    rows = [
        Row(
            "fanout",
            f"wall time, {n:,} tasks ({latency:.0f} s simulated latency)",
            fmt(naive.wall, "s"),
            fmt(sdk.wall, "s"),
            sdk.wall / naive.wall,
            "",
            None,
        ),
        Row(
            "fanout",
            f"HTTP requests per task, {n:,} tasks",
            f"{naive.per_task:.2f}",
            f"{sdk.per_task:.3f}",
            sdk.per_task / naive.per_task,
            f"SDK <= {TARGET_REQUESTS_PER_TASK:.0f}",
            sdk.per_task <= TARGET_REQUESTS_PER_TASK,
        ),
        Row(
            "fanout",
            f"peak RSS, {n:,} tasks",
            fmt(naive.rss_peak, "MiB"),
            fmt(sdk.rss_peak, "MiB"),
            sdk.rss_peak / naive.rss_peak,
            "",
            None,
        ),
        Row(
            "fanout",
            f"tasks succeeded, of {n:,}",
            f"{naive.succeeded:,}",
            f"{sdk.succeeded:,}",
            None,
            f"SDK = {n:,}",
            sdk.succeeded == n,
        ),
    ]
    gather = outcomes["sdk-gather"]
    slowest = max(gather.delays, default=float("nan"))
    rows += [
        Row(
            "fanout",
            f"HTTP requests per task, {n:,} concurrent wait() calls, against wait_all",
            f"{sdk.per_task:.3f}",
            f"{gather.per_task:.3f}",
            gather.per_task / sdk.per_task,
            f"SDK <= {TARGET_GATHER_REQUESTS_PER_TASK}",
            gather.per_task <= TARGET_GATHER_REQUESTS_PER_TASK,
        ),
        Row(
            "fanout",
            f"latest return after a task finished, {n:,} concurrent wait() calls",
            "",
            fmt(slowest, "s"),
            None,
            f"<= {TARGET_RETURN_DELAY:.0f} s",
            slowest <= TARGET_RETURN_DELAY,
        ),
    ]
    v2 = outcomes["sdk-v2"]
    rows += [
        Row(
            "fanout",
            f"HTTP requests per task, {n:,} tasks, new standard (/tasks), against naive",
            f"{naive.per_task:.2f}",
            f"{v2.per_task:.3f}",
            v2.per_task / naive.per_task,
            f"SDK <= {TARGET_V2_REQUESTS_PER_TASK}",
            v2.per_task <= TARGET_V2_REQUESTS_PER_TASK,
        ),
        Row(
            "fanout",
            f"tasks succeeded, of {n:,}, new standard",
            f"{naive.succeeded:,}",
            f"{v2.succeeded:,}",
            None,
            f"SDK = {n:,}",
            v2.succeeded == n,
        ),
    ]
    bounded = outcomes.get("naive-bounded")
    if bounded is not None:
        rows += [
            Row(
                "fanout",
                f"wall time, {n:,} tasks, against naive bounded",
                fmt(bounded.wall, "s"),
                fmt(sdk.wall, "s"),
                sdk.wall / bounded.wall,
                "",
                None,
            ),
            Row(
                "fanout",
                f"HTTP requests per task, {n:,} tasks, against naive bounded",
                f"{bounded.per_task:.2f}",
                f"{sdk.per_task:.3f}",
                sdk.per_task / bounded.per_task,
                "",
                None,
            ),
        ]
    table = []
    for side, out in outcomes.items():
        by_kind = ", ".join(f"{k} {v:,}" for k, v in sorted(out.requests.items()))
        table.append(
            [
                SIDES[side],
                fmt(out.wall, "s"),
                f"{out.wall / latency:.2f}x",
                f"{out.total_requests:,} ({by_kind})",
                f"{out.per_task:.3f}",
                fmt(out.rss_before, "MiB"),
                fmt(out.rss_peak, "MiB"),
                f"{out.succeeded:,}"
                + (f" (errors: {', '.join(out.errors)})" if out.errors else ""),
            ]
        )
    details = [
        (__doc__ or "").split("\n\n", 1)[1].strip(),
        "",
        f"Target: at most {TARGET_REQUESTS_PER_TASK:.0f} HTTP requests per task for the SDK.",
        "Wall time and RSS are reported against the naive baseline without a target.",
        "",
        *md_table(
            [
                "Side",
                "Wall",
                "Wall / simulated latency",
                "Requests (by kind)",
                "Requests per task",
                "RSS before",
                "Peak RSS",
                "Succeeded",
            ],
            table,
        ),
    ]
    if sdk.create_wall is not None:
        details += [
            "",
            f"The SDK's `create_many` took {sdk.create_wall:.2f} s of its {sdk.wall:.2f} s; the "
            "rest is `wait_all`, which polls 2 s after it starts, then 3 s later, then 4.5 s "
            "later (and so on up to 15 s): a task is seen finished at the first poll after it "
            f"finishes, so with a {latency:.0f} s job the SDK's wall time is mostly that "
            "rounding up, which a fixed 1 s poller pays far less of, in requests instead. "
            "Against real jobs of minutes the rounding is a smaller share.",
        ]
    title = f"Fan-out: {n:,} tasks against simulated latency"
    section = Section("fanout", title, rows, details)
    return section


if __name__ == "__main__":
    _child(sys.argv[1], json.loads(sys.argv[2]))
