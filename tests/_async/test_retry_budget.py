"""One logical call, one retry budget; and an external_task_id is trusted only when it is ours."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import datetime, timedelta

import httpx
import pytest
import respx

from kling import (
    AsyncKlingClient,
    AsyncTask,
    ContentPolicyError,
    DuplicateTaskError,
    RateLimitError,
    ServerError,
)
from kling import _compat_async as _compat
from kling._retry import MIN_DELAY
from tests._helpers import error, ok, sent_json, task

from .conftest import FakeClock

PATH = "/v1/videos/text2video"
LOOKUP = rf"{PATH}/kling-[0-9a-f]+$"


async def test_a_create_makes_at_most_max_retries_plus_one_posts_and_lookups(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    posts = api.post(PATH).mock(side_effect=itertools.cycle([error(429, 1303), error(500, 5000)]))
    gets = api.get(url__regex=LOOKUP).mock(
        side_effect=itertools.cycle([error(500, 5000), error(404, 1203)])
    )
    with pytest.raises((RateLimitError, ServerError)):
        await client.text_to_video.create(prompt="a corgi")
    assert posts.call_count <= client.max_retries + 1
    assert gets.call_count <= client.max_retries + 1
    assert len(clock.sleeps) <= client.max_retries  # one back-off per retry, no loop in a loop


async def test_max_retries_zero_still_looks_up_after_an_ambiguous_create(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    posts = api.post(PATH).mock(return_value=error(500, 5000, "internal error"))
    gets = api.get(url__regex=LOOKUP).mock(
        side_effect=lambda request: ok(
            task("t-found", external_task_id=request.url.path.rsplit("/", 1)[1])
        )
    )
    async with AsyncKlingClient("ak-x", "sk-y", max_retries=0) as client:
        created = await client.text_to_video.create(prompt="a corgi")
    assert created.task_id == "t-found"
    assert (posts.call_count, gets.call_count) == (1, 1)
    assert clock.sleeps == []


async def test_max_retries_zero_raises_the_ambiguous_failure_with_its_external_id(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    posts = api.post(PATH).mock(return_value=error(500, 5000, "internal error"))
    gets = api.get(url__regex=LOOKUP).mock(return_value=error(400, 1201, "task not found"))
    async with AsyncKlingClient("ak-x", "sk-y", max_retries=0) as client:
        with pytest.raises(ServerError) as info:
            await client.text_to_video.create(prompt="a corgi")
    sent_id = sent_json(posts.calls.last.request)["external_task_id"]
    assert info.value.external_task_id == sent_id
    assert (posts.call_count, gets.call_count) == (1, 1)


async def test_a_first_attempt_meeting_an_existing_external_id_raises_duplicate_task_error(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    posts = api.post(PATH).mock(return_value=error(400, 1201, "external_task_id already exists"))
    lookup = api.get(f"{PATH}/order-17").mock(
        return_value=ok(task("someone-elses", external_task_id="order-17"))
    )
    with pytest.raises(DuplicateTaskError) as info:
        await client.text_to_video.create(prompt="a corgi", external_task_id="order-17")
    assert info.value.external_task_id == "order-17"
    assert posts.call_count == 1
    assert not lookup.called  # not silently handed back as ours
    existing = await info.value.fetch()
    assert isinstance(existing, AsyncTask)
    assert existing.task_id == "someone-elses"


async def test_already_exists_after_our_own_ambiguous_attempt_adopts_the_task(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    posts = api.post(PATH).mock(
        side_effect=[
            error(502, 5000, "bad gateway"),  # it was created, but the answer was lost
            error(400, 1201, "external_task_id already exists"),
        ]
    )
    lookups = iter([error(400, 1201, "task not found")])  # not visible yet, then found

    def lookup(request: httpx.Request) -> httpx.Response:
        answer = next(lookups, None)
        external_id = request.url.path.rsplit("/", 1)[1]
        return answer or ok(task("t-ours", external_task_id=external_id))

    gets = api.get(url__regex=LOOKUP).mock(side_effect=lookup)
    created = await client.text_to_video.create(prompt="a corgi")
    assert created.task_id == "t-ours"
    assert posts.call_count == 2
    assert gets.call_count == 2


async def test_every_error_a_create_raises_carries_its_external_task_id(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    posts = api.post(PATH).mock(return_value=error(400, 1301, "content policy"))
    with pytest.raises(ContentPolicyError) as info:
        await client.text_to_video.create(prompt="a corgi")
    assert info.value.external_task_id == sent_json(posts.calls.last.request)["external_task_id"]


async def test_retry_after_zero_still_waits_the_floor(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    api.post(PATH).mock(
        side_effect=[error(429, 1302, headers={"Retry-After": "0"}), ok(task("t1"))]
    )
    await client.text_to_video.create(prompt="a corgi")
    assert len(clock.sleeps) == 1
    assert 0.5 <= clock.sleeps[0] <= 1.0


async def test_a_1302_inside_the_costs_envelope_is_a_rate_limit_error_and_retried(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    route = api.get("/account/costs").mock(
        side_effect=[
            ok({"code": 1302, "msg": "too many requests"}, request_id="req-inner"),
            ok({"code": 0, "msg": "success", "resource_pack_subscribe_infos": []}),
        ]
    )
    end = datetime(2026, 12, 1)
    result = await client.account.costs(start_time=end - timedelta(days=1), end_time=end)
    assert result.resource_pack_subscribe_infos == []
    assert route.call_count == 2
    assert len(clock.sleeps) == 1


async def test_an_inner_costs_error_keeps_its_code_and_request_id(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    api.get("/account/costs").mock(
        return_value=ok({"code": 1302, "msg": "too many requests"}, request_id="req-inner")
    )
    end = datetime(2026, 12, 1)
    with pytest.raises(RateLimitError) as info:
        await client.account.costs(start_time=end - timedelta(days=1), end_time=end)
    assert (info.value.api_code, info.value.request_id) == (1302, "req-inner")
    assert "too many requests" in str(info.value)


async def test_twenty_concurrent_creates_against_an_endless_1303_stop_within_their_budgets(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    posts = api.post(PATH).mock(return_value=error(429, 1303, headers={"Retry-After": "0"}))
    failures: list[BaseException] = []

    async def one_create() -> None:
        try:
            await client.text_to_video.create(prompt="a corgi")
        except RateLimitError as exc:
            failures.append(exc)

    await _compat.run_workers(one_create, 20)
    assert len(failures) == 20  # every caller got its answer: nobody retries for ever
    assert posts.call_count == 20 * (client.max_retries + 1)
    # Retry-After: 0 is not taken as "now": every retry waited at least the floor.
    assert len(clock.sleeps) == 20 * client.max_retries
    assert min(clock.sleeps) >= MIN_DELAY


async def test_callers_told_the_same_retry_after_do_not_wake_together(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    told: set[str] = set()

    def create(request: httpx.Request) -> httpx.Response:
        # Each create is told to come back in 2 s once, then gets its task.
        external_id = sent_json(request)["external_task_id"]
        if external_id in told:
            return ok(task("t1", external_task_id=external_id))
        told.add(external_id)
        return error(429, 1302, headers={"Retry-After": "2"})

    api.post(PATH).mock(side_effect=create)

    async def one_create() -> None:
        await client.text_to_video.create(prompt="a corgi")

    await _compat.run_workers(one_create, 50)
    assert len(clock.sleeps) == 50
    assert min(clock.sleeps) >= 2.0  # the server's delay is honoured...
    # ...and spread out, so fifty callers do not come back in the same instant: over half a
    # second, no 10 ms holds more than a fifth of them (about one each, if spread evenly).
    crowd = Counter(int(delay * 100) for delay in clock.sleeps)
    assert max(crowd.values()) <= 10
    assert max(clock.sleeps) - min(clock.sleeps) >= 0.2
