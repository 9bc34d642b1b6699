"""Per-call overhead of ``create``/``get`` against raw httpx + json + pydantic.

The baseline is what a careful user writes without the SDK: an ``httpx`` call with a static
``Authorization: Bearer`` header, ``json.loads`` of the body, a check of the envelope's
``code``, and ``kling.TaskBase.model_validate(body["data"])`` for the same model. The SDK runs
with ``api_key=`` so that both send one bearer header; the default access/secret-key mode
(JWT plus the key headers) is reported for information.

Both sides share one ``httpx`` client, so transport, limits and keep-alive are identical:

* in-process: ``httpx.MockTransport`` answering canned Kling JSON (no sockets), which
  isolates the CPU cost of the layers above httpx;
* loopback: FakeKling served by uvicorn on 127.0.0.1 in another process.

Each variant is warmed up, then timed over ``repeats`` rounds of ``calls`` calls with
``time.perf_counter`` and the garbage collector disabled (for every variant alike); the
variants take turns within a round, in alternating order, so drift hits them equally. The
figure is the median per-call time over the rounds.
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from ._report import Row, Section, fmt, md_table, ratio_row
from ._server import FAMILY_PATH, FakeServerProcess

TARGET = 1.3

BASE_URL = "https://api.kling.test"  # in-process only: MockTransport never resolves it
API_KEY = "bench-api-key"
ACCESS_KEY = "bench-access-key"
SECRET_KEY = "bench-secret-key-0123456789abcdef0123"
PROMPT = "a corgi surfing at sunset"
TASK_ID = "801498358196362150"

# What Kling answers to a create and to a get of a finished task (shapes as FakeKling sends).
CREATE_JSON = json.dumps(
    {
        "code": 0,
        "message": "SUCCEED",
        "request_id": "4f0e6a3c-1d2b-4c5d-9e8f-0a1b2c3d4e5f",
        "data": {
            "task_id": TASK_ID,
            "task_status": "submitted",
            "task_info": {},
            "created_at": 1_795_840_888_703,
            "updated_at": 1_795_840_888_703,
        },
    }
).encode()
GET_JSON = json.dumps(
    {
        "code": 0,
        "message": "SUCCEED",
        "request_id": "5a1f7b4d-2e3c-4d6e-8f90-1b2c3d4e5f60",
        "data": {
            "task_id": TASK_ID,
            "task_status": "succeed",
            "task_status_msg": "",
            "task_info": {"external_task_id": "kling-3f2a9c1e5b7d4e6f8a0b1c2d3e4f5a6b"},
            "task_result": {
                "videos": [
                    {
                        "id": "e38f542f-a540-4a34-82ef-24102e9d19f1",
                        "url": f"https://cdn.kling.test/files/{TASK_ID}-0.mp4",
                        "duration": "5",
                    }
                ]
            },
            "created_at": 1_795_840_888_637,
            "updated_at": 1_795_840_890_637,
            "final_unit_deduction": "1",
        },
    }
).encode()
_JSON_HEADERS = {"content-type": "application/json"}


def canned(request: httpx.Request) -> httpx.Response:
    """The MockTransport handler: a create answer for POST, a finished task for GET."""
    body = CREATE_JSON if request.method == "POST" else GET_JSON
    return httpx.Response(200, content=body, headers=_JSON_HEADERS)


def _model(response: httpx.Response) -> Any:
    from kling import TaskBase

    envelope = json.loads(response.content)
    if response.status_code >= 400 or envelope.get("code") != 0:
        raise RuntimeError(f"Kling error: {response.status_code} {envelope}")
    return TaskBase.model_validate(envelope["data"])


@dataclass
class Target:
    """Where requests go: base URL, credentials, and an existing task to get (replaceable)."""

    base_url: str
    api_key: str
    access_key: str
    secret_key: str
    task_id: str


SyncCall = Callable[[], object]
AsyncCall = Callable[[], Awaitable[object]]


def sync_calls(http: httpx.Client, target: Target) -> dict[str, SyncCall]:
    """raw/sdk/jwt x create/get, all through ``http``."""
    from kling import KlingClient

    sdk = KlingClient(api_key=target.api_key, base_url=target.base_url, http_client=http)
    jwt = KlingClient(
        target.access_key, target.secret_key, base_url=target.base_url, http_client=http
    )
    create_url = target.base_url + FAMILY_PATH
    key = target.api_key

    def raw_create() -> object:
        headers = {"Authorization": f"Bearer {key}"}
        return _model(http.post(create_url, json={"prompt": PROMPT}, headers=headers))

    def raw_get() -> object:
        headers = {"Authorization": f"Bearer {key}"}
        return _model(http.get(f"{create_url}/{target.task_id}", headers=headers))

    return {
        "raw create": raw_create,
        "sdk create": lambda: sdk.text_to_video.create(prompt=PROMPT),
        "jwt create": lambda: jwt.text_to_video.create(prompt=PROMPT),
        "raw get": raw_get,
        "sdk get": lambda: sdk.text_to_video.get(target.task_id),
        "jwt get": lambda: jwt.text_to_video.get(target.task_id),
    }


def async_calls(http: httpx.AsyncClient, target: Target) -> dict[str, AsyncCall]:
    """The async twin of :func:`sync_calls`."""
    from kling import AsyncKlingClient

    sdk = AsyncKlingClient(api_key=target.api_key, base_url=target.base_url, http_client=http)
    jwt = AsyncKlingClient(
        target.access_key, target.secret_key, base_url=target.base_url, http_client=http
    )
    create_url = target.base_url + FAMILY_PATH
    key = target.api_key

    async def raw_create() -> object:
        headers = {"Authorization": f"Bearer {key}"}
        return _model(await http.post(create_url, json={"prompt": PROMPT}, headers=headers))

    async def raw_get() -> object:
        headers = {"Authorization": f"Bearer {key}"}
        return _model(await http.get(f"{create_url}/{target.task_id}", headers=headers))

    return {
        "raw create": raw_create,
        "sdk create": lambda: sdk.text_to_video.create(prompt=PROMPT),
        "jwt create": lambda: jwt.text_to_video.create(prompt=PROMPT),
        "raw get": raw_get,
        "sdk get": lambda: sdk.text_to_video.get(target.task_id),
        "jwt get": lambda: jwt.text_to_video.get(target.task_id),
    }


def _rounds(names: Sequence[str], repeats: int) -> list[list[str]]:
    """The order variants run in, round by round: forwards, then backwards, and so on."""
    return [list(names) if i % 2 == 0 else list(reversed(names)) for i in range(repeats)]


@dataclass
class Samples:
    """Per-call seconds, one value per round: wall clock, and this process's CPU time."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, wall: float, cpu: float, n: int) -> None:
        self.wall.append(wall / n)
        self.cpu.append(cpu / n)


