"""uvicorn serving a fake over real sockets: from a background thread, or in the foreground.

Imported only once a fake is served, so a fake used in-process never loads uvicorn.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from ._asgi import SimulatedDisconnect
from ._loopback import LISTEN_HOST_KEY

_START_TIMEOUT = 10.0
_STOP_TIMEOUT = 10.0


class _SocketApp:
    """Adapts the fake to uvicorn: tells it the host it listens on, and swallows disconnects.

    The host lets the fake refuse its ``/_fake/`` routes on a network interface. A simulated
    disconnect just ends the half-sent response: uvicorn then logs "ASGI callable returned
    without completing response" and closes the connection, which is exactly the dropped
    connection the fault asks for.
    """

    def __init__(self, app: ASGIApp, host: str) -> None:
        self.app = app
        self.host = host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope = {**scope, LISTEN_HOST_KEY: self.host}
        try:
            await self.app(scope, receive, send)
        except SimulatedDisconnect:
            return


def _config(app: ASGIApp, host: str, port: int, log_level: str, *, quiet: bool) -> uvicorn.Config:
    return uvicorn.Config(
        _SocketApp(app, host),
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


class ServerThread:
    """uvicorn serving ``app`` from a daemon thread, on a socket bound when this is made."""

    def __init__(self, app: ASGIApp, host: str, port: int, log_level: str) -> None:
        self.socket = listen(host, port)  # bound here so port 0 is resolved before serving
        self.port: int = self.socket.getsockname()[1]
        try:
            config = _config(app, host, self.port, log_level, quiet=True)
        except BaseException:
            self.socket.close()
            raise
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self.socket]},
            name="fake-kling",
            daemon=True,
        )

    @property
    def running(self) -> bool:
        """Whether the thread is serving."""
        return self._thread.is_alive()

    def start(self) -> bool:
        """Start the thread; whether uvicorn accepts connections before the start timeout."""
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    def stop(self) -> None:
        """Ask uvicorn to exit, wait for the thread, release the socket. Idempotent."""
        self._server.should_exit = True
        if self._thread.ident is not None:  # started
            self._thread.join(_STOP_TIMEOUT)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(_STOP_TIMEOUT)
        self.socket.close()


def serve_forever(app: ASGIApp, sock: socket.socket, host: str, port: int, log_level: str) -> None:
    """Serve ``app`` on ``sock`` in this thread until Ctrl-C, logging as uvicorn's CLI does."""
    server = uvicorn.Server(_config(app, host, port, log_level, quiet=False))
    # uvicorn shuts down cleanly on Ctrl-C and then re-raises the signal; end quietly instead.
    with sock, contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])
