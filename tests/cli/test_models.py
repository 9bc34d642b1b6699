"""``kling models [NAME]``: the catalogue as a table or JSON, with no keys and nothing sent."""

from __future__ import annotations

import dataclasses
import json

import pytest

import kling as sdk
from kling._evidence import page
from kling._params._standard_models import MODEL_RULES

from .conftest import KlingRunner

O1_PAGE = "https://github.com/aself101/kling-api/blob/main/docs/api/kling-o1-video.md"


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KLING_ACCESS_KEY", "KLING_SECRET_KEY", "KLING_API_KEY", "KLING_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "400")  # one table row per line


def test_the_table_lists_every_model_and_what_it_serves(kling: KlingRunner) -> None:
    result = kling("models")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for info in sdk.models():
        for use in info.serves:
            assert any(info.name in line and use.resource in line for line in lines), (
                info.name,
                use.resource,
            )
    row = next(line for line in lines if "kling-3.0 " in line and "v2.text_to_video" in line)
    assert "3-15" in row
    assert "720p, 1080p, 4k" in row
    default = next(line for line in lines if "kling-v1 " in line and " text_to_video" in line)
    assert "text_to_video (default)" in default
    assert "kling models NAME" in result.stdout


def test_json_is_the_catalogue(kling: KlingRunner) -> None:
    result = kling("models", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [info.as_dict() for info in sdk.models()]


def test_one_model_as_json_before_or_after_the_command(kling: KlingRunner) -> None:
    after = kling("models", "kling-v3-omni", "--json")
    before = kling("--json", "models", "kling-v3-omni")
    assert after.exit_code == before.exit_code == 0
    assert json.loads(after.stdout) == json.loads(before.stdout)
    data = json.loads(after.stdout)
    assert data == sdk.models("kling-v3-omni").as_dict()
    assert data["standards"] == ["legacy", "new"]


def test_one_model_shows_each_values_sources(kling: KlingRunner) -> None:
    row = MODEL_RULES["omni_video", "kling-o1"]
    cited = dataclasses.replace(row, cites={"durations": (page(O1_PAGE, "3 to 10 seconds"),)})
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(MODEL_RULES, ("omni_video", "kling-o1"), cited)
        result = kling("models", "kling-o1")
    assert result.exit_code == 0, result.output
    seconds = next(line for line in result.stdout.splitlines() if "│ seconds " in line)
    assert "3-10" in seconds
    assert f"{O1_PAGE} (" in seconds
    assert "'3 to 10 seconds'" in seconds
    ratios = next(line for line in result.stdout.splitlines() if "│ aspect ratios " in line)
    assert "(the parameter's type)" in ratios


def test_an_unknown_model_is_a_usage_error_naming_the_known_ones(kling: KlingRunner) -> None:
    result = kling("models", "kling-v9")
    assert result.exit_code == 2
    text = " ".join(result.stderr.split())
    assert "unknown model 'kling-v9'" in text
    for name in ("kling-3.0-omni", "kling-v3", "kolors-virtual-try-on-v1"):
        assert name in text


def test_an_unknown_model_with_json_is_one_error_document(kling: KlingRunner) -> None:
    result = kling("models", "nope", "--json")
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["exit_code"] == 2
    assert "kling-3.0" in error["message"]
