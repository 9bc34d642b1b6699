"""Budgets that hold: ``AsyncKlingClient(budget=...)`` refuses, before sending, a create that
would pass it; gives back what a failed create did not cost; and never overshoots, however many
creates run at once.

The creates here are priced from Kling's pricing page
(https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-video.md): Kling 2.6
without native audio at 720p is 0.3 units a second, so a 5 s ``kling-v2-6`` ``std`` video is
1.5 video units.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal

import httpx
import pytest
import respx

from kling import (
    AsyncKlingClient,
    BadRequestError,
    Budget,
    BudgetExceededError,
    KlingError,
    TaskFailedError,
)
from kling.testing import FakeKlingServer, Timing
from tests._fake_helpers import T2V, serve
from tests._helpers import ok, task

from .conftest import ACCESS_KEY, SECRET_KEY, FakeClock

#: 1.5 video units: 5 s of Kling 2.6 at 720p (std), no native audio.
VIDEO = {"model_name": "kling-v2-6", "mode": "std", "duration": "5"}
UNITS = Decimal("1.5")


@pytest.fixture(scope="module")
def shared_server() -> Iterator[FakeKlingServer]:
    with serve(timing=Timing.polls(1, 1)) as running:
        yield running


@pytest.fixture
def server(shared_server: FakeKlingServer) -> Iterator[FakeKlingServer]:
    shared_server.fake.reset()
    yield shared_server
    shared_server.fake.reset()


def _client(server: FakeKlingServer, budget: object) -> AsyncKlingClient:
    return AsyncKlingClient(
        server.access_key,
        server.secret_key,
        server.url,
        api_key=server.api_key,
        budget=budget,  # type: ignore[arg-type]
    )


@pytest.fixture
async def fake_client(server: FakeKlingServer, clock: FakeClock) -> AsyncIterator[AsyncKlingClient]:
    async with _client(server, Budget(video=UNITS)) as kling:
        yield kling


def _posts(server: FakeKlingServer) -> list[str]:
    return [request.path for request in server.fake.requests if request.method == "POST"]


async def test_a_create_over_the_budget_is_refused_before_anything_is_sent(
    server: FakeKlingServer, clock: FakeClock
) -> None:
    async with _client(server, Budget(video=1)) as client:
        with pytest.raises(BudgetExceededError) as info:
            await client.text_to_video.create(prompt="a fox", **VIDEO)  # type: ignore[arg-type]
    assert server.fake.requests == []
    assert str(info.value) == (
        "the create /v1/videos/text2video refused before sending: it costs 1.5 video units "
        "($0.21), and this client's budget has 1 video units left; nothing was sent"
    )
    assert info.value.quote.units == UNITS
    assert info.value.left == {"video": Decimal(1)}


async def test_creates_spend_the_budget_until_the_next_one_would_pass_it(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    await fake_client.text_to_video.create(prompt="a fox", **VIDEO)  # type: ignore[arg-type]
    assert fake_client.budget is not None
    assert fake_client.budget.left == {"video": Decimal(0)}
    with pytest.raises(BudgetExceededError, match="has 0 video units left"):
        await fake_client.text_to_video.create(prompt="a hen", **VIDEO)  # type: ignore[arg-type]
    assert _posts(server) == [T2V]


async def test_a_total_limit_counts_every_package(
    server: FakeKlingServer, clock: FakeClock
) -> None:
    async with _client(server, 9) as client:  # a number: units of all packages together
        await client.images.create(prompt="a fox", model_name="kling-v3")  # 8 image units
        with pytest.raises(BudgetExceededError, match="has 1 units in total left"):
            await client.text_to_video.create(prompt="a fox", **VIDEO)  # type: ignore[arg-type]
    assert _posts(server) == ["/v1/images/generations"]


async def test_an_unpriced_create_is_refused_unless_the_budget_allows_it(
    server: FakeKlingServer, clock: FakeClock
) -> None:
    # Text to video defaults to kling-v1, which Kling's pricing pages do not price.
    async with _client(server, {"video": 100}) as client:
        with pytest.raises(BudgetExceededError) as info:
            await client.text_to_video.create(prompt="a fox")
    assert server.fake.requests == []
    assert "kling-v1: Kling's pricing pages give no price for it" in str(info.value)
    assert "allow_unpriced allows them" in str(info.value)
    assert info.value.quote.priced is False

    async with _client(server, Budget(video=100, allow_unpriced=True)) as client:
        await client.text_to_video.create(prompt="a fox")
    assert _posts(server) == [T2V]


async def test_a_create_kling_refuses_gives_its_units_back(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    server.fake.fail_next("POST", T2V, status=400, code=1201, message="bad prompt")
    with pytest.raises(BadRequestError):
        await fake_client.text_to_video.create(prompt="a fox", **VIDEO)  # type: ignore[arg-type]
    assert fake_client.budget is not None
    assert fake_client.budget.left == {"video": UNITS}
    await fake_client.text_to_video.create(prompt="a fox", **VIDEO)  # type: ignore[arg-type]
    assert len(server.fake.tasks) == 1


async def test_a_task_that_fails_uncharged_gives_its_units_back(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    created = await fake_client.text_to_video.create(prompt="FAIL", **VIDEO)  # type: ignore[arg-type]
    assert fake_client.budget is not None
    assert fake_client.budget.left == {"video": Decimal(0)}
    with pytest.raises(TaskFailedError) as info:
        await fake_client.text_to_video.wait(created)
    assert info.value.task.final_unit_deduction == "0"
    assert fake_client.budget.left == {"video": UNITS}
    await fake_client.text_to_video.create(prompt="a fox", **VIDEO)  # type: ignore[arg-type]
    assert len(server.fake.tasks) == 2


async def test_a_finished_task_counts_what_kling_charged(
    server: FakeKlingServer, clock: FakeClock
) -> None:
    async with _client(server, Budget(video=20)) as client:
        done = await client.v2.text_to_video.create_and_wait(
            model="kling-3.0", prompt="a fox", resolution="1080p", duration=10, audio="native"
        )
        assert client.budget is not None
        assert done.units_charged is not None
        assert client.budget.used == {"video": Decimal(str(done.units_charged))}


async def test_copies_made_with_with_options_share_the_budget(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    copy = fake_client.with_options(max_retries=0)
    assert copy.budget is fake_client.budget
    await copy.text_to_video.create(prompt="a fox", **VIDEO)  # type: ignore[arg-type]
    with pytest.raises(BudgetExceededError):
        await fake_client.text_to_video.create(prompt="a hen", **VIDEO)  # type: ignore[arg-type]
    assert _posts(server) == [T2V]


async def test_a_bad_budget_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown key 'videos'"):
        AsyncKlingClient(ACCESS_KEY, SECRET_KEY, budget={"videos": 10})
    with pytest.raises(ValueError, match="budget video: a number of units of 0 or more"):
        Budget(video=-1)


# -- concurrency ---------------------------------------------------------------------------


async def test_a_thousand_concurrent_creates_send_exactly_what_the_budget_pays_for(
    clock: FakeClock,
) -> None:
    fits = 137
    ids = itertools.count()
    with respx.mock(base_url="https://api-singapore.klingai.com") as api:
        route = api.post("/v1/videos/text2video").mock(
            side_effect=lambda request: ok(task(f"task-{next(ids)}"))
        )
        async with AsyncKlingClient(
            ACCESS_KEY, SECRET_KEY, budget=Budget(video=UNITS * fits)
        ) as client:
            items = [{"prompt": f"fox {i}", **VIDEO} for i in range(1000)]
            results = await client.text_to_video.create_many(items, concurrency=1000)  # type: ignore[arg-type]
            assert client.budget is not None
            assert client.budget.left == {"video": Decimal(0)}
    made = [result for result in results if not isinstance(result, KlingError)]
    refused = [result for result in results if isinstance(result, BudgetExceededError)]
    assert route.call_count == fits
    assert len(made) == fits
    assert len(refused) == 1000 - fits
    assert len({request.content for request, _ in route.calls}) == fits


async def test_a_refused_create_in_flight_makes_room_for_another(clock: FakeClock) -> None:
    answers = iter([httpx.Response(400, json={"code": 1201, "message": "no"})])

    def answer(request: httpx.Request) -> httpx.Response:
        return next(answers, None) or ok(task("867283741759111202"))

    with respx.mock(base_url="https://api-singapore.klingai.com") as api:
        route = api.post("/v1/videos/text2video").mock(side_effect=answer)
        async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY, budget=Budget(video=UNITS)) as client:
            items = [{"prompt": f"fox {i}", **VIDEO} for i in range(2)]
            first, second = await client.text_to_video.create_many(items, concurrency=1)  # type: ignore[arg-type]
    assert isinstance(first, BadRequestError)
    assert not isinstance(second, KlingError)
    assert route.call_count == 2


async def test_synchronous_endpoints_spend_from_the_budget_too(
    server: FakeKlingServer, clock: FakeClock
) -> None:
    # Text to speech is 0.05 video units a call on the pricing page.
    async with _client(server, Budget(video="0.08")) as client:
        await client.tts.create(text="hello", voice_id="oversea_male1", voice_language="en")
        with pytest.raises(BudgetExceededError, match=r"has 0\.03 video units left"):
            await client.tts.create(text="again", voice_id="oversea_male1", voice_language="en")
        assert client.budget is not None
        assert client.budget.used == {"video": Decimal("0.05")}
    assert _posts(server) == ["/v1/audio/tts"]
