"""OpenTelemetry spans (``kling._otel``), recorded with the SDK's in-memory exporter.

Requests and their retries go over respx; tasks are made and waited for on a FakeKling server
over loopback, with the fake clock so that waits never sleep. The provider is the global one
(set once per process by ``tests._otel_helpers``), as an application would set it.
"""

from __future__ import annotations

import pickle
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind, StatusCode

from kling import (
    APIConnectionError,
    AsyncKlingClient,
    TaskFailedError,
    TaskNotFoundError,
    _tracing,
)
from kling.testing import FakeKlingServer, Timing
from tests._fake_helpers import serve
from tests._helpers import error, ok, task
from tests._otel_helpers import Recorded, recording

from .conftest import ACCESS_KEY, SECRET_KEY, FakeClock

GET = "/v1/videos/text2video/t1"
PROMPT = "a corgi surfing at sunset"
CDN = "https://cdn.kling.test"
VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40

user_tracer = trace.get_tracer("the application")


@pytest.fixture
def spans() -> Iterator[Recorded]:
    with recording() as recorded:
        yield recorded


@pytest.fixture(scope="module")
def shared_server() -> Iterator[FakeKlingServer]:
    with serve(timing=Timing.polls(1, 1)) as running:
        yield running


@pytest.fixture
def server(shared_server: FakeKlingServer) -> Iterator[FakeKlingServer]:
    shared_server.fake.reset()
    yield shared_server
    shared_server.fake.reset()


@pytest.fixture
async def fake_client(server: FakeKlingServer, clock: FakeClock) -> AsyncIterator[AsyncKlingClient]:
    async with AsyncKlingClient(
        server.access_key, server.secret_key, server.url, api_key=server.api_key
    ) as kling:
        yield kling


def attributes_of(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


# -- requests and logical calls -------------------------------------------------------------------


async def test_a_call_is_an_internal_span_over_one_client_span_per_request(
    client: AsyncKlingClient, api: respx.MockRouter, spans: Recorded
) -> None:
    api.get(GET).mock(return_value=ok(task("t1"), request_id="req-42"))
    with user_tracer.start_as_current_span("handler") as handler:
        await client.text_to_video.get("t1")
    [request] = spans.named("GET /v1/videos/text2video/{task_id}")
    [call] = spans.named("kling GET /v1/videos/text2video/{task_id}")
    assert request.kind == SpanKind.CLIENT
    assert attributes_of(request) == {
        "http.request.method": "GET",
        "server.address": "api-singapore.klingai.com",
        "server.port": 443,
        "url.template": "/v1/videos/text2video/{task_id}",
        "url.full": "https://api-singapore.klingai.com/v1/videos/text2video/t1",
        "http.response.status_code": 200,
        "kling.request_id": "req-42",
        "kling.code": 0,
    }
    assert request.status.status_code == StatusCode.UNSET
    assert call.kind == SpanKind.INTERNAL
    assert spans.parent_of(request) is call
    assert call.parent is not None
    assert call.parent.span_id == handler.get_span_context().span_id


async def test_retries_are_client_spans_of_their_own_under_one_call(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock, spans: Recorded
) -> None:
    api.get(GET).mock(
        side_effect=[error(429, 1302, "too many requests", request_id="req-1"), ok(task("t1"))]
    )
    await client.text_to_video.get("t1")
    first, second = spans.named("GET /v1/videos/text2video/{task_id}")
    [call] = spans.named("kling GET /v1/videos/text2video/{task_id}")
    assert spans.parent_of(first) is call
    assert spans.parent_of(second) is call
    assert attributes_of(first)["http.response.status_code"] == 429
    assert attributes_of(first)["kling.code"] == 1302
    assert attributes_of(first)["kling.request_id"] == "req-1"
    assert attributes_of(first)["error.type"] == "kling.RateLimitError"
    assert "http.request.resend_count" not in attributes_of(first)
    assert first.status.status_code == StatusCode.ERROR
    assert [event.name for event in first.events] == ["exception"]
    assert attributes_of(second)["http.request.resend_count"] == 1
    assert second.status.status_code == StatusCode.UNSET
    assert call.status.status_code == StatusCode.UNSET  # the call succeeded in the end


async def test_a_failed_call_records_its_error_on_both_spans(
    client: AsyncKlingClient, api: respx.MockRouter, spans: Recorded
) -> None:
    api.get(GET).mock(return_value=error(400, 1201, "task not found"))
    with pytest.raises(TaskNotFoundError):
        await client.text_to_video.get("t1")
    [request] = spans.named("GET /v1/videos/text2video/{task_id}")
    [call] = spans.named("kling GET /v1/videos/text2video/{task_id}")
    for span in (request, call):
        assert span.status.status_code == StatusCode.ERROR
        assert attributes_of(span)["error.type"] == "kling.TaskNotFoundError"
        [event] = span.events
        assert event.name == "exception"
        assert dict(event.attributes or {})["exception.type"] == "kling._errors.TaskNotFoundError"
    assert attributes_of(request)["http.response.status_code"] == 400


async def test_a_request_that_never_got_an_answer_says_why(
    api: respx.MockRouter, spans: Recorded
) -> None:
    api.get(GET).mock(side_effect=httpx.ConnectError("connection refused"))
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY, max_retries=0) as client:
        with pytest.raises(APIConnectionError):
            await client.text_to_video.get("t1")
    [request] = spans.named("GET /v1/videos/text2video/{task_id}")
    assert attributes_of(request)["error.type"] == "kling.APIConnectionError"
    assert attributes_of(request)["url.full"].endswith("/v1/videos/text2video/t1")
    assert "http.response.status_code" not in attributes_of(request)


