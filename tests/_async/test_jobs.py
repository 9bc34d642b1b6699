"""client.batch: jobs from a file, run once, resumed after a crash, recorded in a manifest.

Against a real FakeKling over loopback, whose task store outlives the runs, as Kling's does.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from kling import AsyncKlingClient, BatchProgress, InvalidParameterError, ServerUnreachableError
from kling._families import PRODUCTS
from kling._jobs import load_jobs
from kling._polling import DEFAULT_UNREACHABLE_TIMEOUT
from kling.testing import FakeKlingServer, Timing
from kling.testing._files import make_png
from tests._fake_helpers import PNG_SIGNATURE, calls, files_in, is_mp4, is_png, serve
from tests._helpers import unwritable

from .conftest import FakeClock

JOBS = [
    {"family": "text_to_video", "prompt": "a corgi surfing"},
    {"family": "images", "prompt": "a fox", "n": 2},
    {"product": "text_to_video", "model": "kling-3.0", "prompt": "a cat", "duration": 3},
    {"family": "text_to_video", "prompt": "this one FAILs"},
]


def write_jobs(path: Path, jobs: list[dict[str, Any]]) -> Path:
    path.write_text("\n".join(json.dumps(job) for job in jobs) + "\n")
    return path


def manifest(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]


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
async def client(server: FakeKlingServer, clock: FakeClock) -> AsyncIterator[AsyncKlingClient]:
    async with AsyncKlingClient(
        server.access_key, server.secret_key, server.url, api_key=server.api_key
    ) as kling:
        yield kling


async def test_a_run_settles_every_job_downloads_its_results_and_records_it(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = write_jobs(tmp_path / "jobs.jsonl", JOBS)
    out = tmp_path / "out"
    report = await client.batch.run(jobs, output_dir=out)

    assert [r.status for r in report.results] == ["succeeded", "succeeded", "succeeded", "failed"]
    assert report.counts == {"succeeded": 3, "failed": 1}
    assert len(server.fake.tasks) == 4
    recorded = manifest(out)
    assert sorted(r["line"] for r in recorded) == [1, 2, 3, 4]
    for record in recorded:
        assert record["task_id"] in server.fake.tasks
        assert server.fake.task(record["task_id"]).external_task_id == record["external_task_id"]
        assert all((out / name).is_file() for name in record["files"])
        assert len(record["files"]) == len(record["urls"])
    images = next(r for r in recorded if r["line"] == 2)
    assert len(images["files"]) == 2  # n=2
    failed = next(r for r in recorded if r["line"] == 4)
    assert failed["message"] == "Content risk control"
    assert report.summary()["units_charged"] == report.units_charged


async def test_running_it_again_creates_nothing_and_downloads_nothing(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = write_jobs(tmp_path / "jobs.jsonl", JOBS)
    first = await client.batch.run(jobs, output_dir=tmp_path / "out")
    requests = len(server.fake.requests)
    again = await client.batch.run(jobs, output_dir=tmp_path / "out")
    assert len(server.fake.requests) == requests  # not one request
    assert [r.task_id for r in again.results] == [r.task_id for r in first.results]
    assert len(manifest(tmp_path / "out")) == 4


async def test_a_task_that_exists_is_adopted_not_created_again(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    # The run that made the tasks died before writing its manifest (another directory here).
    jobs = write_jobs(tmp_path / "jobs.jsonl", JOBS[:2])
    await client.batch.run(jobs, output_dir=tmp_path / "crashed")
    report = await client.batch.run(jobs, output_dir=tmp_path / "out")
    assert len(server.fake.tasks) == 2
    assert all(r.adopted for r in report.results)
    assert all((tmp_path / "out" / f).is_file() for r in report.results for f in r.files)


async def test_a_failed_job_is_retried_on_purpose_as_a_new_task(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = write_jobs(tmp_path / "jobs.jsonl", [JOBS[3]])
    first = await client.batch.run(jobs, output_dir=tmp_path / "out")
    again = await client.batch.run(jobs, output_dir=tmp_path / "out")
    retried = await client.batch.run(jobs, output_dir=tmp_path / "out", retry_failed=True)
    assert len(server.fake.tasks) == 2  # the plain rerun made none, the retry one
    assert again.results[0].task_id == first.results[0].task_id
    assert retried.results[0].attempt == 1
    assert retried.results[0].external_task_id == first.results[0].external_task_id + "-1"


async def test_a_bad_line_stops_the_run_before_anything_is_created(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    bad = [JOBS[0], {"family": "text_to_video", "prompt": "x", "duration": "7"}]
    jobs = write_jobs(tmp_path / "jobs.jsonl", bad)
    with pytest.raises(InvalidParameterError) as info:
        await client.batch.run(jobs, output_dir=tmp_path / "out")
    assert str(info.value).startswith('line 2: duration: kling-v1 makes "5" or "10" second')
    assert "nothing was created" in str(info.value)
    assert not server.fake.requests
    assert not (tmp_path / "out").exists()


async def test_shards_split_the_jobs_and_together_cover_them_once(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    many = [{"family": "text_to_video", "prompt": f"scene {i}"} for i in range(12)]
    jobs = write_jobs(tmp_path / "jobs.jsonl", many)
    lines: list[int] = []
    for index in range(3):
        report = await client.batch.run(jobs, output_dir=tmp_path / "out", shard=f"{index}/3")
        lines += [r.line for r in report.results]
    assert sorted(lines) == list(range(1, 13))
    assert len(server.fake.tasks) == 12


def test_identical_jobs_are_distinct_tasks_and_a_namespace_sets_runs_apart(
    tmp_path: Path,
) -> None:
    jobs = write_jobs(tmp_path / "jobs.jsonl", [JOBS[0], JOBS[0]])
    ids = [job.external_id() for job in load_jobs(jobs)]
    other = [job.external_id() for job in load_jobs(jobs, namespace="second run")]
    assert len(set(ids)) == 2
    assert not set(ids) & set(other)
    assert ids == [job.external_id() for job in load_jobs(jobs)]  # stable


def test_a_job_is_the_same_whatever_its_local_file_is_called(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(make_png())
    (tmp_path / "b.png").write_bytes(make_png())
    jobs = write_jobs(
        tmp_path / "jobs.jsonl",
        [{"family": "image_to_video", "image": "a.png"}],
    )
    renamed = write_jobs(
        tmp_path / "renamed.jsonl",
        [{"family": "image_to_video", "image": "b.png"}],
    )
    assert load_jobs(jobs)[0].external_id() == load_jobs(renamed)[0].external_id()


async def test_csv_rows_are_jobs_of_the_given_family(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = tmp_path / "jobs.csv"
    jobs.write_text('prompt,duration\n"a corgi",5\n"a fox",10\n')
    report = await client.batch.run(jobs, output_dir=tmp_path / "out", family="text-to-video")
    assert report.counts == {"succeeded": 2}
    assert [r.line for r in report.results] == [2, 3]  # the header is line 1
    assert sorted(t.body["duration"] for t in server.fake.tasks.values()) == ["10", "5"]


async def test_progress_reports_submitted_running_and_settled_jobs(
    client: AsyncKlingClient, tmp_path: Path
) -> None:
    seen: list[tuple[int, int, int, int]] = []

    def on_progress(p: BatchProgress) -> None:
        seen.append((p.submitted, p.running, p.succeeded + p.failed, p.downloaded))

    jobs = write_jobs(tmp_path / "jobs.jsonl", JOBS)
    await client.batch.run(jobs, output_dir=tmp_path / "out", on_progress=on_progress)
    assert seen[0] == (0, 0, 0, 0)
    assert max(s[0] for s in seen) == 4
    assert seen[-1] == (4, 0, 4, 3)


async def test_an_external_task_id_in_a_job_is_refused_with_why(
    client: AsyncKlingClient, tmp_path: Path
) -> None:
    jobs = write_jobs(tmp_path / "jobs.jsonl", [{**JOBS[0], "external_task_id": "mine"}])
    with pytest.raises(InvalidParameterError, match="line 1: external_task_id is derived"):
        await client.batch.run(jobs, output_dir=tmp_path / "out")


async def test_results_arrive_while_later_jobs_are_still_being_created(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    # Creates take 50 ms each (waits do not sleep: the clock is fake), so that finishing a task
    # does not race the creates of the sync twin's other thread: the first results are out
    # long before the twelfth create.
    server.fake.faults.slow("POST", "/v1/videos/text2video", delay=0.05, times=None)
    seen: list[tuple[int, int]] = []
    many = [{"family": "text_to_video", "prompt": f"scene {i}"} for i in range(12)]
    jobs = write_jobs(tmp_path / "jobs.jsonl", many)
    await client.batch.run(
        jobs,
        output_dir=tmp_path / "out",
        concurrency=1,  # one create at a time
        on_progress=lambda p: seen.append((p.submitted, p.downloaded)),
    )
    assert any(downloaded and submitted < 12 for submitted, downloaded in seen)
    assert seen[-1] == (12, 12)


# Stopping cancels the downloads in flight, whose nested httpx body generators are then left to
# the GC; one backend warns about each (test_cancelling_a_download_closes_its_body_iterators).
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <async_generator object:pytest.PytestUnraisableExceptionWarning"
)
async def test_a_callback_that_raises_stops_the_run_with_its_own_error(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    def on_progress(p: BatchProgress) -> None:
        if p.downloaded >= 2:
            raise RuntimeError("my dashboard is down")

    many = [{"family": "text_to_video", "prompt": f"scene {i}"} for i in range(40)]
    jobs = write_jobs(tmp_path / "jobs.jsonl", many)
    with pytest.raises(RuntimeError, match="my dashboard is down"):
        await client.batch.run(
            jobs, output_dir=tmp_path / "out", concurrency=1, on_progress=on_progress
        )
    created = len(server.fake.tasks)
    assert created < 40  # it stopped creating
    assert len(manifest(tmp_path / "out")) < 40
    report = await client.batch.run(jobs, output_dir=tmp_path / "out")
    assert report.counts == {"succeeded": 40}
    assert len(server.fake.tasks) == 40


async def test_a_manifest_line_cut_short_by_a_crash_does_not_swallow_the_next(
    client: AsyncKlingClient, tmp_path: Path
) -> None:
    jobs = write_jobs(tmp_path / "jobs.jsonl", JOBS[:2])
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.jsonl").write_text('{"job_id": "kj-')  # killed mid-write
    await client.batch.run(jobs, output_dir=out)
    lines = (out / "manifest.jsonl").read_text().splitlines()
    assert lines[0] == '{"job_id": "kj-'
    assert len(manifest_records := [json.loads(line) for line in lines[1:]]) == 2
    assert {r["line"] for r in manifest_records} == {1, 2}


@pytest.fixture(scope="module")
def narrow_server() -> Iterator[FakeKlingServer]:
    """An account with two task slots: a third create gets 429/1303 until one finishes."""
    with serve(timing=Timing.polls(1, 1), concurrency_limit=2) as running:
        yield running


async def test_a_batch_larger_than_the_accounts_slots_waits_for_them_and_finishes(
    narrow_server: FakeKlingServer, clock: FakeClock, tmp_path: Path
) -> None:
    narrow_server.fake.reset()
    many = [{"family": "text_to_video", "prompt": f"scene {i}"} for i in range(8)]
    jobs = write_jobs(tmp_path / "jobs.jsonl", many)
    async with AsyncKlingClient(
        narrow_server.access_key, narrow_server.secret_key, narrow_server.url
    ) as kling:
        report = await kling.batch.run(jobs, output_dir=tmp_path / "out", concurrency=4)
    assert report.counts == {"succeeded": 8}
    assert len(narrow_server.fake.tasks) == 8
    creates = [r for r in narrow_server.fake.requests if r.method == "POST"]
    assert len(creates) > 8  # some were refused for want of a slot, and tried again


async def test_a_result_url_answering_a_page_is_not_downloaded_and_the_next_run_fetches_it(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = write_jobs(tmp_path / "jobs.jsonl", [JOBS[0]])
    out = tmp_path / "out"
    page = server.fake.faults.fail_next(
        "GET", "/files/", kind="html", status=200, code=None, times=None
    )
    report = await client.batch.run(jobs, output_dir=out)
    [result] = report.results
    assert result.status == "succeeded"
    assert not result.downloaded
    assert result.files == ()
    assert "answered HTTP 200 with text/html" in (result.message or "")
    assert "the next run downloads it again" in (result.message or "")
    assert report.not_downloaded == [result]
    assert report.summary()["not_downloaded"] == 1
    assert files_in(out) == ["manifest.jsonl"]

    server.fake.faults.remove(page)
    again = await client.batch.run(jobs, output_dir=out)
    assert again.results[0].downloaded
    assert is_mp4((out / again.results[0].files[0]).read_bytes())
    assert len(server.fake.tasks) == 1  # the task was adopted, not paid again


async def test_a_page_an_older_version_saved_as_the_video_is_fetched_again(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = write_jobs(tmp_path / "jobs.jsonl", [JOBS[0]])
    out = tmp_path / "out"
    first = await client.batch.run(jobs, output_dir=out)
    video = out / first.results[0].files[0]
    video.write_bytes(b"<!DOCTYPE html><html><title>Sign in</title></html>")
    fetched = len(calls(server.fake, "GET", "/files/", prefix=True))

    again = await client.batch.run(jobs, output_dir=out)

    assert len(calls(server.fake, "GET", "/files/", prefix=True)) == fetched + 1
    assert is_mp4(video.read_bytes())
    assert again.results[0].files == first.results[0].files
    assert len(server.fake.tasks) == 1


async def test_an_output_directory_that_cannot_take_a_file_is_refused_before_any_create(
    client: AsyncKlingClient, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = write_jobs(tmp_path / "jobs.jsonl", JOBS[:2])
    with unwritable(tmp_path / "out") as out:
        with pytest.raises(InvalidParameterError) as info:
            await client.batch.run(jobs, output_dir=out)
        assert files_in(out) == []  # the probe was removed too (nothing else could be made)
    assert str(info.value).startswith(f"output_dir: cannot write into {str(out)!r} (")
    assert str(info.value).endswith("; nothing was created")
    assert info.value.field == "output_dir"
    assert not server.fake.requests


async def test_bad_manifest_lines_are_skipped_with_a_warning_each_and_the_run_resumes(
    client: AsyncKlingClient,
    server: FakeKlingServer,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    jobs = write_jobs(tmp_path / "jobs.jsonl", JOBS[:2])
    out = tmp_path / "out"
    await client.batch.run(jobs, output_dir=out)
    video, images = sorted(manifest(out), key=lambda r: r["line"])
    for name in images["files"]:
        (out / name).unlink()
    (tmp_path / "outside.png").write_bytes(PNG_SIGNATURE + bytes(64))  # a real image, elsewhere
    lines = [
        b'{"job_id": "kj-\xff\xfe"}',  # not UTF-8
        json.dumps({**video, "line": "x"}).encode(),  # a field of the wrong type
        b"[" * 100_000,  # nested too deeply for any parser
        json.dumps(video).encode(),
        json.dumps({**images, "files": ["../outside.png", str(tmp_path / "outside.png")]}).encode(),
    ]
    (out / "manifest.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    fetched = len(calls(server.fake, "GET", "/files/", prefix=True))

    with caplog.at_level(logging.WARNING, logger="kling"):
        report = await client.batch.run(jobs, output_dir=out)

    assert report.counts == {"succeeded": 2}
    assert len(server.fake.tasks) == 2  # resumed: nothing created twice
    # The images' files outside the output directory were not trusted: fetched into it.
    assert len(calls(server.fake, "GET", "/files/", prefix=True)) == fetched + 2
    assert all(is_png((out / name).read_bytes()) for name in report.results[1].files)
    warned = [r.getMessage() for r in caplog.records if "manifest.jsonl line" in r.getMessage()]
    where = f"{out / 'manifest.jsonl'} line"
    assert warned == [
        f"{where} 1: not UTF-8 text; skipped",
        f"{where} 2: line must be a whole number, got 'x'; skipped",
        f"{where} 3: nested too deeply; skipped",
        f"{where} 5: file '../outside.png' is not in the output directory; ignored",
        f"{where} 5: file {str(tmp_path / 'outside.png')!r} is not in the output directory; "
        "ignored",
    ]
    assert client.batch.read_manifest(out)  # and reading it alone does not raise either


async def test_a_server_gone_during_the_batch_is_reported_unreachable_after_the_timeout(
    client: AsyncKlingClient,
    server: FakeKlingServer,
    clock: FakeClock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    many = [{"family": "text_to_video", "prompt": f"scene {i}"} for i in range(5)]
    jobs = write_jobs(tmp_path / "jobs.jsonl", many)
    out = tmp_path / "out"
    server.fake.faults.disconnect("GET", None, times=None)  # every poll: the server is gone
    started = clock.now

    with caplog.at_level(logging.WARNING, logger="kling"):
        report = await client.batch.run(jobs, output_dir=out)

    assert len(server.fake.tasks) == 5
    assert [job.line for job in report.pending] == [1, 2, 3, 4, 5]
    unreachable = report.unreachable
    assert isinstance(unreachable, ServerUnreachableError)
    assert unreachable.host == server.url
    # The one default, documented for every wait: 30 s without an answer, not 5 minutes.
    assert DEFAULT_UNREACHABLE_TIMEOUT <= clock.now - started < 2 * DEFAULT_UNREACHABLE_TIMEOUT
    assert (out / "manifest.jsonl").is_file()  # what the report points at exists
    # Said once, in the report, not as a warning per job.
    assert not [r for r in caplog.records if "left unsettled" in r.getMessage()]

    server.fake.faults.clear()
    resumed = await client.batch.run(jobs, output_dir=out)
    assert resumed.counts == {"succeeded": 5}
    assert resumed.unreachable is None
    assert len(server.fake.tasks) == 5


async def test_an_unknown_new_standard_model_is_warned_about_once_before_any_create_and_sent(
    client: AsyncKlingClient,
    server: FakeKlingServer,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    job = {"product": "text_to_video", "model": "kling-9.9", "prompt": "a cat", "duration": 5}
    jobs = write_jobs(tmp_path / "jobs.jsonl", [job, {**job, "prompt": "a dog"}, JOBS[0]])
    sent_before_warning: list[int] = []

    class Spy(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "kling-9.9" in record.getMessage():
                sent_before_warning.append(len(server.fake.requests))

    spy = Spy()
    logging.getLogger("kling").addHandler(spy)
    try:
        with caplog.at_level(logging.WARNING, logger="kling"):
            await client.batch.run(jobs, output_dir=tmp_path / "out")
    finally:
        logging.getLogger("kling").removeHandler(spy)

    [warning] = [r.getMessage() for r in caplog.records if "kling-9.9" in r.getMessage()]
    assert warning == (
        "lines 1, 2: model 'kling-9.9' is not one this SDK knows for text_to_video (it knows "
        "kling-3.0-turbo, kling-3.0, kling-2.6, kling-2.5-turbo); sent as written, since Kling "
        "may have added it since this release"
    )
    assert sent_before_warning == [0]
    sent = calls(server.fake, "POST", PRODUCTS["text_to_video"].create_path(job))
    assert len(sent) == 2  # still sent: Kling may know it
