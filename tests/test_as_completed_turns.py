"""A round that finishes thousands of tasks at once hands them back across turns of the loop.

Without it, ``as_completed`` (and ``wait_all``, which reads it) handed back every task a round
finished in one turn: at 10,000 tasks the caller's event loop stood still for about 100 ms.
"""

from __future__ import annotations

import time
from typing import Any

import anyio
import anyio.lowlevel
import respx

from kling import AsyncKlingClient
from tests._async.conftest import BASE_URL, SECRET_KEY
from tests._async.test_v2 import record, video
from tests._helpers import ok

N = 600


async def test_tasks_finished_in_one_round_are_handed_back_across_loop_turns() -> None:
    ids = [f"9000000000{i:08d}" for i in range(N)]
    finished = [record(i, "succeeded", outputs=[video()]) for i in ids]
    turns = 0
    at_yield: list[int] = []

    async def ticker() -> None:
        nonlocal turns
        while True:
            turns += 1
            await anyio.lowlevel.checkpoint()

    with respx.mock(base_url=BASE_URL) as api:
        # Polled a page at a time (POST /tasks): every task on the one page, finished.
        page = {"result": finished, "has_more": False}
        api.post("/tasks").mock(side_effect=lambda request: ok(page))
        async with AsyncKlingClient(api_key=SECRET_KEY) as client:
            # Created just now: a young task is polled at once (an old one, after a tenth of
            # its age).
            now = int(time.time() * 1000)
            tasks: list[Any] = [
                client._v2_task({**record(i, "processing"), "create_time": now}) for i in ids
            ]
            async with anyio.create_task_group() as group:
                group.start_soon(ticker)
                async for _ in client.v2.tasks.as_completed(tasks, poll_interval=0.01):
                    at_yield.append(turns)
                group.cancel_scope.cancel()
    assert len(at_yield) == N
    # The loop ran other tasks while the 600 were handed back, not only before and after.
    assert at_yield[-1] > at_yield[0]
