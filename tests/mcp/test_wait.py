"""wait_task: progress while the task runs, the finished task, and a bounded wait."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import httpx
import pytest

from kling import AsyncKlingClient
from kling._eta import cache_path
from kling.testing import FakeKling, Timing
from tests._async.test_v2 import record
from tests._helpers import ok

from .conftest import FAKE_URL, Clock, Mcp, ProgressLog, kling_client, mcp_session


def fresh_history(fake: FakeKling, durations: list[float]) -> None:
    """The account's history cache, just read: text-to-video tasks that took ``durations``.

    Fresh, so a wait reads no list (which the fake would count as a poll of the task).
    """
    path = cache_path(fake.access_key, FAKE_URL)
    assert path is not None
    now = time.time()
    samples = {f"old{n}": [["text_to_video"], s, now - 60] for n, s in enumerate(durations)}
    data = {"version": 1, "samples": samples, "kinds": {}, "fetched": {"text_to_video": now}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


async def test_wait_reports_progress_and_returns_the_finished_task(
    mcp: Mcp, fake: FakeKling
) -> None:
    fresh_history(fake, [])
    created = await mcp.ok(
        "create_text_to_video", {"prompt": "a fox in the snow", "model_name": "kling-v2-5-turbo"}
    )
    seen: ProgressLog = []

    async def progress(value: float, total: float | None, message: str | None) -> None:
        seen.append((value, total, message))

    answer = await mcp.call(
        "wait_task", {"family": "text_to_video", "task_id": created["task_id"]}, progress
    )
    done = answer.data
    assert not answer.is_error
    assert done["status"] == "succeed"
    assert done["finished"] is True
    [url] = done["result_urls"]
    assert url.startswith(f"{FAKE_URL}/files/{created['task_id']}")
    assert done["units_charged"] == 1.5  # 5 s at 720p (std) of Kling 2.5 Turbo, 0.3 units/s
    assert "download_results" in done["next"]
    statuses = [message.split()[2] for _, _, message in seen if message]
    assert statuses == ["submitted", "processing", "succeed"]
    values = [value for value, _, _ in seen]
    assert values == sorted(set(values))  # always increasing, as the protocol asks
    assert all(total is None for _, total, _ in seen)  # how long a task takes is unknown
    assert seen[0][2] is not None
    assert seen[0][2].endswith("; no history yet for this kind")


async def test_wait_progress_says_how_long_is_left_from_the_accounts_history(
    mcp: Mcp, fake: FakeKling, clock: Clock
) -> None:
    fresh_history(fake, [100, 100, 100, 100, 100])
    created = await mcp.ok("create_text_to_video", {"prompt": "a fox in the snow"})
    seen: ProgressLog = []

    async def progress(value: float, total: float | None, message: str | None) -> None:
        seen.append((value, total, message))

    await mcp.call(
        "wait_task", {"family": "text_to_video", "task_id": created["task_id"]}, progress
    )

    (value, total, message), *_ = seen
    assert message is not None
    assert " submitted after 0 s; about 1 min 40 s left (from 5 text_to_video tasks)" in message
    assert total is not None
    assert total == pytest.approx(value + 100, abs=1)
    assert seen[-1][1] is None  # finished: nothing is left to estimate


async def test_a_wait_by_external_id_finds_the_task(mcp: Mcp) -> None:
    await mcp.ok("create_text_to_video", {"prompt": "x", "external_task_id": "mine-1"})
    done = await mcp.ok("wait_task", {"family": "text_to_video", "external_task_id": "mine-1"})
    assert done["status"] == "succeed"
    assert done["external_task_id"] == "mine-1"


async def test_a_v2_task_is_waited_for_through_the_v2_family(mcp: Mcp) -> None:
    created = await mcp.ok("create_v2_text_to_video", {"model": "kling-3.0", "prompt": "x"})
    done = await mcp.ok("wait_task", {"family": "v2", "task_id": created["task_id"]})
    assert done["status"] == "succeeded"
    assert done["result_urls"]


async def test_a_task_still_running_at_the_timeout_is_reported_not_failed(
    fake: FakeKling, root: Path, clock: Clock
) -> None:
    fake.timing = Timing.polls(1000, 1)
    async with kling_client(fake) as client, mcp_session(client, root) as mcp:
        created = await mcp.ok("create_text_to_video", {"prompt": "a slow one"})
        answer = await mcp.call(
            "wait_task", {"family": "text_to_video", "task_id": created["task_id"], "timeout": 30}
        )
    assert not answer.is_error
    assert answer.data["finished"] is False
    assert answer.data["status"] == "submitted"
    assert "after 30 s: call wait_task again" in answer.data["next"]
    assert sum(clock.sleeps) <= 30


async def test_a_failed_task_is_a_result_with_kling_s_reason(mcp: Mcp) -> None:
    created = await mcp.ok("create_text_to_video", {"prompt": "this one will FAIL"})
    answer = await mcp.call("wait_task", {"family": "text_to_video", "task_id": created["task_id"]})
    assert not answer.is_error
    assert answer.data["status"] == "failed"
    assert answer.data["status_message"]
    assert "create again" in answer.data["next"]


async def test_a_timeout_beyond_the_limit_is_refused(mcp: Mcp, fake: FakeKling) -> None:
    answer = await mcp.call(
        "wait_task", {"family": "text_to_video", "task_id": "1", "timeout": 86400}
    )
    assert answer.error["field"] == "timeout"
    assert "1800" in answer.error["message"]
    assert fake.requests == []


async def test_get_task_answers_the_current_state_without_waiting(mcp: Mcp) -> None:
    created = await mcp.ok("create_text_to_video", {"prompt": "x"})
    got = await mcp.ok("get_task", {"family": "text_to_video", "task_id": created["task_id"]})
    assert got["task_id"] == created["task_id"]
    assert got["status"] == "submitted"


async def test_a_lookup_needs_one_id_and_a_known_family(mcp: Mcp, fake: FakeKling) -> None:
    both = await mcp.call("get_task", {"family": "v2", "task_id": "1", "external_task_id": "2"})
    assert "exactly one" in both.error["message"]
    family = await mcp.call("get_task", {"family": "video", "task_id": "1"})
    assert family.error["field"] == "family"
    assert "text_to_video" in family.error["message"]
    extra = await mcp.call("get_task", {"family": "v2", "task_id": "1", "verbose": True})
    assert extra.error["field"] == "verbose"
    assert fake.requests == []


async def test_an_unknown_task_keeps_kling_s_code(mcp: Mcp) -> None:
    answer = await mcp.call("get_task", {"family": "text_to_video", "task_id": "404404"})
    assert answer.error["api_code"] == 1201
    assert answer.error["request_id"]
    assert "task_id" in answer.error["hint"]


async def test_list_tasks_lists_the_newest_first(mcp: Mcp) -> None:
    first = await mcp.ok("create_text_to_video", {"prompt": "one"})
    second = await mcp.ok("create_text_to_video", {"prompt": "two"})
    listed = await mcp.ok("list_tasks", {"family": "text_to_video", "limit": 5})
    assert [t["task_id"] for t in listed["tasks"]] == [second["task_id"], first["task_id"]]
    assert listed["count"] == 2
    v2 = await mcp.ok("list_tasks", {"family": "v2", "status": "submitted"})
    assert v2["family"] == "v2"


async def test_account_costs_lists_the_resource_packs(mcp: Mcp, fake: FakeKling) -> None:
    costs = await mcp.ok("account_costs", {"days": 7})
    [pack] = costs["resource_packs"]
    assert pack["remaining"] == 100.0
    [request] = [r for r in fake.requests if r.path == "/account/costs"]
    start, end = int(request.query["start_time"]), int(request.query["end_time"])
    assert end - start == 7 * 86_400_000


async def test_list_tasks_ends_with_an_error_when_kling_repeats_a_cursor(root: Path) -> None:
    numbers = itertools.count()

    def kling(request: httpx.Request) -> httpx.Response:
        page = {"result": [record(f"t{next(numbers)}")], "next_cursor": "again", "has_more": True}
        return ok(page)

    transport = httpx.MockTransport(kling)
    async with (
        httpx.AsyncClient(transport=transport) as http,
        AsyncKlingClient(api_key="api-key-kling-test", http_client=http) as client,
        mcp_session(client, root) as mcp,
    ):
        answer = await mcp.call("list_tasks", {"family": "v2", "limit": 10})
    assert "next_cursor 'again' a second time" in answer.error["message"]
    assert next(numbers) == 2  # two pages asked, then the listing stopped
