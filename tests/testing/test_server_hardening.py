"""FakeKling as a server: auth before bodies, a body size limit, guarded control routes, and
callbacks that stay on this machine unless told otherwise."""

from __future__ import annotations

import json
import logging
import socket
import tracemalloc
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.types import Message

from kling.testing import DEFAULT_API_KEY, DEFAULT_MAX_BODY_SIZE, FakeKling, FakeKlingServer, run
from kling.testing._loopback import LISTEN_HOST_KEY, is_loopback_host
from kling.testing._server import _config

API_KEY_HEADERS = {"Authorization": f"Bearer {DEFAULT_API_KEY}"}
T2V = "/v1/videos/text2video"
SINK = "/_fake/callbacks"
MiB = 1024 * 1024


class Feeder:
    """An ASGI ``receive`` handing out a body in ``chunks`` chunks (``0``: an empty body),
    counting how many the app took."""

    def __init__(self, chunks: int, size: int = MiB) -> None:
        self.chunks = chunks
        self.chunk = b"x" * size  # one object, handed out again and again
        self.taken = 0

    async def __call__(self) -> Message:
        if self.chunks == 0 and self.taken == 0:
            self.taken = 1
            return {"type": "http.request", "body": b"", "more_body": False}
        if self.taken >= self.chunks:
            return {"type": "http.disconnect"}
        self.taken += 1
        return {"type": "http.request", "body": self.chunk, "more_body": self.taken < self.chunks}


async def call(
    fake: FakeKling,
    path: str,
    receive: Feeder,
    *,
    method: str = "POST",
    headers: dict[str, str] | None = None,
    scope_extra: dict[str, Any] | None = None,
) -> tuple[int, Any]:
    """Call the fake as an ASGI app with ``receive``; its status and parsed JSON answer."""
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": ("127.0.0.1", 50000),
        "server": ("fake.test", 80),
        **(scope_extra or {}),
    }
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    await fake(scope, receive, send)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    is_json = (b"content-type", b"application/json") in sent[0]["headers"]
    return sent[0]["status"], json.loads(body) if is_json else body


def sized(size: int) -> dict[str, str]:
    return {"content-type": "application/json", "content-length": str(size)}


@pytest.fixture
def loopback_server(no_leaked_server_threads: None) -> Iterator[FakeKlingServer]:
    with FakeKling.serve() as server:
        yield server


# ------------------------------------------------------------------------ auth before bodies


async def test_unauthenticated_post_is_401_before_its_body_is_read() -> None:
    feeder = Feeder(chunks=50)
    status, body = await call(FakeKling(), T2V, feeder, headers=sized(50 * MiB))
    assert (status, body["code"], body["message"]) == (401, 1001, "Authorization is empty")
    assert feeder.taken == 0


async def test_bad_credentials_are_refused_with_their_own_code_before_the_body() -> None:
    feeder = Feeder(chunks=5)
    headers = {"authorization": "Bearer not-a-key", "content-type": "application/json"}
    status, body = await call(FakeKling(), T2V, feeder, headers=headers)
    assert (status, body["code"]) == (401, 1002)
    assert feeder.taken == 0


async def test_refused_request_is_recorded_without_its_body() -> None:
    fake = FakeKling()
    await call(fake, T2V, Feeder(chunks=3), headers=sized(3 * MiB))
    [record] = fake.requests
    assert (record.status, record.code, record.auth) == (401, 1001, None)
    assert (record.body, record.json) == (b"", None)
    assert record.request_id


async def test_unauthenticated_request_does_not_use_up_a_fault() -> None:
    fake = FakeKling()
    fake.fail_next("GET", T2V, code=5001)
    transport = httpx.ASGITransport(app=fake)
    async with httpx.AsyncClient(transport=transport, base_url="http://fake.test") as http:
        assert (await http.get(T2V)).status_code == 401
        assert (await http.get(T2V, headers=API_KEY_HEADERS)).status_code == 503


async def test_unknown_path_wants_credentials_first() -> None:
    status, body = await call(FakeKling(), "/v1/no-such-thing", Feeder(chunks=1))
    assert (status, body["code"]) == (401, 1001)


