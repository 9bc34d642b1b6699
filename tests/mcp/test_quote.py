"""The ``quote`` tool, and the quote every create tool's answer carries.

Units from Kling's pricing page
(https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-video.md): Kling 3.0
without audio 0.6 units/s at 720p and 0.8 at 1080p (a legacy ``mode="pro"``); Kling 3.0
Turbo 0.8 units/s at 720p; one video unit $0.14.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kling.testing import FakeKling

from .conftest import Clock, Mcp, kling_client, mcp_session


async def test_quote_prices_a_create_tool_call_and_sends_nothing(mcp: Mcp, fake: FakeKling) -> None:
    answer = await mcp.ok(
        "quote",
        {
            "tool": "create_v2_text_to_video",
            "arguments": {"model": "kling-3.0-turbo", "prompt": "a fox", "duration": 3},
        },
    )

    assert fake.requests == []
    assert answer["tool"] == "create_v2_text_to_video"
    assert answer["summary"] == "2.4 video units ($0.336)"  # 3 s x 0.8; 2.4 x $0.14
    quote = answer["quote"]
    assert quote["priced"] is True
    assert quote["units"] == {"video": 2.4}
    assert [(row["model"], row["feature"], row["units"]) for row in quote["rows"]] == [
        ("Kling 3.0 Turbo", "With Native Audio", 0.8)
    ]


async def test_quote_checks_the_arguments_as_the_create_tool_does(
    mcp: Mcp, fake: FakeKling
) -> None:
    bad = await mcp.call(
        "quote",
        {
            "tool": "create_v2_text_to_video",
            "arguments": {"model": "kling-3.0-turbo", "prompt": "a fox", "duration": 99},
        },
    )
    unknown = await mcp.call("quote", {"tool": "create_nothing", "arguments": {}})

    assert "kling-3.0-turbo makes videos of 3 to 15 s (got 99)" in bad.error["message"]
    assert "tool must be one of the create tools" in unknown.error["message"]
    assert fake.requests == []


async def test_an_unpriced_call_says_why(mcp: Mcp) -> None:
    answer = await mcp.ok("quote", {"tool": "create_video_extend", "arguments": {"video_id": "1"}})

    assert answer["quote"]["priced"] is False
    assert answer["quote"]["units"] == {}
    assert "video-extend: Kling's pricing pages give no price" in answer["quote"]["reason"]


async def test_a_create_tool_answers_with_its_quote(mcp: Mcp) -> None:
    task = await mcp.ok(
        "create_text_to_video", {"prompt": "a heron", "model_name": "kling-v3", "mode": "pro"}
    )

    assert task["quote"]["units"] == {"video": 4.0}  # 5 s (default) x 0.8 at 1080p
    assert task["quote"]["usd"] == pytest.approx(0.56)


async def test_a_read_only_server_still_quotes(fake: FakeKling, root: Path, clock: Clock) -> None:
    async with kling_client(fake) as client, mcp_session(client, root, read_only=True) as mcp:
        answer = await mcp.ok(
            "quote",
            {
                "tool": "create_text_to_video",
                "arguments": {"prompt": "a fox", "model_name": "kling-v3"},
            },
        )

    assert answer["quote"]["units"] == {"video": 3.0}  # 5 s x 0.6 at 720p (std)
    assert fake.requests == []
