"""Client lifecycle, options, shared pools, and secrets kept out of sight."""

from __future__ import annotations

import logging
import traceback

import httpx
import pytest
import respx

from kling import AsyncKlingClient, AuthenticationError, RateLimitError, _logging
from tests._helpers import error, ok, task

from .conftest import ACCESS_KEY, SECRET_KEY

GET = "/v1/videos/text2video/t1"


async def test_context_manager_closes_the_pool_it_created() -> None:
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as client:
        pool = client._http
    assert pool.is_closed


async def test_a_passed_http_client_is_used_and_left_open(api: respx.MockRouter) -> None:
    route = api.get(GET).mock(return_value=ok(task("t1")))
    async with httpx.AsyncClient(headers={"X-Proxy-Tag": "mine"}) as http:
        async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY, http_client=http) as client:
            await client.text_to_video.get("t1")
        assert not http.is_closed
    assert route.calls.last.request.headers["X-Proxy-Tag"] == "mine"


async def test_http_client_of_the_wrong_kind_is_refused() -> None:
    with pytest.raises(TypeError, match="http_client must be"):
        AsyncKlingClient(ACCESS_KEY, SECRET_KEY, http_client=object())  # type: ignore[arg-type]


async def test_with_options_shares_the_pool_and_overrides_settings(
    api: respx.MockRouter,
) -> None:
    route = api.get(GET).mock(return_value=error(429, 1302))
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as client:
        quick = client.with_options(max_retries=0, timeout=5.0)
        assert quick._http is client._http
        assert (quick.max_retries, quick.timeout, client.max_retries) == (0, 5.0, 3)
        with pytest.raises(RateLimitError):
            await quick.text_to_video.get("t1")
        assert route.call_count == 1
        await quick.close()
        assert not client._http.is_closed


async def test_with_options_can_switch_to_an_api_key(api: respx.MockRouter) -> None:
    route = api.get(GET).mock(return_value=ok(task("t1")))
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as client:
        await client.with_options(api_key="api-key-kling-2").text_to_video.get("t1")
    assert route.calls.last.request.headers["Authorization"] == "Bearer api-key-kling-2"


async def test_requests_identify_the_sdk(client: AsyncKlingClient, api: respx.MockRouter) -> None:
    route = api.get(GET).mock(return_value=ok(task("t1")))
    await client.text_to_video.get("t1")
    assert route.calls.last.request.headers["User-Agent"].startswith("kling-python/")


async def test_the_timeout_and_default_headers_reach_each_request(api: respx.MockRouter) -> None:
    route = api.get(GET).mock(return_value=ok(task("t1")))
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY, timeout=7.0) as client:
        await client.text_to_video.get("t1")
        first = route.calls.last.request
        tagged = client.with_options(timeout=2.5, default_headers={"X-Gateway-Tag": "blue"})
        await tagged.text_to_video.get("t1")
        second = route.calls.last.request
        await client.text_to_video.get("t1")
        third = route.calls.last.request
    assert first.extensions["timeout"] == httpx.Timeout(7.0).as_dict()
    assert "X-Gateway-Tag" not in first.headers
    assert second.extensions["timeout"] == httpx.Timeout(2.5).as_dict()
    assert second.headers["X-Gateway-Tag"] == "blue"
    assert second.headers["User-Agent"].startswith("kling-python/")
    # The copy's settings stay with the copy, though it shares the pool.
    assert third.extensions["timeout"] == httpx.Timeout(7.0).as_dict()
    assert "X-Gateway-Tag" not in third.headers


async def test_a_default_user_agent_header_replaces_the_sdks(api: respx.MockRouter) -> None:
    route = api.get(GET).mock(return_value=ok(task("t1")))
    headers = {"user-agent": "my-app/2"}
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY, default_headers=headers) as client:
        await client.text_to_video.get("t1")
    assert route.calls.last.request.headers.get_list("User-Agent") == ["my-app/2"]


async def test_repr_shows_no_secret(client: AsyncKlingClient) -> None:
    text = repr(client) + repr(client._config) + repr(client._auth)
    assert SECRET_KEY not in text
    assert client._auth.token().get() not in text
    assert "api-singapore" in text


async def test_api_key_never_shows_in_repr() -> None:
    async with AsyncKlingClient(api_key="api-key-kling-secret") as client:
        assert "api-key-kling-secret" not in repr(client) + repr(client._config)


async def test_errors_and_tracebacks_hold_no_secret(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.get(GET).mock(return_value=error(401, 1002, "api key not found"))
    with pytest.raises(AuthenticationError) as info:
        await client.text_to_video.get("t1")
    token = client._auth.token().get()
    rendered = "".join(traceback.format_exception(info.value)) + repr(info.value.args)
    assert SECRET_KEY not in rendered
    assert token not in rendered


async def test_debug_logs_redact_credentials(
    client: AsyncKlingClient, api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    api.get(GET).mock(side_effect=[error(429, 1302), ok(task("t1"))])
    with caplog.at_level(logging.DEBUG, logger="kling"):
        await client.text_to_video.get("t1")
    text = caplog.text
    assert "GET /v1/videos/text2video/t1 -> 429" in text
    assert "Retrying GET" in text
    assert "<redacted>" in text
    assert SECRET_KEY not in text
    assert client._auth.token().get() not in text


async def test_kling_log_env_turns_logging_on(monkeypatch: pytest.MonkeyPatch) -> None:
    logger = logging.getLogger("kling")
    monkeypatch.setattr(_logging, "_configured", False)
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    monkeypatch.setenv("KLING_LOG", "debug")
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY):
        pass
    assert logger.level == logging.DEBUG
    assert len(logger.handlers) == 1
