"""What an agent sees when it lists the tools: one per family and product, with their schemas."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from kling._families import FAMILIES, PRODUCTS, ROWS
from kling.mcp._tools import tool_defs
from kling.testing import FakeKling

from .conftest import Clock, Mcp, kling_client, mcp_session

LOOKUPS = {
    "get_task",
    "wait_task",
    "list_tasks",
    "account_costs",
    "account_balance_deductions",
    "account_unit_deductions",
    "list_custom_elements",
    "list_models",
    "quote",
}
#: The steps of the multi-element selection session (tests/mcp/test_selections.py).
SELECTIONS = {
    f"multi_elements_{step}_selection" for step in ("init", "add", "delete", "clear", "preview")
}


async def tools(mcp: Mcp) -> dict[str, Any]:
    listed = await mcp.session.list_tools()
    return {tool.name: tool for tool in listed.tools}


async def test_there_is_a_create_tool_for_every_family_and_product_and_the_lookup_tools(
    mcp: Mcp,
) -> None:
    names = set(await tools(mcp))
    assert names == {
        *(f"create_{name}" for name in FAMILIES),
        *(f"create_v2_{name}" for name in PRODUCTS),
        *LOOKUPS,
        *SELECTIONS,
        "create_custom_element",
        "download_results",
        "tts",
        "identify_face",
        "image_recognize",
    }


async def test_a_create_schema_has_the_familys_required_fields_enums_and_limits(mcp: Mcp) -> None:
    schema = (await tools(mcp))["create_motion_control"].input_schema
    assert set(schema["required"]) == {"image_url", "video_url", "character_orientation", "mode"}
    props = schema["properties"]
    assert props["character_orientation"]["enum"] == ["image", "video"]
    assert props["mode"]["enum"] == ["std", "pro"]
    assert props["prompt"]["maxLength"] == 2500
    assert schema["additionalProperties"] is False
    # Agents get a self-contained schema: nothing to resolve, no titles to read.
    text = json.dumps(schema)
    assert "$ref" not in text
    assert "$defs" not in text
    assert '"title"' not in text


async def test_nested_items_are_inlined_with_their_own_limits(mcp: Mcp) -> None:
    props = (await tools(mcp))["create_text_to_video"].input_schema["properties"]
    shot = props["multi_prompt"]["items"]
    assert props["multi_prompt"]["maxItems"] == 6
    assert shot["properties"]["prompt"]["maxLength"] == 512
    assert set(shot["required"]) == {"index", "prompt", "duration"}
    assert props["duration"]["enum"][0] == "3"


async def test_media_arguments_say_they_take_a_url_a_path_under_the_root_or_base64(
    mcp: Mcp,
) -> None:
    listed = await tools(mcp)
    description = listed["create_image_to_video"].input_schema["properties"]["image"]["description"]
    assert "http(s) URL" in description
    assert "path relative to the server's root" in description
    assert "Base64" in description
    assert "JPEG or PNG" in description
    # A video is only ever a URL.
    video = listed["create_motion_control"].input_schema["properties"]["video_url"]
    assert "path" not in video["description"]


async def test_callbacks_are_not_offered_and_the_external_id_explains_idempotency(
    mcp: Mcp,
) -> None:
    listed = await tools(mcp)
    for name in ("create_text_to_video", "create_v2_image_to_video", "create_voices"):
        props = listed[name].input_schema["properties"]
        assert "callback_url" not in props
        assert "identical call returns the same task" in props["external_task_id"]["description"]


async def test_what_every_create_shares_is_said_once_in_the_instructions(
    fake: FakeKling, root: Path, clock: Clock
) -> None:
    async with kling_client(fake) as client, mcp_session(client, root) as mcp:
        listed = await mcp.session.list_tools()
        instructions = (await mcp.session.initialize()).instructions or ""
    assert "Creates are idempotent" in instructions
    assert "paths outside it are refused" in instructions
    creates = [tool for tool in listed.tools if tool.name.startswith("create_")]
    for tool in creates:
        description = tool.description or ""
        assert "identical calls return the same task" not in description, tool.name
        assert len(description) < 300, (tool.name, description)
    # As sent: was 79.7 kB for 40 tools, 12 kB of it the same paragraph in every create tool;
    # 68 kB for 43 when this was written.
    wire = [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in listed.tools]
    assert len(json.dumps(wire, separators=(",", ":"))) < 72_000


async def test_a_v2_product_takes_a_model_from_its_models(mcp: Mcp) -> None:
    schema = (await tools(mcp))["create_v2_text_to_video"].input_schema
    assert schema["required"][0] == "model"
    assert set(schema["properties"]["model"]["enum"]) == {
        "kling-3.0-turbo",
        "kling-3.0",
        "kling-2.6",
        "kling-2.5-turbo",
    }
    assert "prompt" in schema["required"]


async def test_lookup_tools_are_marked_read_only_and_creates_idempotent(mcp: Mcp) -> None:
    listed = await tools(mcp)
    assert listed["wait_task"].annotations.read_only_hint is True
    assert listed["create_avatar"].annotations.read_only_hint is False
    assert listed["create_avatar"].annotations.idempotent_hint is True
    assert listed["wait_task"].input_schema["properties"]["family"]["enum"][-1] == "v2"


async def test_read_only_lists_only_the_lookup_tools_and_refuses_the_others(
    fake: FakeKling, root: Path, clock: Clock
) -> None:
    async with kling_client(fake) as client, mcp_session(client, root, read_only=True) as mcp:
        assert set(await tools(mcp)) == LOOKUPS
        answer = await mcp.call("create_text_to_video", {"prompt": "a corgi"})
        assert "read-only" in answer.error["message"]
        download = await mcp.call("download_results", {"family": "v2", "task_id": "1"})
        assert download.is_error
    assert fake.requests == []


async def test_every_input_schema_is_valid_json_schema_that_accepts_a_real_call(
    mcp: Mcp,
) -> None:
    from jsonschema import Draft202012Validator

    listed = await tools(mcp)
    for tool in listed.values():
        Draft202012Validator.check_schema(tool.input_schema)
    call = {
        "prompt": "a corgi",
        "duration": "5",
        "multi_prompt": [{"index": 1, "prompt": "first", "duration": "2"}],
    }
    Draft202012Validator(listed["create_text_to_video"].input_schema).validate(call)
    errors = Draft202012Validator(listed["create_text_to_video"].input_schema).iter_errors(
        {"prompt": "x" * 2501, "duration": "2"}
    )
    assert {error.validator for error in errors} == {"maxLength", "enum"}


def test_every_row_of_both_standards_has_exactly_one_create_tool() -> None:
    creates = [tool for tool in tool_defs() if tool.kind == "create"]
    assert [tool.row for tool in creates] == list(ROWS)
    assert len({tool.name for tool in creates}) == len(ROWS)


def test_a_product_that_no_family_names_gets_a_create_tool_that_takes_its_model() -> None:
    solo = dataclasses.replace(PRODUCTS["omni_video"], name="omni_video_next")
    (tool,) = [tool for tool in tool_defs(rows=[solo]) if tool.kind == "create"]

    assert tool.name == "create_v2_omni_video_next"
    assert tool.row is solo
    assert tool.input_schema["required"][0] == "model"
    assert "'v2'" in tool.description
