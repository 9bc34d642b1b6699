"""Raw-HTTP helpers for the legacy fidelity suite: no SDK client, only httpx against the fake."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from kling.testing import DEFAULT_API_KEY, FakeKling
from kling.testing._files import make_png

AUTH = {"Authorization": f"Bearer {DEFAULT_API_KEY}"}
T2V = "/v1/videos/text2video"
I2V = "/v1/videos/image2video"
EXTEND = "/v1/videos/video-extend"
OMNI_VIDEO = "/v1/videos/omni-video"
MOTION = "/v1/videos/motion-control"
IMAGES = "/v1/images/generations"
OMNI_IMAGE = "/v1/images/omni-image"
IMG = "https://cdn.example/frame.png"
VID = "https://cdn.example/clip.mp4"
PNG_B64 = base64.b64encode(make_png()).decode()
"""A valid 320x320 PNG as raw Base64."""
PRESET_ELEMENT = 700_000_000_000_000_100
PRESET_VOICE = "genshin_vindi2"


@asynccontextmanager
async def client(
    fake: FakeKling | None = None, headers: dict[str, str] | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client on ``fake`` in-process, with the default API key unless told otherwise."""
    transport = httpx.ASGITransport(app=fake or FakeKling())
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://fake.test",
        headers=AUTH if headers is None else headers,
    ) as http:
        yield http


def refusal(response: httpx.Response, status: int, code: int) -> str:
    """The message of an error envelope with ``status`` and ``code`` (and no ``data``)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    assert "data" not in body
    assert body["request_id"]
    message: str = body["message"]
    return message


async def created(http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> str:
    """POST a create that must succeed; its ``task_id``."""
    response = await http.post(path, json=body)
    assert response.status_code == 200, response.text
    task_id: str = response.json()["data"]["task_id"]
    return task_id


async def finished(http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """Create a task and query it (instant timing: it has succeeded)."""
    task_id = await created(http, path, body)
    task: dict[str, Any] = (await http.get(f"{path}/{task_id}")).json()["data"]
    assert task["task_status"] == "succeed", task
    return task


async def video_id(http: httpx.AsyncClient, path: str = T2V, **body: Any) -> str:
    """The id of a finished text-to-video (or ``path``) result video."""
    task = await finished(http, path, {"prompt": "a corgi", **body})
    result: str = task["task_result"]["videos"][0]["id"]
    return result
