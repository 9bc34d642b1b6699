"""Work over thousands of tasks at once is spread across turns of the loop.

Without it, ``as_completed`` (and ``wait_all``, which reads it) handed back every task a round
finished in one turn, and a wait's start (subscribing every task) and a round's end (settling
every state) each took one turn too: at 10,000 tasks the caller's event loop stood still for
about 100 ms each time.
"""

from __future__ import annotations

import time
from typing import Any

import anyio
import anyio.lowlevel
import pytest
import respx

from kling import AsyncKlingClient
from kling._async._poller import AsyncPoller, AsyncSubscription
from tests._async.conftest import BASE_URL, SECRET_KEY
from tests._async.test_v2 import record, video
from tests._helpers import ok

N = 600


def young_tasks(client: AsyncKlingClient, ids: list[str]) -> list[Any]:
    """Running tasks created just now: a young task is polled at once (an old one, after a
    tenth of its age)."""
    now = int(time.time() * 1000)
    return [client._v2_task({**record(i, "processing"), "create_time": now}) for i in ids]


class Turns:
    """Counts the turns other work gets while the code under test runs beside it."""

    count = 0

    async def tick(self) -> None:
        while True:
            self.count += 1
            await anyio.lowlevel.checkpoint()


async def test_tasks_finished_in_one_round_are_handed_back_across_loop_turns() -> None:
    ids = [f"9000000000{i:08d}" for i in range(N)]
    finished = [record(i, "succeeded", outputs=[video()]) for i in ids]
    turns = Turns()
    at_yield: list[int] = []

    with respx.mock(base_url=BASE_URL) as api:
        # Polled a page at a time (POST /tasks): every task on the one page, finished.
        page = {"result": finished, "has_more": False}
        api.post("/tasks").mock(side_effect=lambda request: ok(page))
        async with AsyncKlingClient(api_key=SECRET_KEY) as client:
            tasks = young_tasks(client, ids)
            async with anyio.create_task_group() as group:
                group.start_soon(turns.tick)
                async for _ in client.v2.tasks.as_completed(tasks, poll_interval=0.01):
                    at_yield.append(turns.count)
                group.cancel_scope.cancel()
    assert len(at_yield) == N
    # The loop ran other tasks while the 600 were handed back, not only before and after.
    assert at_yield[-1] > at_yield[0]


MANY = 2500  # three turns' worth (kling._polling.TASKS_PER_TURN)


@pytest.mark.parametrize("step", ["subscribe", "settle"])
async def test_a_wait_for_thousands_subscribes_and_settles_them_across_loop_turns(
    monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    ids = [f"8000000000{i:08d}" for i in range(MANY)]
    turns = Turns()
    at_step: list[int] = []

    owner, name = (AsyncSubscription, "add") if step == "subscribe" else (AsyncPoller, "_settle")
    original = getattr(owner, name)

    def spy(*args: Any) -> Any:
        at_step.append(turns.count)
        return original(*args)

    monkeypatch.setattr(owner, name, spy)
    with respx.mock(base_url=BASE_URL) as api:
        page = {"result": [record(i, "succeeded", outputs=[video()]) for i in ids]}
        api.post("/tasks").mock(side_effect=lambda request: ok({**page, "has_more": False}))
        async with AsyncKlingClient(api_key=SECRET_KEY) as client:
            tasks = young_tasks(client, ids)
            async with anyio.create_task_group() as group:
                group.start_soon(turns.tick)
                done = await client.v2.tasks.wait_all(tasks, poll_interval=0.01)
                group.cancel_scope.cancel()
    assert [getattr(task, "task_id", task) for task in done] == ids  # no error among them
    # A thousand tasks a turn, and the loop ran other work between them (trio may run the
    # ticker before or after the waiter within a turn: over two turns it has run).
    assert len(at_step) == 3
    assert at_step[0] < at_step[2]
