"""Scale: 10,000 tasks at once, every pattern users run, both standards, against raw httpx.

FakeKling runs in its own process; each task stays ``submitted`` for 1 s and ``processing`` for
2 s, and every answer comes 50 ms late (a realistic network). Each pattern runs in a fresh
process, so its CPU time and peak RSS are its own:

* **gather**: ``asyncio.gather`` of one ``create_and_wait`` per task, as a web service whose
  handlers each create and await their own task does;
* **create_as_completed**: ``create_many`` and ``as_completed`` at once (the SDK's
  ``create_as_completed``), each task handed back as it finishes;
* **wait_all**: ``create_many``, then ``wait_all`` of every task (which hands every task back
  at once when the last has finished: its finish-to-seen figures are reported, with no goal);
* **raw httpx** (the baseline): ``asyncio.gather`` of one coroutine per task that POSTs with
  raw httpx, then GETs the task every second until it has finished, over a pool of 32
  connections (the SDK's default) with at most 32 requests in flight: an ``asyncio.Semaphore``
  around each request, as a raw-httpx user sending thousands at once writes. Unbounded, the
  10,000 requests queue inside httpcore 1.0's pool, whose every request and release scans
  each queued request against each connection: the baseline then spent 24 minutes of CPU in
  the pool. A pool of 100 costs too (the pool counts its idle connections once per
  connection: 100 x 100 checks per request), 7x the CPU of 32 at 1,000 tasks.

For every task handed back, *finish-to-seen* is how long after the task finished on the server
(created + 3 s) the caller had it; the schedule promises max(2 s, a tenth of the task's age).
The event loop is watched from when the work starts (the client built and its resource looked
up: start-up, imports and the TLS context, is the import section's, for the baseline too): its
longest stall is reported as measured and without the
garbage collections inside it, with the number of full (generation 2) collections. Beside it,
the process's CPU time during that stall (much less than the stall: the machine was running
something else) and when in the run it happened.

*Poll rounds* are measured apart, in the steady state of a long wait: 10,000 tasks that stay
``processing`` (no latency, so that only CPU counts), one round to learn them, then forty rounds
timed one by one: the SDK's CPU time per round (its reader's ``_fetch_states``) and the full
collections during them, against fetching the same pages raw and ``json.loads`` of each, in
the same process, with the same pool of connections.

FakeKling itself must stay linear, or the project's own benchmarks would measure the fake: its
CPU time for 10,000 new-standard creates (in process, no network) against ten times 1,000.
"""

from __future__ import annotations

import asyncio
import gc
import json
import math
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from ._process import emit, peak_rss_bytes, run_child
from ._report import Row, Section, fmt, md_table
from ._server import FAMILY_PATH, FakeServerProcess

SUBMITTED = 1.0
PROCESSING = 2.0
TASK_SECONDS = SUBMITTED + PROCESSING
LATENCY = 0.05
RAW_POLL = 1.0
TIMEOUT = 900.0
MODEL = "kling-3.0-turbo"
CONCURRENCY = 32
#: The raw baseline's connections and requests in flight: the SDK's default (32 of each).
RAW_POOL = CONCURRENCY

#: Goals (issue #22): finish-to-seen p50 and p99, CPU per round against raw, GC per round,
#: the loop's longest stall outside the raw baseline's own GC, requests per task.
GOAL_P50 = 1.0
GOAL_P99 = 2.0
GOAL_CPU_RATIO = 1.5
GOAL_GC_PER_ROUND = 0.1
GOAL_STALL = 0.050
GOAL_WAIT_ALL_REQUESTS = 1.05
GOAL_GATHER_REQUESTS = 1.1

PATTERNS = {
    "gather": "gather of create_and_wait",
    "stream": "create_as_completed",
    "wait_all": "create_many + wait_all",
    "raw": "raw httpx gather, 1 s polls",
}


# ---------------------------------------------------------------------------- child side


