"""A poll validates only what changed: an unchanged task comes back as the model it was.

Waiting for 10,000 tasks polls pages of 500; building 500 models a page, round after round, cost
several times the page's JSON decoding and filled the heap with garbage. A task whose raw item
holds the state it had is handed back as the same model; the page's other tasks (nobody waits
for them) are not validated at all.
"""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
import respx

from kling import AsyncKlingClient, AsyncTask, AsyncV2Task
from tests._helpers import ok, task

from .conftest import FakeClock

PATH = "/v1/videos/text2video"


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the task models validated from now on, of either standard."""
    seen: list[str] = []
    for model in (AsyncTask, AsyncV2Task):
        original = model.model_validate.__func__  # type: ignore[attr-defined]

        def counting(cls: Any, data: Any, *args: Any, _original: Any = original) -> Any:
            built = _original(cls, data, *args)
            seen.append(built.task_id)
            return built

        monkeypatch.setattr(model, "model_validate", classmethod(counting))
    return seen


async def test_an_unchanged_task_is_handed_back_as_the_same_model(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock, validations: list[str]
) -> None:
    answers = itertools.chain(
        [ok(task("t1", "submitted"))] * 3,
        [ok(task("t1", "processing", updated_at=2))] * 2,
        itertools.repeat(ok(task("t1", "succeed", updated_at=3))),
    )
    api.get(f"{PATH}/t1").mock(side_effect=answers)
    seen: list[AsyncTask] = []
    given = client._task(task("t1"), family="text_to_video")
    validations.clear()

    await client.text_to_video.wait(given, on_progress=lambda t, _: seen.append(t))

    states = [t.task_status for t in seen[1:]]  # the first call is the task as given
    assert states == ["submitted"] * 3 + ["processing"] * 2 + ["succeed"]
    assert seen[1] is seen[2] is seen[3]  # polls that found nothing new
    assert seen[4] is seen[5]
    assert validations == ["t1"] * 3  # one model per state


async def test_a_page_validates_only_the_waited_for_tasks_that_changed(
    client: AsyncKlingClient, api: respx.MockRouter, clock: FakeClock, validations: list[str]
) -> None:
    mine = [f"t{i}" for i in range(5)]
    others = [task(f"other-{i}", "processing") for i in range(100)]
    rounds = itertools.chain(
        [[task(i, "processing") for i in mine]] * 3,
        itertools.repeat([task(i, "succeed", updated_at=9) for i in mine]),
    )

    def page(request: httpx.Request) -> httpx.Response:
        return ok([*next(rounds), *others])

    api.get(PATH).mock(side_effect=page)
    tasks = [client._task(task(i), family="text_to_video") for i in mine]
    validations.clear()

    done = await client.text_to_video.wait_all(tasks)

    assert [t.task_status for t in done if isinstance(t, AsyncTask)] == ["succeed"] * 5
    # Round one builds each of ours once, the unchanged rounds nothing, the last one each again;
    # the hundred tasks nobody waits for never.
    assert sorted(validations) == sorted(mine * 2)
