"""A shared client survives any load: a thousand naive ``create_and_wait`` calls at once.

The server runs in its own process, as Kling does, with 100 ms of latency on every answer, so
the event loop measured here is the client's alone. Async only: the sync twin's callers are
threads, which the same limiter and shared poller serve (tests/_sync covers their behaviour).
"""

from __future__ import annotations

import contextlib
import gc
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest

from kling import AsyncKlingClient
from kling.testing import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY

pytestmark = pytest.mark.slow

TASKS = 1_000
LATENCY = 0.1

_SERVER = """
import sys
from kling.testing import FakeKling, FakeKlingServer, Timing

fake = FakeKling(timing=Timing.seconds(1.0, 1.0))
fake.faults.slow(delay={latency}, times=None)
with FakeKlingServer(fake) as server:
    print(server.url, flush=True)
    sys.stdin.read()  # serve until the test closes our stdin
"""


@contextlib.contextmanager
def slow_server() -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", _SERVER.format(latency=LATENCY)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        assert process.stdin is not None
        assert process.stdout is not None
        process.stdin.close()
        process.wait(timeout=20)
        process.stdout.close()


class Wire:
    """Counts what the client sends, and the TCP connections it opens."""

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.connections = 0

    async def on_request(self, request: httpx.Request) -> None:
        self.requests[request.method] += 1
        request.extensions["trace"] = self.trace

    async def trace(self, event: str, info: dict[str, Any]) -> None:
        if event == "connection.connect_tcp.complete":
            self.connections += 1


async def test_a_thousand_concurrent_create_and_waits_on_one_client_all_finish() -> None:
    with slow_server() as url, frozen_heap():
        wire = Wire()
        lags: list[float] = []
        open_connections = 0
        async with AsyncKlingClient(DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, url) as client:
            client._http.event_hooks["request"].append(wire.on_request)
            pool = client._http._transport._pool  # type: ignore[attr-defined]

            async def one(index: int, results: list[Any]) -> None:
                results[index] = await client.text_to_video.create_and_wait(prompt=f"p{index}")

            async def watch_the_loop(done: anyio.Event) -> None:
                nonlocal open_connections
                while not done.is_set():
                    start = time.monotonic()
                    await anyio.sleep(0.01)
                    open_connections = max(open_connections, len(pool.connections))
                    # What is measured is the waiting: once every create has been sent.
                    if wire.requests["POST"] == TASKS:
                        lags.append(time.monotonic() - start - 0.01)

            results: list[Any] = [None] * TASKS
            done = anyio.Event()
            async with anyio.create_task_group() as watchers:
                watchers.start_soon(watch_the_loop, done)
                async with anyio.create_task_group() as group:
                    for index in range(TASKS):
                        group.start_soon(one, index, results)
                done.set()
            after = await client.text_to_video.get(results[0].task_id)  # still usable

    assert all(r is not None and r.is_succeeded for r in results)
    assert after.is_succeeded
    assert wire.requests["POST"] == TASKS
    # The waits joined one poller: polls cost a few list pages a round, as with wait_all,
    # instead of a thousand GETs per round.
    assert wire.requests["GET"] <= 0.1 * TASKS
    # Never more connections open than the in-flight limit, and those kept alive and reused
    # (the server closes idle ones after a few seconds, so some are opened again).
    assert open_connections <= client._config.max_concurrent_requests
    assert wire.connections <= 0.1 * sum(wire.requests.values())
    assert lags
    assert max(lags) < 0.1


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Leave the test process's own heap out of garbage collection while the test runs.

    A full collection walks every object a process holds, and this one holds the whole
    suite's imports (hypothesis, rich, trio...): its pauses are not the SDK's. Freezing them
    measures the pauses that the objects of this run cause.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
