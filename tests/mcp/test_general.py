"""The tools of AI multi-shot, the billing details and the older element library."""

from __future__ import annotations

from pathlib import Path

from kling.testing import FakeKling
from tests._fake_helpers import packs

from .conftest import Mcp, creates
from .test_tools import tools

FRONT = "https://cdn.example/front.png"


async def test_ai_multi_shot_creates_waits_and_downloads_nine_views(
    mcp: Mcp, fake: FakeKling, root: Path
) -> None:
    created = await mcp.ok("create_ai_multi_shot", {"element_frontal_image": FRONT})
    assert created["family"] == "ai_multi_shot"
    (request,) = creates(fake, "/v1/general/ai-multi-shot")
    assert request.json["element_frontal_image"] == FRONT
    done = await mcp.ok("wait_task", {"family": "ai_multi_shot", "task_id": created["task_id"]})
    assert len(done["result_urls"]) == 9
    saved = await mcp.ok(
        "download_results",
        {"family": "ai_multi_shot", "task_id": created["task_id"], "directory": "views"},
    )
    assert len(saved["files"]) == 9
    assert len(list((root / "views").iterdir())) == 9


async def test_unit_deductions_list_the_charge_of_a_finished_task(
    mcp: Mcp, fake: FakeKling
) -> None:
    fake.resource_packs = packs()
    created = await mcp.ok("create_images", {"prompt": "a fox", "model_name": "kling-v3"})
    await mcp.ok("wait_task", {"family": "images", "task_id": created["task_id"]})
    answer = await mcp.ok("account_unit_deductions", {"days": 3, "product_type": ["image"]})
    (charge,) = answer["charges"]
    assert charge["task_id"] == created["task_id"]
    assert charge["unit_after_deduction"] == 92.0  # 8 units an image (Kling Image 3.0)
    (request,) = [r for r in fake.requests if r.path == "/account/billing/package"]
    assert request.json["end_time"] - request.json["start_time"] == 3 * 86_400_000
    assert request.json["filters"] == [{"key": "product_type", "values": ["image"]}]
    balance = await mcp.ok("account_balance_deductions", {})
    assert balance["charges"] == []


async def test_a_billing_filter_the_pages_rule_out_is_a_tool_error_before_sending(
    mcp: Mcp, fake: FakeKling
) -> None:
    answer = await mcp.call(
        "account_unit_deductions", {"package_name": ["Trial"], "package_id": ["p1"]}
    )
    assert "not both" in answer.error["message"]
    unknown = await mcp.call("account_balance_deductions", {"product_type": ["video"]})
    assert unknown.is_error
    assert fake.requests == []


async def test_a_custom_element_is_created_from_a_file_under_the_root_and_listed(
    mcp: Mcp, fake: FakeKling, root: Path
) -> None:
    from tests.test_files import png

    (root / "front.png").write_bytes(png(400, 400))
    answer = await mcp.ok(
        "create_custom_element",
        {
            "element_name": "Mochi",
            "element_description": "a white cat",
            "element_frontal_image": "front.png",
            "element_refer_list": [{"image_url": FRONT}],
        },
    )
    element_id = answer["element"]["element_id"]
    (request,) = creates(fake, "/v1/general/custom-elements")
    assert not request.json["element_frontal_image"].startswith("front")  # sent as Base64
    mine = await mcp.ok("list_custom_elements", {})
    assert [item["element_id"] for item in mine["elements"]] == [element_id]
    presets = await mcp.ok("list_custom_elements", {"presets": True})
    assert {item["owned_by"] for item in presets["elements"]} == {"kling"}


async def test_the_custom_element_create_is_not_marked_idempotent(mcp: Mcp) -> None:
    listed = await tools(mcp)
    assert listed["create_custom_element"].annotations.idempotent_hint is False
    assert listed["list_custom_elements"].annotations.read_only_hint is True
    assert listed["account_unit_deductions"].annotations.read_only_hint is True