class _Watch:
    """The loop's stalls, garbage collections and the SDK's poll rounds, while a run goes."""

    def __init__(self) -> None:
        self.stall = 0.0
        self.own_stall = 0.0
        #: Seconds into the run when the longest stall outside GC ended, and the process's CPU
        #: time during it (far less than the stall: the machine ran something else meanwhile).
        self.own_stall_at = 0.0
        self.own_stall_cpu = 0.0
        self.gc_seconds = 0.0
        self.full_collections = 0
        self.rounds = 0
        self._gc_started = 0.0
        self._stop = False
        #: Stalls count from when the run's work starts (``arm``), not during the client's
        #: construction and first use, which the import section measures (start-up: imports,
        #: the TLS context, the SDK's first use of a resource), the baseline's as the SDK's.
        self._armed = False

    def arm(self) -> None:
        """The work starts: count stalls from now on."""
        self._armed = True

    def gc_callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.monotonic()
            if info.get("generation") == 2:
                self.full_collections += 1
        else:
            self.gc_seconds += time.monotonic() - self._gc_started

    async def watch_loop(self) -> None:
        start = time.monotonic()
        while not self._stop:
            tick, collected, cpu = time.monotonic(), self.gc_seconds, time.process_time()
            await asyncio.sleep(0.01)
            late = time.monotonic() - tick - 0.01
            if not self._armed:
                continue
            self.stall = max(self.stall, late)
            own = late - (self.gc_seconds - collected)
            if own > self.own_stall:
                self.own_stall, self.own_stall_at = own, time.monotonic() - start
                self.own_stall_cpu = time.process_time() - cpu - (self.gc_seconds - collected)

    def stop(self) -> None:
        self._stop = True

    def count_rounds(self) -> None:
        """Count the SDK's poll rounds (its readers' ``_fetch_states``)."""
        watch = self
        for reader in _readers():
            original = reader._fetch_states

            async def counted(self: Any, tasks: list[Any], _original: Any = original) -> Any:
                watch.rounds += 1
                return await _original(self, tasks)

            reader._fetch_states = counted


def _readers() -> list[Any]:
    from kling._async._legacy import AsyncFamilyResource
    from kling._async._v2 import AsyncV2Tasks

    # Each standard's reader polls with its own method.
    return [AsyncFamilyResource, AsyncV2Tasks]


def _seen(task: Any, when: float | None = None) -> float | None:
    """Seconds from the task's finish on the server to ``when`` (now); None without a creation
    time."""
    created: float | None = None if task.created_at is None else task.created_at.timestamp()
    if created is None:
        return None
    return (time.time() if when is None else when) - (created + TASK_SECONDS)


async def _sdk(
    pattern: str, standard: str, url: str, api_key: str, n: int, arm: Any = None
) -> dict[str, Any]:
    from kling import AsyncKlingClient, KlingError

    delays: list[float] = []
    ok = 0
    async with AsyncKlingClient(api_key=api_key, base_url=url) as client:
        resource: Any = client.v2.text_to_video if standard == "new" else client.text_to_video
        model: dict[str, Any] = {"model": MODEL} if standard == "new" else {}
        items = [{"prompt": f"scale task {i}"} for i in range(n)]

        def note(task: Any) -> None:
            nonlocal ok
            seen = _seen(task)
            if seen is not None:
                delays.append(seen)
            ok += task.is_succeeded

        if arm is not None:
            arm()
        if pattern == "gather":

            async def one(item: dict[str, Any]) -> None:
                note(await resource.create_and_wait(**model, **item, timeout=TIMEOUT))

            await asyncio.gather(*(one(item) for item in items), return_exceptions=True)
        elif pattern == "stream":
            block = resource.create_as_completed(
                items, **model, concurrency=CONCURRENCY, timeout=TIMEOUT
            )
            async with block as finished:
                async for result in finished:
                    if not isinstance(result, KlingError):
                        note(result)
        else:
            created = await resource.create_many(items, **model, concurrency=CONCURRENCY)
            tasks = [t for t in created if not isinstance(t, KlingError)]
            done = await resource.wait_all(tasks, timeout=TIMEOUT)
            # The caller has every task when wait_all returns: one time for all of them, and
            # the delays worked out after the run, not in the loop the stalls are watched in.
            received = time.time()
            handed = [task for task in done if not isinstance(task, KlingError)]
            return {"handed": (handed, received)}
    return {"delays": delays, "succeeded": ok}


