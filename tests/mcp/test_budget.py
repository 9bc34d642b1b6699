"""``kling mcp --budget N``: an agent cannot spend more than N units through the server, and the
create and quote tools say what is left.

A 5 s ``kling-v2-6`` ``std`` video is 1.5 video units: Kling 2.6 without native audio at 720p
is 0.3 units a second (https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-video.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import pytest

from kling import Budget
from kling.testing import FakeKling

from .conftest import Clock, creates, kling_client, mcp_session
from .test_command import COMMAND, MODULE, errlog, launched

__all__ = ["errlog"]  # the fixture, used here too

VIDEO = {"model_name": "kling-v2-6", "mode": "std", "duration": "5"}


async def test_creates_past_the_budget_are_refused_and_the_tools_say_what_is_left(
    fake: FakeKling, root: Path, clock: Clock
) -> None:
    async with (
        kling_client(fake, budget=Budget(total=3)) as client,
        mcp_session(client, root) as mcp,
    ):
        quoted = await mcp.ok(
            "quote", {"tool": "create_text_to_video", "arguments": {"prompt": "a fox", **VIDEO}}
        )
        first = await mcp.ok("create_text_to_video", {"prompt": "a fox", **VIDEO})
        second = await mcp.ok("create_text_to_video", {"prompt": "a hen", **VIDEO})
        third = await mcp.call("create_text_to_video", {"prompt": "a cat", **VIDEO})
        again = await mcp.ok("create_text_to_video", {"prompt": "a fox", **VIDEO})

    assert quoted["budget"]["left"] == {"total": 3.0}
    assert first["budget"]["left"] == {"total": 1.5}
    assert second["budget"]["left"] == {"total": 0.0}
    assert second["budget"]["used"] == {"video": 3.0}
    assert third.error["type"] == "BudgetExceededError"
    assert third.error["budget_left"] == {"total": 0.0}
    assert third.error["message"] == (
        "the create /v1/videos/text2video refused before sending: it costs 1.5 video units "
        "($0.21), and this client's budget has 0 units in total left; nothing was sent"
    )
    assert "quote tool" in third.error["hint"]
    # The same call again is the same task (its id comes from the arguments): no new charge.
    assert again["task_id"] == first["task_id"]
    assert len(creates(fake)) == 3  # the fox, the hen, and the fox again (Kling: a duplicate)
    assert len(fake.tasks) == 2


async def test_without_a_budget_the_tools_say_nothing_of_one(
    fake: FakeKling, root: Path, clock: Clock
) -> None:
    async with kling_client(fake) as client, mcp_session(client, root) as mcp:
        created = await mcp.ok("create_text_to_video", {"prompt": "a fox", **VIDEO})
    assert "budget" not in created


@pytest.mark.parametrize("command", [MODULE, COMMAND], ids=["python -m kling.mcp", "kling mcp"])
async def test_the_budget_option_holds_over_stdio(
    root: Path, errlog: TextIO, command: list[str]
) -> None:
    async with launched(root, errlog, "--budget", "1.5", command=command) as mcp:
        created = await mcp.ok("create_text_to_video", {"prompt": "a fox", **VIDEO})
        refused = await mcp.call("create_text_to_video", {"prompt": "a hen", **VIDEO})
    assert created["budget"]["left"] == {"total": 0.0}
    assert refused.error["type"] == "BudgetExceededError"
