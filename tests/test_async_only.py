"""Async-only behaviour (task groups); the sync client's thread safety is in test_auth_unit."""

from __future__ import annotations

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
