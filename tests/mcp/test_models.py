"""``list_models``: the catalogue an agent reads before a create, from the SDK's own tables."""

from __future__ import annotations

from pathlib import Path

import kling
from kling.testing import FakeKling

from .conftest import Clock, Mcp, kling_client, mcp_session


async def test_list_models_is_the_catalogue_and_asks_kling_nothing(
    mcp: Mcp, fake: FakeKling
) -> None:
    data = await mcp.ok("list_models")
    assert data["models"] == [info.as_dict() for info in kling.models()]
    assert data["count"] == len(kling.models())
    assert fake.requests == []


async def test_list_models_of_one_name(mcp: Mcp) -> None:
    data = await mcp.ok("list_models", {"name": "kling-3.0"})
    assert data["count"] == 1
    (model,) = data["models"]
    assert model["name"] == "kling-3.0"
    served = {use["name"]: use for use in model["serves"]}
    assert set(served) == {"text_to_video", "image_to_video", "motion_control"}
    assert served["text_to_video"]["resolutions"] == ["720p", "1080p", "4k"]
    assert set(served["text_to_video"]["sources"]) >= {"durations", "resolutions", "audio"}


async def test_an_unknown_name_is_a_tool_error_naming_the_known_ones(mcp: Mcp) -> None:
    answer = await mcp.call("list_models", {"name": "kling-3.1-omni"})
    error = answer.error
    assert error["type"] == "InvalidParameterError"
    assert error["field"] == "name"
    assert "did you mean 'kling-3.0-omni'?" in error["message"]
    for info in kling.models():
        assert info.name in error["message"]


async def test_list_models_takes_only_a_name(mcp: Mcp) -> None:
    answer = await mcp.call("list_models", {"family": "images"})
    assert "list_models takes no argument 'family'" in answer.error["message"]


async def test_a_read_only_server_lists_models(fake: FakeKling, root: Path, clock: Clock) -> None:
    async with kling_client(fake) as client, mcp_session(client, root, read_only=True) as mcp:
        data = await mcp.ok("list_models", {"name": "kling-v3"})
    assert data["models"][0]["standards"] == ["legacy"]
