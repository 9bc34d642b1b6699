"""``--dry-run``: the body a create would send and its quote, with nothing sent.

Expected units are worked out from Kling's pricing page
(https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-video.md): Kling 3.0
Turbo 0.8 units/s at 720p; Kling 3.0 without audio 0.8 units/s at 1080p (``mode="pro"``), with
native audio 1.2; one video unit $0.14. Image 2.1 text-to-image: 4 units ($0.014) an image.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kling.testing import FakeKlingServer

from .conftest import KlingRunner, flat, key_args, server_args


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("KLING_ACCESS_KEY", "KLING_SECRET_KEY", "KLING_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env to find


def test_a_dry_run_prints_the_body_and_the_quote_and_sends_nothing(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    result = kling(
        *key_args(server),
        "text-to-video",
        "a fox in the snow",
        "--model",
        "kling-3.0-turbo",
        "--duration",
        "3",
        "--dry-run",
    )

    assert result.exit_code == 0, result.stderr
    assert server.fake.requests == []
    out = result.stdout
    assert out.startswith("Would send POST /text-to-video/kling-3.0-turbo:\n")
    body = json.loads(out[out.index("{") : out.rindex("}") + 1])
    assert body == {"prompt": "a fox in the snow", "settings": {"duration": 3}}
    assert "Quote: 2.4 video units ($0.336)" in out  # 3 s x 0.8; 2.4 x $0.14
    assert "Kling 3.0 Turbo, With Native Audio, 720p: 0.8 units/second" in out
    assert "nothing was sent" in flat(result.stderr)


def test_a_dry_run_needs_no_credentials_and_json_holds_the_exact_body(
    kling: KlingRunner, no_credentials: None
) -> None:
    result = kling(
        "text-to-video",
        "a fox",
        "--model-name",
        "kling-v3",
        "--mode",
        "pro",
        "--duration",
        "10",
        "--sound",
        "on",
        "--external-task-id",
        "mine-1",
        "--dry-run",
        "--json",
    )

    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["path"] == "/v1/videos/text2video"
    assert data["body"] == {
        "model_name": "kling-v3",
        "prompt": "a fox",
        "mode": "pro",
        "duration": "10",
        "sound": "on",
        "external_task_id": "mine-1",
    }
    # Kling 3.0 with native audio at 1080p: 1.2 units/s x 10 s = 12 units, $1.68.
    assert data["quote"]["units"] == {"video": 12.0}
    assert data["quote"]["usd"] == pytest.approx(1.68)
    assert data["quote"]["priced"] is True


def test_a_dry_run_refuses_bad_parameters_as_a_create_does(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    result = kling(
        *key_args(server),
        "text-to-video",
        "a fox",
        "--model",
        "kling-3.0-turbo",
        "--duration",
        "99",
        "--dry-run",
    )

    assert result.exit_code != 0
    assert "kling-3.0-turbo makes videos of 3 to 15 s (got 99)" in flat(result.stderr)
    assert server.fake.requests == []


def test_an_unpriced_dry_run_says_why(kling: KlingRunner, no_credentials: None) -> None:
    result = kling("text-to-video", "a fox", "--dry-run")

    assert result.exit_code == 0, result.stderr
    assert "Quote: unpriced: kling-v1: Kling's pricing pages give no price for it" in (
        result.stdout
    )


def test_an_instant_endpoint_dry_runs_too(kling: KlingRunner, server: FakeKlingServer) -> None:
    result = kling(*server_args(server), "tts", "hello", "--voice-id", "v1", "--dry-run")

    assert result.exit_code == 0, result.stderr
    assert server.fake.requests == []
    assert "Would send POST /v1/audio/tts:" in result.stdout
    assert "Quote: 0.05 video units ($0.007)" in result.stdout  # TTS, 0.05 units a call


JOBS = [
    {"family": "text_to_video", "prompt": "a", "model_name": "kling-v3", "mode": "pro"},
    {"family": "text_to_video", "prompt": "b", "model_name": "kling-v3", "mode": "pro"},
    {"product": "text_to_video", "model": "kling-3.0-turbo", "prompt": "c", "duration": 3},
    {"family": "images", "prompt": "d", "model_name": "kling-v2-1", "n": 2},
    {"family": "video_extend", "video_id": "123"},
]


@pytest.fixture
def jobs(tmp_path: Path) -> Path:
    path = tmp_path / "jobs.jsonl"
    path.write_text("".join(json.dumps(job) + "\n" for job in JOBS))
    return path


def test_batch_dry_run_prices_every_job_per_family_and_model_and_creates_nothing(
    kling: KlingRunner, server: FakeKlingServer, jobs: Path
) -> None:
    result = kling(*server_args(server), "batch", "run", str(jobs), "--dry-run", "--json")

    assert result.exit_code == 0, result.stderr
    assert server.fake.requests == []
    data = json.loads(result.stdout)
    groups = {(g["family"], g["model"]): (g["jobs"], g["units"]) for g in data["groups"]}
    assert groups == {
        ("text_to_video", "kling-v3"): (2, {"video": 8.0}),  # 2 x 5 s x 0.8 (pro: 1080p)
        ("v2.text_to_video", "kling-3.0-turbo"): (1, {"video": 2.4}),  # 3 s x 0.8
        ("images", "kling-v2-1"): (1, {"image": 8.0}),  # 2 images x 4
        ("video_extend", "-"): (1, {}),
    }
    total = data["total"]
    assert total["units"] == {"video": 10.4, "image": 8.0}
    assert total["usd"] == pytest.approx(1.484)  # 10.4 x $0.14 + 8 x $0.0035
    assert total["priced"] is False
    assert total["unpriced"] == 1
    assert "video-extend" in total["reason"]


def test_batch_dry_run_prints_a_table_with_the_totals(
    kling: KlingRunner, jobs: Path, no_credentials: None
) -> None:
    result = kling("batch", "run", str(jobs), "--dry-run")

    assert result.exit_code == 0, result.stderr
    out = flat(result.stdout)
    assert "Dry run of 5 jobs: nothing was sent" in out
    assert "Total video: 10.4 units" in out
    assert "Total image: 8 units" in out
    assert "Total list price: $1.484" in out
    assert "Unpriced (not in the totals), 1 of the jobs: video-extend" in out


def test_batch_dry_run_names_the_line_of_a_bad_job(
    kling: KlingRunner, tmp_path: Path, no_credentials: None
) -> None:
    path = tmp_path / "jobs.jsonl"
    lines = [
        JOBS[0],
        {"product": "text_to_video", "model": "kling-3.0-turbo", "prompt": "x", "duration": 99},
    ]
    path.write_text("".join(json.dumps(job) + "\n" for job in lines))

    result = kling("batch", "run", str(path), "--dry-run")

    assert result.exit_code != 0
    assert "line 2: settings.duration: kling-3.0-turbo makes videos of 3 to 15 s" in flat(
        result.stderr
    )


def test_batch_run_without_dry_run_still_needs_an_output_directory(
    kling: KlingRunner, jobs: Path, server: FakeKlingServer
) -> None:
    result = kling(*server_args(server), "batch", "run", str(jobs))

    assert result.exit_code == 2
    assert "'--output': required unless --dry-run" in flat(result.stderr)
    assert server.fake.requests == []
