"""Creates wait before they are checked and built while twice the requests in flight are ahead.

Ten thousand creates started at once (a ``gather``) used to check their parameters, read their
media and build their bodies all in the first turn of the event loop, and then hold every body
while they queued for a slot: a stall of a quarter of a second at 10,000 tasks, and the memory
of every encoded image at once. Now at most ``2 * max_concurrent_requests`` creates are past
that point; the others wait with nothing read.
"""

from __future__ import annotations

import json
import threading

import anyio
import httpx
import pytest
import respx

from kling import AsyncKlingClient, InvalidParameterError, KlingClient
from kling._async import _resources as async_resources
from kling._sync import _resources as sync_resources
from tests._async.conftest import BASE_URL, SECRET_KEY
from tests._helpers import ok, task

PATH = "/v1/videos/text2video"


def _count_prepared(monkeypatch: pytest.MonkeyPatch, module: object) -> list[str]:
    prepared: list[str] = []
    original = module.prepare  # type: ignore[attr-defined]

    def counting(row: object, params: dict[str, object], *rest: object) -> object:
        prepared.append(str(params.get("prompt")))
        return original(row, params, *rest)

    monkeypatch.setattr(module, "prepare", counting)
    return prepared


async def test_creates_beyond_twice_the_in_flight_limit_wait_unprepared(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = async_resources.prepare
    prepared: list[str] = []

    async def counting(row: object, params: dict[str, object], *rest: object) -> object:
        prepared.append(str(params.get("prompt")))
        return await original(row, params, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(async_resources, "prepare", counting)
    release = anyio.Event()
    sent: list[str] = []

    async def create(request: httpx.Request) -> httpx.Response:
        prompt = json.loads(request.content)["prompt"]
        sent.append(prompt)
        await release.wait()
        return ok(task(f"t-{prompt}"))

    with respx.mock(base_url=BASE_URL) as api:
        api.post(PATH).mock(side_effect=create)
        async with AsyncKlingClient(api_key=SECRET_KEY, max_concurrent_requests=2) as client:
            created: list[str] = []

            async def one(i: int) -> None:
                created.append((await client.text_to_video.create(prompt=f"p{i}")).task_id)

            async with anyio.create_task_group() as group:
                for i in range(20):
                    group.start_soon(one, i)
                await anyio.wait_all_tasks_blocked()
                # Two sent, two more checked and built behind them, sixteen untouched.
                assert (len(sent), len(prepared)) == (2, 4)
                release.set()
    assert len(sent) == len(prepared) == len(created) == 20
    assert len(set(created)) == 20


async def test_a_mistake_queued_behind_the_gate_is_refused_without_being_sent() -> None:
    release = anyio.Event()

    async def create(request: httpx.Request) -> httpx.Response:
        await release.wait()
        return ok(task())

    with respx.mock(base_url=BASE_URL) as api:
        route = api.post(PATH).mock(side_effect=create)
        async with AsyncKlingClient(api_key=SECRET_KEY, max_concurrent_requests=1) as client:
            errors: list[Exception] = []

            async def wrong() -> None:
                try:
                    await client.text_to_video.create(prompt="x", duration="7")  # type: ignore[typeddict-item]
                except InvalidParameterError as exc:
                    errors.append(exc)

            async with anyio.create_task_group() as group:
                for _ in range(2):
                    group.start_soon(lambda: client.text_to_video.create(prompt="x"))
                await anyio.wait_all_tasks_blocked()
                group.start_soon(wrong)
                await anyio.wait_all_tasks_blocked()
                assert not errors  # its turn has not come
                release.set()
    [error] = errors
    assert "duration" in str(error)
    assert route.call_count == 2


def test_the_sync_client_gates_its_threads_the_same_way(monkeypatch: pytest.MonkeyPatch) -> None:
    prepared = _count_prepared(monkeypatch, sync_resources)
    release = threading.Event()
    arrived = threading.Semaphore(0)

    def create(request: httpx.Request) -> httpx.Response:
        arrived.release()
        release.wait(10)
        return ok(task())

    with respx.mock(base_url=BASE_URL) as api:
        api.post(PATH).mock(side_effect=create)
        with KlingClient(api_key=SECRET_KEY, max_concurrent_requests=1) as client:
            threads = [
                threading.Thread(target=client.text_to_video.create, kwargs={"prompt": f"p{i}"})
                for i in range(8)
            ]
            for thread in threads:
                thread.start()
            assert arrived.acquire(timeout=10)  # one create is on the wire
            for _ in range(50):  # the others settle at the gate or behind the limiter
                if len(prepared) >= 2:
                    break
                threading.Event().wait(0.01)
            threading.Event().wait(0.1)
            assert len(prepared) == 2
            release.set()
            for thread in threads:
                thread.join(10)
    assert len(prepared) == 8
