"""``kling multi-elements``: a selection session step by step, then the edit task, on one fake."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kling.testing import FakeKlingServer

from .conftest import KlingRunner, flat, server_args

V = "https://cdn.example/in.mp4"


def _json(kling: KlingRunner, server: FakeKlingServer, *args: str) -> dict[str, Any]:
    result = kling(*server_args(server), "--json", "multi-elements", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_a_session_is_marked_previewed_and_edited_step_by_step(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    started = _json(kling, server, "init", "--video-url", V)
    session = str(started["session_id"])
    assert started["total_frame"] == 150
    assert started["expires_at"]

    masks = tmp_path / "masks"
    added = _json(
        kling, server, "add", session, "--frame", "7", "--point", "0.5,0.5", "--masks", str(masks)
    )
    assert added["files"] == [str(masks / "frame-7-object-0.png")]
    assert (masks / "frame-7-object-0.png").read_bytes().startswith(b"\x89PNG")
    preview = _json(kling, server, "preview", session)
    assert preview["res"]["video"].endswith("-preview.mp4")

    done = _json(
        kling,
        server,
        "create",
        session,
        "Delete the dog from <<<video_1>>>",
        "--edit-mode",
        "removal",
        "--wait",
        "--poll-interval",
        "0.05",
    )
    assert done["task_status"] == "succeed"
    got = kling(
        *server_args(server), "--json", "tasks", "get", "multi-elements", str(done["task_id"])
    )
    assert got.exit_code == 0, got.output
    assert json.loads(got.stdout)["task_result"]["videos"][0]["session_id"] == session

    _json(kling, server, "delete", session, "--frame", "7", "--point", "0.5,0.5")
    _json(kling, server, "clear", session)
    assert server.fake.requests[-1].path == "/v1/videos/multi-elements/clear-selection"


def test_the_human_output_names_the_session_and_the_mask(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    started = kling(*server_args(server), "multi-elements", "init", "--video-url", V)
    assert started.exit_code == 0, started.output
    session = started.stdout.split("session_id: ", 1)[1].split()[0]
    added = kling(
        *server_args(server), "multi-elements", "add", session, "--frame", "0", "--point", "0.5,0.5"
    )
    assert added.exit_code == 0, added.output
    assert "Frame 0" in added.stdout
    assert "1280x720" in added.stdout


def test_a_point_out_of_range_is_refused_before_sending(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    result = kling(
        *server_args(server), "multi-elements", "add", "s1", "--frame", "0", "--point", "1.5,0.5"
    )
    assert result.exit_code != 0
    assert "points[0].x: must be a number from 0 to 1" in flat(result.stderr)
    assert not server.fake.requests


def test_a_point_that_is_not_x_comma_y_is_a_usage_error(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    result = kling(
        *server_args(server), "multi-elements", "add", "s1", "--frame", "0", "--point", "0.5"
    )
    assert result.exit_code == 2
    assert "'0.5' is not X,Y" in flat(result.stderr)
    assert not server.fake.requests
