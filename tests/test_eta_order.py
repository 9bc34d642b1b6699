"""The history read never delays a wait's first poll, in either client: the list request is
held until the task's poll has gone out, which a wait that read its history first would
never send (then the hold gives up after a while, and the order is wrong). Written by hand
for both clients: the async twin yields inside a request, the sync twin reads in a thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import anyio
import anyio.lowlevel
import httpx
import pytest
import respx

from kling import AsyncKlingClient, KlingClient
from kling import _compat_async as _compat_async
from kling import _compat_sync as _compat_sync
from tests._async.conftest import ACCESS_KEY, BASE_URL, SECRET_KEY, FakeClock
from tests._helpers import TASK_CREATED_AT, ok, task

PATH = "/v1/videos/text2video"
#: How long a held list request waits for the poll; only a broken SDK makes it wait this long.
HOLD = 5.0


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    for module in (_compat_async, _compat_sync):
        monkeypatch.setattr(module, "monotonic", fake.monotonic)
        monkeypatch.setattr(module, "wall_clock", fake.wall_clock)
    monkeypatch.setattr(_compat_async, "sleep", fake.sleep)

    def sleep(seconds: float) -> None:
        fake.now += seconds

    monkeypatch.setattr(_compat_sync, "sleep", sleep)
    return fake


def finished(task_id: str) -> dict[str, Any]:
    return task(task_id, "succeed", updated_at=TASK_CREATED_AT + 30_000)


async def test_the_async_wait_polls_before_its_history_arrives(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    order: list[str] = []
    polled = anyio.Event()

    async def page(request: httpx.Request) -> httpx.Response:
        order.append("history asked")
        with anyio.move_on_after(HOLD):
            await polled.wait()
        order.append("history answered")
        return ok([finished("h1")])

    answers = iter([task("t1", "processing"), finished("t1")])

    async def poll(request: httpx.Request) -> httpx.Response:
        order.append("task polled")
        polled.set()
        await (
            anyio.lowlevel.checkpoint()
        )  # a real request yields here: the history read gets its turn
        return ok(next(answers))

    api.get(PATH).mock(side_effect=page)
    api.get(f"{PATH}/t1").mock(side_effect=poll)
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as client:
        given = client._task(task("t1"), family="text_to_video")
        await client.text_to_video.wait(given, on_progress=lambda t, e, estimate: None)

    assert order.index("task polled") < order.index("history answered")


def test_the_sync_wait_polls_before_its_history_arrives(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    order: list[str] = []
    polled = threading.Event()

    def page(request: httpx.Request) -> httpx.Response:
        order.append("history asked")
        polled.wait(HOLD)
        order.append("history answered")
        return ok([finished("h1")])

    def poll(request: httpx.Request) -> httpx.Response:
        order.append("task polled")
        polled.set()
        return ok(finished("t1"))

    api.get(PATH).mock(side_effect=page)
    api.get(f"{PATH}/t1").mock(side_effect=poll)
    with KlingClient(ACCESS_KEY, SECRET_KEY) as client:
        given = client._task(task("t1"), family="text_to_video")
        client.text_to_video.wait(given, on_progress=lambda t, e, estimate: None)

    assert order.index("task polled") < order.index("history answered")
    # The wait ended with the read it started: nothing of it runs on behind the caller.
    assert order[-1] == "history answered"
