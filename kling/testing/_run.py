"""``run()``: a fake served in the foreground until Ctrl-C, for ``kling mock-server``."""

from __future__ import annotations

import sys

from typing_extensions import Unpack

from ._app import FakeKling, FakeKlingOptions
from ._loopback import is_loopback_host
from ._server import listen, serve_forever
from ._state import Timing


def exposure_warning(fake: FakeKling, host: str) -> str | None:
    """What ``run()`` warns when ``host`` is reachable from other machines (else ``None``).

    Each setting names both its option and its ``kling mock-server`` flag.
    """
    if is_loopback_host(host):
        return None
    control = "on" if fake.control_routes else "off (control_routes=True, --control-routes: on)"
    callbacks = (
        "to any host"
        if fake.allow_external_callbacks
        else "to loopback hosts only (allow_external_callbacks=True, --allow-external-callbacks:"
        " any host)"
    )
    return (
        f"warning: listening on {host}, which is not loopback: anyone who can reach it can call "
        "it with the keys above.\n"
        f"  /_fake/ routes: {control}\n"
        f"  callbacks: {callbacks}\n"
        f"  request bodies: up to {fake.max_body_size} bytes (max_body_size, --max-body-size)"
    )


def run(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    log_level: str = "info",
    banner: bool = True,
    **options: Unpack[FakeKlingOptions],
) -> None:
    """Serve a fake in the foreground until Ctrl-C (for ``kling mock-server``).

    Tasks take real time here unless ``timing`` says otherwise (``Timing.seconds()``: 1 s
    submitted, 2 s processing), so a demo shows every state. With a non-loopback ``host`` the
    banner adds a warning on stderr. The port is bound before anything is printed: a busy one
    raises ``OSError`` without a banner (and without its keys).
    """
    options.setdefault("timing", Timing.seconds())
    fake = FakeKling(**options)
    sock = listen(host, port)
    if banner:
        print(f"FakeKling on http://{host}:{port}")
        print(f"  access key: {fake.access_key}")
        print(f"  secret key: {fake.secret_key}")
        print(f"  api key:    {fake.api_key}")
        print("  prompts containing the fail marker end 'failed'; Ctrl-C stops", flush=True)
        warning = exposure_warning(fake, host)
        if warning is not None:
            print(warning, file=sys.stderr, flush=True)
    serve_forever(fake, sock, host, port, log_level)
