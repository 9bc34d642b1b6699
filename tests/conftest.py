"""Shared test setup: a clean environment, and async tests run under asyncio and trio."""

from __future__ import annotations

import inspect
import itertools

import pytest

KLING_ENV = ("KLING_ACCESS_KEY", "KLING_SECRET_KEY", "KLING_API_KEY", "KLING_BASE_URL", "KLING_LOG")


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector: pytest.Collector, name: str, obj: object) -> None:
    # Mark every coroutine test for anyio's plugin (run once per backend, see anyio_backend)
    # before parametrization happens; tests marked for pytest-asyncio are left to it.
    if (
        inspect.iscoroutinefunction(obj)
        and name.startswith("test")
        and not any(mark.name == "asyncio" for mark in getattr(obj, "pytestmark", []))
    ):
        pytest.mark.anyio(obj)


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test sees the developer's real credentials, and KLING_LOG starts unset; the task
    history cache (``kling._eta``) is written under a directory of the test's own."""
    for name in KLING_ENV:
        monkeypatch.delenv(name, raising=False)
    cache = tmp_path_factory.getbasetemp() / "cache" / str(next(_CACHES))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))  # made only when a test writes there


#: Numbers the test's cache directories (under pytest's own temporary directory).
_CACHES = itertools.count()