async def _raw(url: str, api_key: str, n: int, arm: Any = None) -> dict[str, Any]:
    import httpx

    headers = {"Authorization": f"Bearer {api_key}"}
    limits = httpx.Limits(max_connections=RAW_POOL, max_keepalive_connections=RAW_POOL)
    # At most one request per connection in flight, as any raw-httpx user sending thousands at
    # once bounds them: with 10,000 requests queued in httpcore 1.0's pool instead, each request
    # and each release re-scans every queued request against every connection (and hands a
    # freed connection to many waiters, which wake, lose and queue again), so the baseline spent
    # its CPU in the pool, not in the pattern (encode/httpcore#1035, pydantic/httpx2#1075).
    # The pool's size is the SDK's: the pool's idle count is quadratic in its connections.
    in_flight = asyncio.Semaphore(RAW_POOL)
    delays: list[float] = []
    async with httpx.AsyncClient(limits=limits, timeout=120) as http:

        def data(response: httpx.Response) -> dict[str, Any]:
            body = json.loads(response.content)
            if response.status_code >= 400 or body.get("code") != 0:
                raise RuntimeError(f"Kling error {response.status_code}: {body}")
            result: dict[str, Any] = body["data"]
            return result

        async def create_and_wait(i: int) -> bool:
            async with in_flight:
                response = await http.post(
                    url + FAMILY_PATH, json={"prompt": f"scale task {i}"}, headers=headers
                )
            task = data(response)
            while task["task_status"] not in ("succeed", "failed"):
                await asyncio.sleep(RAW_POLL)
                async with in_flight:
                    response = await http.get(
                        f"{url}{FAMILY_PATH}/{task['task_id']}", headers=headers
                    )
                task = data(response)
            delays.append(time.time() - (task["created_at"] / 1000 + TASK_SECONDS))
            return bool(task["task_status"] == "succeed")

        if arm is not None:
            arm()
        done = await asyncio.gather(*(create_and_wait(i) for i in range(n)), return_exceptions=True)
    return {"delays": delays, "succeeded": sum(1 for d in done if d is True)}


async def _rounds(url: str, api_key: str, standard: str, n: int) -> dict[str, Any]:
    """CPU and full collections of forty steady poll rounds of ``n`` waiting tasks, SDK and raw."""
    import httpx

    from kling import AsyncKlingClient, KlingError

    # Forty, not ten: a full collection is rare (the goal is fewer than one in ten rounds),
    # and ten rounds can only say 0 or 0.1.
    rounds = 40
    async with AsyncKlingClient(api_key=api_key, base_url=url) as client:
        if standard == "new":
            resource: Any = client.v2.text_to_video
            reader: Any = client.v2.tasks
            model = {"model": MODEL}
        else:
            resource = reader = client.text_to_video
            model = {}
        items = [{"prompt": f"scale task {i}"} for i in range(n)]
        created = await resource.create_many(items, **model, concurrency=CONCURRENCY)
        tasks = [t for t in created if not isinstance(t, KlingError)]
        await asyncio.sleep(1.0)  # every task processing now, and for the hour to come
        held = {t.task_id: t for t in tasks}
        await _round(reader, held)  # learns every task's state
        sdk: list[float] = []
        sdk_gcs = await _count_full_collections(lambda: _round(reader, held, sdk), rounds)

    headers = {"Authorization": f"Bearer {api_key}"}
    # The SDK's pool after its creates: CONCURRENCY connections, all kept alive. httpcore looks
    # at every idle connection on each request, so a pool of one would flatter the baseline.
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        await asyncio.gather(
            *(
                http.get(url + FAMILY_PATH, params={"pageSize": 1}, headers=headers)
                for _ in range(CONCURRENCY)
            )
        )

        async def raw_round() -> None:
            pages = math.ceil(n / 500)
            if standard == "new":
                cursor = None
                for _ in range(pages):
                    body: dict[str, Any] = {"limit": 500, **({"cursor": cursor} if cursor else {})}
                    answer = await http.post(f"{url}/tasks", json=body, headers=headers)
                    cursor = json.loads(answer.content)["data"].get("next_cursor")
            else:
                for page in range(1, pages + 1):
                    params = {"pageNum": page, "pageSize": 500}
                    answer = await http.get(url + FAMILY_PATH, params=params, headers=headers)
                    json.loads(answer.content)

        raw: list[float] = []

        async def timed_raw() -> None:
            start = time.process_time()
            await raw_round()
            raw.append(time.process_time() - start)

        raw_gcs = await _count_full_collections(timed_raw, rounds)
    return {
        "sdk_round": statistics.median(sdk),
        "raw_round": statistics.median(raw),
        "sdk_gc_per_round": sdk_gcs / rounds,
        "raw_gc_per_round": raw_gcs / rounds,
    }


async def _round(reader: Any, held: dict[str, Any], times: list[float] | None = None) -> None:
    """One poll round of the held tasks, which then hold what it found (as a poller's do)."""
    start = time.process_time()
    fresh = await reader._fetch_states(dict(held))
    if times is not None:
        times.append(time.process_time() - start)
    held.update(fresh)