def time_sync(
    calls: dict[str, SyncCall],
    *,
    n: int,
    repeats: int,
    warmup: int,
    before_round: Callable[[], None] | None = None,
) -> dict[str, Samples]:
    """Per-call seconds of each variant, one value per round."""
    for call in calls.values():
        for _ in range(warmup):
            call()
    samples = {name: Samples() for name in calls}
    for order in _rounds(list(calls), repeats):
        if before_round is not None:
            before_round()
        for name in order:
            call = calls[name]
            gc.collect()
            gc.disable()
            try:
                cpu = time.process_time()
                start = time.perf_counter()
                for _ in range(n):
                    call()
                elapsed = time.perf_counter() - start
                cpu = time.process_time() - cpu
            finally:
                gc.enable()
            samples[name].add(elapsed, cpu, n)
    return samples


async def time_async(
    calls: dict[str, AsyncCall],
    *,
    n: int,
    repeats: int,
    warmup: int,
    before_round: Callable[[], None] | None = None,
) -> dict[str, Samples]:
    """The async twin of :func:`time_sync` (calls awaited one after another)."""
    for call in calls.values():
        for _ in range(warmup):
            await call()
    samples = {name: Samples() for name in calls}
    for order in _rounds(list(calls), repeats):
        if before_round is not None:
            before_round()  # blocking on purpose: outside the timed region
        for name in order:
            call = calls[name]
            gc.collect()
            gc.disable()
            try:
                cpu = time.process_time()
                start = time.perf_counter()
                for _ in range(n):
                    await call()
                elapsed = time.perf_counter() - start
                cpu = time.process_time() - cpu
            finally:
                gc.enable()
            samples[name].add(elapsed, cpu, n)
    return samples


@dataclass(frozen=True)
class Settings:
    inproc_calls: int
    loopback_calls: int
    repeats: int
    warmup: int

    @classmethod
    def for_mode(cls, quick: bool) -> Settings:
        if quick:
            return cls(inproc_calls=100, loopback_calls=25, repeats=11, warmup=50)
        return cls(inproc_calls=200, loopback_calls=50, repeats=21, warmup=200)


def _measure(
    transport: str,
    target: Target,
    settings: Settings,
    before_round: Callable[[], None] | None = None,
) -> dict[str, dict[str, Samples]]:
    """``{"sync": samples, "async": samples}`` for one transport."""
    n = settings.inproc_calls if transport == "in-process" else settings.loopback_calls
    repeats, warmup = settings.repeats, settings.warmup
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
    sync_transport = httpx.MockTransport(canned) if transport == "in-process" else None
    with httpx.Client(transport=sync_transport, limits=limits, timeout=60) as http:
        sync = time_sync(
            sync_calls(http, target),
            n=n,
            repeats=repeats,
            warmup=warmup,
            before_round=before_round,
        )

    async def run_async() -> dict[str, Samples]:
        async_transport = httpx.MockTransport(canned) if transport == "in-process" else None
        async with httpx.AsyncClient(transport=async_transport, limits=limits, timeout=60) as h:
            return await time_async(
                async_calls(h, target),
                n=n,
                repeats=repeats,
                warmup=warmup,
                before_round=before_round,
            )

    return {"sync": sync, "async": asyncio.run(run_async())}


