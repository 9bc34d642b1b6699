"""A real MCP client session on a ``kling mcp`` server, in memory, against a FakeKling.

The server runs in this process on the SDK's low-level ``Server``; the client is the MCP SDK's
``ClientSession`` over its in-memory JSON-RPC streams, so every call goes through the protocol
as it would from an agent. The Kling client reaches the fake through httpx's ASGI transport, and
waits do not sleep (``clock``).
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio.lowlevel
import httpx
import pytest
from mcp.client._memory import InMemoryTransport
from mcp.client.session import ClientSession

from kling import AsyncKlingClient
from kling import _compat_async as _compat
from kling.mcp import build_server
from kling.testing import FakeKling, Timing

#: Where the client believes the fake lives (loopback: its plain-http result URLs may be fetched).
FAKE_URL = "http://127.0.0.1"


@dataclass
class Clock:
    """The SDK's sleep and clocks: sleeping only moves time on."""

    now: float = 1000.0
    wall_start: float = field(default_factory=time.time)
    sleeps: list[float] = field(default_factory=list)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await anyio.lowlevel.checkpoint()

    def monotonic(self) -> float:
        return self.now

    def wall_clock(self) -> float:
        return self.wall_start + (self.now - 1000.0)


@pytest.fixture(params=["asyncio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    # The MCP server runs under asyncio (anyio.run's default, and uvicorn's only loop).
    return str(request.param)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(_compat, "sleep", fake.sleep)
    monkeypatch.setattr(_compat, "monotonic", fake.monotonic)
    monkeypatch.setattr(_compat, "wall_clock", fake.wall_clock)
    return fake


@pytest.fixture
def fake() -> FakeKling:
    """Each task answers once ``submitted``, once ``processing``, then finishes."""
    return FakeKling(timing=Timing.polls(1, 1))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The server's root; ``tmp_path`` itself holds what lies outside it."""
    directory = tmp_path / "root"
    directory.mkdir()
    return directory


@asynccontextmanager
async def kling_client(fake: FakeKling, **keys: Any) -> AsyncIterator[AsyncKlingClient]:
    """A client of ``fake`` through the ASGI transport (its own keys unless told otherwise)."""
    keys = {
        "access_key": fake.access_key,
        "secret_key": fake.secret_key,
        "api_key": fake.api_key,
        **keys,
    }
    transport = httpx.ASGITransport(app=fake)
    async with (
        httpx.AsyncClient(transport=transport) as http,
        AsyncKlingClient(base_url=FAKE_URL, http_client=http, **keys) as client,
    ):
        yield client


@asynccontextmanager
async def mcp_session(client: AsyncKlingClient, root: Path, **options: Any) -> AsyncIterator[Mcp]:
    """An initialized MCP client session on a server built for ``client``."""
    server = build_server(client, root=root, **options)
    async with InMemoryTransport(server) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        yield Mcp(session)


@pytest.fixture
async def mcp(fake: FakeKling, root: Path, clock: Clock) -> AsyncIterator[Mcp]:
    async with kling_client(fake) as client, mcp_session(client, root) as session:
        yield session


ProgressLog = list[tuple[float, float | None, str | None]]


@dataclass
class Answer:
    """A tool result as the agent sees it."""

    data: dict[str, Any]
    is_error: bool
    text: str

    @property
    def error(self) -> dict[str, Any]:
        assert self.is_error, f"expected a tool error, got {self.data}"
        error: dict[str, Any] = self.data["error"]
        return error


class Mcp:
    """The client session, with the calls tests make."""

    def __init__(self, session: ClientSession) -> None:
        self.session = session
        #: The text of every answer, for tests that look for what must never appear.
        self.texts: list[str] = []

    async def call(
        self,
        name: str,
        arguments: dict[str, Any] | None = None,
        progress: Callable[[float, float | None, str | None], Awaitable[None]] | None = None,
    ) -> Answer:
        result = await self.session.call_tool(name, arguments or {}, progress_callback=progress)
        text = "".join(block.text for block in result.content if block.type == "text")
        self.texts.append(text)
        # What the model reads (the text) says what programs read (structuredContent).
        assert json.loads(text) == result.structured_content
        return Answer(result.structured_content, result.is_error, text)

    async def ok(self, name: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
        answer = await self.call(name, arguments)
        assert not answer.is_error, answer.data
        return answer.data


def creates(fake: FakeKling, path: str = "/v1/videos/text2video") -> list[Any]:
    """The create requests the fake received on ``path``."""
    return [r for r in fake.requests if r.method == "POST" and r.path == path]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A valid image outside the root."""
    from tests.test_files import png

    path = tmp_path / "secret.png"
    path.write_bytes(png())
    return path
