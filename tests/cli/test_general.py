"""``kling ai-multi-shot``, ``kling account balance-deductions|unit-deductions`` and
``kling custom-elements``, against FakeKling over a socket."""

from __future__ import annotations

import json
from pathlib import Path

from kling.testing import FakeKlingServer
from tests._fake_helpers import packs

from .conftest import KlingRunner, server_args
from .test_tasks import create

FRONT = "https://cdn.example/front.png"


def test_ai_multi_shot_waits_and_downloads_all_nine_views(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    task = create(kling, server, "ai-multi-shot", FRONT, "--wait", "-o", str(tmp_path))
    images = task["task_result"]["images"]  # type: ignore[index]
    assert [sorted(k for k in image if k.startswith("url_")) for image in images] == [
        ["url_1", "url_2", "url_3"]
    ] * 3
    assert len(list(tmp_path.iterdir())) == 9


def test_ai_multi_shot_refuses_one_file_name_for_nine_results(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    result = kling(*server_args(server), "ai-multi-shot", FRONT, "-o", str(tmp_path / "a.png"))
    assert result.exit_code == 2
    assert "makes 9 result files" in result.stderr
    assert server.fake.tasks == {}


def test_unit_deductions_show_what_each_task_cost(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    server.fake.resource_packs = packs()
    task = create(kling, server, "image", "a fox", "--model-name", "kling-v3", "--wait")
    result = kling(
        *server_args(server), "--json", "account", "unit-deductions", "--product-type", "image"
    )
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    assert row["task_id"] == task["task_id"]
    assert row["unit_after_deduction"] == 92.0  # 8 units an image (Kling Image 3.0)
    table = kling(*server_args(server), "account", "unit-deductions")
    assert table.exit_code == 0, table.output
    assert table.stdout.startswith("Unit deductions, ")
    assert "Images" in table.stdout  # the task's function (a narrow table folds the long ids)


def test_balance_deductions_of_an_account_paying_by_pack_are_empty(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    server.fake.resource_packs = packs()
    create(kling, server, "image", "a fox", "--model-name", "kling-v3", "--wait")
    result = kling(*server_args(server), "--json", "account", "balance-deductions", "--days", "2")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


def test_unit_deductions_refuse_a_package_name_and_id_together(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    result = kling(
        *server_args(server),
        "account",
        "unit-deductions",
        "--package-name",
        "Trial",
        "--package-id",
        "p1",
    )
    assert result.exit_code != 0
    assert "package_name or package_id, not both" in result.output
    assert server.fake.requests == []


def test_custom_elements_create_list_presets_and_delete(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    created = create(
        kling,
        server,
        "custom-elements",
        "create",
        "Mochi",
        "--element-description",
        "a white cat",
        "--element-frontal-image",
        FRONT,
        "--element-refer-list",
        '[{"image_url": "https://cdn.example/side.png"}]',
    )
    element_id = str(created["element_id"])
    listed = kling(*server_args(server), "--json", "custom-elements", "list")
    assert listed.exit_code == 0, listed.output
    assert [str(item["element_id"]) for item in json.loads(listed.stdout)] == [element_id]
    presets = kling(*server_args(server), "custom-elements", "presets")
    assert presets.exit_code == 0, presets.output
    assert "Corgi" in presets.stdout
    deleted = kling(*server_args(server), "custom-elements", "delete", element_id)
    assert deleted.exit_code == 0, deleted.output
    assert f"Deleted element {element_id}" in deleted.stdout
    again = kling(*server_args(server), "--json", "custom-elements", "list")
    assert json.loads(again.stdout) == []


def test_custom_elements_create_refuses_a_missing_refer_list_before_sending(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    result = kling(
        *server_args(server),
        "custom-elements",
        "create",
        "Mochi",
        "--element-description",
        "a white cat",
        "--element-frontal-image",
        FRONT,
    )
    assert result.exit_code != 0
    assert "element_refer_list" in result.output
    assert server.fake.requests == []