async def test_files_stay_public_and_their_request_body_is_never_read() -> None:
    feeder = Feeder(chunks=3)
    status, _ = await call(FakeKling(), "/files/result.png", feeder, method="GET")
    assert status == 200
    assert feeder.taken == 0


# ------------------------------------------------------------------------------- body limit


def test_default_max_body_size_is_64_mib() -> None:
    assert FakeKling().max_body_size == DEFAULT_MAX_BODY_SIZE == 64 * MiB


def test_negative_max_body_size_is_rejected() -> None:
    with pytest.raises(ValueError):
        FakeKling(max_body_size=-1)


async def test_declared_oversized_body_is_413_without_reading_it() -> None:
    feeder = Feeder(chunks=4)
    headers = {**API_KEY_HEADERS, **sized(4 * MiB)}
    status, body = await call(FakeKling(max_body_size=MiB), T2V, feeder, headers=headers)
    assert (status, body["code"]) == (413, 1200)
    assert "max_body_size" in body["message"]
    assert body["request_id"]
    assert "data" not in body
    assert feeder.taken == 0


async def test_chunked_body_is_cut_off_once_it_passes_the_limit() -> None:
    feeder = Feeder(chunks=50)
    headers = {**API_KEY_HEADERS, "content-type": "application/json"}  # no Content-Length
    status, body = await call(FakeKling(max_body_size=3 * MiB), T2V, feeder, headers=headers)
    assert (status, body["code"]) == (413, 1200)
    assert feeder.taken == 4  # the chunk that crossed 3 MiB, and not one more


async def test_oversized_request_is_recorded_without_its_body() -> None:
    fake = FakeKling(max_body_size=MiB)
    await call(fake, T2V, Feeder(chunks=2), headers={**API_KEY_HEADERS, **sized(2 * MiB)})
    [record] = fake.requests
    assert (record.status, record.code, record.auth, record.body) == (413, 1200, "api_key", b"")


async def test_body_of_exactly_the_limit_is_accepted() -> None:
    body = json.dumps({"prompt": "a corgi"}).encode()
    fake = FakeKling(max_body_size=len(body))
    transport = httpx.ASGITransport(app=fake)
    async with httpx.AsyncClient(transport=transport, base_url="http://fake.test") as http:
        response = await http.post(
            T2V, content=body, headers={**API_KEY_HEADERS, "content-type": "application/json"}
        )
    assert response.status_code == 200
    assert fake.requests[-1].json == {"prompt": "a corgi"}


async def test_control_routes_are_size_limited_too() -> None:
    fake = FakeKling(max_body_size=MiB)
    feeder = Feeder(chunks=2)
    status, body = await call(fake, SINK, feeder, headers={"content-type": "application/json"})
    assert (status, body["code"]) == (413, 1200)
    assert feeder.taken == 2
    assert fake.callbacks_received == []


