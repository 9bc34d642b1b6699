"""The retry policy: what is repeated, how long it waits, and what never is."""

from __future__ import annotations

import httpx
import pytest
import respx

from kling import (
    AccountError,
    APIConnectionError,
    APITimeoutError,
    AsyncKlingClient,
    RateLimitError,
    ServerError,
)
from tests._helpers import error, ok, task

from .conftest import FakeClock

GET = "/v1/videos/text2video/t1"
CREATE = "/v1/videos/text2video"


@pytest.mark.parametrize("code", [1302, 1303, 0])
async def test_429_rate_limits_are_retried_with_growing_delays(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock, code: int
) -> None:
    route = api.get(GET).mock(
        side_effect=[error(429, code), error(429, code), error(429, code), ok(task("t1"))]
    )
    result = await client.text_to_video.get("t1")
    assert result.task_id == "t1"
    assert route.call_count == 4
    assert len(clock.sleeps) == 3
    assert clock.sleeps[0] < clock.sleeps[2]


async def test_429_rate_limit_on_a_create_is_retried_because_no_task_was_made(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    route = api.post(CREATE).mock(side_effect=[error(429, 1303), ok(task("t1"))])
    created = await client.text_to_video.create(prompt="a corgi")
    assert created.task_id == "t1"
    assert route.call_count == 2


@pytest.mark.parametrize("code", [1100, 1101, 1102, 1304])
async def test_429_with_an_account_code_is_not_retried(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock, code: int
) -> None:
    route = api.get(GET).mock(return_value=error(429, code, "resource pack exhausted"))
    with pytest.raises(AccountError):
        await client.text_to_video.get("t1")
    assert route.call_count == 1
    assert clock.sleeps == []


async def test_retries_stop_after_max_retries(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    route = api.get(GET).mock(return_value=error(429, 1302))
    with pytest.raises(RateLimitError):
        await client.text_to_video.get("t1")
    assert route.call_count == 4  # the first try and max_retries=3


async def test_max_retries_zero_turns_retries_off(api: respx.MockRouter, clock: FakeClock) -> None:
    route = api.get(GET).mock(return_value=error(429, 1302))
    async with AsyncKlingClient("ak-x", "sk-y", max_retries=0) as client:
        with pytest.raises(RateLimitError):
            await client.text_to_video.get("t1")
    assert route.call_count == 1


async def test_retry_after_is_honoured(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    api.get(GET).mock(side_effect=[error(429, 1303, headers={"Retry-After": "7"}), ok(task("t1"))])
    await client.text_to_video.get("t1")
    assert clock.sleeps == [7.0]


async def test_huge_retry_after_is_capped(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    api.get(GET).mock(
        side_effect=[error(429, 1303, headers={"Retry-After": "86400"}), ok(task("t1"))]
    )
    await client.text_to_video.get("t1")
    assert clock.sleeps == [60.0]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_5xx_on_a_read_is_retried(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock, status: int
) -> None:
    route = api.get(GET).mock(side_effect=[httpx.Response(status), ok(task("t1"))])
    assert (await client.text_to_video.get("t1")).task_id == "t1"
    assert route.call_count == 2


async def test_5xx_on_a_create_is_not_blindly_resent(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    route = api.post(CREATE).mock(return_value=error(500, 5000, "internal error"))
    with pytest.raises(ServerError):
        await client.text_to_video.create(prompt="a corgi")
    assert route.call_count == 1


async def test_timeouts_and_dropped_connections_on_reads_are_retried(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    route = api.get(GET).mock(
        side_effect=[httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("reset"), ok(task("t1"))]
    )
    assert (await client.text_to_video.get("t1")).task_id == "t1"
    assert route.call_count == 3


async def test_create_is_retried_when_the_connection_failed_before_sending(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    route = api.post(CREATE).mock(side_effect=[httpx.ConnectError("refused"), ok(task("t1"))])
    assert (await client.text_to_video.create(prompt="a corgi")).task_id == "t1"
    assert route.call_count == 2


async def test_create_is_not_retried_after_a_timeout_once_sent(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    route = api.post(CREATE).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError) as info:
        await client.text_to_video.create(prompt="a corgi")
    assert info.value.sent is True
    assert route.call_count == 1


async def test_connection_errors_surface_as_api_connection_error(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    api.get(GET).mock(side_effect=httpx.ConnectError("Name or service not known"))
    with pytest.raises(APIConnectionError, match="ConnectError") as info:
        await client.text_to_video.get("t1")
    assert isinstance(info.value.__cause__, httpx.ConnectError)