async def test_no_credential_reaches_a_span(
    client: AsyncKlingClient, api: respx.MockRouter, spans: Recorded
) -> None:
    api.get(GET).mock(return_value=ok(task("t1")))
    await client.text_to_video.get("t1")
    recorded = spans.everything()
    assert SECRET_KEY not in recorded
    assert ACCESS_KEY not in recorded
    assert "Bearer" not in recorded


async def test_a_call_s_extra_query_shows_in_url_full_without_its_secrets(
    client: AsyncKlingClient, api: respx.MockRouter, spans: Recorded
) -> None:
    route = api.get(GET).mock(return_value=ok(task("t1")))
    await client.text_to_video.get("t1", extra_query={"trace": "on", "access_token": "t0k3n"})
    assert route.calls.last.request.url.params["access_token"] == "t0k3n"  # sent as given
    [request] = spans.named("GET /v1/videos/text2video/{task_id}")
    assert attributes_of(request)["url.full"] == (
        "https://api-singapore.klingai.com/v1/videos/text2video/t1?trace=on&access_token=REDACTED"
    )
    assert "t0k3n" not in spans.everything()


async def test_a_download_is_a_client_span_without_query_values(
    client: AsyncKlingClient, spans: Recorded, tmp_path: Path
) -> None:
    with respx.mock(base_url=CDN) as cdn:
        cdn.get("/out/video.mp4").mock(return_value=httpx.Response(200, content=VIDEO))
        await client.download(f"{CDN}/out/video.mp4?sig=s3cr3t&expires=1", tmp_path)
    [download] = spans.named("GET")
    assert download.kind == SpanKind.CLIENT
    assert attributes_of(download) == {
        "http.request.method": "GET",
        "server.address": "cdn.kling.test",
        "server.port": 443,
        "url.full": f"{CDN}/out/video.mp4?sig=REDACTED&expires=REDACTED",
        "http.response.status_code": 200,
    }


# -- tasks ------------------------------------------------------------------------------------


async def test_create_and_wait_is_one_span_with_the_task_and_what_it_cost(
    fake_client: AsyncKlingClient, spans: Recorded
) -> None:
    done = await fake_client.text_to_video.create_and_wait(
        prompt=PROMPT, model_name="kling-v2-1-master"
    )
    [span] = spans.named("kling.task.create_and_wait")
    assert attributes_of(span) == {
        "kling.family": "text_to_video",
        "kling.model": "kling-v2-1-master",
        "kling.task.id": done.task_id,
        "kling.task.external_id": done.external_task_id,
        "kling.task.status": "succeed",
        "kling.task.units_charged": done.units_charged,
    }
    assert done.units_charged is not None
    [create] = spans.named("kling POST /v1/videos/text2video")
    assert spans.parent_of(create) is span
    # The polls are not the caller's: each round is a root of its own, linked to the task.
    rounds = spans.named("kling.poll")
    assert rounds
    for poll in rounds:
        assert poll.parent is None
        assert [link.context.span_id for link in poll.links] == [span.context.span_id]
    for request in spans.named("GET /v1/videos/text2video/{task_id}"):
        assert spans.parent_of(request) in rounds
    assert not spans.named("kling.task")


