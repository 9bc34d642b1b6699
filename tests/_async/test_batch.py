"""Many tasks at once: paced fan-out, and waiting for a batch through the list endpoint."""

from __future__ import annotations

import httpx
import pytest
import respx

from kling import (
    AsyncKlingClient,
    AsyncTask,
    InvalidParameterError,
    TaskFailedError,
    WaitTimeoutError,
)
from tests._helpers import error, ok, sent_json, task

from .conftest import FakeClock

PATH = "/v1/videos/text2video"


async def test_create_many_returns_results_in_input_order_with_errors_per_item(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    def create(request: httpx.Request) -> httpx.Response:
        body = sent_json(request)
        if body["prompt"] == "refused":
            return error(400, 1301, "content policy")
        return ok(task(f"t-{body['prompt']}", external_task_id=body["external_task_id"]))

    api.post(PATH).mock(side_effect=create)
    items = [{"prompt": "a"}, {"prompt": "x" * 3000}, {"prompt": "refused"}, {"prompt": "d"}]
    results = await client.text_to_video.create_many(items, concurrency=2)
    assert isinstance(results[0], AsyncTask)
    assert results[0].task_id == "t-a"
    assert isinstance(results[1], InvalidParameterError)
    assert "2500" in str(results[1])
    assert getattr(results[2], "api_code", None) == 1301
    assert isinstance(results[3], AsyncTask)
    assert results[3].task_id == "t-d"


async def test_create_many_slows_down_on_1303_and_never_fails_because_of_it(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    answers = iter([error(429, 1303, "parallel task over resource pack limit")] * 25)

    def create(request: httpx.Request) -> httpx.Response:
        throttled = next(answers, None)
        if throttled is not None:
            return throttled
        return ok(task(sent_json(request)["prompt"]))

    route = api.post(PATH).mock(side_effect=create)
    prompts = [f"p{i}" for i in range(10)]
    progress: list[tuple[int, int]] = []
    results = await client.text_to_video.create_many(
        [{"prompt": p} for p in prompts],
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert [r.task_id for r in results if isinstance(r, AsyncTask)] == prompts
    assert route.call_count == 35
    assert clock.sleeps  # it backed off instead of hammering
    assert max(clock.sleeps) <= 10.0  # capped at 8 s, plus jitter
    assert sorted(progress) == [(n, 10) for n in range(1, 11)]


async def test_create_many_refuses_a_bad_concurrency(client: AsyncKlingClient) -> None:
    with pytest.raises(InvalidParameterError, match="concurrency"):
        await client.text_to_video.create_many([{"prompt": "a"}], concurrency=0)


async def test_wait_all_polls_the_list_instead_of_each_task(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    ids = [f"t{i}" for i in range(8)]
    rounds = iter(
        [
            [task(i, "processing") for i in ids],
            [task(i, "succeed" if i != "t3" else "failed", status_msg="risk") for i in ids],
        ]
    )
    listing = api.get(PATH).mock(side_effect=lambda request: ok(next(rounds)))
    single = api.get(url__regex=rf"{PATH}/t\d$")
    results = await client.text_to_video.wait_all(ids_tasks(ids), poll_interval=1)
    assert [getattr(r, "task_id", None) for r in results] == [i if i != "t3" else None for i in ids]
    assert isinstance(results[3], TaskFailedError)
    assert results[3].task.task_status_msg == "risk"
    assert listing.call_count == 2
    assert listing.calls.last.request.url.params["pageSize"] == "500"
    assert not single.called


async def test_tasks_missing_from_the_list_are_fetched_one_by_one(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    ids = [f"t{i}" for i in range(5)]
    api.get(PATH).mock(return_value=ok([task(i, "succeed") for i in ids[:4]]))
    single = api.get(f"{PATH}/t4").mock(return_value=ok(task("t4", "succeed")))
    results = await client.text_to_video.wait_all(ids_tasks(ids))
    assert all(isinstance(r, AsyncTask) and r.is_succeeded for r in results)
    assert single.call_count == 1


async def test_a_few_tasks_are_polled_with_single_gets(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    listing = api.get(PATH)
    single = api.get(url__regex=rf"{PATH}/t\d$").mock(
        side_effect=lambda request: ok(task(request.url.path.rsplit("/", 1)[1], "succeed"))
    )
    results = await client.text_to_video.wait_all(ids_tasks(["t1", "t2"]))
    assert [r.task_id for r in results if isinstance(r, AsyncTask)] == ["t1", "t2"]
    assert single.call_count == 2
    assert not listing.called


async def test_wait_all_reports_unfinished_tasks_at_the_deadline(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    api.get(url__regex=rf"{PATH}/t\d$").mock(
        side_effect=lambda request: ok(
            task(
                request.url.path.rsplit("/", 1)[1],
                "succeed" if "t1" in request.url.path else "processing",
            )
        )
    )
    results = await client.text_to_video.wait_all(ids_tasks(["t1", "t2"]), timeout=60)
    assert isinstance(results[0], AsyncTask)
    assert isinstance(results[1], WaitTimeoutError)
    assert results[1].task.task_status == "processing"
    assert sum(clock.sleeps) == pytest.approx(60)


async def test_as_completed_yields_in_finishing_order(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    # Each task finishes at its own poll round: t2 first, then t1 (failed), then t0.
    finish_round = {"t0": 3, "t1": 2, "t2": 1}
    polls = dict.fromkeys(finish_round, 0)

    def state(request: httpx.Request) -> httpx.Response:
        task_id = request.url.path.rsplit("/", 1)[1]
        polls[task_id] += 1
        if polls[task_id] < finish_round[task_id]:
            return ok(task(task_id, "processing"))
        return ok(task(task_id, "failed" if task_id == "t1" else "succeed"))

    api.get(url__regex=rf"{PATH}/t\d$").mock(side_effect=state)
    finished = [t async for t in client.text_to_video.as_completed(ids_tasks(list(finish_round)))]
    assert [(t.task_id, t.task_status) for t in finished] == [
        ("t2", "succeed"),
        ("t1", "failed"),
        ("t0", "succeed"),
    ]


def ids_tasks(ids: list[str]) -> list[AsyncTask]:
    return [AsyncTask.model_validate(task(i, "submitted")) for i in ids]
