"""An archive killed halfway (SIGKILL) resumes: every file recorded once, none counted before it
was whole, and the rerun fetches exactly the files that were not recorded.

The runs are real processes against one FakeKling server that outlives them. Every answer of
the server waits a little, so that the first run is killed with files saved and files to go.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from kling import KlingClient
from kling.testing import FakeKlingServer
from tests._fake_helpers import calls, serve

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

TASKS = 60
CHILD = """
import sys
from kling import KlingClient

with KlingClient() as client:  # KLING_ACCESS_KEY, KLING_SECRET_KEY, KLING_API_KEY, KLING_BASE_URL
    report = client.archive(sys.argv[1])
print(len(report.saved), report.skipped, len(report.failures))
"""


@pytest.fixture
def server() -> Iterator[FakeKlingServer]:
    with serve() as running:
        assert running.api_key is not None
        with KlingClient(
            running.access_key, running.secret_key, base_url=running.url, api_key=running.api_key
        ) as client:
            for i in range(TASKS // 2):
                client.text_to_video.create(prompt=f"shot {i}", duration="5")
                client.v2.text_to_video.create(model="kling-3.0", prompt=f"take {i}")
        running.fake.latency = 0.05  # the downloads take a second or two in all
        yield running


def start(server: FakeKlingServer, out: Path) -> subprocess.Popen[str]:
    assert server.api_key is not None
    env = {
        **os.environ,
        "KLING_ACCESS_KEY": server.access_key,
        "KLING_SECRET_KEY": server.secret_key,
        "KLING_API_KEY": server.api_key,
        "KLING_BASE_URL": server.url,
    }
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def records(out: Path) -> list[dict[str, Any]]:
    path = out / "archive.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.endswith("}")]


def test_an_archive_killed_halfway_resumes_and_saves_every_file_once(
    server: FakeKlingServer, tmp_path: Path
) -> None:
    out = tmp_path / "backup"
    process = start(server, out)
    deadline = time.monotonic() + 60
    while len(records(out)) < TASKS // 6 and process.poll() is None:
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL
    recorded = records(out)
    assert len(recorded) < TASKS, "the run finished before it was killed"
    for record in recorded:  # what was recorded is whole
        data = (out / record["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == record["sha256"]

    rerun = start(server, out)
    stdout, stderr = rerun.communicate(timeout=120)

    assert rerun.returncode == 0, stderr
    assert stdout.split() == [str(TASKS - len(recorded)), str(len(recorded)), "0"]
    # A recorded file is never fetched again; the others (some in flight at the kill) are
    # fetched by the rerun, once.
    fetches = Counter(r.path for r in calls(server.fake, "GET", "/files/", prefix=True))
    final = records(out)
    for record in final:
        was_recorded = record["file"] in {r["file"] for r in recorded}
        assert fetches[urlsplit(record["url"]).path] in ((1,) if was_recorded else (1, 2))
    assert len(final) == TASKS
    assert len({(r["task_id"], r["index"]) for r in final}) == TASKS
    on_disk = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    assert on_disk == {r["file"] for r in final} | {"archive.jsonl"}
