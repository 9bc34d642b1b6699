"""How the command fails: one Error line (exit 1), usage (exit 2), tracebacks only with --debug."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import kling.cli
from kling import InvalidParameterError, MissingCredentialsError
from kling.testing import FakeKlingServer

from .conftest import KlingRunner, run_process, server_args, without_host_notice


def assert_one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in stderr
    return lines[0]


def test_invalid_parameter_is_one_error_line_and_exit_1(kling: KlingRunner) -> None:
    result = kling("--mock", "text-to-video", "a corgi", "--duration", "2")

    assert result.exit_code == 1
    line = assert_one_error_line(result.stderr)
    assert "duration" in line
    assert result.stdout == ""


def test_prompt_over_the_limit_is_refused_before_sending(
    kling: KlingRunner, server: FakeKlingServer
) -> None:
    result = kling(*server_args(server), "text-to-video", "x" * 2501)

    assert result.exit_code == 1
    assert "2500" in assert_one_error_line(without_host_notice(result.stderr))
    assert server.fake.requests == []


def test_debug_lets_the_exception_through(kling: KlingRunner) -> None:
    result = kling("--mock", "--debug", "text-to-video", "a corgi", "--duration", "2")

    assert result.exit_code == 1
    assert isinstance(result.exception, InvalidParameterError)


def test_debug_prints_a_traceback(tmp_path: Path) -> None:
    proc = run_process(["--mock", "--debug", "text-to-video", "a corgi", "--duration", "2"])

    assert proc.returncode == 1
    assert "Traceback (most recent call last)" in proc.stderr
    assert "InvalidParameterError" in proc.stderr


def test_debug_traceback_never_shows_the_secret_key(server: FakeKlingServer) -> None:
    secret = "not-the-right-secret-but-still-secret-0123"
    args = ["--debug", "--base-url", server.url, "--access-key", server.access_key]

    proc = run_process([*args, "--secret-key", secret, "tasks", "list", "text-to-video"])

    assert proc.returncode == 1
    assert "AuthenticationError" in proc.stderr
    assert secret not in proc.stderr + proc.stdout


def test_unknown_option_prints_usage_and_exits_2(kling: KlingRunner) -> None:
    result = kling("--mock", "text-to-video", "a corgi", "--no-such-option")

    assert result.exit_code == 2
    assert "Usage: kling text-to-video" in result.stderr
    assert "No such option" in result.stderr


def test_unknown_command_exits_2(kling: KlingRunner) -> None:
    result = kling("text-to-vidoe")

    assert result.exit_code == 2
    assert "Usage: kling" in result.stderr


def test_no_arguments_prints_help(kling: KlingRunner) -> None:
    result = kling()

    assert "Usage: kling" in result.output
    assert "text-to-video" in result.output


def test_bad_json_option_is_a_usage_error(kling: KlingRunner) -> None:
    result = kling("--mock", "text-to-video", "a corgi", "--camera-control", "{zoom: 5}")

    assert result.exit_code == 2
    assert "--camera-control" in result.stderr
    assert "not valid JSON" in result.stderr


def test_param_without_equals_is_a_usage_error(kling: KlingRunner) -> None:
    result = kling("--mock", "text-to-video", "a corgi", "--param", "duration")

    assert result.exit_code == 2
    assert "KEY=VALUE" in result.stderr


def test_missing_credentials_name_the_environment_variables(kling: KlingRunner) -> None:
    result = kling("text-to-video", "a corgi")

    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    line = assert_one_error_line(result.stderr)
    assert "KLING_ACCESS_KEY" in line
    assert "--mock" in line


def test_missing_credentials_with_debug_raise_the_sdk_error(kling: KlingRunner) -> None:
    result = kling("--debug", "tasks", "list", "text-to-video")

    assert isinstance(result.exception, MissingCredentialsError)


def test_failed_task_exits_1_and_json_still_shows_it(kling: KlingRunner) -> None:
    result = kling("--mock", "--json", "text-to-video", "a FAIL corgi", "--wait")

    assert result.exit_code == 1
    assert '"task_status": "failed"' in result.stdout
    assert "failed" in assert_one_error_line(result.stderr)


def test_wait_timeout_says_how_to_check_later(
    kling: KlingRunner, slow_server: FakeKlingServer
) -> None:
    # A real server: under --mock no later command could find the task (test_waiting).
    args = [
        *server_args(slow_server),
        "text-to-video",
        "a corgi",
        "--wait",
        "--wait-timeout",
        "0.1",
    ]

    result = kling(*args)

    assert result.exit_code == 1
    line = assert_one_error_line(result.stderr.splitlines()[-1])
    assert "kling tasks get text-to-video" in line


def test_ctrl_c_while_waiting_exits_130(
    kling: KlingRunner, server: FakeKlingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("kling.cli._output.WaitDisplay.update", interrupt)

    result = kling(*server_args(server), "text-to-video", "a corgi", "--wait")

    assert result.exit_code == 130
    assert "kling tasks get text-to-video" in result.stderr
    assert "Interrupted" in result.stderr


def test_mock_and_base_url_together_are_a_usage_error(kling: KlingRunner) -> None:
    result = kling("--mock", "--base-url", "http://127.0.0.1:1", "tasks", "list", "image")

    assert result.exit_code == 2


def test_without_the_cli_extra_main_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "typer", None)
    for name in [name for name in sys.modules if name.startswith("kling.cli.")]:
        monkeypatch.delitem(sys.modules, name)
    # A command: `kling` alone prints the generated listing, which needs no extra.
    monkeypatch.setattr(sys, "argv", ["kling", "tasks", "list"])

    with pytest.raises(SystemExit) as exit_info:
        kling.cli.main()

    assert exit_info.value.code == 1
    assert "pip install 'kling[cli]'" in capsys.readouterr().err
