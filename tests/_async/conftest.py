"""Fixtures for the client tests: a client wired to respx, and a fake clock for sleeps."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
import respx

from kling import AsyncKlingClient
from kling import _compat_async as _compat
from tests._helpers import TASK_CREATED_AT

BASE_URL = "https://api-singapore.klingai.com"
ACCESS_KEY = "ak-test-access-key"
# Deliberately short: PyJWT warns about short HMAC keys, and that warning must never escape.
SECRET_KEY = "sk-test-secret"


@dataclass
class FakeClock:
    """Stands in for the client's sleep and clocks: sleeping only moves time on.

    The wall clock starts at ``TASK_CREATED_AT``, so the tasks of ``tests._helpers.task()`` are
    brand new when a test starts, and age as it sleeps.
    """

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now

    def wall_clock(self) -> float:
        return TASK_CREATED_AT / 1000 + (self.now - 1000.0)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(_compat, "sleep", fake.sleep)
    monkeypatch.setattr(_compat, "monotonic", fake.monotonic)
    monkeypatch.setattr(_compat, "wall_clock", fake.wall_clock)
    return fake


@pytest.fixture
def api() -> respx.MockRouter:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture
async def client(api: respx.MockRouter, clock: FakeClock) -> AsyncIterator[AsyncKlingClient]:
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as kling:
        yield kling
