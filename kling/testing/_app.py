"""``FakeKling``: the fake Kling API as an ASGI application, built from its options (what tests
read and steer on it comes from :class:`._controls.Controls`); and ``FakeKlingServer``, a fake
served over a socket.

The two share a module because each makes the other: ``FakeKling.serve()`` returns a server, and
``FakeKlingServer()`` without a fake builds one. uvicorn itself is imported only by
:mod:`._server`, once a server starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, overload

import httpx
from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send
from typing_extensions import Self, TypedDict, Unpack

from ._asgi import (
    BodyTooLarge,
    apply_fault,
    network_latency,
    parse_json,
    read_body,
    recording,
    replay,
    request_record,
    send_error,
)
from ._auth import Credentials, authenticate, authenticate_standard
from ._callbacks import CallbackDispatcher
from ._controls import Controls
from ._envelope import ApiError
from ._faults import FaultPlan
from ._http import RECORD_KEY
from ._ledger import Ledger
from ._loopback import LISTEN_HOST_KEY, is_loopback_host
from ._recorded import RecordedRequest, RequestLog
from ._router import build_app
from ._state import TaskStore, Timing
from .standard.models import is_standard_path

if TYPE_CHECKING:
    from ._server import ServerThread

DEFAULT_ACCESS_KEY = "fake-access-key"
DEFAULT_SECRET_KEY = "fake-secret-key-0123456789abcdef0123"
"""36 bytes: long enough that HS256 with it raises no ``InsecureKeyLengthWarning`` in PyJWT."""
DEFAULT_API_KEY = "fake-api-key"

_DAY_MS = 86_400_000

DEFAULT_MAX_BODY_SIZE = 64 * 1024 * 1024
"""64 MiB: above any single legacy request Kling documents (four Base64 images of 10 MB make
about 54 MB), yet a bound on what one request can make the fake hold."""

CONTROL_PREFIX = "/_fake/"
"""The fake's own routes (the callback sink): never recorded, no faults, no Kling auth."""
PUBLIC_PREFIX = "/files/"
"""Result files, public like Kling's CDN: answered without authentication or reading a body."""


class FakeKlingOptions(TypedDict, total=False):
    """The keyword arguments of :class:`FakeKling`, for ``FakeKling.serve(**options)``."""

    access_key: str
    secret_key: str
    api_keys: Sequence[str]
    accept_key_headers: bool
    timing: Timing
    concurrency_limit: int | None
    webhook_secret: str | None
    fail_marker: str | None
    fail_message: str
    resource_packs: Sequence[Mapping[str, Any]] | None
    postpaid: bool | None
    callback_transport: httpx.AsyncBaseTransport | None
    callback_timeout: float
    allow_external_callbacks: bool
    max_body_size: int
    latency: float
    control_routes: bool | None
    clock: Callable[[], float]
    wall_clock: Callable[[], float]


class _ServeNew(Protocol):
    def __call__(
        self,
        *,
        host: str = ...,
        port: int = ...,
        log_level: str = ...,
        **options: Unpack[FakeKlingOptions],
    ) -> FakeKlingServer: ...


class _ServeThis(Protocol):
    def __call__(
        self, *, host: str = ..., port: int = ..., log_level: str = ...
    ) -> FakeKlingServer: ...


class _Serve:
    """``serve()`` on the class serves a new fake built from options; on an instance, that one."""

    @overload
    def __get__(self, instance: None, owner: type[FakeKling]) -> _ServeNew: ...
    @overload
    def __get__(self, instance: FakeKling, owner: type[FakeKling]) -> _ServeThis: ...
    def __get__(self, instance: FakeKling | None, owner: type[FakeKling]) -> _ServeNew | _ServeThis:
        if instance is None:

            def serve_new(
                *,
                host: str = "127.0.0.1",
                port: int = 0,
                log_level: str = "warning",
                **options: Unpack[FakeKlingOptions],
            ) -> FakeKlingServer:
                return FakeKlingServer(owner(**options), host=host, port=port, log_level=log_level)

            return serve_new

        fake = instance

        def serve_this(
            *, host: str = "127.0.0.1", port: int = 0, log_level: str = "warning"
        ) -> FakeKlingServer:
            return FakeKlingServer(fake, host=host, port=port, log_level=log_level)

        return serve_this


