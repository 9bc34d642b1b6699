"""The sync client is truly synchronous, so it works where an event loop is already running."""

from __future__ import annotations

import asyncio

import pytest
import respx

from kling import KlingClient
from tests._helpers import ok, task


@pytest.mark.asyncio
async def test_sync_client_works_inside_a_running_event_loop() -> None:
    # A notebook cell runs inside an event loop; asyncio.run-based wrappers fail there.
    assert asyncio.get_running_loop().is_running()
    with respx.mock(base_url="https://api-singapore.klingai.com") as api:
        api.get("/v1/videos/text2video/t1").mock(return_value=ok(task("t1", "succeed")))
        with KlingClient("ak-test", "sk-test") as client:
            assert client.text_to_video.get("t1").is_succeeded
