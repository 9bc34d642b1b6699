"""Where credentials and settings come from: flags, the environment, a .env file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kling.testing import FakeKlingServer

from .conftest import KlingRunner


def write_env(directory: Path, **values: str) -> None:
    (directory / ".env").write_text("".join(f"{k}={v}\n" for k, v in values.items()))


def test_dotenv_in_the_current_directory_is_used(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_env(
        tmp_path,
        KLING_ACCESS_KEY=server.access_key,
        KLING_SECRET_KEY=server.secret_key,
        KLING_BASE_URL=server.url,
    )
    monkeypatch.chdir(tmp_path)

    result = kling("tasks", "list", "text-to-video")

    assert result.exit_code == 0, result.output
    assert server.fake.requests


def test_real_environment_wins_over_dotenv(
    kling: KlingRunner, server: FakeKlingServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_env(
        tmp_path,
        KLING_ACCESS_KEY=server.access_key,
        KLING_SECRET_KEY="wrong-secret-from-dotenv-0123456789abcdef",
    )
    # Exported, not from .env: a .env base URL would refuse the exported secret (test_dotenv).
    monkeypatch.setenv("KLING_BASE_URL", server.url)
    monkeypatch.setenv("KLING_SECRET_KEY", server.secret_key)
    monkeypatch.chdir(tmp_path)

    result = kling("tasks", "list", "text-to-video")

    assert result.exit_code == 0, result.output


def test_api_key_flag(kling: KlingRunner, server: FakeKlingServer) -> None:
    assert server.api_key is not None

    result = kling("--base-url", server.url, "--api-key", server.api_key, "account", "costs")

    assert result.exit_code == 0, result.output
    assert server.fake.requests[-1].headers["authorization"] == f"Bearer {server.api_key}"


def test_max_retries_and_timeout_flags_are_accepted(kling: KlingRunner) -> None:
    result = kling("--mock", "--timeout", "5", "--max-retries", "0", "account", "costs")

    assert result.exit_code == 0, result.output


def test_negative_max_retries_is_a_usage_error(kling: KlingRunner) -> None:
    result = kling("--mock", "--max-retries", "-1", "account", "costs")

    assert result.exit_code == 2