def default_resource_packs(now_ms: int) -> list[dict[str, Any]]:
    """One online trial video pack, as ``/account/costs`` lists packs."""
    return [
        {
            "resource_pack_name": "Trial-Video-100Units-5Con-1Months",
            "resource_pack_id": "fake-pack-0001",
            "resource_pack_type": "decreasing_total",
            "total_quantity": 100.0,
            "remaining_quantity": 100.0,
            "purchase_time": now_ms - _DAY_MS,
            "effective_time": now_ms - _DAY_MS,
            "invalid_time": now_ms + 29 * _DAY_MS,
            "status": "online",
        }
    ]


class FakeKling(Controls):
    """A fake of the Kling HTTP API, as an ASGI application.

    It serves the legacy API (``/v1/...``) and the new standard (API 2.0: ``POST
    /text-to-video/{model}``, ``/image-to-video/``, ``/omni-video/``, ``/motion-control/``,
    ``GET``/``POST /tasks``; API keys only), whose models are listed in :data:`MODELS`.
    Legacy creates are checked as Kling's pages say Kling checks them, per ``model_name``
    against :data:`LEGACY_MODELS`: what the fake accepts, Kling accepts.

    Use it in-process::

        fake = FakeKling()
        transport = httpx.ASGITransport(app=fake)
        async with httpx.AsyncClient(transport=transport, base_url="http://fake") as http:
            ...

    or over a real socket with ``with FakeKling.serve() as server: ... server.url``.

    Args:
        access_key, secret_key: the account's key pair (JWTs must be signed with ``secret_key``
            and carry ``iss=access_key``).
        api_keys: static keys accepted as ``Authorization: Bearer <key>``.
        accept_key_headers: also accept the pair as ``X-Api-Key``/``X-Api-Secret`` headers on
            legacy paths, for a gateway that takes them. Kling knows no such headers: by default
            a request with only them is refused 401/1001, as Kling refuses it.
        timing: how long tasks stay ``submitted``/``processing`` (default: instant).
        concurrency_limit: unfinished-task slots per account; a create beyond it gets 429/1303.
        webhook_secret: ``whsec_<base64>``; when set, callbacks carry Standard Webhooks signatures.
        fail_marker: tasks whose prompt-like fields contain it end ``failed`` (``None``: never).
        fail_message: the ``task_status_msg`` of such tasks.
        resource_packs: what ``/account/costs`` lists (default: one trial video pack). Each
            task that succeeds is charged what Kling's pricing pages say (``final_unit_deduction``,
            ``billing[]``) to the first online pack of its type (``video``, ``image``,
            ``try-on``: a pack's ``product_type`` key, else its name), whose
            ``remaining_quantity`` goes down; the billing details list each charge.
        postpaid: whether the account pays from its cash balance what no pack can. ``None``:
            only without ``resource_packs`` (the default trial pack never stops a test). When
            False and the account has packs, a create whose packs are all used up or expired is
            refused 429/1102, as Kling refuses it.
        callback_transport: httpx transport for callback POSTs (e.g. an ``ASGITransport``).
        callback_timeout: seconds before a callback POST is abandoned.
        allow_external_callbacks: POST callbacks to any host. By default only loopback
            ``callback_url`` hosts (``localhost``, ``127.0.0.0/8``, ``::1``) get them: a create
            naming another host still succeeds, as on Kling, but each of its callbacks is only
            recorded in :attr:`callbacks_sent` with ``blocked=True`` and the reason in ``error``.
            With a ``callback_transport`` every host is delivered to: the test chose where
            callbacks go.
        max_body_size: largest request body accepted, in bytes. A larger one is answered 413
            (code 1200) and never read in full: refused up front when ``Content-Length`` says
            so, cut off at the limit when it does not (chunked).
        latency: seconds every request waits before it is handled (``0.05``: a realistic network
            in front of Kling), in an async sleep that blocks nothing else. Every answer waits,
            refusals and ``/files/`` included; the ``/_fake/`` routes do not. Fault delays add.
        control_routes: whether the ``/_fake/`` routes (the callback sink) answer. ``None``:
            yes, unless served on a non-loopback host (``serve(host="0.0.0.0")``, ``run()``),
            where they are refused 403/1103. Serving the fake with your own ASGI server on a
            network interface, pass ``False``.
        clock: monotonic seconds driving the lifecycle (inject one to control time in tests).
        wall_clock: Unix seconds for ``created_at``, JWT ``exp``/``nbf`` checks and signatures.
    """

    serve = _Serve()

    def __init__(
        self,
        *,
        access_key: str = DEFAULT_ACCESS_KEY,
        secret_key: str = DEFAULT_SECRET_KEY,
        api_keys: Sequence[str] = (DEFAULT_API_KEY,),
        accept_key_headers: bool = False,
        timing: Timing | None = None,
        concurrency_limit: int | None = None,
        webhook_secret: str | None = None,
        fail_marker: str | None = "FAIL",
        fail_message: str = "Content risk control",
        resource_packs: Sequence[Mapping[str, Any]] | None = None,
        postpaid: bool | None = None,
        callback_transport: httpx.AsyncBaseTransport | None = None,
        callback_timeout: float = 10.0,
        allow_external_callbacks: bool = False,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        latency: float = 0.0,
        control_routes: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if isinstance(api_keys, str):
            raise TypeError("api_keys must be a sequence of keys, not one string")
        if concurrency_limit is not None and concurrency_limit < 1:
            raise ValueError("concurrency_limit must be at least 1")
        if max_body_size < 0:
            raise ValueError("max_body_size must not be negative")
        if not latency >= 0:  # NaN too
            raise ValueError("latency must not be negative")
        self.credentials = Credentials(access_key, secret_key, tuple(api_keys))
        self.accept_key_headers = accept_key_headers
        """Whether legacy paths take the ``X-Api-Key``/``X-Api-Secret`` pair (assignable)."""
        self.faults = FaultPlan()
        """The fault rules; add with ``fake.faults.add(...)`` or the presets on it."""
        self.max_body_size = max_body_size
        """Largest request body accepted, in bytes (assignable)."""
        self.latency = latency
        """Seconds each request (but ``/_fake/`` ones) waits before it is handled (assignable)."""
        self.control_routes = control_routes
        """Whether ``/_fake/`` routes answer; ``None``: unless served on a non-loopback host."""
        self.resource_packs: list[dict[str, Any]] = (
            [dict(pack) for pack in resource_packs]
            if resource_packs is not None
            else default_resource_packs(int(wall_clock() * 1000))
        )
        self._store = TaskStore(
            timing=timing or Timing.instant(),
            clock=clock,
            wall_clock=wall_clock,
            concurrency_limit=concurrency_limit,
            fail_marker=fail_marker,
            fail_message=fail_message,
        )
        self.postpaid = resource_packs is None if postpaid is None else postpaid
        """Whether charges no pack can take go to the cash balance (assignable)."""
        self._store.ledger = Ledger(lambda: self.resource_packs, lambda: self.postpaid, wall_clock)
        self._callbacks = CallbackDispatcher(
            self._store,
            webhook_secret=webhook_secret,
            transport=callback_transport,
            timeout=callback_timeout,
            allow_external=allow_external_callbacks,
            wall_clock=wall_clock,
        )
        self._log = RequestLog()
        # Read per request through the lambda: resource_packs is assignable.
        self._app = build_app(self._store, self._callbacks, self._log, lambda: self.resource_packs)

    # ---------------------------------------------------------------------------------- ASGI

    @property
    def app(self) -> FakeKling:
        """The ASGI application (the fake itself), e.g. for ``httpx.ASGITransport(app=...)``."""
        return self

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)  # lifespan
            return
        if scope["path"].startswith(CONTROL_PREFIX):
            await self._control(scope, receive, send)
            return
        if self.latency > 0:
            await network_latency(self.latency)
        record = request_record(scope, self._store.wall_clock())
        body = b""
        if not scope["path"].startswith(PUBLIC_PREFIX):
            # Credentials first, from the headers alone: a refused request costs no body.
            headers = Headers(scope=scope)
            try:
                if is_standard_path(scope["path"]):
                    record.auth = authenticate_standard(headers, self.credentials)
                else:
                    record.auth = authenticate(
                        headers,
                        self.credentials,
                        self._store.wall_clock(),
                        accept_key_headers=self.accept_key_headers,
                    )
                read = await read_body(scope, receive, self.max_body_size)
            except ApiError as exc:
                await self._refuse(send, exc, record)
                return
            except BodyTooLarge as exc:
                await self._refuse(send, exc.api_error(), record)
                return
            if read is None:
                return  # the client left before sending its request
            body = record.body = read
            record.json = parse_json(body)
        self._log.add_request(record)
        scope = {**scope, RECORD_KEY: record}
        fault = self.faults.take(scope["method"], scope["path"])
        if fault is None:
            await self._app(scope, replay(body, receive), recording(send, record))
        else:
            await apply_fault(self._app, fault, scope, body, receive, send, record)

    async def _refuse(self, send: Send, error: ApiError, record: RecordedRequest) -> None:
        # Refused requests are logged (tests count retries of a 401) but without a body.
        self._log.add_request(record)
        await send_error(send, error, record)

    async def _control(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ``/_fake/`` routes: not logged, no faults, but guarded and size-limited."""
        refusal = self._control_refusal(scope)
        if refusal is not None:
            await send_error(send, ApiError(1103, refusal))
            return
        try:
            body = await read_body(scope, receive, self.max_body_size)
        except BodyTooLarge as exc:
            await send_error(send, exc.api_error())
            return
        if body is not None:
            await self._app(scope, replay(body, receive), send)

    def _control_refusal(self, scope: Scope) -> str | None:
        """Why the ``/_fake/`` routes do not answer this request, or ``None`` when they do."""
        if self.control_routes is True:
            return None
        if self.control_routes is False:
            return "FakeKling's /_fake/ routes are off (control_routes=False)"
        host = scope.get(LISTEN_HOST_KEY)
        if host is None or is_loopback_host(host):
            return None  # in-process, or on loopback: only this machine can reach them
        return (
            f"FakeKling's /_fake/ routes are off on a server listening on {host!r}, which is not "
            "loopback; FakeKling(control_routes=True) turns them on"
        )

    def __repr__(self) -> str:
        return f"<FakeKling tasks={self._store.count()} requests={self._log.request_count()}>"


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
        self._thread: ServerThread | None = None

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
        return self._thread is not None and self._thread.running

    def start(self) -> Self:
        """Bind, start the server thread, and return once it accepts connections."""
        if self._thread is not None:
            raise RuntimeError("this server was already started")
        from ._server import ServerThread  # uvicorn loads only when a fake is served

        self._thread = ServerThread(self.fake, self.host, self._port, self._log_level)
        self._port = self._thread.port
        if not self._thread.start():
            self.stop()
            raise RuntimeError(f"FakeKling server did not start on {self.url}")
        return self

    def stop(self) -> None:
        """Ask uvicorn to exit, wait for the thread, release the socket. Idempotent."""
        if self._thread is not None:
            self._thread.stop()

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
