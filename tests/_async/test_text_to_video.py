"""The first family end to end: create, get, list, wait, create_and_wait."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterable
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest
import respx

from kling import (
    AsyncKlingClient,
    AuthenticationError,
    InvalidParameterError,
    KlingError,
    TaskFailedError,
    WaitTimeoutError,
)
from kling._polling import Schedule
from tests._helpers import TASK_CREATED_AT, ok, sent_json, task

from .conftest import FakeClock

PATH = "/v1/videos/text2video"
VIDEO = {"id": "v1", "url": "https://cdn.example/v1.mp4", "duration": "5.041"}


async def test_create_posts_the_parameters_as_named_by_the_api(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.post(PATH).mock(return_value=ok(task("t1", external_task_id="mine-1")))
    created = await client.text_to_video.create(
        prompt="a corgi surfing at sunset",
        model_name="kling-v2-6",
        duration="5",
        aspect_ratio="16:9",
        mode="std",
        external_task_id="mine-1",
    )
    assert sent_json(route.calls.last.request) == {
        "prompt": "a corgi surfing at sunset",
        "model_name": "kling-v2-6",
        "duration": "5",
        "aspect_ratio": "16:9",
        "mode": "std",
        "external_task_id": "mine-1",
    }
    assert created.task_id == "t1"
    assert created.task_status == "submitted"
    assert created.external_task_id == "mine-1"
    assert created.created_at == datetime.fromtimestamp(TASK_CREATED_AT / 1000, tz=timezone.utc)


async def test_unknown_keyword_is_refused_before_sending(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    with pytest.raises(InvalidParameterError, match="promt") as info:
        await client.text_to_video.create(promt="a corgi")  # type: ignore[call-arg]
    assert "prompt" in str(info.value)
    assert not api.calls


async def test_extra_body_sends_fields_the_sdk_does_not_know(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    route = api.post(PATH).mock(return_value=ok(task("t1")))
    await client.text_to_video.create(
        prompt="a corgi", external_task_id="e1", extra_body={"future_field": [1, 2]}
    )
    assert sent_json(route.calls.last.request) == {
        "prompt": "a corgi",
        "external_task_id": "e1",
        "future_field": [1, 2],
    }


async def test_get_by_task_id(client: AsyncKlingClient, api: respx.MockRouter) -> None:
    api.get(f"{PATH}/t1").mock(return_value=ok(task("t1", "succeed", videos=[VIDEO])))
    got = await client.text_to_video.get("t1")
    assert got.is_succeeded
    assert got.videos[0].url == "https://cdn.example/v1.mp4"
    assert got.videos[0].duration == pytest.approx(5.041)


async def test_get_by_external_task_id(client: AsyncKlingClient, api: respx.MockRouter) -> None:
    route = api.get(f"{PATH}/my%20id%2F1").mock(
        return_value=ok(task("t1", external_task_id="my id/1"))
    )
    got = await client.text_to_video.get(external_task_id="my id/1")
    assert got.external_task_id == "my id/1"
    assert route.called


async def test_get_needs_exactly_one_id(client: AsyncKlingClient, api: respx.MockRouter) -> None:
    with pytest.raises(InvalidParameterError, match="exactly one"):
        await client.text_to_video.get()
    with pytest.raises(InvalidParameterError, match="exactly one"):
        await client.text_to_video.get("t1", external_task_id="x")
    assert not api.calls


async def test_unknown_response_fields_are_kept(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.get(f"{PATH}/t1").mock(return_value=ok(task("t1", brand_new={"x": 1})))
    got = await client.text_to_video.get("t1")
    assert got.model_extra == {"brand_new": {"x": 1}}


async def test_list_pages_until_a_short_page(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    pages = {
        "1": [task(f"a{i}") for i in range(2)],
        "2": [task(f"b{i}") for i in range(2)],
        "3": [task("c0")],
    }

    def page(request: httpx.Request) -> httpx.Response:
        assert request.url.params["pageSize"] == "2"
        return ok(pages[request.url.params["pageNum"]])

    route = api.get(PATH).mock(side_effect=page)
    ids = [t.task_id async for t in client.text_to_video.list(page_size=2)]
    assert ids == ["a0", "a1", "b0", "b1", "c0"]
    assert route.call_count == 3


async def test_list_limit_stops_fetching(client: AsyncKlingClient, api: respx.MockRouter) -> None:
    route = api.get(PATH).mock(return_value=ok([task(f"t{i}") for i in range(10)]))
    ids = [t.task_id async for t in client.text_to_video.list(page_size=10, limit=3)]
    assert ids == ["t0", "t1", "t2"]
    assert route.call_count == 1


async def test_list_of_an_empty_account_is_empty(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.get(PATH).mock(return_value=ok([]))
    assert [t async for t in client.text_to_video.list()] == []


async def collect(tasks: AsyncIterable[Any], into: list[str]) -> None:
    """Read a listing to its end (or its error), keeping each task's id in ``into``."""
    async for listed in tasks:
        into.append(listed.task_id)


