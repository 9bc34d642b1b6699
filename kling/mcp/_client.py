"""The one client a server uses for its whole life: Kling's, or one wired to a FakeKling.

``--mock`` runs the fake in-process behind httpx's ASGI transport: no port, no thread, and
nothing printed (on stdio, stdout is the protocol). Its result files are served by the same
fake, so downloads work too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from .._errors import InvalidCredentialsError, MissingCredentialsError
from .._mock_timing import MockTiming, mock_timing
from ._options import ServerSetupError

if TYPE_CHECKING:
    from .._async._client import AsyncKlingClient
    from .._budget import Budget

__all__ = ["MOCK_BASE_URL", "kling_client", "mock_client"]

#: Where the in-process fake answers (loopback, so its plain-http result URLs may be fetched).
MOCK_BASE_URL = "http://127.0.0.1"


@asynccontextmanager
async def kling_client(options: Mapping[str, Any]) -> AsyncIterator[AsyncKlingClient]:
    """``AsyncKlingClient(**options)``: what is not given comes from ``KLING_*`` as everywhere."""
    from .. import AsyncKlingClient

    try:
        client = AsyncKlingClient(**options)
    except (MissingCredentialsError, InvalidCredentialsError) as exc:
        raise ServerSetupError(f"{exc} To try it without an account, run with --mock.") from None
    async with client:
        yield client


@asynccontextmanager
async def mock_client(
    timing: MockTiming = "demo", budget: Budget | None = None
) -> AsyncIterator[AsyncKlingClient]:
    """A client of a FakeKling made now, which lives as long as the client."""
    import httpx

    from .. import AsyncKlingClient

    try:
        from ..testing import FakeKling
    except ImportError as exc:  # starlette: the mcp extra brings it, a bare install may not
        raise ServerSetupError(
            f"--mock needs the package {exc.name!r}: pip install 'kling[mcp,testing]'"
        ) from None
    fake = FakeKling(timing=mock_timing(timing))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=fake)) as http:
        client = AsyncKlingClient(
            fake.access_key,
            fake.secret_key,
            MOCK_BASE_URL,
            api_key=fake.api_key,  # the new standard takes API keys only
            http_client=http,
            budget=budget,
        )
        async with client:
            yield client
