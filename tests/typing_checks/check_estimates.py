"""Checked by ``mypy --strict``, never run: ``on_progress`` takes two arguments or three (the
third a :class:`kling.Estimate`), on waits and on ``create_and_wait``."""

from __future__ import annotations

from typing import Any

from kling import AsyncKlingClient, Estimate, KlingClient, Task


def with_estimate(task: Task, elapsed: float, estimate: Estimate) -> None:
    print(task.task_status, elapsed, estimate.describe(), estimate.remaining)


def without(task: Task, elapsed: float) -> None:
    print(task.task_status, elapsed)


def sync_client(client: KlingClient) -> None:
    client.text_to_video.wait("t1", on_progress=with_estimate)
    client.text_to_video.wait("t1", on_progress=without)
    client.text_to_video.create_and_wait(prompt="x", on_progress=lambda t, e, x: print(x.slow))
    client.v2.text_to_video.create_and_wait(
        model="kling-3.0", prompt="x", on_progress=lambda t, e: print(t, e)
    )


async def async_client(client: AsyncKlingClient) -> None:
    async def report(task: Any, elapsed: float, estimate: Estimate) -> None:
        print(estimate.short())

    await client.text_to_video.wait("t1", on_progress=report)
    await client.v2.tasks.wait("t1", on_progress=without)