async def test_a_server_answering_the_same_full_page_ends_the_list_with_an_error(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    # A server that ignores pageNum: without a check, the same two tasks page after page.
    route = api.get(PATH).mock(return_value=ok([task("a0"), task("a1")]))
    seen: list[str] = []
    with pytest.raises(KlingError, match="page 2 with only items of earlier pages"):
        await collect(client.text_to_video.list(page_size=2), seen)
    assert seen == ["a0", "a1"]
    assert route.call_count == 2


async def test_a_task_met_on_two_pages_is_listed_once(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    # A task created while listing pushes the previous page's last task onto the next page.
    pages = {"1": ["a0", "a1"], "2": ["a1", "b0"], "3": ["b1"]}
    api.get(PATH).mock(side_effect=lambda r: ok([task(i) for i in pages[r.url.params["pageNum"]]]))
    ids = [t.task_id async for t in client.text_to_video.list(page_size=2)]
    assert ids == ["a0", "a1", "b0", "b1"]


async def test_full_pages_past_the_last_page_kling_serves_end_with_an_error(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    numbers = itertools.count()
    route = api.get(PATH).mock(side_effect=lambda r: ok([task(f"t{next(numbers)}")]))
    seen: list[str] = []
    with pytest.raises(KlingError, match="full pages at page 1000, the last page"):
        await collect(client.text_to_video.list(page_size=1, page_num=999), seen)
    assert seen == ["t0", "t1"]
    assert [c.request.url.params["pageNum"] for c in route.calls] == ["999", "1000"]


async def test_list_rejects_a_page_size_kling_would_refuse(client: AsyncKlingClient) -> None:
    with pytest.raises(InvalidParameterError, match="page_size must be an int from 1 to 500"):
        client.text_to_video.list(page_size=501)


async def test_wait_polls_until_succeed_and_reports_every_state(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    route = api.get(f"{PATH}/t1").mock(
        side_effect=[
            ok(task("t1", "submitted")),
            ok(task("t1", "processing")),
            ok(task("t1", "processing")),
            ok(task("t1", "succeed", videos=[VIDEO])),
        ]
    )
    seen: list[tuple[str, float]] = []
    done = await client.text_to_video.wait(
        "t1",
        poll_interval=1.0,
        on_progress=lambda t, elapsed: seen.append((t.task_status, elapsed)),
    )
    assert done.videos[0].id == "v1"
    assert route.call_count == 4
    assert len(clock.sleeps) == 3
    assert all(0.8 <= delay <= 1.0 for delay in clock.sleeps)  # jittered, never later
    assert [status for status, _ in seen] == ["submitted", "processing", "processing", "succeed"]


async def test_a_long_wait_polls_every_tenth_of_its_age_up_to_the_cap(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    started = clock.now
    polled_at: list[float] = []

    def poll(request: httpx.Request) -> httpx.Response:
        polled_at.append(clock.now - started)
        return ok(task("t1", "processing"))

    api.get(f"{PATH}/t1").mock(side_effect=poll)
    with pytest.raises(WaitTimeoutError):
        await client.text_to_video.wait("t1", timeout=600)
    gaps = [later - earlier for earlier, later in itertools.pairwise(polled_at)]
    for waited, gap in zip(polled_at, gaps, strict=False):
        # A task that finishes is noticed within max(2 s, a tenth of the wait), never later.
        assert gap <= max(2.0, 0.1 * waited) + 1e-6
    assert max(gaps) > 11.0  # it does back off once the task is old...
    assert max(gaps) <= 15.0  # ...up to the cap
    assert 40 <= len(polled_at) <= 80  # neither every 2 s (300 polls) nor every 15 s (40)


def _slow_polls(
    api: respx.MockRouter, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, takes: float
) -> list[float]:
    """Answers that take ``takes`` seconds; returns when each poll asked (filled as it runs)."""
    monkeypatch.setattr(Schedule, "jitter", staticmethod(lambda: 1.0))
    asked_at: list[float] = []
    states = iter(["processing"] * 4 + ["succeed"])

    def poll(request: httpx.Request) -> httpx.Response:
        asked_at.append(clock.now)
        clock.now += takes
        return ok(task("t1", next(states), videos=[VIDEO]))

    api.get(f"{PATH}/t1").mock(side_effect=poll)
    return asked_at


async def test_the_time_a_poll_takes_does_not_delay_the_next(
    client: AsyncKlingClient,
    api: respx.MockRouter,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked_at = _slow_polls(api, clock, monkeypatch, takes=0.3)
    assert (await client.text_to_video.wait("t1")).is_succeeded
    rounds = asked_at[1:]  # the first answer is wait()'s own look at the task
    # Each round's answer is in an interval (2 s) after the previous round asked: a task that
    # finished just after that is noticed within the interval, however long answers take.
    ends = [later + 0.3 - earlier for earlier, later in itertools.pairwise(rounds)]
    assert ends == pytest.approx([2.0] * (len(rounds) - 1))


async def test_a_slow_server_gets_half_an_interval_of_rest_between_polls(
    client: AsyncKlingClient,
    api: respx.MockRouter,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked_at = _slow_polls(api, clock, monkeypatch, takes=1.8)
    assert (await client.text_to_video.wait("t1")).is_succeeded
    rounds = asked_at[1:]
    rests = [later - (earlier + 1.8) for earlier, later in itertools.pairwise(rounds)]
    assert rests == pytest.approx([1.0] * (len(rounds) - 1))


async def test_a_wait_that_starts_late_polls_an_old_task_at_once(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    # The task was created five minutes before anyone waited for it (a web handler that
    # waits for a task submitted earlier): it is polled at once, then every tenth of its age.
    five_minutes_ago = TASK_CREATED_AT - 300_000
    polled_at: list[float] = []
    states = iter(["processing", "succeed"])

    def poll(request: httpx.Request) -> httpx.Response:
        polled_at.append(clock.now)
        return ok(task("t1", next(states), videos=[VIDEO], created_at=five_minutes_ago))

    api.get(f"{PATH}/t1").mock(side_effect=poll)
    started = clock.now
    old = client._task(task("t1", "processing", created_at=five_minutes_ago))
    done = await client.text_to_video.wait(old)
    assert done.is_succeeded
    assert polled_at[0] == started  # no first interval of 2 s
    # Then a tenth of its age (30 s), capped at 15 s; never later.
    assert 0.8 * 15.0 - 2.0 <= polled_at[1] - polled_at[0] <= 15.0


async def test_wait_raises_task_failed_with_kling_s_reason(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    api.get(f"{PATH}/t1").mock(
        return_value=ok(task("t1", "failed", status_msg="Image pixel is invalid"))
    )
    with pytest.raises(TaskFailedError, match="Image pixel is invalid") as info:
        await client.text_to_video.wait("t1")
    assert info.value.task.task_id == "t1"


async def test_wait_gives_up_at_the_deadline_with_the_last_state(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    api.get(f"{PATH}/t1").mock(return_value=ok(task("t1", "processing")))
    with pytest.raises(WaitTimeoutError) as info:
        await client.text_to_video.wait("t1", timeout=30, poll_interval=2)
    assert info.value.task.task_status == "processing"
    assert sum(clock.sleeps) == pytest.approx(30)


async def test_wait_accepts_a_task_object(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    api.post(PATH).mock(return_value=ok(task("t1")))
    api.get(f"{PATH}/t1").mock(return_value=ok(task("t1", "succeed")))
    created = await client.text_to_video.create(prompt="a corgi")
    assert (await client.text_to_video.wait(created)).is_succeeded


async def test_create_and_wait_returns_the_finished_task(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    create = api.post(PATH).mock(return_value=ok(task("t1")))
    api.get(f"{PATH}/t1").mock(
        side_effect=[ok(task("t1", "processing")), ok(task("t1", "succeed", videos=[VIDEO]))]
    )
    done = await client.text_to_video.create_and_wait(prompt="a corgi", timeout=600)
    assert done.videos[0].url == VIDEO["url"]
    assert sent_json(create.calls.last.request)["prompt"] == "a corgi"


async def test_wait_rejects_bad_options_before_polling(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    with pytest.raises(InvalidParameterError, match="poll_interval"):
        await client.text_to_video.wait("t1", poll_interval=0)
    with pytest.raises(InvalidParameterError, match="timeout"):
        await client.text_to_video.wait("t1", timeout=-1)
    assert not api.calls


async def test_a_poll_that_fails_transiently_does_not_end_the_wait(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    outage = [httpx.Response(503)] * 4  # one poll's first try and its three retries
    api.get(f"{PATH}/t1").mock(
        side_effect=[ok(task("t1", "processing")), *outage, ok(task("t1", "succeed"))]
    )
    done = await client.text_to_video.wait("t1", poll_interval=1)
    assert done.is_succeeded


async def test_a_permanent_error_while_polling_ends_the_wait(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    api.get(f"{PATH}/t1").mock(
        side_effect=[ok(task("t1", "processing")), httpx.Response(401, json={"code": 1002})]
    )
    with pytest.raises(AuthenticationError):
        await client.text_to_video.wait("t1")
