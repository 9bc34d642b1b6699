"""create_as_completed: many creates, each task handed back as it settles, none lost."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

from kling import AsyncKlingClient, BadRequestError, KlingError, WaitTimeoutError
from tests._helpers import error, ok, task

from .conftest import FakeClock

PATH = "/v1/videos/text2video"


def _creates(api: respx.MockRouter, refused: str | None = None) -> list[str]:
    """Creates answer ``t<n>`` in order (``refused``: that prompt gets a 400); the prompts sent."""
    prompts: list[str] = []

    def create(request: httpx.Request) -> httpx.Response:
        prompt = json.loads(request.content)["prompt"]
        prompts.append(prompt)
        if prompt == refused:
            return error(400, 1201, "prompt refused")
        return ok(task(f"t{len(prompts) - 1}"))

    api.post(PATH).mock(side_effect=create)
    return prompts


def _finishing(api: respx.MockRouter, status: str = "succeed") -> None:
    def get(request: httpx.Request) -> httpx.Response:
        return ok(task(request.url.path.rsplit("/", 1)[1], status))

    api.get(url__regex=rf"{PATH}/t\d+$").mock(side_effect=get)
    api.get(PATH).mock(return_value=ok([]))  # a page of the list: found nothing, then GETs


def _ids(results: list[Any]) -> Iterator[str]:
    return (r.task_id for r in results if not isinstance(r, KlingError))


async def test_every_item_comes_out_once_its_task_or_its_error(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    _creates(api, refused="b")
    _finishing(api)
    items = [{"prompt": p} for p in ("a", "b", "c")]

    async with client.text_to_video.create_as_completed(items, concurrency=1) as finished:
        results = [result async for result in finished]

    assert sorted(_ids(results)) == ["t0", "t2"]
    (refusal,) = [r for r in results if isinstance(r, KlingError)]
    assert isinstance(refusal, BadRequestError)
    assert refusal.external_task_id is not None  # which item: its id was set before sending
    assert [t.task_id for t in finished.created] == ["t0", "t2"]
    assert all(r.is_succeeded for r in results if not isinstance(r, KlingError))


async def test_a_task_that_fails_comes_out_as_a_finished_task(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    _creates(api)
    _finishing(api, status="failed")

    async with client.text_to_video.create_as_completed([{"prompt": "a"}]) as finished:
        (result,) = [result async for result in finished]

    assert not isinstance(result, KlingError)
    assert result.is_failed


async def test_tasks_unfinished_at_the_deadline_come_out_as_timeouts(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    _creates(api)
    _finishing(api, status="processing")
    items = [{"prompt": "a"}, {"prompt": "b"}]

    async with client.text_to_video.create_as_completed(items, timeout=60) as finished:
        results = [result async for result in finished]

    assert len(results) == 2
    assert all(isinstance(r, WaitTimeoutError) for r in results)
    assert sorted(r.task.task_id for r in results) == ["t0", "t1"]


async def test_leaving_early_keeps_every_task_created(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    prompts = _creates(api)
    _finishing(api)
    items = [{"prompt": str(i)} for i in range(50)]

    async with client.text_to_video.create_as_completed(items, concurrency=1) as finished:
        async for result in finished:
            first = result
            break

    assert not isinstance(first, KlingError)
    # Whatever was created before the block ended is in created (in order, as Kling answered).
    assert [t.task_id for t in finished.created] == [f"t{i}" for i in range(len(prompts))]


async def test_bad_options_are_refused_before_anything_is_sent(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    items = [{"prompt": "a"}]
    with pytest.raises(ValueError, match="concurrency"):
        async with client.text_to_video.create_as_completed(items, concurrency=0):
            pass
    with pytest.raises(ValueError, match="poll_interval"):
        async with client.text_to_video.create_as_completed(items, poll_interval=-1):
            pass
    assert not api.calls


async def test_a_product_creates_with_its_model_and_waits_through_tasks(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    def create(request: httpx.Request) -> httpx.Response:
        return ok({"id": "v1", "status": "submitted"})

    api.post("/text-to-video/kling-3.0").mock(side_effect=create)
    api.get("/tasks").mock(return_value=ok([{"id": "v1", "status": "succeeded"}]))
    async with AsyncKlingClient(api_key="k") as client:
        blocks = client.v2.text_to_video.create_as_completed([{"prompt": "a"}], model="kling-3.0")
        async with blocks as finished:
            (result,) = [result async for result in finished]

    assert not isinstance(result, KlingError)
    assert (result.task_id, result.task_status) == ("v1", "succeeded")
