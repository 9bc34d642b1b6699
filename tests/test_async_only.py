"""Async-only behaviour (task groups); the sync client's thread safety is in test_auth_unit."""

from __future__ import annotations

import json

import anyio
import httpx
import respx

from kling import AsyncKlingClient
from tests._async.conftest import ACCESS_KEY, BASE_URL, SECRET_KEY
from tests._helpers import ok, task


def _token(request: httpx.Request) -> str:
    return request.headers["Authorization"].removeprefix("Bearer ")


async def test_concurrent_requests_share_one_token() -> None:
    with respx.mock(base_url=BASE_URL) as api:
        route = api.get("/v1/videos/text2video/t1").mock(return_value=ok(task("t1")))
        async with (
            AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as client,
            anyio.create_task_group() as tg,
        ):
            for _ in range(20):
                tg.start_soon(client.text_to_video.get, "t1")
    assert len({_token(call.request) for call in route.calls}) == 1
    assert route.call_count == 20


async def test_create_as_completed_hands_back_a_task_while_later_ones_are_still_being_created() -> (
    None
):
    # The second create is held until the first task has come out: without waiting while
    # creating, the block would never hand it back, and fail_after would end the test.
    first_out = anyio.Event()
    prompts: list[str] = []

    async def create(request: httpx.Request) -> httpx.Response:
        prompts.append(json.loads(request.content)["prompt"])
        if len(prompts) > 1:
            await first_out.wait()
        return ok(task(f"t{len(prompts) - 1}"))

    with respx.mock(base_url=BASE_URL) as api:
        api.post("/v1/videos/text2video").mock(side_effect=create)
        api.get(url__regex=r"/v1/videos/text2video/t\d+$").mock(
            side_effect=lambda r: ok(task(r.url.path.rsplit("/", 1)[1], "succeed"))
        )
        async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as client:
            items = [{"prompt": "a"}, {"prompt": "b"}, {"prompt": "c"}]
            seen = []
            with anyio.fail_after(10):
                async with client.text_to_video.create_as_completed(
                    items, concurrency=1, poll_interval=0.01
                ) as finished:
                    async for result in finished:
                        seen.append((result.task_id, len(prompts)))  # type: ignore[union-attr]
                        first_out.set()
    assert seen[0] == ("t0", 2)  # out while the second create was still in flight
    assert sorted(task_id for task_id, _ in seen) == ["t0", "t1", "t2"]
