"""A shared client survives any load: a thousand naive ``create_and_wait`` calls at once.

The server runs in its own process, as Kling does, with 100 ms of latency on every answer.
Async only: the sync twin's callers are threads, which the same limiter and shared poller serve
(tests/_sync covers their behaviour). How long the event loop may stall under such a load is a
speed, measured by ``benchmarks/`` (the memory section's in-flight waits), not asserted here.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
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
    with slow_server() as url:
        wire = Wire()
        open_connections = 0
        async with AsyncKlingClient(DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, url) as client:
            client._http.event_hooks["request"].append(wire.on_request)
            pool = client._http._transport._pool  # type: ignore[attr-defined]

            async def one(index: int, results: list[Any]) -> None:
                results[index] = await client.text_to_video.create_and_wait(prompt=f"p{index}")

            async def watch_the_pool(done: anyio.Event) -> None:
                nonlocal open_connections
                while not done.is_set():
                    await anyio.sleep(0.01)
                    open_connections = max(open_connections, len(pool.connections))

            results: list[Any] = [None] * TASKS
            done = anyio.Event()
            async with anyio.create_task_group() as watchers:
                watchers.start_soon(watch_the_pool, done)
                async with anyio.create_task_group() as group:
                    for index in range(TASKS):
                        group.start_soon(one, index, results)
                done.set()
            sent = dict(wire.requests)
            after = await client.text_to_video.get(results[0].task_id)  # still usable
            on_server = [task async for task in client.text_to_video.list(page_size=500)]

    assert all(r is not None and r.is_succeeded for r in results)
    assert len({r.task_id for r in results}) == TASKS
    assert len(on_server) == TASKS  # one task per call, none twice
    assert after.is_succeeded
    # One create each; a request that met a kept-alive connection the server had just closed
    # is sent again, once a lookup by its external_task_id found no task.
    assert TASKS <= sent["POST"] <= TASKS + 10
    # The waits joined one poller: polls cost a few list pages a round, as with wait_all,
    # instead of a thousand GETs per round.
    assert sent["GET"] <= 0.1 * TASKS
    # Never more connections open than the in-flight limit, and those kept alive and reused
    # (the server closes idle ones after a few seconds, so some are opened again).
    assert open_connections <= client._config.max_concurrent_requests
    assert wire.connections <= 0.1 * sum(sent.values())
