"""Checked by ``mypy --strict`` in ``nox -s lint``, never run: every family's keywords are typed.

A line ending in ``# type: ignore[...]`` must be an error of that kind; as mypy warns about
unused ignores, a signature that stopped checking its keywords fails the lint.
"""

from __future__ import annotations

from pathlib import Path

from typing_extensions import assert_type

from kling import AsyncKlingClient, AsyncTask, AsyncV2Task, KlingClient, KlingError, Task


def sync_client(client: KlingClient) -> None:
    assert_type(client.text_to_video.create(prompt="a corgi", duration="5"), Task)
    client.text_to_video.create(promt="a corgi")  # type: ignore[call-arg]
    client.text_to_video.create(prompt=5)  # type: ignore[arg-type]
    client.text_to_video.create(prompt="a corgi", mode="ultra")  # type: ignore[arg-type]
    client.image_to_video.create_and_wait(image=Path("a.png"), timeout=60)
    client.images.create(prompt="a fox", n="4")  # type: ignore[arg-type]
    client.lip_sync.create(video_id="v", mode="text2video", text="hi", voice_id="uk_boy1")
    client.voices.create(voice_url="https://example.com/v.mp3")  # type: ignore[call-arg]
    results = client.text_to_video.create_many([{"prompt": "a"}, {"prompt": "b"}])
    assert_type(results, list[Task | KlingError])
    client.text_to_video.create_many([{"promt": "a"}])  # type: ignore[typeddict-unknown-key]
    client.images.create_many([{"prompt": "a", "n": "2"}])  # type: ignore[typeddict-item]


async def async_client(client: AsyncKlingClient) -> None:
    assert_type(await client.omni_video.create(prompt="x", aspect_ratio="16:9"), AsyncTask)
    await client.text_to_audio.create(prompt="rain")  # type: ignore[call-arg]
    await client.video_effects.create_and_wait(effect_scene="hug", image="https://x/a.png")
    results = await client.elements.create_many(
        [{"element_name": "Mochi", "element_description": "a cat", "reference_type": "image_refer"}]
    )
    await client.elements.create_many([{"element_name": "Mochi"}])  # type: ignore[typeddict-item]
    assert_type(results, list[AsyncTask | KlingError])
    await client.avatar.create_many([{"image": "x", "sound": "on"}])  # type: ignore[typeddict-unknown-key]


def sync_create_as_completed(client: KlingClient) -> None:
    with client.text_to_video.create_as_completed([{"prompt": "a"}], timeout=60) as finished:
        for result in finished:
            assert_type(result, Task | KlingError)
    client.text_to_video.create_as_completed([{"promt": "a"}])  # type: ignore[typeddict-unknown-key]
    client.text_to_video.create_as_completed([], timout=60)  # type: ignore[call-arg]


async def async_create_as_completed(client: AsyncKlingClient) -> None:
    v2 = client.v2.text_to_video
    async with v2.create_as_completed([{"prompt": "a"}], model="kling-3.0") as finished:
        async for result in finished:
            assert_type(result, AsyncV2Task | KlingError)