async def _count_full_collections(one: Any, times: int) -> int:
    counted = [0]

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info.get("generation") == 2:
            counted[0] += 1

    gc.callbacks.append(callback)
    try:
        for _ in range(times):
            await one()
    finally:
        gc.callbacks.remove(callback)
    return counted[0]


async def _fake_creates(n: int) -> float:
    """Seconds for FakeKling (in this process, no network) to take ``n`` new-standard creates."""
    import httpx

    from kling.testing import DEFAULT_API_KEY, FakeKling

    fake = FakeKling()
    transport = httpx.ASGITransport(app=fake)
    headers = {"Authorization": f"Bearer {DEFAULT_API_KEY}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://fake") as http:
        start = time.process_time()
        for i in range(n):
            body = {"prompt": f"task {i}", "options": {"external_task_id": f"x-{i}"}}
            answer = await http.post(f"/text-to-video/{MODEL}", json=body, headers=headers)
            assert answer.status_code == 200, answer.text
        return time.process_time() - start


def _child(pattern: str, options: dict[str, Any]) -> None:
    if pattern == "fake":
        emit({"seconds": asyncio.run(_fake_creates(options["n"]))})
        return
    url, api_key, n = options["url"], options["api_key"], options["n"]
    standard = options["standard"]
    if pattern == "rounds":
        emit(asyncio.run(_rounds(url, api_key, standard, n)))
        return

    # Imported before the loop is watched, the SDK as httpx: a service imports its libraries at
    # start-up (the import section measures that), not in its first request's turn of the loop.
    if pattern != "raw":
        from kling import AsyncKlingClient, KlingError  # noqa: F401
    import httpx  # noqa: F401

    async def main() -> dict[str, Any]:
        watch = _Watch()
        watch.count_rounds()
        gc.callbacks.append(watch.gc_callback)
        watcher = asyncio.ensure_future(watch.watch_loop())
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        if pattern == "raw":
            result = await _raw(url, api_key, n, watch.arm)
        else:
            result = await _sdk(pattern, standard, url, api_key, n, watch.arm)
        cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall_start
        watch.stop()
        await watcher
        if "handed" in result:  # wait_all's tasks, all handed back at once
            handed, received = result.pop("handed")
            seen = [_seen(task, received) for task in handed]
            result["delays"] = [delay for delay in seen if delay is not None]
            result["succeeded"] = sum(task.is_succeeded for task in handed)
        gc.callbacks.remove(watch.gc_callback)
        return {
            **result,
            "cpu": cpu,
            "wall": wall,
            "stall": watch.stall,
            "own_stall": watch.own_stall,
            "own_stall_at": watch.own_stall_at,
            "own_stall_cpu": watch.own_stall_cpu,
            "full_collections": watch.full_collections,
            "rounds": watch.rounds,
        }

    result = asyncio.run(main())
    result["rss_peak"] = peak_rss_bytes()
    emit(result)


# --------------------------------------------------------------------------- parent side


@dataclass
class Outcome:
    pattern: str
    standard: str
    n: int
    result: dict[str, Any]
    requests: dict[str, int] = field(default_factory=dict)

    @property
    def per_task(self) -> float:
        return sum(self.requests.values()) / self.n

    def percentile(self, q: float) -> float:
        delays: list[float] = sorted(self.result["delays"])
        if not delays:
            return math.nan
        return delays[min(len(delays) - 1, math.ceil(q * len(delays)) - 1)]


def measure(server: FakeServerProcess, pattern: str, standard: str, n: int) -> Outcome:
    server.reset()
    options = {"url": server.url, "api_key": server.api_key, "n": n, "standard": standard}
    result = run_child("benchmarks._scale", pattern, json.dumps(options), timeout=1800)
    return Outcome(pattern, standard, n, result, dict(server.stats()))


