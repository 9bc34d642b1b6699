"""``kling mock-server``: FakeKling in the foreground, for trying the SDK or the CLI offline."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

__all__ = ["mock_server"]


def mock_server(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    timing: Annotated[
        Literal["seconds", "instant"],
        typer.Option(
            help="seconds: tasks take 1 s submitted and 2 s processing; instant: done at once."
        ),
    ] = "seconds",
) -> None:
    """Serve a fake Kling API (FakeKling) until Ctrl-C; it prints its keys.

    Point a client at it: KLING_BASE_URL=http://127.0.0.1:8000 plus the printed keys.
    Prompts containing FAIL end "failed".
    """
    from kling.testing import Timing, run

    run(host, port, timing=Timing.instant() if timing == "instant" else Timing.seconds())
