"""The examples run as written: each one as a child process, with no Kling credentials around.

Without credentials every example starts FakeKling by itself, so these runs need no network.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from kling.testing import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, sign_webhook

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run_example(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python examples/<name>`` in ``cwd``, with no KLING_* settings in its environment."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("KLING_") and key not in ("PUBLIC_URL", "HOST", "PORT")
    }
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "Warning" not in result.stderr, result.stderr
    return result


@pytest.mark.slow  # real (fake-server) time: seconds, up to ~13 s for the fan-out
def test_notebook_downloads_a_video_and_two_images(tmp_path: Path) -> None:
    result = run_example("notebook_sync.py", cwd=tmp_path)

    assert "using FakeKling" in result.stdout
    assert "succeed" in result.stdout
    assert len(list((tmp_path / "out").glob("*.mp4"))) == 1
    assert len(list((tmp_path / "out").glob("*.png"))) == 2
    assert "Rejected before sending: cfg_scale" in result.stdout
    assert "Kling code 1201, request_id " in result.stdout


@pytest.mark.slow
def test_webapp_demo_follows_a_task_through_signed_callbacks(tmp_path: Path) -> None:
    result = run_example("webapp_callbacks.py", cwd=tmp_path)

    record = json.loads(result.stdout[result.stdout.index("{") :])
    assert record["task_status"] == "succeed"
    assert record["history"][-1] == "succeed"
    assert record["confirmed"] is True
    assert len(record["videos"]) == 1
    assert "Rejected a callback" not in result.stderr


@pytest.mark.slow
def test_fanout_creates_and_finishes_100_tasks_despite_the_slot_limit(tmp_path: Path) -> None:
    result = run_example("fanout_100.py", cwd=tmp_path)

    assert "created 100 tasks" in result.stdout
    assert "100/100 finished" in result.stdout
    assert "100 succeeded, 0 failed" in result.stdout
    assert "HTTP requests" in result.stdout


@pytest.mark.slow
def test_fanout_runs_under_trio(tmp_path: Path) -> None:
    result = run_example("fanout_100.py", "--backend", "trio", cwd=tmp_path)

    assert "on trio" in result.stdout
    assert "100 succeeded, 0 failed" in result.stdout


# -- the webapp's callback handler, in-process ---------------------------------------------------


@pytest.fixture
def webapp(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "webapp_callbacks", EXAMPLES / "webapp_callbacks.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look the module up
    spec.loader.exec_module(module)
    return module


SECRET = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()


def signed(body: bytes, msg_id: str = "msg_1") -> dict[str, str]:
    timestamp = int(time.time())
    return {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign_webhook(SECRET, msg_id, timestamp, body),
    }


@asynccontextmanager
async def webapp_client(webapp: ModuleType) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the app, with its lifespan (and so its Kling client) running."""
    settings = webapp.Settings(
        public_url="http://testserver",
        webhook_secret=SECRET,
        access_key=DEFAULT_ACCESS_KEY,
        secret_key=DEFAULT_SECRET_KEY,
        base_url="https://kling.invalid",  # never reached: no task here is finished
    )
    app = webapp.create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as http,
    ):
        yield http


async def test_webapp_rejects_a_callback_with_a_bad_signature(webapp: ModuleType) -> None:
    body = json.dumps({"task_id": "42", "task_status": "processing"}).encode()
    forged = {**signed(body), "webhook-signature": "v1,AAAA"}

    async with webapp_client(webapp) as http:
        response = await http.post("/kling/callback", content=body, headers=forged)
        assert response.status_code == 400
        assert (await http.get("/videos/42")).status_code == 404


async def test_webapp_records_a_redelivered_callback_once(webapp: ModuleType) -> None:
    body = json.dumps({"task_id": "42", "task_status": "processing"}).encode()

    async with webapp_client(webapp) as http:
        for msg_id in ("msg_1", "msg_2"):
            response = await http.post(
                "/kling/callback", content=body, headers=signed(body, msg_id)
            )
            assert response.status_code == 200
        record = (await http.get("/videos/42")).json()

    assert record["task_status"] == "processing"
    assert record["history"] == ["processing"]


async def test_webapp_keeps_a_later_state_when_an_earlier_one_arrives_late(
    webapp: ModuleType,
) -> None:
    processing = json.dumps({"task_id": "42", "task_status": "processing"}).encode()
    submitted = json.dumps({"task_id": "42", "task_status": "submitted"}).encode()

    async with webapp_client(webapp) as http:
        await http.post("/kling/callback", content=processing, headers=signed(processing, "msg_1"))
        await http.post("/kling/callback", content=submitted, headers=signed(submitted, "msg_2"))
        record = (await http.get("/videos/42")).json()

    assert record["task_status"] == "processing"
    assert record["history"] == ["processing", "submitted"]
