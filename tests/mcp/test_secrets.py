"""No key, secret or token ever reaches an agent or a log, whatever the tools answered."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from kling import AsyncKlingClient
from kling.testing import FakeKling

from .conftest import Clock, Mcp, kling_client, mcp_session

WRONG_SECRET = "wrong-secret-0123456789abcdef0123456789"


async def exercise(mcp: Mcp) -> None:
    """A bit of everything: successes, refusals, and Kling's errors."""
    created = await mcp.ok("create_text_to_video", {"prompt": "a corgi"})
    await mcp.call("wait_task", {"family": "text_to_video", "task_id": created["task_id"]})
    await mcp.call("download_results", {"family": "text_to_video", "task_id": created["task_id"]})
    await mcp.call("create_v2_text_to_video", {"model": "kling-3.0", "prompt": "x"})
    await mcp.call("create_text_to_video", {"prompt": "x", "duration": "7x"})
    await mcp.call("get_task", {"family": "text_to_video", "task_id": "404"})
    await mcp.call("account_costs", {})
    await mcp.call("create_image_to_video", {"image": "/etc/passwd"})


async def test_no_secret_appears_in_tool_output_or_logs(
    fake: FakeKling, root: Path, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with kling_client(fake) as client, mcp_session(client, root) as mcp:
        await exercise(mcp)
        texts = list(mcp.texts)
    async with (
        kling_client(fake, secret_key=WRONG_SECRET) as client,
        mcp_session(client, root) as mcp,
    ):
        refused = await mcp.call("get_task", {"family": "text_to_video", "task_id": "1"})
        texts += mcp.texts
    assert refused.error["type"] == "AuthenticationError"
    tokens = {
        r.headers["authorization"].removeprefix("Bearer ")
        for r in fake.requests
        if "authorization" in r.headers
    }
    assert tokens  # the JWTs and the API key the client sent
    secrets = {fake.secret_key, WRONG_SECRET, fake.api_key or "", *tokens}
    logs = caplog.text
    assert "kling.mcp" in logs  # the server did log its calls
    for secret in secrets:
        assert secret
        for text in texts:
            assert secret not in text
        assert secret not in logs


async def test_a_gateway_echoing_the_headers_passes_no_key_nor_token_to_the_agent(
    root: Path, clock: Clock
) -> None:
    sent: list[httpx.Request] = []

    def gateway(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        headers = "; ".join(f"{name}: {value}" for name, value in request.headers.items())
        return httpx.Response(400, json={"code": 1200, "message": f"bad headers {headers}"})

    keys = {
        "access_key": "ak-echo-0123456789",
        "secret_key": WRONG_SECRET,
        "api_key": "api-echo-42",
    }
    async with (
        httpx.AsyncClient(transport=httpx.MockTransport(gateway)) as http,
        AsyncKlingClient(http_client=http, **keys) as client,
        mcp_session(client, root) as mcp,
    ):
        legacy = await mcp.call("get_task", {"family": "text_to_video", "task_id": "1"})
        v2 = await mcp.call("get_task", {"family": "v2", "task_id": "1"})
    assert "bad headers" in legacy.error["message"]
    assert "<redacted>" in v2.error["message"]
    tokens = {r.headers["authorization"].removeprefix("Bearer ") for r in sent}
    assert len(tokens) == 2  # the JWT and the API key
    for secret in [*keys.values(), *tokens]:
        assert secret not in legacy.text
        assert secret not in v2.text
