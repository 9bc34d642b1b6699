"""Checked by ``mypy --strict`` in ``nox -s lint``, never run: per-call options and raw responses.

A line ending in ``# type: ignore[...]`` must be an error of that kind; as mypy warns about
unused ignores, a signature that stopped checking its arguments fails the lint.
"""

from __future__ import annotations

import httpx
from typing_extensions import assert_type

from kling import (
    AsyncKlingClient,
    AsyncTask,
    AsyncV2Task,
    CostsResult,
    FaceIdentification,
    KlingClient,
    RawResponse,
    Speech,
    Task,
    V2Task,
)


def sync_options(client: KlingClient) -> None:
    trace = {"X-Trace-Id": "abc"}
    client.text_to_video.create(
        prompt="a corgi", extra_headers=trace, extra_query={"q": 1}, timeout=5.0
    )
    client.text_to_video.create_and_wait(prompt="a corgi", extra_headers=trace, timeout=600)
    client.text_to_video.get("t1", timeout=httpx.Timeout(5.0), extra_query={"a": [1, 2]})
    client.v2.tasks.wait("t1", extra_headers=trace)
    client.tts.create(text="hi", voice_id="v", voice_language="en", extra_body={"x": 1})
    client.text_to_video.create(prompt="a corgi", extra_headers={"X": 1})  # type: ignore[dict-item]
    client.text_to_video.get("t1", timeout="5")  # type: ignore[arg-type]


async def async_options(client: AsyncKlingClient) -> None:
    await client.v2.text_to_video.create(
        model="kling-3.0", prompt="a corgi", extra_headers={"X-Trace-Id": "abc"}, timeout=None
    )
    await client.identify_face(video_id="v1", extra_body={"beta": True}, timeout=3)
    await client.account.costs(0, 1, extra_headers={"X-Trace-Id": "abc"})


def sync_raw(client: KlingClient) -> None:
    raw = client.with_raw_response.text_to_video.create(prompt="a corgi")
    assert_type(raw, RawResponse[Task])
    assert_type(raw.parse(), Task)
    assert_type(raw.status_code, int)
    assert_type(raw.request_id, str | None)
    assert_type(client.with_raw_response.v2.tasks.get("t1").parse(), V2Task)
    assert_type(client.with_raw_response.tts.create(text="hi", voice_id="v").parse(), Speech)
    client.with_raw_response.text_to_video.create(promt="a corgi")  # type: ignore[call-arg]


async def async_raw(client: AsyncKlingClient) -> None:
    raw = await client.with_raw_response.v2.text_to_video.create(model="kling-3.0", prompt="x")
    assert_type(raw.parse(), AsyncV2Task)
    assert_type((await client.with_raw_response.images.get("t1")).parse(), AsyncTask)
    costs = await client.with_raw_response.account.costs(0, 1)
    assert_type(costs.parse(), CostsResult)
    face = await client.with_raw_response.identify_face(video_id="v1")
    assert_type(face.parse(), FaceIdentification)
    await client.with_raw_response.text_to_video.get(42)  # type: ignore[arg-type]
