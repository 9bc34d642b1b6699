"""Helpers for the tests that talk to a real FakeKling server over loopback (sync code only).

Shared by ``tests/_async/test_e2e_fake.py``, ``tests/_async/test_faults.py`` (and their generated
sync twins) and ``tests/test_async_only_faults.py``.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from typing_extensions import Unpack

from kling.testing import FakeKling, FakeKlingOptions, FakeKlingServer, RecordedRequest

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
T2V = "/v1/videos/text2video"
"""The text-to-video family's path: the family most fault tests drive."""


VIDEO_PACK = "fake-pack-video"
IMAGE_PACK = "fake-pack-image"


def packs(video: float = 100.0, image: float = 100.0) -> list[dict[str, Any]]:
    """A video and an image resource pack holding ``video`` and ``image`` units, as
    ``/account/costs`` lists packs (their names say their type)."""
    return [
        {
            "resource_pack_name": f"Test-{kind.title()}-Pack",
            "resource_pack_id": pack_id,
            "resource_pack_type": "decreasing_total",
            "total_quantity": units,
            "remaining_quantity": units,
            "status": "online",
        }
        for kind, pack_id, units in (("video", VIDEO_PACK, video), ("image", IMAGE_PACK, image))
    ]


@contextlib.contextmanager
def serve(**options: Unpack[FakeKlingOptions]) -> Iterator[FakeKlingServer]:
    """``FakeKling.serve(**options)``, for tests that share one server per module."""
    with FakeKling.serve(**options) as server:
        yield server


def is_mp4(data: bytes) -> bool:
    """An ISO-BMFF file: its first box is ``ftyp`` (the type sits at offset 4)."""
    return data[4:8] == b"ftyp"


def is_png(data: bytes) -> bool:
    return data.startswith(PNG_SIGNATURE)


def calls(
    fake: FakeKling, method: str, path: str, *, prefix: bool = False
) -> list[RecordedRequest]:
    """Requests the fake received with ``method`` on ``path`` (or under it, with ``prefix``)."""
    return [
        request
        for request in fake.requests
        if request.method == method
        and (request.path.startswith(path) if prefix else request.path == path)
    ]


def polls(fake: FakeKling, path: str = T2V) -> list[RecordedRequest]:
    """Single-task queries: ``GET path/<id>``."""
    return calls(fake, "GET", path + "/", prefix=True)


def external_ids(fake: FakeKling) -> Counter[str | None]:
    """How many stored tasks carry each ``external_task_id`` (any count above 1 is a duplicate)."""
    return Counter(task.external_task_id for task in fake.tasks.values())


def codes(fake: FakeKling) -> Counter[int | None]:
    """How often the fake answered each business code."""
    return Counter(request.code for request in fake.requests)


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Block (really) until ``predicate()`` holds: for work the server thread finishes late."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(0.01)


def files_in(directory: Path) -> list[str]:
    """Names in ``directory``, hidden temporary files included."""
    return sorted(path.name for path in directory.iterdir())
