"""--json: exactly one document on stdout whatever happens; global options after the command."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kling.cli import _tasks
from kling.testing import FakeKlingServer

from .conftest import KlingRunner, flat, server_args

ERROR_KEYS = {"type", "message", "code", "api_code", "request_id", "exit_code"}


def error_of(stdout: str) -> dict[str, Any]:
    document = json.loads(stdout)  # one document: two would not parse
    assert set(document["error"]) >= ERROR_KEYS, document
    error: dict[str, Any] = document["error"]
    return error


def test_an_api_error_is_a_document_with_kling_s_codes(server: FakeKlingServer) -> None:
    args = ["--base-url", server.url, "--access-key", server.access_key]
    kling = KlingRunner()

    result = kling(*args, "--secret-key", "w" * 40, "--json", "tasks", "list", "image")

    assert result.exit_code == 1
    error = error_of(result.stdout)
    assert error["type"] == "AuthenticationError"
    assert error["code"] == 401
    assert isinstance(error["api_code"], int)
    assert error["request_id"]
    assert error["exit_code"] == 1
    assert "Error: " in result.stderr


def test_missing_credentials_are_a_document(kling: KlingRunner) -> None:
    result = kling("text-to-video", "a corgi", "--json")

    assert result.exit_code == 1
    error = error_of(result.stdout)
    assert error["type"] == "MissingCredentialsError"
    assert error["code"] is None


def test_a_usage_error_in_a_command_is_a_document_and_exit_2(kling: KlingRunner) -> None:
    result = kling("--mock", "text-to-video", "a corgi", "--no-such-option", "--json")

    assert result.exit_code == 2
    error = error_of(result.stdout)
    assert error["type"] == "UsageError"
    assert "--no-such-option" in error["message"]
    assert "Usage: kling text-to-video" in result.stderr


def test_a_usage_error_in_the_global_options_is_a_document(kling: KlingRunner) -> None:
    result = kling("--json", "--max-retries", "-1", "account", "costs")

    assert result.exit_code == 2
    assert error_of(result.stdout)["exit_code"] == 2


def test_an_invalid_parameter_names_its_field(kling: KlingRunner) -> None:
    result = kling("--mock", "--json", "text-to-video", "a corgi", "--duration", "2")

    assert result.exit_code == 1
    error = error_of(result.stdout)
    assert error["type"] == "InvalidParameterError"
    assert error["field"] == "duration"


def test_a_missing_task_is_a_clear_not_found(kling: KlingRunner, server: FakeKlingServer) -> None:
    result = kling(*server_args(server), "--json", "tasks", "get", "text-to-video", "404404")

    assert result.exit_code == 1
    error = error_of(result.stdout)
    assert error["type"] == "TaskNotFoundError"
    assert error["api_code"] == 1201
    assert error["message"].startswith("No task 404404 among your text-to-video tasks")
    assert "kling tasks list text-to-video" in error["message"]


def test_a_missing_task_under_mock_says_mock_tasks_do_not_last(kling: KlingRunner) -> None:
    result = kling("--mock", "tasks", "get", "image", "123")

    assert result.exit_code == 1
    assert "kling mock-server keeps them" in result.stderr


def test_global_options_after_the_command(kling: KlingRunner) -> None:
    result = kling("text-to-video", "--wait", "x", "--json", "--mock")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["task_status"] == "succeed"


def test_global_options_with_values_after_the_command(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    result = kling("tasks", "list", "image", *server_args(server), "--json", "--max-retries=0")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


def test_an_option_value_that_looks_global_stays_a_value(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    result = kling(*server_args(server), "text-to-video", "x", "--negative-prompt", "--json")

    assert result.exit_code == 0, result.output
    assert server.fake.requests[-1].json["negative_prompt"] == "--json"
    assert result.stdout.startswith("Task ")


def test_nothing_after_double_dash_moves(kling: KlingRunner, server: FakeKlingServer) -> None:
    result = kling(*server_args(server), "text-to-video", "--", "--json")

    assert result.exit_code == 0, result.output
    assert server.fake.requests[-1].json["prompt"] == "--json"


def test_help_documents_exit_codes_and_the_json_contract(kling: KlingRunner) -> None:
    result = kling("--help")

    text = flat(result.stdout)
    assert "Exit status: 0 done; 1 error" in text
    assert "2 usage error; 130 interrupted (Ctrl-C)" in text
    assert '{"error": {"type", "message", "code", "api_code", "request_id"' in text
    assert "Global options go before or after the command" in text


def test_json_before_an_unknown_global_option_is_still_one_document(kling: KlingRunner) -> None:
    result = kling("--json", "--bogus")

    assert result.exit_code == 2
    error = error_of(result.stdout)
    assert error["type"] == "UsageError"
    assert "--bogus" in error["message"]


def test_an_unexpected_exception_is_one_document_and_one_error_line(
    kling: KlingRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("something the CLI did not foresee")

    monkeypatch.setattr(_tasks, "tasks_of", broken)
    result = kling("--mock", "tasks", "list", "image", "--json")

    assert result.exit_code == 1
    error = error_of(result.stdout)
    assert error["type"] == "RuntimeError"
    assert "something the CLI did not foresee" in error["message"]
    assert "Error: unexpected RuntimeError" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_command_s_option_among_the_global_ones_says_where_it_goes(kling: KlingRunner) -> None:
    result = kling("--mock", "--model", "kling-3.0", "text-to-video", "a fox", "--json")

    assert result.exit_code == 2
    message = error_of(result.stdout)["message"]
    assert "--model is an option of 'text-to-video': put it after the command" in message
    assert "kling text-to-video --model ..." in flat(result.stderr)
