"""The ``kling`` Typer application: global options, and every command put together."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kling import __version__
from kling._mock_timing import MOCK_TIMING_ENV, MockTiming

from . import (
    _account,
    _archive,
    _batch,
    _endpoints,
    _families,
    _library,
    _mcp,
    _mock,
    _models,
    _multi_elements,
    _tasks,
)
from ._dotenv import ENV_FILE_NAME
from ._groups import KlingGroup
from ._lazy import LazyTyper
from ._settings import Settings
from ._state import CliState

__all__ = ["app"]

app = LazyTyper(
    name="kling",
    cls=KlingGroup,
    help=(
        "Kling AI from the command line: generate videos, images and audio, follow tasks, "
        "download results.\n\n"
        'Try it offline: kling --mock text-to-video "a corgi surfing at sunset" --wait '
        "--output out/"
    ),
    epilog=(
        "Global options go before or after the command: kling text-to-video x --wait --json.\n\n"
        "Credentials: KLING_ACCESS_KEY and KLING_SECRET_KEY (or KLING_API_KEY), from the "
        "environment, a .env file in the current directory, or the options above. "
        "A .env sets only the KLING_* variables above (and KLING_LOG); a KLING_BASE_URL from it "
        "is used only with credentials from that same file, or for an official Kling host.\n\n"
        "Exit status: 0 done; 1 error (Kling refused, the task failed, a wait gave up or "
        "results were not saved); 2 usage error; 130 interrupted (Ctrl-C).\n\n"
        "--json: stdout holds exactly one JSON document, whatever happens: the result (a task "
        "as Kling returns it, plus files when saved), or on any failure "
        '{"error": {"type", "message", "code", "api_code", "request_id", "exit_code", ...}} '
        'with "task_id", "task_status" and the task\'s last state under "task" when a task '
        'is concerned (and "resume", the command that waits again, while it still runs). '
        "Progress, retries and the error line go to stderr."
    ),
    no_args_is_help=True,
    add_completion=False,
    # --debug shows the plain Python traceback; never one with local variables (keys!).
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kling {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    mock: Annotated[
        bool,
        typer.Option(
            "--mock", help="Start a fake Kling API (FakeKling) in-process and use it: no keys."
        ),
    ] = False,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="API endpoint (env KLING_BASE_URL; default https://api-singapore.klingai.com).",
            show_default=False,
        ),
    ] = None,
    access_key: Annotated[
        str | None,
        typer.Option(
            "--access-key",
            metavar="KEY",
            help="Access key (env KLING_ACCESS_KEY).",
            show_default=False,
        ),
    ] = None,
    secret_key: Annotated[
        str | None,
        typer.Option(
            "--secret-key",
            metavar="KEY",
            help="Secret key (env KLING_SECRET_KEY).",
            show_default=False,
        ),
    ] = None,
    api_key: Annotated[
        str | None,
        typer.Option(
            "--api-key",
            metavar="KEY",
            help="Static API key, instead of the pair (env KLING_API_KEY).",
            show_default=False,
        ),
    ] = None,
    json_output: Annotated[
        bool,
        typer.Option("--json", help="Machine-readable output: one JSON document on stdout."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help="Show the full traceback on errors (KLING_LOG=debug logs requests)."
        ),
    ] = False,
    timeout: Annotated[
        float | None,
        typer.Option("--timeout", metavar="SECONDS", help="Per-request timeout (default 60)."),
    ] = None,
    max_retries: Annotated[
        int | None,
        typer.Option(
            "--max-retries", metavar="N", min=0, help="Retries of failed requests (default 3)."
        ),
    ] = None,
    unreachable_timeout: Annotated[
        float | None,
        typer.Option(
            "--unreachable-timeout",
            metavar="SECONDS",
            min=0,
            help="While waiting, give up when Kling has not answered for this long (default "
            "30; 0: never, wait until --wait-timeout).",
            show_default=False,
        ),
    ] = None,
    mock_timing: Annotated[
        MockTiming,
        typer.Option(
            "--mock-timing",
            envvar=MOCK_TIMING_ENV,
            help="With --mock: demo (tasks take 0.5 s submitted, 1.5 s processing) or instant.",
        ),
    ] = "demo",
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Global options; they go before or after the command: kling tasks list image --json."""
    if mock and base_url:
        raise typer.BadParameter("--mock serves its own API; leave out --base-url")
    state = CliState(
        Settings(
            mock=mock,
            mock_timing=mock_timing,
            base_url=base_url,
            access_key=access_key,
            secret_key=secret_key,
            api_key=api_key,
            json=json_output,
            debug=debug,
            timeout=timeout,
            max_retries=max_retries,
            unreachable_timeout=unreachable_timeout,
        ),
        # Read when a command first needs the API, so a bad .env never stops --help.
        env_file=Path.cwd() / ENV_FILE_NAME,
    )
    ctx.obj = state
    ctx.call_on_close(state.close)


# Every part of the command adds its own commands, in the order ``--help`` lists them (and
# its panels first appear in).
for part in (
    _families,
    _endpoints,
    _mock,
    _mcp,
    _library,
    _models,
    _multi_elements,
    _tasks,
    _account,
    _batch,
    _archive,
):
    part.register(app)
