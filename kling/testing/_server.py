"""Serving a :class:`FakeKling` over real sockets with uvicorn, in a thread or in the foreground."""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from types import TracebackType

import uvicorn
from starlette.types import Receive, Scope, Send
from typing_extensions import Self, Unpack

from ._app import FakeKling, FakeKlingOptions
from ._asgi import SimulatedDisconnect
from ._loopback import LISTEN_HOST_KEY, is_loopback_host
from ._state import Timing

_START_TIMEOUT = 10.0
_STOP_TIMEOUT = 10.0


class _SocketApp:
    """Adapts the fake to uvicorn: tells it the host it listens on, and swallows disconnects.

    The host lets the fake refuse its ``/_fake/`` routes on a network interface. A simulated
    disconnect just ends the half-sent response: uvicorn then logs "ASGI callable returned
    without completing response" and closes the connection, which is exactly the dropped
    connection the fault asks for.
    """

    def __init__(self, fake: FakeKling, host: str) -> None:
        self.fake = fake
        self.host = host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope = {**scope, LISTEN_HOST_KEY: self.host}
        try:
            await self.fake(scope, receive, send)
        except SimulatedDisconnect:
            return


def _config(
    fake: FakeKling, host: str, port: int, log_level: str, *, quiet: bool
) -> uvicorn.Config:
    return uvicorn.Config(
        _SocketApp(fake, host),
        host=host,
        port=port,
        loop="asyncio",
        http="h11",
        ws="none",
        lifespan="on",
        log_level=log_level,
        # In tests, leave the process's logging configuration alone (records still propagate to
        # the root logger, where pytest captures them); the CLI gets uvicorn's console format.
        log_config=None if quiet else uvicorn.config.LOGGING_CONFIG,
        access_log=not quiet,
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=1,
    )


class FakeKlingServer:
    """A :class:`FakeKling` served by uvicorn in a background thread on ``host:port``.

    ``port=0`` picks a free port. Use it as a context manager (or call :meth:`start` and
    :meth:`stop`)::

        with FakeKling.serve() as server:
            client = KlingClient(server.access_key, server.secret_key, base_url=server.url)
    """

    def __init__(
        self,
        fake: FakeKling | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log_level: str = "warning",
    ) -> None:
        self.fake = fake if fake is not None else FakeKling()
        self.host = host
        self._port = port
        self._log_level = log_level
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def port(self) -> int:
        """The bound port (known once started)."""
        return self._port

    @property
    def url(self) -> str:
        """Base URL to give a client, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self._port}"

    @property
    def access_key(self) -> str:
        """The fake account's access key."""
        return self.fake.access_key

    @property
    def secret_key(self) -> str:
        """The fake account's secret key."""
        return self.fake.secret_key

    @property
    def api_key(self) -> str | None:
        """The first static API key the fake accepts."""
        return self.fake.api_key

    @property
    def running(self) -> bool:
        """Whether the server thread is serving."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> Self:
        """Bind, start the server thread, and return once it accepts connections."""
        if self._thread is not None:
            raise RuntimeError("this server was already started")
        sock = listen(self.host, self._port)  # bound here so port 0 is resolved before serving
        self._socket = sock
        self._port = sock.getsockname()[1]
        config = _config(self.fake, self.host, self._port, self._log_level, quiet=True)
        self._server = server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="fake-kling", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"FakeKling server did not start on {self.url}")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        """Ask uvicorn to exit, wait for the thread, release the socket. Idempotent."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(_STOP_TIMEOUT)
            if self._thread.is_alive() and self._server is not None:
                self._server.force_exit = True
                self._thread.join(_STOP_TIMEOUT)
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<FakeKlingServer {self.url} running={self.running}>"


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


def listen(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` (0: any free port); ``OSError`` when it cannot be."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted sockets inherit this: without it every answer on a kept-alive loopback
        # connection waits ~40 ms for the client's delayed ACK.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


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
    server = uvicorn.Server(_config(fake, host, port, log_level, quiet=False))
    # uvicorn shuts down cleanly on Ctrl-C and then re-raises the signal; end quietly instead.
    with sock, contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])
