"""AI multi-shot, the billing details and the older element library, against FakeKling over
loopback (and respx where Kling's answer must be one FakeKling would never give)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from kling import AsyncKlingClient, InvalidParameterError
from kling.testing import FakeKlingServer, Timing
from tests._fake_helpers import calls, is_png, serve

from .conftest import FakeClock

FRONT = "https://cdn.example/front.png"
SIDE = "https://cdn.example/side.png"


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
    async with AsyncKlingClient(server.access_key, server.secret_key, base_url=server.url) as kling:
        yield kling


def bodies(server: FakeKlingServer, method: str, path: str) -> list[Any]:
    return [request.json for request in calls(server.fake, method, path)]


# -- AI multi-shot --------------------------------------------------------------------------------


async def test_ai_multi_shot_sends_the_frontal_image_and_gets_three_sets_of_three_views(
    client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    done = await client.ai_multi_shot.create_and_wait(element_frontal_image=FRONT)
    (sent,) = bodies(server, "POST", "/v1/general/ai-multi-shot")
    assert sent["element_frontal_image"] == FRONT
    assert [image.index for image in done.images] == [0, 1, 2]
    assert all(image.url is None for image in done.images)
    assert [len(image.urls) for image in done.images] == [3, 3, 3]
    assert done.result_urls() == [url for image in done.images for url in image.urls]
    # The family's own get and list read it back.
    assert (await client.ai_multi_shot.get(done.task_id)).images == done.images
    listed = [task.task_id async for task in client.ai_multi_shot.list()]
    assert listed == [done.task_id]


async def test_ai_multi_shot_download_saves_every_view_of_every_set(
    client: AsyncKlingClient, tmp_path: Path
) -> None:
    done = await client.ai_multi_shot.create_and_wait(element_frontal_image=FRONT)
    paths = await done.download(tmp_path)
    assert [path.name for path in paths] == [f"{done.task_id}-{n}.png" for n in range(9)]
    assert all(is_png(path.read_bytes()) for path in paths)


async def test_ai_multi_shot_without_a_frontal_image_is_refused_before_sending(
    client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    with pytest.raises(InvalidParameterError, match="element_frontal_image"):
        await client.ai_multi_shot.create()  # type: ignore[call-arg]
    assert server.fake.requests == []
