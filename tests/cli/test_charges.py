"""``kling account spend`` and the batch summary's quoted and charged units, against FakeKling.

The expected figures are the pricing pages' (worked out by hand):
https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-video.md and
https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-image.md
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kling.testing import FakeKlingServer
from tests._fake_helpers import packs

from .conftest import KlingRunner, flat, server_args
from .test_tasks import create


def _spend_some(kling: KlingRunner, server: FakeKlingServer) -> None:
    server.fake.resource_packs = packs()
    # Kling 2.5 Turbo at 720p, 0.3 units a second, 5 s: 1.5 video units ($0.21).
    create(kling, server, "text-to-video", "a fox", "--model-name", "kling-v2-5-turbo", "--wait")
    create(kling, server, "text-to-video", "a cat", "--model-name", "kling-v2-5-turbo", "--wait")
    # Kling Image 3.0, 8 units an image: 8 image units ($0.028).
    create(kling, server, "image", "a fox", "--model-name", "kling-v3", "--wait")


def test_spend_adds_the_charges_up_by_model(kling: KlingRunner, server: FakeKlingServer) -> None:
    _spend_some(kling, server)
    result = kling(*server_args(server), "--json", "account", "spend", "--since", "7d")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["by"] == "model"
    assert report["rows"] == [
        {
            "key": "kling-v2-5-turbo",
            "tasks": 2,
            "units": {"video": 3.0},
            "cash": {},
            "usd": 0.42,
        },
        {"key": "kling-v3", "tasks": 1, "units": {"image": 8.0}, "cash": {}, "usd": 0.028},
    ]
    assert report["usd"] == pytest.approx(0.448)
    sent = [r.json for r in server.fake.requests if r.path.startswith("/account/billing/")]
    (window,) = {body["end_time"] - body["start_time"] for body in sent}
    assert window == 7 * 86_400_000


def test_spend_prints_a_table_with_a_bar_per_row(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    _spend_some(kling, server)
    result = kling(*server_args(server), "account", "spend")
    assert result.exit_code == 0, result.output
    assert flat(result.stdout).startswith("Spent ")
    video, image = (
        row for row in result.stdout.splitlines() if "kling-v2-5" in row or "kling-v3 " in row
    )
    assert "3 video" in video
    assert "$0.42" in video
    assert "8 image" in image
    assert "$0.03" in image
    # The costliest row's bar is the full width; $0.028 against $0.42 is the shortest bar.
    assert (video.count("█"), image.count("█")) == (20, 1)
    by_key = kling(*server_args(server), "account", "spend", "--by", "api-key")
    (line,) = [row for row in by_key.stdout.splitlines() if "default" in row]
    assert "3 video + 8" in line  # "image" folds onto the next line of an 80-column table
    assert "$0.45" in line


def test_spend_by_day_puts_today_in_one_row(kling: KlingRunner, server: FakeKlingServer) -> None:
    _spend_some(kling, server)
    result = kling(*server_args(server), "--json", "account", "spend", "--by", "day")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)["rows"]
    assert row["tasks"] == 3


@pytest.mark.parametrize(
    ("option", "says"), [("--since=soon", "30d, 12h"), ("--by=colour", "model, day, api-key")]
)
def test_spend_refuses_what_it_cannot_read_before_asking(
    kling: KlingRunner, server: FakeKlingServer, option: str, says: str
) -> None:
    result = kling(*server_args(server), "account", "spend", option)
    assert result.exit_code == 2
    assert says in flat(result.stderr)
    assert server.fake.requests == []


def test_the_batch_summary_prints_the_quoted_and_the_charged_units(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path
) -> None:
    jobs = tmp_path / "jobs.jsonl"
    lines = [
        # 0.3 units a second at 720p for 5 s (Kling 2.5 Turbo); 4 units an image, 2 images
        # (Kling Image 2.1 text to image).
        {"family": "text_to_video", "prompt": "a fox", "model_name": "kling-v2-5-turbo"},
        {"family": "images", "prompt": "a fox", "model_name": "kling-v2-1", "n": 2},
    ]
    jobs.write_text("".join(json.dumps(line) + "\n" for line in lines))
    out = tmp_path / "out"
    result = kling(*server_args(server), "batch", "run", str(jobs), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "2 succeeded; 9.5 units quoted, 9.5 units charged;" in flat(result.stdout)
    records = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert sorted((r["units_quoted"], r["units_charged"]) for r in records) == [
        (1.5, 1.5),
        (8.0, 8.0),
    ]