async def test_create_and_wait_of_a_product_names_the_product_and_model(
    fake_client: AsyncKlingClient, spans: Recorded
) -> None:
    done = await fake_client.v2.text_to_video.create_and_wait(
        model="kling-3.0", prompt=PROMPT, duration=5
    )
    [span] = spans.named("kling.task.create_and_wait")
    assert attributes_of(span)["kling.product"] == "text_to_video"
    assert attributes_of(span)["kling.model"] == "kling-3.0"
    assert attributes_of(span)["kling.task.status"] == "succeeded"
    assert attributes_of(span)["kling.task.units_charged"] == done.units_charged
    assert spans.named("POST /text-to-video/{model}")


async def test_a_task_created_then_waited_for_is_a_span_from_create_to_finish(
    fake_client: AsyncKlingClient, spans: Recorded
) -> None:
    with user_tracer.start_as_current_span("handler") as handler:
        created = await fake_client.v2.text_to_video.create(
            model="kling-3.0", prompt=PROMPT, duration=5
        )
    assert not spans.named("kling.task")  # nothing held open, nothing emitted yet
    done = await fake_client.v2.tasks.wait(created)
    [span] = spans.named("kling.task")
    [create] = spans.named("kling POST /text-to-video/{model}")
    assert attributes_of(span) == {
        "kling.product": "text_to_video",
        "kling.model": "kling-3.0",
        "kling.task.id": done.task_id,
        "kling.task.external_id": done.external_task_id,
        "kling.task.status": "succeeded",
        "kling.task.units_charged": done.units_charged,
    }
    assert span.start_time == create.start_time
    assert span.parent is not None
    assert span.parent.span_id == handler.get_span_context().span_id
    assert [link.context.span_id for link in span.links] == [create.context.span_id]
    assert span.status.status_code == StatusCode.UNSET
    await fake_client.v2.tasks.wait(created)  # seen finished again: no second span
    assert len(spans.named("kling.task")) == 1


async def test_a_pickled_task_travels_without_its_span_record(
    fake_client: AsyncKlingClient, spans: Recorded
) -> None:
    created = await fake_client.text_to_video.create(prompt=PROMPT)
    assert created._trace is not None
    copy = pickle.loads(pickle.dumps(created))
    assert copy._trace is None
    assert copy.task_id == created.task_id


async def test_a_legacy_task_that_fails_is_an_error_span(
    fake_client: AsyncKlingClient, spans: Recorded
) -> None:
    created = await fake_client.text_to_video.create(prompt="FAIL " + PROMPT)
    with pytest.raises(TaskFailedError):
        await fake_client.text_to_video.wait(created)
    [span] = spans.named("kling.task")
    assert attributes_of(span)["kling.family"] == "text_to_video"
    assert attributes_of(span)["kling.task.status"] == "failed"
    assert attributes_of(span)["error.type"] == "kling.TaskFailedError"
    assert span.status.status_code == StatusCode.ERROR


async def test_create_and_wait_records_a_failed_task(
    fake_client: AsyncKlingClient, spans: Recorded
) -> None:
    with pytest.raises(TaskFailedError):
        await fake_client.text_to_video.create_and_wait(prompt="FAIL " + PROMPT)
    [span] = spans.named("kling.task.create_and_wait")
    assert attributes_of(span)["kling.task.status"] == "failed"
    assert attributes_of(span)["error.type"] == "kling.TaskFailedError"
    assert span.status.status_code == StatusCode.ERROR


async def test_prompts_stay_out_of_spans_unless_asked_for(
    fake_client: AsyncKlingClient, spans: Recorded, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = await fake_client.text_to_video.create(prompt=PROMPT)
    await fake_client.text_to_video.wait(created)
    assert PROMPT not in spans.everything()
    tracing = _tracing.active()
    assert tracing is not None
    monkeypatch.setattr(tracing.tracing, "capture_prompts", True)
    spans.clear()
    created = await fake_client.v2.image_to_video.create(
        model="kling-2.5-turbo", first_frame="https://cdn.example/in.png", prompt=PROMPT
    )
    await fake_client.v2.tasks.wait(created)
    [span] = spans.named("kling.task")
    assert attributes_of(span)["kling.prompt"] == PROMPT
