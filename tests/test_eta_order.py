"""The history read never delays a wait's first poll, in either client: the list request is
held until the task's poll has gone out, which a wait that read its history first would
never send (then the hold gives up after a while, and the order is wrong). Written by hand
for both clients: the async twin yields inside a request, the sync twin reads in a thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import anyio
import anyio.lowlevel
import httpx
import pytest
import respx

from kling import AsyncKlingClient, KlingClient, TaskFailedError
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


def test_a_sync_wait_that_fails_returns_only_after_its_history_page(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    order: list[str] = []
    polled = threading.Event()

    def page(request: httpx.Request) -> httpx.Response:
        order.append("history asked")
        polled.wait(HOLD)
        time.sleep(0.05)  # the poll's failure reaches the wait meanwhile
        order.append("history answered")
        return ok([finished("h1")])

    def poll(request: httpx.Request) -> httpx.Response:
        polled.set()
        return ok(task("t1", "failed", task_status_msg="blocked"))

    api.get(PATH).mock(side_effect=page)
    api.get(f"{PATH}/t1").mock(side_effect=poll)
    with KlingClient(ACCESS_KEY, SECRET_KEY) as client:
        given = client._task(task("t1"), family="text_to_video")
        with pytest.raises(TaskFailedError):
            client.text_to_video.wait(given, on_progress=lambda t, e, estimate: None)
        order.append("wait returned")
    # Nothing the wait started is still sending once it has raised.
    assert order == ["history asked", "history answered", "wait returned"]


@pytest.mark.parametrize("sync", [False, True])
async def test_a_history_page_that_fails_is_not_retried(
    api: respx.MockRouter, clock: FakeClock, sync: bool
) -> None:
    pages = api.get(PATH).mock(return_value=httpx.Response(503, json={"code": 5000}))
    api.get(f"{PATH}/t1").mock(return_value=ok(finished("t1")))
    if sync:
        with KlingClient(ACCESS_KEY, SECRET_KEY) as client:
            given = client._task(task("t1"), family="text_to_video")
            done = client.text_to_video.wait(given, on_progress=lambda t, e, estimate: None)
    else:
        async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as aclient:
            agiven = aclient._task(task("t1"), family="text_to_video")
            done = await aclient.text_to_video.wait(agiven, on_progress=lambda t, e, estimate: None)
    assert done.is_succeeded
    # An estimate is not worth retrying for: one request, and the wait still succeeds.
    assert pages.call_count == 1
