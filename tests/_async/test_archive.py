"""``client.archive(DIR)`` against a real FakeKling: every finished task's files saved once, a
rerun fetching only what is missing or damaged, and a warning for tasks Kling deletes soon."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from kling import (
    ArchiveProgress,
    AsyncKlingClient,
    InvalidParameterError,
    MissingCredentialsError,
)
from kling.testing import FakeKlingServer, Fault
from tests._fake_helpers import calls, files_in, is_mp4, is_png, serve

DAY = 86400.0


@pytest.fixture(scope="module")
def shared_server() -> Iterator[FakeKlingServer]:
    with serve() as running:  # instant timing: every task has finished when it is listed
        yield running


@pytest.fixture
def server(shared_server: FakeKlingServer) -> Iterator[FakeKlingServer]:
    shared_server.fake.reset()
    yield shared_server
    shared_server.fake.reset()


def connect(server: FakeKlingServer, **options: Any) -> AsyncKlingClient:
    """The key pair and the API key (both standards), unless told otherwise."""
    keys = {
        "access_key": server.access_key,
        "secret_key": server.secret_key,
        "api_key": server.api_key,
    }
    return AsyncKlingClient(base_url=server.url, **{**keys, **options})


@pytest.fixture
async def client(server: FakeKlingServer) -> AsyncIterator[AsyncKlingClient]:
    async with connect(server) as kling:
        yield kling


async def make_tasks(client: AsyncKlingClient) -> dict[str, list[str]]:
    """Finished tasks of three families and the new standard, one failed: id -> result URLs."""
    made = [
        await client.text_to_video.create(prompt="a fox", duration="5"),
        await client.images.create(prompt="a cat", n=2),
        await client.text_to_audio.create(prompt="rain on a tin roof", duration=5),
        await client.v2.text_to_video.create(model="kling-3.0", prompt="a dog"),
    ]
    await client.text_to_video.create(prompt="FAIL this one", duration="5")
    return {task.task_id: await fresh(client, task.task_id, i) for i, task in enumerate(made)}


async def fresh(client: AsyncKlingClient, task_id: str, index: int) -> list[str]:
    if index == 3:
        return (await client.v2.tasks.get(task_id)).result_urls()
    family = ("text_to_video", "images", "text_to_audio")[index]
    return (await getattr(client, family).get(task_id)).result_urls()


def manifest(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "archive.jsonl").read_text().splitlines()]


def downloads(server: FakeKlingServer) -> int:
    return len(calls(server.fake, "GET", "/files/", prefix=True))


def result_files(out: Path) -> list[str]:
    return [name for name in files_in(out) if name != "archive.jsonl"]


async def test_archive_saves_every_finished_task_of_every_family_and_the_new_standard(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    tasks = await make_tasks(client)

    report = await client.archive(tmp_path)

    expected = {
        f"{task_id}-{index}{Path(url).suffix}"
        for task_id, urls in tasks.items()
        for index, url in enumerate(urls)
    }
    assert len(expected) == 6  # a video, two images, an mp3 and a wav, a new-standard video
    assert set(result_files(tmp_path)) == expected  # no temporary file left behind
    assert report.ok
    assert report.tasks == 4
    assert report.skipped == 0
    assert {f.file for f in report.saved} == expected
    # /tasks lists the legacy tasks too: each file was still fetched once.
    assert downloads(server) == 6
    records = manifest(tmp_path)
    assert len(records) == 6
    for record in records:
        data = (tmp_path / record["file"]).read_bytes()
        assert record["size"] == len(data)
        assert record["sha256"] == hashlib.sha256(data).hexdigest()
    sources = {r["task_id"]: r["source"] for r in records}
    assert sorted(Counter(sources.values())) == ["images", "text_to_audio", "text_to_video", "v2"]
    kinds = Counter(r["kind"] for r in records)
    assert kinds == {"mp4": 2, "png": 2, "mp3": 1, "wav": 1}
    videos = [r["file"] for r in records if r["kind"] == "mp4"]
    assert all(is_mp4((tmp_path / name).read_bytes()) for name in videos)
    images = [r["file"] for r in records if r["kind"] == "png"]
    assert all(is_png((tmp_path / name).read_bytes()) for name in images)


async def test_a_second_run_saves_nothing_new_and_downloads_nothing(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    await make_tasks(client)
    await client.archive(tmp_path)
    before = downloads(server), (tmp_path / "archive.jsonl").read_text()

    again = await client.archive(tmp_path)

    assert again.saved == []
    assert again.skipped == 6
    assert again.ok
    assert (downloads(server), (tmp_path / "archive.jsonl").read_text()) == before


async def test_a_run_stopped_after_two_files_resumes_and_fetches_every_file_once(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    await make_tasks(client)

    class Stop(Exception):
        pass

    def stop_after_two(progress: ArchiveProgress) -> None:
        if progress.saved == 2:
            raise Stop

    with pytest.raises(Stop):
        await client.archive(tmp_path, concurrency=1, on_progress=stop_after_two)
    assert len(manifest(tmp_path)) == 2
    assert sorted(result_files(tmp_path)) == sorted(r["file"] for r in manifest(tmp_path))

    report = await client.archive(tmp_path)

    assert len(report.saved) == 4
    assert report.skipped == 2
    records = manifest(tmp_path)
    assert len(records) == 6
    assert len({(r["task_id"], r["index"]) for r in records}) == 6  # nothing recorded twice
    assert downloads(server) == 6  # nothing fetched twice
    assert len(result_files(tmp_path)) == 6


async def test_a_file_cut_short_since_the_last_run_is_fetched_again(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    await make_tasks(client)
    await client.archive(tmp_path)
    video = next(r for r in manifest(tmp_path) if r["kind"] == "mp4")
    path = tmp_path / video["file"]
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])  # a copy interrupted, a disk that filled up
    before = downloads(server)

    report = await client.archive(tmp_path)

    assert [f.file for f in report.saved] == [video["file"]]
    assert report.skipped == 5
    assert downloads(server) == before + 1
    assert path.read_bytes() == whole


async def test_a_file_changed_in_place_is_fetched_again_when_hashes_are_checked(
    client: AsyncKlingClient, tmp_path: Path
) -> None:
    await make_tasks(client)
    await client.archive(tmp_path)
    image = next(r for r in manifest(tmp_path) if r["kind"] == "png")
    path = tmp_path / image["file"]
    whole = path.read_bytes()
    path.write_bytes(whole[:-4] + b"\0\0\0\0")  # same size, same header: only a hash tells

    assert (await client.archive(tmp_path)).saved == []  # size and leading bytes still agree
    report = await client.archive(tmp_path, verify="sha256")

    assert [f.file for f in report.saved] == [image["file"]]
    assert path.read_bytes() == whole


async def test_an_error_page_served_as_a_result_is_never_archived_and_the_next_run_saves_it(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    await client.text_to_video.create(prompt="a fox", duration="5")
    # A CDN answering 200 with an HTML page instead of the video.
    server.fake.faults.add(Fault(kind="html", method="GET", path="/files/", status=200, code=None))

    report = await client.archive(tmp_path, families=["text_to_video"])

    assert not report.ok
    assert report.saved == []
    assert "answered HTTP 200 with text/html" in report.failures[0].message
    assert result_files(tmp_path) == []
    assert not (tmp_path / "archive.jsonl").exists() or manifest(tmp_path) == []

    again = await client.archive(tmp_path, families=["text_to_video"])

    assert again.ok
    assert len(again.saved) == 1
    assert is_mp4((tmp_path / again.saved[0].file).read_bytes())


async def test_a_list_kling_refuses_is_reported_and_the_others_are_saved(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    await client.text_to_video.create(prompt="a fox", duration="5")
    await client.images.create(prompt="a cat")
    server.fake.faults.fail_next("GET", "/v1/images/generations", code=1201)

    report = await client.archive(tmp_path, families=["text_to_video", "images"])

    assert [f.source for f in report.failures] == ["images"]
    assert "could not list images" in report.failures[0].message
    assert [f.source for f in report.saved] == ["text_to_video"]


async def test_families_reads_only_those_lists(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    await make_tasks(client)
    made = len(server.fake.requests)

    report = await client.archive(tmp_path, families=["images"])

    assert {f.source for f in report.saved} == {"images"}
    assert len(report.saved) == 2
    sent = server.fake.requests[made:]
    assert {(r.method, r.path) for r in sent if not r.path.startswith("/files/")} == {
        ("GET", "/v1/images/generations")
    }


async def test_an_unknown_family_is_refused_before_anything_is_sent(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    with pytest.raises(InvalidParameterError, match=r"unknown family 'videos'.*text_to_video"):
        await client.archive(tmp_path, families=["videos"])
    with pytest.raises(InvalidParameterError, match="since must be an age such as 30d"):
        await client.archive(tmp_path, since="a month")
    assert server.fake.requests == []


async def test_without_an_api_key_the_new_standard_is_left_out_and_said_so(
    server: FakeKlingServer, tmp_path: Path
) -> None:
    async with AsyncKlingClient(server.access_key, server.secret_key, base_url=server.url) as kling:
        await kling.text_to_video.create(prompt="a fox", duration="5")
        report = await kling.archive(tmp_path)
        assert len(report.saved) == 1
        assert report.notes
        assert "need an API key" in report.notes[0]
        assert calls(server.fake, "POST", "/tasks") == []
        with pytest.raises(MissingCredentialsError, match="API key"):
            await kling.archive(tmp_path, families=["v2"])


class WallClock:
    """FakeKling's wall clock, moved by the test (its tasks' ``created_at``)."""

    def __init__(self, offset: float) -> None:
        self.offset = offset

    def __call__(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def aged() -> Iterator[tuple[FakeKlingServer, WallClock]]:
    # The client signs no JWT (API key only), so the fake's clock may lag the real one.
    clock = WallClock(-29 * DAY)
    with serve(wall_clock=clock) as running:
        yield running, clock


async def test_tasks_kling_deletes_within_days_are_reported_and_warned_about(
    aged: tuple[FakeKlingServer, WallClock], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server, clock = aged
    async with AsyncKlingClient(base_url=server.url, api_key=server.api_key) as kling:
        old = await kling.text_to_video.create(prompt="made 29 days ago", duration="5")
        clock.offset = -29.5 * DAY
        older = await kling.images.create(prompt="made 29.5 days ago")
        clock.offset = -10 * DAY
        await kling.text_to_video.create(prompt="made 10 days ago", duration="5")
        # The oldest one's file (fetched first) is gone already: the CDN answers 404.
        server.fake.faults.fail_next("GET", "/files/", code=None, status=404)
        with caplog.at_level(logging.WARNING, logger="kling"):
            report = await kling.archive(tmp_path, concurrency=1)

    assert [(t.task_id, t.saved) for t in report.expiring] == [
        (older.task_id, False),
        (old.task_id, True),
    ]
    assert report.tasks == 3
    assert len(report.saved) == 2
    assert "expired or was removed" in report.failures[0].message
    warning = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING][-1]
    assert "2 finished task(s) will be deleted by Kling within 3 days" in warning
    assert "1 of them saved" in warning
    assert "1 NOT saved" in warning
    record = next(r for r in manifest(tmp_path) if r["task_id"] == old.task_id)
    assert old.created_at is not None
    assert record["deletes_at"] == (old.created_at + timedelta(days=30)).isoformat()


async def test_since_leaves_older_tasks_out(
    aged: tuple[FakeKlingServer, WallClock], tmp_path: Path
) -> None:
    server, clock = aged
    async with AsyncKlingClient(base_url=server.url, api_key=server.api_key) as kling:
        clock.offset = -12 * DAY
        await kling.text_to_video.create(prompt="twelve days old", duration="5")
        clock.offset = -DAY
        recent = await kling.text_to_video.create(prompt="one day old", duration="5")
        newest = await kling.v2.text_to_video.create(model="kling-3.0", prompt="also recent")
        report = await kling.archive(tmp_path, since="7d")

    assert {f.task_id for f in report.saved} == {recent.task_id, newest.task_id}
    assert report.expiring == []
