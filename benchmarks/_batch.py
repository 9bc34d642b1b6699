"""Batch jobs: 1,000 jobs from a JSONL file through ``client.batch.run``, then run again.

FakeKling (its own process, as in the fan-out) keeps every task ``submitted`` for 1 s and
``processing`` for 2 s. Each side runs in a fresh process against an empty output directory:

* **batch**: ``client.batch.run("jobs.jsonl", output_dir=...)``, the SDK's defaults: every
  job validated first, ids derived from the jobs, creates in chunks waited for at once,
  results downloaded by four workers, a manifest line appended and fsynced per job.
* **baseline**: the same work without the bookkeeping, written with the SDK's batch helpers:
  ``create_many`` of the 1,000 prompts, ``wait_all``, then every result downloaded four at a
  time. No validation of the whole file first, no manifest, nothing to resume from.
* **rerun**: ``client.batch.run`` again on the batch's finished output directory, which is
  what a resume costs when nothing is left to do.

Requests are counted from the fake's own log (creates, task queries, downloads); wall time runs
from the call to its return, downloads included.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._process import emit, peak_rss_bytes, run_child
from ._report import Row, Section, fmt, md_table
from ._server import FakeServerProcess

SUBMITTED = 1.0
PROCESSING = 2.0
#: A batch should cost about what the hand-written fan-out costs: a create, its share of the
#: list polls and a download per job.
TARGET_REQUESTS_RATIO = 1.1
TARGET_WALL_RATIO = 1.25
SIDES = {
    "batch": "client.batch.run (jobs.jsonl)",
    "baseline": "create_many + wait_all + downloads",
    "rerun": "client.batch.run again, all settled",
}


# ---------------------------------------------------------------------------- child side


def _prompts(n: int) -> list[str]:
    return [f"benchmark job {i}" for i in range(n)]


async def _batch(url: str, api_key: str, n: int, out: Path) -> dict[str, Any]:
    from kling import AsyncKlingClient

    jobs = out.parent / "jobs.jsonl"
    async with AsyncKlingClient(api_key=api_key, base_url=url) as client:
        start = time.perf_counter()
        report = await client.batch.run(jobs, output_dir=out)
        end = time.perf_counter()
    return {"wall": end - start, "succeeded": report.counts.get("succeeded", 0)}


async def _baseline(url: str, api_key: str, n: int, out: Path) -> dict[str, Any]:
    from kling import AsyncKlingClient, AsyncTask

    async with AsyncKlingClient(api_key=api_key, base_url=url) as client:
        start = time.perf_counter()
        created = await client.text_to_video.create_many([{"prompt": p} for p in _prompts(n)])
        tasks = [t for t in created if isinstance(t, AsyncTask)]
        done = [t for t in await client.text_to_video.wait_all(tasks) if isinstance(t, AsyncTask)]
        gate = asyncio.Semaphore(4)

        async def download(task: AsyncTask) -> None:
            async with gate:
                await task.download(out)

        await asyncio.gather(*(download(t) for t in done if t.is_succeeded))
        end = time.perf_counter()
    return {"wall": end - start, "succeeded": sum(1 for t in done if t.is_succeeded)}


def _child(side: str, options: dict[str, Any]) -> None:
    url, api_key, n, out = options["url"], options["api_key"], options["n"], Path(options["out"])
    jobs = out.parent / "jobs.jsonl"
    if not jobs.exists():
        out.mkdir(parents=True)
        lines = (json.dumps({"family": "text_to_video", "prompt": p}) for p in _prompts(n))
        jobs.write_text("\n".join(lines) + "\n")
    if side == "baseline":
        result = asyncio.run(_baseline(url, api_key, n, out))
    else:
        result = asyncio.run(_batch(url, api_key, n, out))
    result.update(rss_peak=peak_rss_bytes())
    emit(result)


# --------------------------------------------------------------------------- parent side


@dataclass(frozen=True)
class Outcome:
    side: str
    n: int
    wall: float
    succeeded: int
    requests: dict[str, int]
    rss_peak: int

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    @property
    def per_job(self) -> float:
        return self.total_requests / self.n


def measure(server: FakeServerProcess, side: str, n: int, out: Path) -> Outcome:
    if side == "rerun":  # the rerun finds the batch's tasks where Kling keeps them
        server.mark()
    else:
        server.reset()
    options = {"url": server.url, "api_key": server.api_key, "n": n, "out": str(out)}
    result = run_child("benchmarks._batch", side, json.dumps(options), timeout=600)
    return Outcome(
        side=side,
        n=n,
        wall=result["wall"],
        succeeded=result["succeeded"],
        requests=dict(server.stats()),
        rss_peak=result["rss_peak"],
    )


def run(quick: bool) -> Section:
    n = 200 if quick else 1000
    latency = SUBMITTED + PROCESSING
    with (
        tempfile.TemporaryDirectory(prefix="kling-bench-") as tmp,
        FakeServerProcess(submitted=SUBMITTED, processing=PROCESSING) as server,
    ):
        root = Path(tmp)
        outcomes = {
            "baseline": measure(server, "baseline", n, root / "baseline" / "out"),
            "batch": measure(server, "batch", n, root / "batch" / "out"),
            "rerun": measure(server, "rerun", n, root / "batch" / "out"),
        }
    batch, baseline, rerun = outcomes["batch"], outcomes["baseline"], outcomes["rerun"]
    rows = [
        Row(
            "batch",
            f"wall time, {n:,} jobs ({latency:.0f} s simulated task time), downloads included",
            fmt(baseline.wall, "s"),
            fmt(batch.wall, "s"),
            batch.wall / baseline.wall,
            f"<= {TARGET_WALL_RATIO:.2f}x",
            batch.wall / baseline.wall <= TARGET_WALL_RATIO,
        ),
        Row(
            "batch",
            f"HTTP requests per job, {n:,} jobs",
            f"{baseline.per_job:.3f}",
            f"{batch.per_job:.3f}",
            batch.per_job / baseline.per_job,
            f"<= {TARGET_REQUESTS_RATIO:.1f}x",
            batch.per_job / baseline.per_job <= TARGET_REQUESTS_RATIO,
        ),
        Row(
            "batch",
            f"wall time against the simulated task time, {n:,} jobs",
            fmt(latency, "s"),
            fmt(batch.wall, "s"),
            batch.wall / latency,
            "",
            None,
        ),
        Row(
            "batch",
            f"jobs succeeded, of {n:,}",
            f"{baseline.succeeded:,}",
            f"{batch.succeeded:,}",
            None,
            f"= {n:,}",
            batch.succeeded == n,
        ),
        Row(
            "batch",
            f"HTTP requests to run the finished batch again, {n:,} jobs",
            "",
            f"{rerun.total_requests:,}",
            None,
            "= 0",
            rerun.total_requests == 0 and rerun.succeeded == n,
        ),
    ]
    table = []
    for side, outcome in outcomes.items():
        by_kind = ", ".join(f"{k} {v:,}" for k, v in sorted(outcome.requests.items()))
        table.append(
            [
                SIDES[side],
                fmt(outcome.wall, "s"),
                f"{outcome.wall / latency:.2f}x",
                f"{outcome.total_requests:,} ({by_kind or 'none'})",
                f"{outcome.per_job:.3f}",
                fmt(outcome.rss_peak, "MiB"),
                f"{outcome.succeeded:,}",
            ]
        )
    details = [
        (__doc__ or "").split("\n\n", 1)[1].strip(),
        "",
        *md_table(
            [
                "Side",
                "Wall",
                "Wall / simulated task time",
                "Requests (by kind)",
                "Requests per job",
                "Peak RSS",
                "Succeeded",
            ],
            table,
        ),
    ]
    return Section("batch", f"Batch jobs: {n:,} jobs from a file", rows, details)


if __name__ == "__main__":
    _child(sys.argv[1], json.loads(sys.argv[2]))
