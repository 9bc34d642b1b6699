"""What a caller sees when Kling cannot be reached, and when a task does not exist."""

from __future__ import annotations

import httpx
import pytest
import respx

from kling import (
    APIConnectionError,
    AsyncKlingClient,
    BadRequestError,
    NotFoundError,
    ServerUnreachableError,
    TaskNotFoundError,
    WaitTimeoutError,
)
from tests._helpers import TASK_CREATED_AT, error, ok, task

from .conftest import FakeClock

PATH = "/v1/videos/text2video"


def refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("[Errno 111] Connection refused", request=request)


async def test_a_wait_gives_up_when_kling_stays_unreachable_and_says_when_it_last_answered(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    answers = iter([ok(task("t1", "processing"))])

    def poll(request: httpx.Request) -> httpx.Response:
        return next(answers, None) or refused(request)

    api.get(f"{PATH}/t1").mock(side_effect=poll)
    started = clock.now
    with pytest.raises(ServerUnreachableError) as info:
        await client.text_to_video.wait(client._task(task("t1")), unreachable_timeout=20)
    error = info.value
    assert error.host == "https://api-singapore.klingai.com"
    assert error.task.task_status == "processing"  # the last state seen
    assert "https://api-singapore.klingai.com was unreachable for" in str(error)
    assert "last seen processing" in str(error)
    assert isinstance(error, APIConnectionError)
    # It gave up once 20 s had passed without an answer, long before the 900 s deadline.
    assert 20 <= clock.now - started <= 60


async def test_without_an_unreachable_timeout_a_wait_lasts_until_its_deadline(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    api.get(f"{PATH}/t1").mock(side_effect=refused)
    with pytest.raises(WaitTimeoutError):
        await client.text_to_video.wait(
            client._task(task("t1")), timeout=120, unreachable_timeout=None
        )


async def test_wait_all_gives_up_on_an_unreachable_server_too(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    api.get(PATH).mock(side_effect=refused)
    api.get(url__regex=rf"{PATH}/t\d$").mock(side_effect=refused)
    tasks = [client._task(task(f"t{i}")) for i in range(5)]
    with pytest.raises(ServerUnreachableError):
        await client.text_to_video.wait_all(tasks, unreachable_timeout=10)


async def test_a_bad_unreachable_timeout_is_refused_before_polling(
    client: AsyncKlingClient,
) -> None:
    with pytest.raises(ValueError, match="unreachable_timeout must be a positive number"):
        await client.text_to_video.wait(client._task(task("t1")), unreachable_timeout=0)


async def test_a_connection_error_after_retries_names_the_host_and_the_attempts(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock
) -> None:
    api.get(f"{PATH}/t1").mock(side_effect=refused)
    with pytest.raises(APIConnectionError) as info:
        await client.text_to_video.get("t1")
    message = str(info.value)
    assert "https://api-singapore.klingai.com" in message
    assert f"gave up after {client.max_retries + 1} attempts" in message
    assert info.value.attempts == client.max_retries + 1


async def test_a_task_kling_does_not_know_is_a_not_found_error_and_a_bad_request(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.get(f"{PATH}/404404").mock(return_value=error(400, 1201, "task not found"))
    with pytest.raises(NotFoundError) as info:
        await client.text_to_video.get("404404")
    assert isinstance(info.value, TaskNotFoundError)
    assert isinstance(info.value, BadRequestError)  # code 1201 stays a bad request too
    assert info.value.api_code == 1201


async def test_tts_times_are_datetimes_like_a_tasks(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.post("/v1/audio/tts").mock(
        return_value=ok({"task_id": "t1", "task_status": "succeed", "created_at": TASK_CREATED_AT})
    )
    speech = await client.tts.create(text="hi", voice_id="v", voice_language="en")
    assert speech.created_at is not None
    assert speech.created_at.timestamp() == TASK_CREATED_AT / 1000
