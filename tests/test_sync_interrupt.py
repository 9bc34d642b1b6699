"""Ctrl-C in the sync client: a batch stops submitting at once and says what may exist.

Only the sync twin has this case: its batch runs in threads, which a KeyboardInterrupt in the
main thread does not reach (the async twin is cancelled through its task group instead).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import respx

from kling import KlingClient
from tests._helpers import ok, sent_json, task

BASE_URL = "https://api-singapore.klingai.com"
PATH = "/v1/videos/text2video"


@pytest.fixture
def ctrl_c_raises() -> Iterator[None]:
    """Python's own SIGINT handler, even when the suite was started as a background job
    (which inherits SIGINT ignored, so Ctrl-C would never arrive)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.skipif(not hasattr(signal, "SIGINT"), reason="needs POSIX signals")
@pytest.mark.usefixtures("ctrl_c_raises")
def test_ctrl_c_during_create_many_stops_submitting_at_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sent: list[str] = []
    lock = threading.Lock()

    def create(request: httpx.Request) -> httpx.Response:
        body = sent_json(request)
        with lock:
            sent.append(body["external_task_id"])
            if len(sent) == 3:
                os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, as the terminal sends it
        time.sleep(0.2)  # the request is in flight when the interrupt lands
        return ok(task(f"t-{body['prompt']}", external_task_id=body["external_task_id"]))

    with respx.mock(base_url=BASE_URL) as api, KlingClient("ak-test", "sk-test") as client:
        api.post(PATH).mock(side_effect=create)
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            client.text_to_video.create_many(
                [{"prompt": f"p{i}"} for i in range(50)], concurrency=2
            )
        interrupted_after = time.monotonic() - started
        time.sleep(0.6)  # let the threads finish what was in flight
    assert interrupted_after < 0.5  # returned without waiting for the requests in flight
    assert len(sent) <= 4  # the one that sent the signal and its neighbour, nothing new
    logged = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert "interrupted" in logged
    assert sent[2] in logged  # the create in flight can be looked up by its id