def _fresh_task(server: FakeServerProcess) -> str:
    """Empty the fake, then create the one task the ``get`` calls fetch; its id."""
    server.reset()
    with httpx.Client(timeout=60) as http:
        response = http.post(
            server.url + FAMILY_PATH,
            json={"prompt": PROMPT},
            headers={"Authorization": f"Bearer {server.api_key}"},
        )
    task_id: str = _model(response).task_id
    return task_id


def _spread(values: list[float]) -> str:
    low, high = min(values) * 1e6, max(values) * 1e6
    return f"{fmt(statistics.median(values), 'us')} ({low:,.0f}-{high:,.0f})"


def _cpu(values: list[float]) -> str:
    return fmt(statistics.median(values), "us")


def run(quick: bool) -> Section:
    settings = Settings.for_mode(quick)
    section = Section("overhead", "Per-call overhead: create/get against raw httpx")
    results: dict[str, dict[str, dict[str, Samples]]] = {}
    inproc = Target(BASE_URL, API_KEY, ACCESS_KEY, SECRET_KEY, TASK_ID)
    results["in-process"] = _measure("in-process", inproc, settings)
    with FakeServerProcess() as server:
        loopback = Target(
            server.url, server.api_key, server.access_key, server.secret_key, _fresh_task(server)
        )

        def before_round() -> None:
            # An empty fake per round: its request log and memory do not grow over the rounds.
            loopback.task_id = _fresh_task(server)

        results["loopback"] = _measure("loopback", loopback, settings, before_round)
        trivial = server.loopback_latency

    wall_rows: list[list[str]] = []
    cpu_rows: list[list[str]] = []
    jwt_rows: list[Row] = []
    for transport, by_mode in results.items():
        for mode, samples in by_mode.items():
            for op in ("create", "get"):
                raw_s, sdk_s, jwt_s = (samples[f"{v} {op}"] for v in ("raw", "sdk", "jwt"))
                raw = statistics.median(raw_s.wall)
                sdk = statistics.median(sdk_s.wall)
                jwt = statistics.median(jwt_s.wall)
                name = f"{mode} {op}, {transport}"
                limit = TARGET if transport == "in-process" else None
                section.rows.append(ratio_row("overhead", name, raw, sdk, "us", limit=limit))
                jwt_rows.append(ratio_row("overhead", f"{name}, JWT auth", raw, jwt, "us"))
                wall_rows.append(
                    [
                        transport,
                        mode,
                        op,
                        _spread(raw_s.wall),
                        _spread(sdk_s.wall),
                        f"{sdk / raw:.2f}x",
                        f"{(sdk - raw) * 1e6:+,.1f} us",
                        _spread(jwt_s.wall),
                        f"{jwt / raw:.2f}x",
                    ]
                )
                raw_cpu = statistics.median(raw_s.cpu)
                sdk_cpu = statistics.median(sdk_s.cpu)
                jwt_cpu = statistics.median(jwt_s.cpu)
                cpu_rows.append(
                    [
                        transport,
                        mode,
                        op,
                        _cpu(raw_s.cpu),
                        _cpu(sdk_s.cpu),
                        f"{sdk_cpu / raw_cpu:.2f}x",
                        _cpu(jwt_s.cpu),
                        f"{jwt_cpu / raw_cpu:.2f}x",
                    ]
                )
    section.rows.extend(jwt_rows)
    s = settings
    section.details = [
        (__doc__ or "").split("\n\n", 1)[1].strip(),
        "",
        f"Calls per round: {s.inproc_calls:,} in-process, {s.loopback_calls:,} loopback; "
        f"{s.repeats} rounds after {s.warmup} warm-up calls per variant. Target: SDK with "
        f"`api_key` at most {TARGET:.1f}x raw in-process (wall clock); loopback and JWT rows "
        "are for information.",
        "",
        "Wall clock (`time.perf_counter`), median per call, (min-max over rounds):",
        "",
        *md_table(
            [
                "Transport",
                "Mode",
                "Call",
                "Raw httpx",
                "SDK (api_key)",
                "Ratio",
                "SDK extra per call",
                "SDK (JWT, default auth)",
                "JWT ratio",
            ],
            wall_rows,
        ),
        "",
        "CPU time of this process (`time.process_time`), median per call, as a cross-check",
        "that does not count time lost to other processes (on loopback the server's CPU is in",
        "another process, so this is the client's share alone):",
        "",
        *md_table(
            [
                "Transport",
                "Mode",
                "Call",
                "Raw httpx",
                "SDK (api_key)",
                "Ratio",
                "SDK (JWT)",
                "JWT ratio",
            ],
            cpu_rows,
        ),
        "",
        "The SDK's `create` also validates its parameters and adds an `external_task_id` (the",
        "idempotency key); the raw baseline sends the bare prompt. On loopback the fake's own",
        "work (routing, JSON, checking the JWT in JWT mode) is inside every wall-clock figure;",
        "there the ratios say how much of a real round trip the SDK adds. The fake is emptied",
        "before each round (untimed), so its duplicate-`external_task_id` check stays cheap.",
        f"A trivial request to the fake (`GET /_fake/callbacks`) took {trivial * 1e3:.2f} ms at "
        "start-up.",
    ]
    return section
