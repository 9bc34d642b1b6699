"""Fault injection against a real FakeKling server: what a user sees when Kling misbehaves.

Every test checks the outcome the caller gets *and* the books on the server's side: nothing lost
(every task the caller asked for is accounted for) and nothing duplicated (one task per logical
create, one task per ``external_task_id``). The failures are the ones a production client meets:
429 storms, 5xx on reads and creates, connections dropped mid-body, truncated, HTML and garbage
bodies, slow answers, a token expiring during a wait, and clock skew.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from email.utils import formatdate
from typing import Any

import httpx
import pytest
import respx

from kling import (
    AccountError,
    APIConnectionError,
    APITimeoutError,
    AsyncKlingClient,
    AsyncTask,
    AuthenticationError,
    RateLimitError,
    ServerError,
)
from kling.testing import FakeKlingServer, Timing
from tests._fake_helpers import (
    T2V,
    calls,
    codes,
    external_ids,
    polls,
    serve,
    wait_until,
)
from tests._helpers import decode_jwt, error, ok, task

from .conftest import SECRET_KEY, FakeClock

#: Longer than the client's timeout, short enough to keep the suite fast.
SLOW = 0.6
TIMEOUT = 0.2
FACE = {
    "face_id": "0",
    "audio_id": "a0",
    "sound_start_time": 0,
    "sound_end_time": 3000,
    "sound_insert_time": 0,
}


@pytest.fixture(scope="module")
def shared_server() -> Iterator[FakeKlingServer]:
    with serve(timing=Timing.polls(1, 1)) as running:
        yield running


@pytest.fixture
def server(shared_server: FakeKlingServer) -> Iterator[FakeKlingServer]:
    shared_server.fake.reset()
    yield shared_server
    shared_server.fake.reset()


def connect(server: FakeKlingServer, **options: Any) -> AsyncKlingClient:
    return AsyncKlingClient(server.access_key, server.secret_key, base_url=server.url, **options)


@pytest.fixture
async def fake_client(server: FakeKlingServer, clock: FakeClock) -> AsyncIterator[AsyncKlingClient]:
    async with connect(server) as kling:
        yield kling


def posts(server: FakeKlingServer, path: str = T2V) -> int:
    return len(calls(server.fake, "POST", path))


# -- a create whose answer is lost ----------------------------------------------------------------


@pytest.mark.parametrize("code", [5000, 5001, 5002])
async def test_create_then_500_leaves_exactly_one_task(
    fake_client: AsyncKlingClient, server: FakeKlingServer, clock: FakeClock, code: int
) -> None:
    fault = server.fake.faults.created_then_error("POST", T2V, code=code)
    created = await fake_client.text_to_video.create(prompt="worth paying for once")
    assert fault.hits == 1
    assert list(server.fake.tasks) == [created.task_id]
    # After the 5xx the SDK asked for its own external_task_id instead of sending again.
    assert [(r.method, r.path) for r in server.fake.requests] == [
        ("POST", T2V),
        ("GET", f"{T2V}/{created.external_task_id}"),
    ]
    assert len(clock.sleeps) == 1


async def test_connection_dropped_after_the_create_leaves_exactly_one_task(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    fault = server.fake.faults.disconnect("POST", T2V, process=True)
    created = await fake_client.text_to_video.create(prompt="the answer never arrives")
    assert fault.hits == 1
    assert list(server.fake.tasks) == [created.task_id]
    assert posts(server) == 1


async def test_an_html_502_after_the_create_leaves_exactly_one_task(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    server.fake.faults.gateway_error("POST", T2V, status=502, process=True)
    created = await fake_client.text_to_video.create(prompt="behind a flaky proxy")
    assert list(server.fake.tasks) == [created.task_id]
    assert posts(server) == 1


async def test_a_5xx_before_the_create_resubmits_once_and_makes_one_task(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    server.fake.faults.server_error("POST", T2V)  # refused before anything was stored
    created = await fake_client.text_to_video.create(prompt="second time lucky")
    assert list(server.fake.tasks) == [created.task_id]
    assert [r.method for r in server.fake.requests] == ["POST", "GET", "POST"]


async def test_5xx_on_every_create_gives_up_with_server_error_and_no_task(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    server.fake.faults.server_error("POST", T2V, times=None)
    with pytest.raises(ServerError) as info:
        await fake_client.text_to_video.create(prompt="never accepted")
    assert info.value.code == 500
    assert not server.fake.tasks
    assert posts(server) == fake_client.max_retries + 1


async def test_create_many_through_lost_answers_makes_one_task_per_item(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    server.fake.faults.created_then_error("POST", T2V, times=3)
    server.fake.faults.disconnect("POST", T2V, process=True, times=2)
    results = await fake_client.text_to_video.create_many(
        [{"prompt": f"item {index}"} for index in range(10)], concurrency=4
    )
    tasks = [result for result in results if isinstance(result, AsyncTask)]
    assert len(tasks) == 10
    assert {t.task_id for t in tasks} == set(server.fake.tasks)
    assert max(external_ids(server.fake).values()) == 1
    assert posts(server) == 10  # every lost answer was recovered by lookup, never resent


async def test_a_family_without_external_id_lookup_surfaces_the_5xx_and_never_resubmits(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    path = "/v1/videos/advanced-lip-sync"
    # Kling lip-syncs only a face it identified: a session first (it answers at once).
    faces = await fake_client.identify_face(video_url="https://cdn.example/talk.mp4")
    face = {**FACE, "face_id": faces.face_data[0].face_id}
    server.fake.faults.created_then_error("POST", path)
    with pytest.raises(ServerError):
        await fake_client.advanced_lip_sync.create(session_id=faces.session_id, face_choose=[face])
    assert posts(server, path) == 1
    assert len(server.fake.tasks) == 1
    # The paid task is not lost: it is in the family's list.
    listed = [t.task_id async for t in fake_client.advanced_lip_sync.list()]
    assert listed == list(server.fake.tasks)


async def test_tts_after_a_5xx_is_not_resent(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    server.fake.faults.created_then_error("POST", "/v1/audio/tts")
    with pytest.raises(ServerError):
        await fake_client.tts.create(text="billed once", voice_id="v1", voice_language="en")
    assert posts(server, "/v1/audio/tts") == 1


# -- 429 storms -----------------------------------------------------------------------------------


async def test_a_storm_of_1302_and_1303_on_a_create_is_retried_to_one_task(
    fake_client: AsyncKlingClient, server: FakeKlingServer, clock: FakeClock
) -> None:
    server.fake.faults.rate_limited("POST", T2V, code=1302, retry_after=0.5, times=2)
    server.fake.faults.rate_limited("POST", T2V, code=1303)
    created = await fake_client.text_to_video.create(prompt="patience")
    assert list(server.fake.tasks) == [created.task_id]
    assert posts(server) == 4
    # Retry-After honoured, with jitter on top so that callers told the same do not collide.
    assert all(0.5 <= delay <= 1.0 for delay in clock.sleeps[:2])
    assert codes(server.fake)[1302] == 2
    assert codes(server.fake)[1303] == 1


async def test_a_429_storm_outlasting_the_retries_raises_rate_limit_error_and_creates_nothing(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    server.fake.faults.rate_limited("POST", T2V, code=1303, times=None)
    with pytest.raises(RateLimitError) as info:
        await fake_client.text_to_video.create(prompt="too busy")
    assert (info.value.code, info.value.api_code) == (429, 1303)
    assert not server.fake.tasks
    assert posts(server) == fake_client.max_retries + 1


@pytest.mark.parametrize("code", [1100, 1101, 1102, 1304])
async def test_429_with_an_account_code_stops_at_once_and_creates_nothing(
    fake_client: AsyncKlingClient, server: FakeKlingServer, clock: FakeClock, code: int
) -> None:
    server.fake.faults.account_error("POST", T2V, code=code)
    with pytest.raises(AccountError) as info:
        await fake_client.text_to_video.create(prompt="no credit left")
    assert (info.value.code, info.value.api_code) == (429, code)
    assert info.value.request_id is not None
    assert not server.fake.tasks
    assert posts(server) == 1
    assert clock.sleeps == []


async def test_a_mixed_429_storm_across_create_many_accounts_for_every_item(
    fake_client: AsyncKlingClient, server: FakeKlingServer, clock: FakeClock
) -> None:
    faults = server.fake.faults
    faults.rate_limited("POST", T2V, code=1302, times=4)
    faults.account_error("POST", T2V, code=1102, times=2)
    faults.rate_limited("POST", T2V, code=1303, times=4)
    faults.account_error("POST", T2V, code=1101, times=1)
    prompts = [f"shot {index}" for index in range(12)]
    results = await fake_client.text_to_video.create_many([{"prompt": p} for p in prompts])

    assert len(results) == len(prompts)
    refused = [p for p, r in zip(prompts, results, strict=True) if isinstance(r, AccountError)]
    created = [r for r in results if isinstance(r, AsyncTask)]
    assert len(refused) == 3  # one per account-code answer: never retried, never lost
    assert len(created) == 9
    assert len(refused) + len(created) == len(prompts)
    stored = {t.body["prompt"]: t for t in server.fake.tasks.values()}
    assert sorted(stored) == sorted(set(prompts) - set(refused))
    assert {t.task_id for t in created} == {t.task_id for t in stored.values()}
    assert max(external_ids(server.fake).values()) == 1
    assert clock.sleeps  # the throttled items backed off before trying again


# -- reads: 5xx, bad bodies, resets ---------------------------------------------------------------


async def test_5xx_on_reads_is_retried(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    created = await fake_client.text_to_video.create(prompt="read me")
    server.fake.faults.server_error("GET", T2V + "/", code=5001, times=2)
    got = await fake_client.text_to_video.get(created.task_id)
    assert got.task_id == created.task_id
    assert len(polls(server.fake)) == 3


async def test_an_html_gateway_page_on_a_read_is_retried(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    created = await fake_client.text_to_video.create(prompt="read me")
    server.fake.faults.gateway_error("GET", T2V + "/", status=504)
    got = await fake_client.text_to_video.get(created.task_id)
    assert got.task_id == created.task_id
    assert len(polls(server.fake)) == 2


async def test_an_html_gateway_page_surfaces_with_its_status_and_an_excerpt(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    created = await fake_client.text_to_video.create(prompt="read me")
    server.fake.faults.gateway_error("GET", T2V + "/", status=502)
    with pytest.raises(ServerError) as info:
        await fake_client.with_options(max_retries=0).text_to_video.get(created.task_id)
    assert info.value.code == 502
    assert info.value.api_code is None
    assert "Unexpected non-JSON response body" in info.value.message
    assert "502 Bad Gateway" in info.value.message


async def test_a_truncated_read_is_retried(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    created = await fake_client.text_to_video.create(prompt="cut short")
    server.fake.faults.truncated("GET", T2V + "/")
    got = await fake_client.text_to_video.get(created.task_id)
    assert got.task_id == created.task_id
    assert len(polls(server.fake)) == 2


async def test_garbage_outlasting_the_retries_is_a_server_error_with_an_excerpt(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    created = await fake_client.text_to_video.create(prompt="noise")
    server.fake.faults.garbage("GET", T2V + "/", times=None)
    with pytest.raises(ServerError) as info:
        await fake_client.text_to_video.get(created.task_id)
    assert info.value.code == 200
    assert "Unexpected non-JSON response body" in info.value.message
    assert len(polls(server.fake)) == fake_client.max_retries + 1


async def test_a_truncated_create_answer_finds_the_one_task_by_its_external_id(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    server.fake.faults.truncated("POST", T2V)
    created = await fake_client.text_to_video.create(prompt="half an answer")
    assert posts(server) == 1  # not resent: the lookup found it
    assert list(server.fake.tasks) == [created.task_id]


async def test_a_connection_reset_mid_body_on_a_read_is_retried(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    created = await fake_client.text_to_video.create(prompt="reset")
    server.fake.faults.disconnect("GET", T2V + "/")
    got = await fake_client.text_to_video.get(created.task_id)
    assert got.task_id == created.task_id
    assert len(polls(server.fake)) == 2


async def test_resets_outlasting_the_retries_raise_api_connection_error(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    created = await fake_client.text_to_video.create(prompt="reset")
    server.fake.faults.disconnect("GET", T2V + "/", times=None)
    with pytest.raises(APIConnectionError) as info:
        await fake_client.text_to_video.get(created.task_id)
    assert not isinstance(info.value, APITimeoutError)
    assert "RemoteProtocolError" in str(info.value)
    assert len(polls(server.fake)) == fake_client.max_retries + 1


async def test_a_wait_rides_out_5xx_resets_and_rate_limits_between_polls(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    created = await fake_client.text_to_video.create(prompt="stormy wait")
    faults = server.fake.faults
    faults.server_error("GET", T2V + "/", code=5000)
    faults.disconnect("GET", T2V + "/")
    faults.rate_limited("GET", T2V + "/", code=1302)  # three in a row: max_retries is 3
    done = await fake_client.text_to_video.wait(created)
    assert done.is_succeeded
    assert faults.pending == []
    assert list(server.fake.tasks) == [created.task_id]


# -- slow answers ---------------------------------------------------------------------------------


async def test_a_slow_read_past_the_timeout_raises_api_timeout_error(
    server: FakeKlingServer, clock: FakeClock
) -> None:
    async with connect(server, timeout=TIMEOUT, max_retries=0) as kling:
        created = await kling.text_to_video.create(prompt="slow")
        server.fake.faults.slow("GET", T2V + "/", delay=SLOW)
        started = time.monotonic()
        with pytest.raises(APITimeoutError) as info:
            await kling.text_to_video.get(created.task_id)
    assert time.monotonic() - started < SLOW
    assert info.value.sent


async def test_a_slow_read_is_retried_after_the_timeout(
    server: FakeKlingServer, clock: FakeClock
) -> None:
    async with connect(server, timeout=TIMEOUT) as kling:
        created = await kling.text_to_video.create(prompt="slow")
        server.fake.faults.slow("GET", T2V + "/", delay=SLOW)
        started = time.monotonic()
        got = await kling.text_to_video.get(created.task_id)
    assert time.monotonic() - started < SLOW
    assert got.task_id == created.task_id
    assert len(polls(server.fake)) == 2


async def test_a_slow_create_past_the_timeout_still_makes_one_task(
    server: FakeKlingServer, clock: FakeClock
) -> None:
    async with connect(server, timeout=TIMEOUT) as kling:
        server.fake.faults.slow("POST", T2V, delay=SLOW)
        created = await kling.text_to_video.create(prompt="slow create")
    first = calls(server.fake, "POST", T2V)[0]
    # The first POST is still being handled; once it is, Kling refuses the duplicate id.
    wait_until(lambda: first.status is not None)
    assert (first.status, first.code) == (400, 1201)
    assert list(server.fake.tasks) == [created.task_id]
    assert max(external_ids(server.fake).values()) == 1


# -- auth: expiry and clock skew ------------------------------------------------------------------


async def test_a_token_expiring_mid_wait_is_reminted_and_the_wait_succeeds(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    created = await fake_client.text_to_video.create(prompt="a long render")
    expired = server.fake.fail_next("GET", T2V + "/", code=1004, skip=1)
    done = await fake_client.text_to_video.wait(created)
    assert done.is_succeeded
    assert expired.hits == 1
    answered = [(r.status, r.code) for r in polls(server.fake)]
    assert answered == [(200, 0), (401, 1004), (200, 0), (200, 0)]


async def test_a_token_refused_as_expired_twice_is_an_authentication_error(
    fake_client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    created = await fake_client.text_to_video.create(prompt="a long render")
    server.fake.faults.token_expired("GET", T2V + "/", times=None)
    with pytest.raises(AuthenticationError) as info:
        await fake_client.text_to_video.get(created.task_id)
    assert info.value.api_code == 1004
    assert len(polls(server.fake)) == 2  # one re-mint, no loop


async def test_a_server_clock_behind_ours_surfaces_1003_with_the_clock_hint_after_one_remint(
    clock: FakeClock,
) -> None:
    # The fake's JWT checks run on a clock two minutes behind; its Date header (uvicorn's) is
    # not, so the SDK's Date-based correction cannot help and the caller is told to check.
    with serve(wall_clock=lambda: time.time() - 120) as server:
        async with connect(server) as kling:
            with pytest.raises(AuthenticationError) as info:
                await kling.text_to_video.create(prompt="from the future")
        assert info.value.api_code == 1003
        assert "clock" in str(info.value)
        assert not server.fake.tasks
        assert [r.code for r in server.fake.requests] == [1003, 1003]


async def test_clock_skew_1003_is_corrected_from_the_servers_date_header(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    server_now = time.time() - 120
    minted: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        token = request.headers["Authorization"].removeprefix("Bearer ")
        claims = decode_jwt(token, SECRET_KEY, verify_time=False)
        minted.append(claims)
        if claims["nbf"] > server_now:
            return error(
                401, 1003, "not yet valid", headers={"Date": formatdate(server_now, usegmt=True)}
            )
        return ok(task("t1", "processing"))

    route = api.get(f"{T2V}/t1").mock(side_effect=answer)
    first = await client.text_to_video.get("t1")
    second = await client.text_to_video.get("t1")
    assert first.task_id == second.task_id == "t1"
    assert route.call_count == 3  # one refusal, then every token is minted on the server's clock
    assert minted[1]["nbf"] <= server_now
    assert minted[2]["nbf"] <= server_now
