"""Helpers shared by the FakeKling tests."""

from __future__ import annotations

import time
from collections.abc import Iterator

import jwt
import pytest

from kling.testing import FakeKling


class ManualClock:
    """A clock that only moves when told to (monotonic or wall, as injected)."""

    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def mint(
    fake: FakeKling,
    *,
    now: float | None = None,
    exp_in: float = 1800,
    nbf_in: float = -5,
    iss: str | None = None,
    key: str | None = None,
) -> str:
    """A JWT the way Kling's docs say to build one (HS256, iss, exp, nbf, typ JWT)."""
    now = time.time() if now is None else now
    claims = {"iss": iss or fake.access_key, "exp": int(now + exp_in), "nbf": int(now + nbf_in)}
    return jwt.encode(claims, key or fake.secret_key, algorithm="HS256", headers={"typ": "JWT"})


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def no_leaked_server_threads() -> Iterator[None]:
    yield
    import threading

    assert not [t for t in threading.enumerate() if t.name == "fake-kling" and t.is_alive()]
