"""download_results: files land under the root, and the agent gets their paths relative to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kling.testing import FakeKling
from tests._fake_helpers import is_mp4

from .conftest import Mcp


async def finished_video(mcp: Mcp) -> str:
    created = await mcp.ok("create_text_to_video", {"prompt": "a corgi"})
    await mcp.ok("wait_task", {"family": "text_to_video", "task_id": created["task_id"]})
    task_id: str = created["task_id"]
    return task_id


async def test_download_writes_into_the_root_and_returns_relative_paths(
    mcp: Mcp, root: Path
) -> None:
    task_id = await finished_video(mcp)
    saved = await mcp.ok(
        "download_results",
        {"family": "text_to_video", "task_id": task_id, "directory": "videos/today"},
    )
    assert saved["files"] == [f"videos/today/{task_id}-0.mp4"]
    assert saved["directory"] == "videos/today"
    assert is_mp4((root / saved["files"][0]).read_bytes())


async def test_download_defaults_to_the_root_itself(mcp: Mcp, root: Path) -> None:
    task_id = await finished_video(mcp)
    saved = await mcp.ok("download_results", {"family": "text_to_video", "task_id": task_id})
    assert saved["files"] == [f"{task_id}-0.mp4"]
    assert (root / f"{task_id}-0.mp4").is_file()


async def test_v2_results_download_the_same_way(mcp: Mcp, root: Path) -> None:
    created = await mcp.ok("create_v2_text_to_video", {"model": "kling-3.0", "prompt": "x"})
    await mcp.ok("wait_task", {"family": "v2", "task_id": created["task_id"]})
    saved = await mcp.ok("download_results", {"family": "v2", "task_id": created["task_id"]})
    assert is_mp4((root / saved["files"][0]).read_bytes())


@pytest.mark.parametrize("directory", ["..", "/tmp", "escape"])
async def test_a_directory_outside_the_root_is_refused_before_anything_is_fetched(
    mcp: Mcp, fake: FakeKling, root: Path, tmp_path: Path, directory: str
) -> None:
    task_id = await finished_video(mcp)
    (root / "escape").symlink_to(tmp_path, target_is_directory=True)
    before = len(fake.requests)
    answer = await mcp.call(
        "download_results", {"family": "text_to_video", "task_id": task_id, "directory": directory}
    )
    assert answer.error["type"] == "OutsideRootError"
    assert answer.error["field"] == "directory"
    assert len(fake.requests) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["root"]


async def test_an_unfinished_task_has_nothing_to_download(mcp: Mcp, root: Path) -> None:
    created = await mcp.ok("create_text_to_video", {"prompt": "x"})
    answer = await mcp.call(
        "download_results", {"family": "text_to_video", "task_id": created["task_id"]}
    )
    assert "wait_task" in answer.error["message"]
    assert list(root.iterdir()) == []
