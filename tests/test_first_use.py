"""The first create of a kind builds its validator off the event loop, once.

Checking a family's parameters the first time in a process imports pydantic's machinery and
builds a validator: tens of milliseconds of CPU. Done in the first turn of the loop, it stalled
every other call started with it (ten thousand ``create_and_wait`` in a ``gather``). It now
runs in a worker thread, one at a time, so the creates started together build it once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import anyio
import pytest
import respx

from kling import AsyncKlingClient, KlingClient
from kling._params import _validate
from tests._async.conftest import BASE_URL, SECRET_KEY
from tests._helpers import ok, task

PATH = "/v1/videos/text2video"


def _count_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Forget every built validator; record the thread each new one is built in."""
    import pydantic

    built: list[str] = []
    original = pydantic.TypeAdapter

    def counting(*args: object, **kwargs: object) -> object:
        built.append(threading.current_thread().name)
        return original(*args, **kwargs)

    monkeypatch.setattr(_validate, "_ADAPTERS", {})
    monkeypatch.setattr(pydantic, "TypeAdapter", counting)
    return built


async def test_creates_started_together_build_the_validator_once_in_a_worker_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built = _count_builds(monkeypatch)
    loop_thread = threading.current_thread().name
    with respx.mock(base_url=BASE_URL) as api:
        api.post(PATH).mock(return_value=ok(task("t1")))
        async with AsyncKlingClient(api_key=SECRET_KEY) as client:

            async def one(i: int) -> None:
                await client.text_to_video.create(prompt=f"p{i}")

            async with anyio.create_task_group() as group:
                for i in range(20):
                    group.start_soon(one, i)
            assert api.calls.call_count == 20
            assert len(built) == 1
            assert built[0] != loop_thread

            await client.text_to_video.create(prompt="later")  # built: no thread, no build
    assert len(built) == 1


def test_the_sync_client_builds_the_validator_once_across_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built = _count_builds(monkeypatch)
    with respx.mock(base_url=BASE_URL) as api:
        api.post(PATH).mock(return_value=ok(task("t1")))
        with KlingClient(api_key=SECRET_KEY) as client:
            start = threading.Barrier(8)

            def one() -> None:
                start.wait()
                client.text_to_video.create(prompt="p")

            threads = [threading.Thread(target=one) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert api.calls.call_count == 8
    assert len(built) == 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX")
def test_a_forked_child_builds_its_first_validator_in_a_thread_of_its_own() -> None:
    # The parent's build thread does not exist in a forked child: a child sending its first
    # build there would wait forever.
    code = """
import asyncio, os, sys, httpx
from kling import AsyncKlingClient
from kling._params import _validate
ANSWER = httpx.Response(200, json={"code": 0, "message": "ok", "request_id": "r",
    "data": {"task_id": "t1", "task_status": "submitted", "created_at": 1, "updated_at": 1}})
async def create() -> None:
    transport = httpx.MockTransport(lambda request: ANSWER)
    async with httpx.AsyncClient(transport=transport) as http:
        client = AsyncKlingClient(api_key="k", http_client=http)
        await client.text_to_video.create(prompt="a corgi")
asyncio.run(create())
_validate._ADAPTERS.clear()  # the child has a kind to build again
pid = os.fork()
if pid == 0:
    asyncio.run(create())
    os._exit(0)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr.decode()
