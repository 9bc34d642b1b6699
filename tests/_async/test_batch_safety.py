"""A batch never throws away a task it created, whatever else goes wrong.

Each test runs on both twins (the sync one is generated), and asserts how many creates went over
the wire, so the twins are held to the same behaviour under failure, not only on the happy path.
"""

from __future__ import annotations

import httpx
import pytest
import respx

from kling import (
    AsyncKlingClient,
    AsyncTask,
    BatchError,
    InvalidParameterError,
    RateLimitError,
    ServerError,
)
from tests._helpers import error, ok, sent_json, task

from .conftest import FakeClock

PATH = "/v1/videos/text2video"


def echo_task(request: httpx.Request) -> httpx.Response:
    body = sent_json(request)
    return ok(task(f"t-{body['prompt']}", external_task_id=body["external_task_id"]))


async def test_a_raising_progress_callback_stops_new_work_and_keeps_every_created_task(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    route = api.post(PATH).mock(side_effect=echo_task)

    def progress(done: int, total: int) -> None:
        if done == 3:
            raise RuntimeError("my dashboard is down")

    with pytest.raises(BatchError) as info:
        await client.text_to_video.create_many(
            [{"prompt": f"p{i}"} for i in range(10)], concurrency=1, on_progress=progress
        )
    assert route.call_count == 3  # the same on both twins: no item started after the raise
    results = info.value.results
    assert [r.task_id for r in results[:3] if isinstance(r, AsyncTask)] == ["t-p0", "t-p1", "t-p2"]
    assert results[3:] == [None] * 7
    assert [t.task_id for t in info.value.tasks] == ["t-p0", "t-p1", "t-p2"]
    assert isinstance(info.value.__cause__, RuntimeError)
    assert "3 of 10" in str(info.value)


async def test_items_in_flight_when_a_callback_raises_still_settle_and_are_kept(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    route = api.post(PATH).mock(side_effect=echo_task)

    def progress(done: int, total: int) -> None:
        raise RuntimeError("boom")

    with pytest.raises(BatchError) as info:
        await client.text_to_video.create_many(
            [{"prompt": f"p{i}"} for i in range(20)], concurrency=4, on_progress=progress
        )
    created = info.value.tasks
    # At most the items in flight were sent after the first raise, and each one is reported.
    assert 1 <= route.call_count <= 4
    assert len(created) == route.call_count
    sent = {sent_json(call.request)["external_task_id"] for call in route.calls}
    assert {t.external_task_id for t in created} == sent


async def test_a_200_without_data_in_a_batch_is_looked_up_and_kept(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    def create(request: httpx.Request) -> httpx.Response:
        body = sent_json(request)
        if body["prompt"] == "p1":  # created on Kling's side, but the answer lost its data
            return httpx.Response(200, json={"code": 0, "message": "SUCCEED", "request_id": "r"})
        return echo_task(request)

    posts = api.post(PATH).mock(side_effect=create)
    lookup = api.get(url__regex=rf"{PATH}/kling-[0-9a-f]+$").mock(
        side_effect=lambda request: ok(
            task("t-p1", external_task_id=request.url.path.rsplit("/", 1)[1])
        )
    )
    results = await client.text_to_video.create_many(
        [{"prompt": f"p{i}"} for i in range(3)], concurrency=1
    )
    assert [r.task_id for r in results if isinstance(r, AsyncTask)] == ["t-p0", "t-p1", "t-p2"]
    assert posts.call_count == 3  # found by its external_task_id, not created twice
    assert lookup.call_count == 1


async def test_duplicate_external_ids_in_one_batch_are_refused_before_anything_is_sent(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.post(PATH).mock(side_effect=echo_task)
    items = [
        {"prompt": "a", "external_task_id": "mine-1"},
        {"prompt": "b", "external_task_id": "mine-2"},
        {"prompt": "c", "external_task_id": "mine-1"},
    ]
    with pytest.raises(InvalidParameterError, match="items 0 and 2 share external_task_id"):
        await client.text_to_video.create_many(items)
    assert not route.called


async def test_every_item_is_sent_with_its_own_external_task_id(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    route = api.post(PATH).mock(side_effect=echo_task)
    results = await client.text_to_video.create_many(
        [{"prompt": "a", "external_task_id": "mine"}, {"prompt": "b"}]
    )
    sent = sorted(sent_json(call.request)["external_task_id"] for call in route.calls)
    assert sent[1] == "mine"
    assert sent[0].startswith("kling-")
    assert {r.external_task_id for r in results if isinstance(r, AsyncTask)} == set(sent)


async def test_a_batch_throttled_without_end_gives_up_after_throttle_timeout(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    route = api.post(PATH).mock(
        return_value=error(429, 1303, "parallel task over limit", headers={"Retry-After": "0"})
    )
    results = await client.text_to_video.create_many(
        [{"prompt": f"p{i}"} for i in range(20)], concurrency=20, throttle_timeout=60
    )
    assert all(isinstance(r, RateLimitError) for r in results)
    assert all(r.external_task_id for r in results if isinstance(r, RateLimitError))
    assert clock.now - 1000.0 <= 60 + 20  # gave up at the deadline, plus one last back-off
    # Never a storm: every attempt waited at least the floor, so a minute holds few of them.
    assert route.call_count <= 20 + 60 / 0.5
    assert min(clock.sleeps) >= 0.5


async def test_a_non_positive_throttle_timeout_is_refused(client: AsyncKlingClient) -> None:
    with pytest.raises(InvalidParameterError, match="throttle_timeout"):
        await client.text_to_video.create_many([{"prompt": "a"}], throttle_timeout=0)


async def test_a_batch_item_that_fails_ambiguously_carries_its_external_task_id(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    api.post(PATH).mock(return_value=error(500, 5000, "internal error"))
    api.get(url__regex=rf"{PATH}/kling-[0-9a-f]+$").mock(
        return_value=error(400, 1201, "task not found")
    )
    results = await client.with_options(max_retries=0).text_to_video.create_many([{"prompt": "a"}])
    assert isinstance(results[0], ServerError)
    assert results[0].external_task_id is not None
    assert results[0].external_task_id.startswith("kling-")
