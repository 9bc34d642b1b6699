"""The retry policy: what is repeated, how long it waits, and what never is."""

from __future__ import annotations

import httpx
import pytest
import respx

from kling import (
    AccountError,
    APIConnectionError,
    AsyncKlingClient,
    RateLimitError,
    ServerError,
)
from tests._helpers import error, ok, sent_json, task

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
    assert len(clock.sleeps) == 1
    assert 7.0 <= clock.sleeps[0] <= 7.0 * 1.25  # never sooner, jittered up to a quarter later


async def test_huge_retry_after_is_capped(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    api.get(GET).mock(
        side_effect=[error(429, 1303, headers={"Retry-After": "86400"}), ok(task("t1"))]
    )
    await client.text_to_video.get("t1")
    assert len(clock.sleeps) == 1
    assert 60.0 <= clock.sleeps[0] <= 75.0


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_5xx_on_a_read_is_retried(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock, status: int
) -> None:
    route = api.get(GET).mock(side_effect=[httpx.Response(status), ok(task("t1"))])
    assert (await client.text_to_video.get("t1")).task_id == "t1"
    assert route.call_count == 2


async def test_every_create_carries_an_external_task_id(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.post(CREATE).mock(return_value=ok(task("t1")))
    await client.text_to_video.create(prompt="a corgi")
    await client.text_to_video.create(prompt="a corgi", external_task_id="mine-7")
    first, second = (sent_json(call.request)["external_task_id"] for call in route.calls)
    assert first.startswith("kling-")
    assert len(first) > 20
    assert second == "mine-7"


@pytest.mark.parametrize(
    "failure",
    [
        error(500, 5000, "internal error"),
        error(504, 5002, "internal timeout"),
        httpx.Response(502, text="<html>Bad Gateway</html>"),
        httpx.ReadTimeout("no answer"),
        httpx.RemoteProtocolError("connection reset"),
    ],
    ids=["5000", "5002", "502-html", "read-timeout", "reset"],
)
async def test_ambiguous_create_failure_finds_the_task_instead_of_resending(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock, failure: object
) -> None:
    create = api.post(CREATE).mock(side_effect=[failure])
    lookup = api.get(url__regex=r"/v1/videos/text2video/kling-\w+$").mock(
        return_value=ok(task("t1", "processing"))
    )
    found = await client.text_to_video.create(prompt="a corgi")
    assert found.task_id == "t1"
    assert create.call_count == 1
    sent_id = sent_json(create.calls.last.request)["external_task_id"]
    assert lookup.calls.last.request.url.path.endswith(sent_id)


async def test_ambiguous_create_failure_resubmits_when_the_task_does_not_exist(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    create = api.post(CREATE).mock(side_effect=[error(500, 5000), ok(task("t2"))])
    api.get(f"{CREATE}/mine-1").mock(return_value=error(400, 1201, "Task not found"))
    created = await client.text_to_video.create(prompt="a corgi", external_task_id="mine-1")
    assert created.task_id == "t2"
    assert create.call_count == 2
    assert {sent_json(c.request)["external_task_id"] for c in create.calls} == {"mine-1"}


async def test_resubmit_answered_already_exists_returns_the_existing_task(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    api.post(CREATE).mock(
        side_effect=[error(500, 5000), error(400, 1201, "external_task_id already exists")]
    )
    api.get(f"{CREATE}/mine-1").mock(
        side_effect=[error(400, 1201, "Task not found"), ok(task("t3"))]
    )
    created = await client.text_to_video.create(prompt="a corgi", external_task_id="mine-1")
    assert created.task_id == "t3"


async def test_ambiguous_failure_gives_up_after_max_retries(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    create = api.post(CREATE).mock(return_value=error(500, 5000))
    api.get(f"{CREATE}/mine-1").mock(return_value=error(400, 1201, "Task not found"))
    with pytest.raises(ServerError):
        await client.text_to_video.create(prompt="a corgi", external_task_id="mine-1")
    assert create.call_count == 4


async def test_a_family_without_lookup_by_external_id_never_resends(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    route = api.post("/v1/videos/advanced-lip-sync").mock(return_value=error(500, 5000))
    face = {
        "face_id": "0",
        "audio_id": "a0",
        "sound_start_time": 0,
        "sound_end_time": 3000,
        "sound_insert_time": 0,
    }
    with pytest.raises(ServerError):
        await client.advanced_lip_sync.create(session_id="s1", face_choose=[face])
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


async def test_connection_errors_surface_as_api_connection_error(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    api.get(GET).mock(side_effect=httpx.ConnectError("Name or service not known"))
    with pytest.raises(APIConnectionError, match="ConnectError") as info:
        await client.text_to_video.get("t1")
    assert isinstance(info.value.__cause__, httpx.ConnectError)