def test_ten_oversized_unauthenticated_posts_leave_memory_bounded(
    loopback_server: FakeKlingServer,
) -> None:
    size, chunk = 20 * MiB, b"x" * (64 * 1024)

    def body() -> Iterator[bytes]:
        for _ in range(size // len(chunk)):
            yield chunk

    tracemalloc.start()
    try:
        with httpx.Client(base_url=loopback_server.url) as http:
            for _ in range(10):
                response = http.post(T2V, content=body(), headers=sized(size))
                assert response.status_code == 401
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < size // 4  # client and server together: never one whole body
    assert [len(r.body) for r in loopback_server.fake.requests] == [0] * 10


def test_oversized_chunked_post_over_sockets_gets_413(no_leaked_server_threads: None) -> None:
    def body() -> Iterator[bytes]:
        for _ in range(64):
            yield b"x" * (64 * 1024)

    with (
        FakeKling.serve(max_body_size=MiB) as server,
        httpx.Client(base_url=server.url, headers=API_KEY_HEADERS) as http,
    ):
        response = http.post(T2V, content=body())
        assert (response.status_code, response.json()["code"]) == (413, 1200)
        # The connection is still good for the next request.
        assert http.get(T2V).status_code == 200


# --------------------------------------------------------------------------- control routes


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "LOCALHOST.",
        "api.localhost",
        "127.0.0.1",
        "127.8.9.10",
        "::1",
        "[::1]",
        "::ffff:127.0.0.1",
    ],
)
def test_loopback_hosts(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize(
    "host", ["0.0.0.0", "::", "", "192.168.1.20", "10.0.0.1", "example.com", "localhost.example"]
)
def test_non_loopback_hosts(host: str) -> None:
    assert not is_loopback_host(host)


async def test_control_routes_answer_in_process() -> None:
    status, body = await call(FakeKling(), SINK, Feeder(chunks=0), method="GET")
    assert (status, body) == (200, [])


async def test_control_routes_are_refused_when_listening_on_a_non_loopback_host() -> None:
    extra = {LISTEN_HOST_KEY: "0.0.0.0"}
    status, body = await call(FakeKling(), SINK, Feeder(0), method="GET", scope_extra=extra)
    assert (status, body["code"]) == (403, 1103)
    assert "'0.0.0.0'" in body["message"]
    assert "control_routes=True" in body["message"]


async def test_control_routes_true_opens_them_on_a_non_loopback_host() -> None:
    extra = {LISTEN_HOST_KEY: "0.0.0.0"}
    fake = FakeKling(control_routes=True)
    status, _ = await call(fake, SINK, Feeder(0), method="GET", scope_extra=extra)
    assert status == 200


async def test_control_routes_false_closes_them_everywhere() -> None:
    status, body = await call(FakeKling(control_routes=False), SINK, Feeder(0), method="GET")
    assert (status, body["code"]) == (403, 1103)
    assert "control_routes=False" in body["message"]


async def test_refused_control_request_is_not_recorded() -> None:
    fake = FakeKling(control_routes=False)
    await call(fake, SINK, Feeder(1), headers={"content-type": "application/json"})
    assert fake.requests == []
    assert fake.callbacks_received == []


def test_control_routes_answer_on_a_loopback_server(loopback_server: FakeKlingServer) -> None:
    assert httpx.get(loopback_server.url + SINK).status_code == 200


def test_control_routes_are_refused_on_a_server_bound_to_all_interfaces(
    no_leaked_server_threads: None,
) -> None:
    with FakeKlingServer(host="0.0.0.0") as server:
        url = f"http://127.0.0.1:{server.port}"
        assert httpx.get(url + SINK).status_code == 403
        assert httpx.get(url + T2V, headers=API_KEY_HEADERS).status_code == 200


async def test_run_tells_the_fake_its_host() -> None:
    # run() serves through the same uvicorn config: its app reports the host it listens on.
    app = _config(FakeKling(), "0.0.0.0", 8000, "warning", quiet=True).app
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": SINK, "headers": [], "query_string": b""}
    await app(scope, Feeder(0), send)
    assert sent[0]["status"] == 403


# -------------------------------------------------------------------------------- callbacks


async def test_callbacks_to_a_non_loopback_host_are_recorded_as_blocked() -> None:
    fake = FakeKling()
    transport = httpx.ASGITransport(app=fake)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://fake.test", headers=API_KEY_HEADERS
    ) as http:
        response = await http.post(
            T2V, json={"prompt": "x", "callback_url": "https://hook.example.com/kling"}
        )
        assert response.status_code == 200  # accepted, as Kling would
        sent = await fake.await_callbacks()
    assert [d.payload["task_status"] for d in sent] == ["submitted", "processing", "succeed"]
    assert all(d.blocked and d.status_code is None and not d.ok for d in sent)
    assert all(d.error and "allow_external_callbacks=True" in d.error for d in sent)


async def test_blocked_callbacks_log_one_warning_per_task(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeKling()
    transport = httpx.ASGITransport(app=fake)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://fake.test", headers=API_KEY_HEADERS
    ) as http:
        with caplog.at_level(logging.WARNING, logger="kling.testing"):
            await http.post(T2V, json={"prompt": "x", "callback_url": "http://10.1.2.3/cb"})
            await fake.await_callbacks()
    assert len([r for r in caplog.records if "not a loopback" in r.getMessage()]) == 1


