"""``kling mock-server``: FakeKling in the foreground, for trying the SDK or the CLI offline.

FakeKling's ``run`` binds the port before it prints anything: on a busy port the command ends
with one error line, without the banner and its keys.
"""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from kling._mock_timing import MOCK_TIMING_ENV, MockTiming

from ._errors import CliError
from ._groups import KlingCommand
from ._lazy import add_function_lazily

__all__ = ["mock_server", "register"]

_DEFAULT_MAX_BODY_SIZE = 64 * 1024 * 1024  # FakeKling's; repeated to keep --help import-light


def mock_server(
    host: Annotated[
        str,
        typer.Option(help="Interface to listen on; anything but loopback prints a warning."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    mock_timing: Annotated[
        MockTiming,
        typer.Option(
            "--mock-timing",
            envvar=MOCK_TIMING_ENV,
            help="demo: tasks take 1 s submitted and 2 s processing; instant: done at once.",
        ),
    ] = "demo",
    old_timing: Annotated[
        Literal["seconds", "demo", "instant"] | None,
        # The spelling before --mock-timing, kept working: seconds is demo.
        typer.Option("--timing", hidden=True),
    ] = None,
    max_body_size: Annotated[
        int,
        typer.Option(min=0, help="Largest request body accepted, in bytes; larger ones get 413."),
    ] = _DEFAULT_MAX_BODY_SIZE,
    allow_external_callbacks: Annotated[
        bool,
        typer.Option(
            "--allow-external-callbacks",
            help="POST callbacks to any host, not only loopback ones.",
        ),
    ] = False,
    control_routes: Annotated[
        bool | None,
        typer.Option(
            "--control-routes/--no-control-routes",
            help="Serve the /_fake/ routes (callback sink). Default: only on a loopback host.",
            show_default=False,
        ),
    ] = None,
    accept_key_headers: Annotated[
        bool,
        typer.Option(
            "--accept-key-headers",
            help="Also take the key pair as X-Api-Key/X-Api-Secret headers, which Kling does "
            "not (refused by default), for clients written that way.",
        ),
    ] = False,
) -> None:
    """Serve a fake Kling API (FakeKling) until Ctrl-C; it prints its keys.

    Point a client at it: KLING_BASE_URL=http://127.0.0.1:8000 plus the printed keys.
    Prompts containing FAIL end "failed".
    """
    from kling.testing import Timing, run

    timing = "demo" if old_timing == "seconds" else old_timing or mock_timing
    try:
        run(
            host,
            port,
            timing=Timing.instant() if timing == "instant" else Timing.seconds(),
            max_body_size=max_body_size,
            allow_external_callbacks=allow_external_callbacks,
            control_routes=control_routes,
            accept_key_headers=accept_key_headers,
        )
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise CliError(
            f"cannot listen on {host}:{port}: {reason} (another mock-server? choose another --port)"
        ) from None


def register(app: typer.Typer) -> None:
    """Add ``kling mock-server`` to ``app``."""
    add_function_lazily(app, "mock-server", mock_server, cls=KlingCommand, panel="Tools")
