"""The sync client calls callbacks as plain functions, and says so when handed a coroutine one.

Only the sync twin has this case: the async client awaits what a callback returns.
"""

from __future__ import annotations

from typing import Any

import pytest
import respx

from kling import BatchError, KlingClient
from tests._helpers import ok, task

BASE_URL = "https://api-singapore.klingai.com"
PATH = "/v1/videos/text2video"


async def progress(*args: Any) -> None:
    """A coroutine function: fine for AsyncKlingClient, a mistake with KlingClient."""


def test_a_coroutine_progress_callback_on_wait_is_a_clear_type_error() -> None:
    with respx.mock(base_url=BASE_URL) as api, KlingClient("ak-test", "sk-test") as client:
        api.get(f"{PATH}/t1").mock(return_value=ok(task("t1", "succeed")))
        with pytest.raises(TypeError, match="returned a coroutine") as info:
            client.text_to_video.wait("t1", on_progress=progress)
    assert "AsyncKlingClient" in str(info.value)  # says what to use instead


def test_a_coroutine_progress_callback_on_create_many_stops_the_batch_and_keeps_its_task() -> None:
    with respx.mock(base_url=BASE_URL) as api, KlingClient("ak-test", "sk-test") as client:
        route = api.post(PATH).mock(return_value=ok(task("t1")))
        with pytest.raises(BatchError) as info:
            client.text_to_video.create_many(
                [{"prompt": "a"}, {"prompt": "b"}], concurrency=1, on_progress=progress
            )
    assert route.call_count == 1
    assert [t.task_id for t in info.value.tasks] == ["t1"]
    assert isinstance(info.value.__cause__, TypeError)
    assert "returned a coroutine" in str(info.value.__cause__)
