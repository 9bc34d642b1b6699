"""FakeKling stays linear in the tasks it holds: a request touches the tasks it answers with.

Nothing here is timed. Every attribute read of a task is counted instead (``FakeTask`` and its
subclass ``StandardTask`` both), per request: a create that scanned the account, or advanced
every task, would touch all the tasks created before it, and N creates would touch N²/2 tasks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Literal

import httpx
import pytest

from kling.testing import DEFAULT_API_KEY, FakeKling, FakeTask, Timing

from .conftest import ManualClock

N = 2_000
T2V = "/v1/videos/text2video"
NEW_T2V = "/text-to-video/kling-3.0"

Standard = Literal["legacy", "new"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # counting, not concurrency: one backend is enough


class Touches:
    """The distinct tasks each request read an attribute of."""

    def __init__(self) -> None:
        self.current: set[int] = set()
        self.per_request: list[int] = []

    def end_request(self) -> None:
        self.per_request.append(len(self.current))
        self.current = set()

    @property
    def total(self) -> int:
        return sum(self.per_request)


@contextmanager
def counting_touches(monkeypatch: pytest.MonkeyPatch) -> Iterator[Touches]:
    touches = Touches()

    def getattribute(self: FakeTask, name: str) -> Any:
        touches.current.add(id(self))
        return object.__getattribute__(self, name)

    with monkeypatch.context() as patch:
        patch.setattr(FakeTask, "__getattribute__", getattribute)
        yield touches


@asynccontextmanager
async def client(fake: FakeKling) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=fake),
        base_url="http://fake.test",
        headers={"Authorization": f"Bearer {DEFAULT_API_KEY}"},
    ) as http:
        yield http


async def create(http: httpx.AsyncClient, standard: Standard, index: int) -> str:
    """Create one text-to-video task with an external id (as the SDK always sends one)."""
    if standard == "legacy":
        body: dict[str, Any] = {"prompt": "x", "external_task_id": f"job-{index}"}
        response = await http.post(T2V, json=body)
    else:
        body = {"prompt": "x", "options": {"external_task_id": f"job-{index}"}}
        response = await http.post(NEW_T2V, json=body)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    return str(data["task_id"] if standard == "legacy" else data["id"])


async def create_many(fake: FakeKling, standard: Standard, count: int) -> list[str]:
    async with client(fake) as http:
        return [await create(http, standard, index) for index in range(count)]


@pytest.mark.parametrize("standard", ["legacy", "new"])
@pytest.mark.parametrize("concurrency_limit", [None, 5])
async def test_each_create_touches_only_the_task_it_creates(
    monkeypatch: pytest.MonkeyPatch, standard: Standard, concurrency_limit: int | None
) -> None:
    # With a limit, the busy slots are counted over unfinished tasks only (instant timing:
    # each is found finished once, then never looked at again).
    fake = FakeKling(concurrency_limit=concurrency_limit)
    async with client(fake) as http:
        with counting_touches(monkeypatch) as touches:
            for index in range(N):
                await create(http, standard, index)
                touches.end_request()
    assert len(fake.tasks) == N
    assert touches.total <= 2 * N, f"{touches.total} tasks touched by {N} creates"
    assert max(touches.per_request[N // 2 :]) <= 2


async def test_a_duplicate_external_id_is_still_refused_among_thousands() -> None:
    fake = FakeKling()
    await create_many(fake, "legacy", 50)
    await create_many(fake, "new", 50)
    async with client(fake) as http:
        legacy = await http.post(T2V, json={"prompt": "x", "external_task_id": "job-7"})
        body = {"prompt": "x", "options": {"external_task_id": "job-7"}}
        new = await http.post(NEW_T2V, json=body)
    assert legacy.json()["code"] == 1201
    assert new.json()["code"] == 1201


@pytest.mark.parametrize("standard", ["legacy", "new"])
async def test_lookups_touch_only_the_tasks_they_answer_with(
    monkeypatch: pytest.MonkeyPatch, standard: Standard
) -> None:
    fake = FakeKling()
    ids = await create_many(fake, standard, N)
    async with client(fake) as http:
        with counting_touches(monkeypatch) as touches:
            for start in range(0, N, 20):
                chunk = ids[start : start + 20]
                by_id = await http.get("/tasks", params={"task_ids": ",".join(chunk)})
                touches.end_request()
                externals = ",".join(f"job-{index}" for index in range(start, start + 20))
                by_external = await http.get("/tasks", params={"external_task_ids": externals})
                touches.end_request()
                assert len(by_id.json()["data"]) == len(by_external.json()["data"]) == 20
            if standard == "legacy":
                for index in range(0, N, 10):
                    one = await http.get(f"{T2V}/job-{index}")
                    touches.end_request()
                    assert one.json()["data"]["task_id"] == ids[index]
    assert max(touches.per_request) <= 20


@pytest.mark.parametrize("limit", [100, 500])
async def test_paging_through_tasks_touches_each_listed_task_about_once(
    monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    fake = FakeKling()
    await create_many(fake, "legacy", N // 2)
    await create_many(fake, "new", N // 2)
    listed: list[str] = []
    async with client(fake) as http:
        with counting_touches(monkeypatch) as touches:
            cursor = None
            while True:
                body = {"limit": limit} | ({"cursor": cursor} if cursor else {})
                data = (await http.post("/tasks", json=body)).json()["data"]
                touches.end_request()
                listed += [record["id"] for record in data.get("result", [])]
                if not data["has_more"]:
                    break
                cursor = data["next_cursor"]
            for page in range(1, N // 2 // limit + 2):
                params = {"pageNum": page, "pageSize": limit}
                tasks = (await http.get(T2V, params=params)).json()["data"]
                touches.end_request()
                listed += [task["task_id"] for task in tasks]
    assert len(listed) == N + N // 2
    # A page reads its own tasks, the one past it (is there more?), the cursor's, and the few a
    # binary search for the newest task in the time window probes.
    assert max(touches.per_request) <= limit + 2 + N.bit_length()
    assert touches.total <= 2 * len(listed)


async def test_a_filtered_page_stops_at_the_task_past_it() -> None:
    fake = FakeKling()
    await create_many(fake, "new", 30)
    async with client(fake) as http:
        succeeded = [{"key": "status", "values": ["succeeded"]}]
        body: dict[str, Any] = {"limit": 10, "filters": succeeded}
        first = (await http.post("/tasks", json=body)).json()["data"]
        rest = (await http.post("/tasks", json={**body, "cursor": first["next_cursor"]})).json()
    assert first["count"] == 10
    assert first["has_more"] is True
    assert rest["data"]["count"] == 10
    assert {record["status"] for record in first["result"] + rest["data"]["result"]} == {
        "succeeded"
    }


# ------------------------------------------------------------- the indexes say what a scan would


async def test_reset_empties_every_lookup() -> None:
    fake = FakeKling()
    await create_many(fake, "legacy", 3)
    await create_many(fake, "new", 3)
    async with client(fake) as http:
        cursor = (await http.post("/tasks", json={"limit": 2})).json()["data"]["next_cursor"]
        fake.reset()
        assert (await http.get(f"{T2V}/job-0")).json()["code"] == 1201
        assert (await http.get("/tasks", params={"external_task_ids": "job-0"})).json()[
            "data"
        ] == []
        assert (await http.post("/tasks", json={"cursor": cursor})).json()["code"] == 1201
        assert (await http.get(T2V)).json()["data"] == []
        legacy = await create(http, "legacy", 0)  # the external ids are free again
        new = await create(http, "new", 0)
        listed = (await http.post("/tasks", json={})).json()["data"]["result"]
    assert [record["id"] for record in listed] == [new, legacy]
    with pytest.raises(KeyError):
        fake.task("job-1")


async def test_time_windows_hold_when_the_wall_clock_steps_back(clock: ManualClock) -> None:
    fake = FakeKling(wall_clock=clock)
    created: list[tuple[str, int]] = []  # (id, created_at), oldest first
    async with client(fake) as http:
        for step in (0, 10, -30, 5, 40, -20):
            clock.advance(step)
            created.append((await create(http, "new", len(created)), int(clock.now * 1000)))
        for start, end in ((0, 10**15), (970_000, 1_010_000), (995_000, 1_005_000)):
            body = {"start_time": start, "end_time": end, "limit": 2}
            listed: list[str] = []
            while True:
                data = (await http.post("/tasks", json=body)).json()["data"]
                listed += [record["id"] for record in data.get("result", [])]
                if not data["has_more"]:
                    break
                body = {"cursor": data["next_cursor"], "limit": 2}
            expected = [ident for ident, at in reversed(created) if start <= at <= end]
            assert listed == expected, (start, end)


async def test_a_task_forced_back_to_processing_holds_its_slot_again(clock: ManualClock) -> None:
    fake = FakeKling(timing=Timing.seconds(1, 1), clock=clock, concurrency_limit=1)
    async with client(fake) as http:
        first = await create(http, "legacy", 0)
        clock.advance(5)  # finished, which the next create finds out
        await create(http, "legacy", 1)
        clock.advance(5)
        fake.set_task_status(first, "processing")
        refused = await http.post(T2V, json={"prompt": "x"})
        assert refused.json()["code"] == 1303
        fake.set_task_status(first, "succeed")
        clock.advance(5)
        await create(http, "new", 2)


async def test_a_source_video_is_found_by_its_id_among_others() -> None:
    fake = FakeKling()
    await create_many(fake, "legacy", 20)
    video_id = fake.task("job-7").result_ids[0]
    async with client(fake) as http:
        extended = await http.post("/v1/videos/video-extend", json={"video_id": video_id})
        unknown = await http.post("/v1/videos/video-extend", json={"video_id": "no-such-video"})
    assert extended.json()["code"] == 0, extended.text
    assert unknown.json()["code"] != 0
