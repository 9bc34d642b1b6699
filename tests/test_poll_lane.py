"""Polls have their own lane: a poll round never queues behind the creates of a batch.

Every request takes a slot of the client's limiter (``max_concurrent_requests``); polls take its
priority lane, whose waiters go before the others, so the total in flight stays bounded while a
round waits for one slot at most, not for every create queued before it.
"""

from __future__ import annotations

import threading
import time

import anyio
import httpx
import respx

from kling import AsyncKlingClient
from kling import _compat_async as async_compat
from kling import _compat_sync as sync_compat
from tests._async.conftest import BASE_URL, SECRET_KEY
from tests._helpers import ok, task

PATH = "/v1/videos/text2video"


async def test_a_priority_waiter_goes_before_ordinary_waiters_queued_earlier() -> None:
    limiter = async_compat.Limiter(1)
    order: list[str] = []

    async def take(name: str, lane: object) -> None:
        async with lane:  # type: ignore[attr-defined]
            order.append(name)

    async with anyio.create_task_group() as group:
        await limiter.acquire(priority=False)  # the one slot is busy
        for name in ("create 1", "create 2"):  # one after the other (trio shuffles starts)
            group.start_soon(take, name, limiter)
            await anyio.wait_all_tasks_blocked()
        group.start_soon(take, "poll", limiter.priority)
        await anyio.wait_all_tasks_blocked()
        limiter.release()
    assert order == ["poll", "create 1", "create 2"]


async def test_a_waiter_cancelled_as_it_is_handed_the_slot_passes_it_on() -> None:
    limiter = async_compat.Limiter(1)
    entered: list[str] = []
    scope = anyio.CancelScope()

    async def take(name: str) -> None:
        async with limiter:
            entered.append(name)

    async def cancelled() -> None:
        with scope:
            await take("cancelled")

    await limiter.acquire(priority=False)
    async with anyio.create_task_group() as group:
        group.start_soon(cancelled)
        await anyio.wait_all_tasks_blocked()
        group.start_soon(take, "next")
        await anyio.wait_all_tasks_blocked()
        limiter.release()  # handed to the first in line...
        scope.cancel()  # ...cancelled before it runs on
    assert "next" in entered
    with anyio.fail_after(1):  # and no slot was lost on the way
        async with limiter:
            pass


async def test_a_waiter_cancelled_while_queued_is_passed_over_and_takes_no_slot() -> None:
    limiter = async_compat.Limiter(1)
    entered: list[str] = []
    scope = anyio.CancelScope()

    async def take(name: str) -> None:
        async with limiter:
            entered.append(name)
            await anyio.wait_all_tasks_blocked()

    async def cancelled() -> None:
        with scope:
            await take("cancelled")

    await limiter.acquire()
    async with anyio.create_task_group() as group:
        for starter in (
            lambda: group.start_soon(take, "first"),
            lambda: group.start_soon(cancelled),
            lambda: group.start_soon(take, "third"),
        ):
            starter()
            await anyio.wait_all_tasks_blocked()
        scope.cancel()  # the middle waiter gives up while two others still queue around it
        await anyio.wait_all_tasks_blocked()
        limiter.release()
    assert entered == ["first", "third"]
    with anyio.fail_after(1):  # every slot came back
        async with limiter:
            pass
    assert limiter._free == 1
    assert not any(limiter._waiting)


def test_the_sync_limiter_lets_a_priority_thread_in_before_waiting_ordinary_threads() -> None:
    limiter = sync_compat.Limiter(1)
    order: list[str] = []

    def take(name: str, priority: bool) -> None:
        with limiter.priority if priority else limiter:
            order.append(name)

    limiter.acquire(priority=False)
    creates = [threading.Thread(target=take, args=(f"create {i}", False)) for i in (1, 2)]
    for thread in creates:
        thread.start()
    time.sleep(0.05)  # both are waiting now
    poll = threading.Thread(target=take, args=("poll", True))
    poll.start()
    time.sleep(0.05)
    limiter.release()
    for thread in [*creates, poll]:
        thread.join(timeout=5)
    assert order[0] == "poll"
    assert sorted(order[1:]) == ["create 1", "create 2"]


async def test_a_poll_is_sent_before_creates_that_were_queued_first() -> None:
    """One slot, held by a slow create, with two more creates queued behind it: the poll of a
    waited-for task goes out as soon as the slot frees, before the queued creates."""
    gate = anyio.Event()
    sent: list[str] = []

    async def create(request: httpx.Request) -> httpx.Response:
        sent.append("create")
        await gate.wait()
        return ok(task(f"new-{len(sent)}"))

    def poll(request: httpx.Request) -> httpx.Response:
        sent.append("poll")
        return ok(task("t1", status="succeed"))

    with respx.mock(base_url=BASE_URL) as api:
        api.post(PATH).mock(side_effect=create)
        api.get(f"{PATH}/t1").mock(side_effect=poll)
        async with (
            AsyncKlingClient(api_key=SECRET_KEY, max_concurrent_requests=1) as client,
            anyio.create_task_group() as group,
        ):
            for _ in range(3):
                group.start_soon(lambda: client.text_to_video.create(prompt="x"))
            await anyio.wait_all_tasks_blocked()
            waiting = client._task(task("t1"), family="text_to_video")
            group.start_soon(
                lambda: client.text_to_video.wait(waiting, poll_interval=0.01, timeout=10)
            )
            await anyio.sleep(0.05)  # the poll is due, and queued behind the first create
            gate.set()
    assert sent == ["create", "poll", "create", "create"]