def test_callbacks_to_loopback_are_sent(loopback_server: FakeKlingServer) -> None:
    url = loopback_server.url
    with httpx.Client(base_url=url, headers=API_KEY_HEADERS) as http:
        http.post(T2V, json={"prompt": "x", "callback_url": f"{url}{SINK}"})
    sent = loopback_server.fake.wait_for_callbacks()
    assert [(d.status_code, d.blocked) for d in sent] == [(200, False)] * 3


def test_allow_external_callbacks_sends_to_other_hosts(no_leaked_server_threads: None) -> None:
    # 0.0.0.0 is not loopback by name, yet on Linux a connection to it reaches this machine:
    # a non-loopback callback host that needs no network.
    with FakeKling.serve(allow_external_callbacks=True) as server:
        target = f"http://0.0.0.0:{server.port}{SINK}"
        with httpx.Client(base_url=server.url, headers=API_KEY_HEADERS) as http:
            http.post(T2V, json={"prompt": "x", "callback_url": target})
        sent = server.fake.wait_for_callbacks()
    assert [(d.status_code, d.blocked) for d in sent] == [(200, False)] * 3


async def test_custom_callback_transport_delivers_to_any_host() -> None:
    fake = FakeKling()
    fake.callback_transport = httpx.ASGITransport(app=fake)  # nothing leaves the process
    transport = httpx.ASGITransport(app=fake)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://fake.test", headers=API_KEY_HEADERS
    ) as http:
        await http.post(T2V, json={"prompt": "x", "callback_url": f"https://hook.example{SINK}"})
        sent = await fake.await_callbacks()
    assert [(d.status_code, d.blocked) for d in sent] == [(200, False)] * 3
    assert len(fake.callbacks_received) == 3


# ------------------------------------------------------------------------------ run and CLI


class _NoServe:
    """Stands in for ``uvicorn.Server``: ``run()`` prints its banner and returns at once."""

    def __init__(self, config: object) -> None:
        self.config = config

    def run(self, sockets: object = None) -> None:
        return None


def test_run_binds_before_it_prints_so_a_busy_port_shows_no_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError, match="in use"):
            run("127.0.0.1", taken.getsockname()[1])
    assert capsys.readouterr() == ("", "")


def test_run_warns_on_stderr_when_listening_beyond_loopback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("kling.testing._server.uvicorn.Server", _NoServe)
    run("0.0.0.0", 0)
    err = capsys.readouterr().err
    assert err.startswith("warning: listening on 0.0.0.0, which is not loopback")
    assert "control_routes=True" in err


def test_run_on_loopback_prints_no_warning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("kling.testing._server.uvicorn.Server", _NoServe)
    run("127.0.0.1", 0)
    assert capsys.readouterr().err == ""


def _invoke_mock_server(monkeypatch: pytest.MonkeyPatch, *args: str) -> dict[str, Any]:
    from typer.testing import CliRunner

    import kling.testing
    from kling.cli._app import app

    seen: dict[str, Any] = {}

    def fake_run(host: str, port: int, **options: Any) -> None:
        seen.update(options, host=host, port=port)

    monkeypatch.setattr(kling.testing, "run", fake_run)
    result = CliRunner().invoke(app, ["mock-server", *args])
    assert result.exit_code == 0, result.output
    return seen


def test_mock_server_passes_the_network_options_to_run(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _invoke_mock_server(
        monkeypatch,
        "--host",
        "0.0.0.0",
        "--max-body-size",
        "1024",
        "--allow-external-callbacks",
        "--control-routes",
    )
    assert seen["host"] == "0.0.0.0"
    assert seen["max_body_size"] == 1024
    assert seen["allow_external_callbacks"] is True
    assert seen["control_routes"] is True


def test_mock_server_defaults_match_fake_kling(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _invoke_mock_server(monkeypatch)
    assert seen["host"] == "127.0.0.1"
    assert seen["max_body_size"] == DEFAULT_MAX_BODY_SIZE
    assert seen["allow_external_callbacks"] is False
    assert seen["control_routes"] is None
