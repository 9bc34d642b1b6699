"""``kling mock-server``: FakeKling in the foreground, for trying the SDK or the CLI offline."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

__all__ = ["mock_server"]

_DEFAULT_MAX_BODY_SIZE = 64 * 1024 * 1024  # FakeKling's; repeated to keep --help import-light


def mock_server(
    host: Annotated[
        str,
        typer.Option(help="Interface to listen on; anything but loopback prints a warning."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    timing: Annotated[
        Literal["seconds", "instant"],
        typer.Option(
            help="seconds: tasks take 1 s submitted and 2 s processing; instant: done at once."
        ),
    ] = "seconds",
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
) -> None:
    """Serve a fake Kling API (FakeKling) until Ctrl-C; it prints its keys.

    Point a client at it: KLING_BASE_URL=http://127.0.0.1:8000 plus the printed keys.
    Prompts containing FAIL end "failed".
    """
    from kling.testing import Timing, run

    run(
        host,
        port,
        timing=Timing.instant() if timing == "instant" else Timing.seconds(),
        max_body_size=max_body_size,
        allow_external_callbacks=allow_external_callbacks,
        control_routes=control_routes,
    )
