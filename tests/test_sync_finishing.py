"""The sync client's create_as_completed waits while it creates, in threads.

The async twin's test is in test_async_only: this one holds a create in its thread instead.
"""

from __future__ import annotations

import json
import threading

import httpx
import respx

from kling import KlingClient
from tests._helpers import ok, task

BASE_URL = "https://api-singapore.klingai.com"
PATH = "/v1/videos/text2video"


def test_a_task_comes_out_while_later_ones_are_still_being_created() -> None:
    # The second create is held until the first task has come out; without waiting while
    # creating it would be held for the full ten seconds, and its assertion would fail.
    first_out = threading.Event()
    prompts: list[str] = []

    def create(request: httpx.Request) -> httpx.Response:
        prompts.append(json.loads(request.content)["prompt"])
        if len(prompts) > 1:
            assert first_out.wait(10), "no task came out while creating"
        return ok(task(f"t{len(prompts) - 1}"))

    items = [{"prompt": "a"}, {"prompt": "b"}, {"prompt": "c"}]
    seen: list[tuple[str, int]] = []
    with respx.mock(base_url=BASE_URL) as api, KlingClient("ak-test", "sk-test") as client:
        api.post(PATH).mock(side_effect=create)
        api.get(url__regex=rf"{PATH}/t\d+$").mock(
            side_effect=lambda r: ok(task(r.url.path.rsplit("/", 1)[1], "succeed"))
        )
        block = client.text_to_video.create_as_completed(items, concurrency=1, poll_interval=0.01)
        with block as finished:
            for result in finished:
                seen.append((result.task_id, len(prompts)))  # type: ignore[union-attr]
                first_out.set()
    assert seen[0] == ("t0", 2)  # out while the second create was still in flight
    assert sorted(task_id for task_id, _ in seen) == ["t0", "t1", "t2"]