def run(quick: bool) -> Section:
    n = 1000 if quick else 10_000
    runs = [
        ("raw", "legacy"),
        *(
            (pattern, standard)
            for standard in ("legacy", "new")
            for pattern in ("gather", "stream", "wait_all")
        ),
    ]
    with FakeServerProcess(submitted=SUBMITTED, processing=PROCESSING, latency=LATENCY) as server:
        outcomes = {(p, s): measure(server, p, s, n) for p, s in runs}
    small = run_child("benchmarks._scale", "fake", json.dumps({"n": n // 10}), timeout=1800)
    large = run_child("benchmarks._scale", "fake", json.dumps({"n": n}), timeout=1800)
    # Tasks that stay processing for the whole measurement, answered at once.
    with FakeServerProcess(submitted=0.1, processing=3600.0) as server:
        rounds = {s: measure(server, "rounds", s, n).result for s in ("legacy", "new")}
    raw = outcomes["raw", "legacy"]
    rows: list[Row] = []
    for (pattern, standard), out in outcomes.items():
        if pattern == "raw":
            continue
        name = f"{PATTERNS[pattern]}, {n:,} tasks, {standard}"
        if pattern != "wait_all":
            rows += [
                Row(
                    "scale",
                    f"{name}: finish-to-seen p50",
                    fmt(raw.percentile(0.5), "s"),
                    fmt(out.percentile(0.5), "s"),
                    None,
                    f"<= {GOAL_P50:.0f} s",
                    out.percentile(0.5) <= GOAL_P50,
                ),
                Row(
                    "scale",
                    f"{name}: finish-to-seen p99",
                    fmt(raw.percentile(0.99), "s"),
                    fmt(out.percentile(0.99), "s"),
                    None,
                    f"<= {GOAL_P99:.0f} s",
                    out.percentile(0.99) <= GOAL_P99,
                ),
            ]
        goal = GOAL_WAIT_ALL_REQUESTS if pattern == "wait_all" else GOAL_GATHER_REQUESTS
        rows.append(
            Row(
                "scale",
                f"{name}: HTTP requests per task",
                f"{raw.per_task:.2f}",
                f"{out.per_task:.3f}",
                None,
                f"<= {goal}",
                out.per_task <= goal,
            )
        )
        rows.append(
            Row(
                "scale",
                f"{name}: longest event-loop stall outside garbage collection",
                fmt(raw.result["own_stall"], "ms"),
                fmt(out.result["own_stall"], "ms"),
                None,
                f"<= {GOAL_STALL * 1000:.0f} ms",
                out.result["own_stall"] <= GOAL_STALL,
            )
        )
    rows.append(
        Row(
            "scale",
            f"FakeKling: {n:,} new-standard creates, against ten times {n // 10:,}",
            fmt(10 * small["seconds"], "s"),
            fmt(large["seconds"], "s"),
            large["seconds"] / (10 * small["seconds"]),
            "<= 1.2x",
            large["seconds"] <= 1.2 * 10 * small["seconds"],
        )
    )
    for standard, result in rounds.items():
        rows += [
            Row(
                "scale",
                f"CPU per poll round, {n:,} waiting, {standard}, against a raw fetch + json.loads",
                fmt(result["raw_round"], "ms"),
                fmt(result["sdk_round"], "ms"),
                result["sdk_round"] / result["raw_round"],
                f"<= {GOAL_CPU_RATIO}x",
                result["sdk_round"] <= GOAL_CPU_RATIO * result["raw_round"],
            ),
            Row(
                "scale",
                f"full garbage collections per poll round, {n:,} waiting, {standard}",
                f"{result['raw_gc_per_round']:.2f}",
                f"{result['sdk_gc_per_round']:.2f}",
                None,
                f"< {GOAL_GC_PER_ROUND}",
                result["sdk_gc_per_round"] < GOAL_GC_PER_ROUND,
            ),
        ]
    table = []
    for (pattern, standard), out in outcomes.items():
        by_kind = ", ".join(f"{k} {v:,}" for k, v in sorted(out.requests.items()))
        r = out.result
        table.append(
            [
                f"{PATTERNS[pattern]} ({standard})",
                f"{r['succeeded']:,}",
                " / ".join(fmt(out.percentile(q), "s") for q in (0.5, 0.99, 1.0)),
                f"{out.per_task:.3f} ({by_kind})",
                fmt(r["cpu"], "s"),
                fmt(r["wall"], "s"),
                fmt(r["rss_peak"], "MiB"),
                f"{fmt(r['stall'], 'ms')} ({fmt(r['own_stall'], 'ms')} outside GC, "
                f"{fmt(r['own_stall_cpu'], 'ms')} of it on CPU, at {r['own_stall_at']:.1f} s)",
                f"{r['full_collections']} in {r.get('rounds') or 0} rounds",
            ]
        )
    details = [
        (__doc__ or "").split("\n\n", 1)[1].strip(),
        "",
        *md_table(
            [
                "Pattern",
                "Succeeded",
                "Finish-to-seen p50 / p99 / max",
                "Requests per task",
                "CPU",
                "Wall",
                "Peak RSS",
                "Longest loop stall",
                "Full GCs",
            ],
            table,
        ),
    ]
    return Section("scale", f"Scale: {n:,} tasks at once", rows, details)


if __name__ == "__main__":
    _child(sys.argv[1], json.loads(sys.argv[2]))
