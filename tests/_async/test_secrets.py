"""Secrets (secret key, JWT, API key) never show in reprs, errors, tracebacks or logs."""

from __future__ import annotations

import logging
import pickle
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from kling import AsyncKlingClient, InvalidParameterError, KlingError
from tests._helpers import error, ok, task

from .conftest import ACCESS_KEY, BASE_URL, SECRET_KEY, FakeClock

API_KEY = "api-key-kling-0123456789-do-not-leak"
GET = "/v1/videos/text2video/t1"

Scenario = Callable[[AsyncKlingClient, respx.MockRouter, Path], Awaitable[Any]]


async def _auth_failure(client: AsyncKlingClient, api: respx.MockRouter, _: Path) -> Any:
    api.get(GET).mock(return_value=error(401, 1002, "api key not found"))
    return await client.text_to_video.get("t1")


async def _expired_twice(client: AsyncKlingClient, api: respx.MockRouter, _: Path) -> Any:
    api.get(GET).mock(return_value=error(401, 1004, "token expired"))
    return await client.text_to_video.get("t1")


async def _rate_limit_storm(client: AsyncKlingClient, api: respx.MockRouter, _: Path) -> Any:
    api.get(GET).mock(return_value=error(429, 1303, headers={"Retry-After": "1"}))
    return await client.text_to_video.get("t1")


async def _account(client: AsyncKlingClient, api: respx.MockRouter, _: Path) -> Any:
    api.post("/v1/videos/text2video").mock(return_value=error(429, 1102, "pack exhausted"))
    return await client.text_to_video.create(prompt="a corgi")


async def _server_error_on_create(client: AsyncKlingClient, api: respx.MockRouter, _: Path) -> Any:
    api.post("/v1/videos/text2video").mock(return_value=error(500, 5000))
    api.get(url__regex=r"/v1/videos/text2video/kling-").mock(return_value=error(400, 1201))
    return await client.text_to_video.create(prompt="a corgi")


async def _html(client: AsyncKlingClient, api: respx.MockRouter, _: Path) -> Any:
    api.get(GET).mock(return_value=httpx.Response(502, text="<html>bad gateway</html>"))
    return await client.text_to_video.get("t1")


async def _connect(client: AsyncKlingClient, api: respx.MockRouter, _: Path) -> Any:
    api.get(GET).mock(side_effect=httpx.ConnectError("refused"))
    return await client.text_to_video.get("t1")


async def _timeout(client: AsyncKlingClient, api: respx.MockRouter, _: Path) -> Any:
    api.get(GET).mock(side_effect=httpx.ReadTimeout("slow"))
    return await client.text_to_video.get("t1")


async def _invalid(client: AsyncKlingClient, api: respx.MockRouter, _: Path) -> Any:
    return await client.text_to_video.create(prompt="x" * 3000)


async def _failed_task(client: AsyncKlingClient, api: respx.MockRouter, _: Path) -> Any:
    api.get(GET).mock(return_value=ok(task("t1", "failed", status_msg="risk control")))
    return await client.text_to_video.wait("t1")


async def _timed_out_wait(client: AsyncKlingClient, api: respx.MockRouter, _: Path) -> Any:
    api.get(GET).mock(return_value=ok(task("t1", "processing")))
    return await client.text_to_video.wait("t1", timeout=10)


async def _expired_download(client: AsyncKlingClient, api: respx.MockRouter, tmp: Path) -> Any:
    with respx.mock(base_url="https://cdn.example") as cdn:
        cdn.get("/v.mp4").mock(return_value=httpx.Response(403))
        return await client.download("https://cdn.example/v.mp4", tmp)


def _echo(request: httpx.Request) -> httpx.Response:
    """A gateway that copies the request's headers into its error (as some proxies do)."""
    headers = "; ".join(f"{name}: {value}" for name, value in request.headers.items())
    body = {"code": 1200, "message": f"bad request, headers {headers}", "echo": [headers]}
    return httpx.Response(400, json=body, headers={"x-request-id": headers})


async def _echoing_gateway(client: AsyncKlingClient, api: respx.MockRouter, _: Path) -> Any:
    api.get(GET).mock(side_effect=_echo)
    return await client.text_to_video.get("t1")


async def _echoing_gateway_as_text(client: AsyncKlingClient, api: respx.MockRouter, _: Path) -> Any:
    def echo(request: httpx.Request) -> httpx.Response:
        # The credential across the end of the 200-character excerpt: no half of it is left.
        return httpx.Response(400, text="x" * 180 + request.headers["authorization"])

    api.get(GET).mock(side_effect=echo)
    return await client.text_to_video.get("t1")


SCENARIOS: list[Scenario] = [
    _echoing_gateway,
    _echoing_gateway_as_text,
    _auth_failure,
    _expired_twice,
    _rate_limit_storm,
    _account,
    _server_error_on_create,
    _html,
    _connect,
    _timeout,
    _invalid,
    _failed_task,
    _timed_out_wait,
    _expired_download,
]


def _rendered(exc: BaseException) -> str:
    pickled = pickle.dumps(exc).decode("latin-1")
    return "\n".join(
        [str(exc), repr(exc), repr(exc.args), pickled, *traceback.format_exception(exc)]
    )


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.__name__.strip("_") for s in SCENARIOS])
@pytest.mark.parametrize("credentials", ["keys", "api_key"])
async def test_no_error_path_reveals_a_secret(
    api: respx.MockRouter,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    scenario: Scenario,
    credentials: str,
) -> None:
    kwargs: dict[str, Any] = (
        {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY}
        if credentials == "keys"
        else {"api_key": API_KEY}
    )
    caplog.set_level(logging.DEBUG, logger="kling")
    async with AsyncKlingClient(**kwargs) as client:
        secrets = [SECRET_KEY, API_KEY]
        if credentials == "keys":
            secrets.append(client._auth.token().get())
        with pytest.raises(KlingError) as info:
            await scenario(client, api, tmp_path)
        seen = "\n".join([_rendered(info.value), caplog.text, repr(client), repr(client._auth)])
    for secret in secrets:
        assert secret not in seen
        assert secret[:12] not in seen  # nor the start of one, cut short


async def test_header_values_with_line_breaks_are_refused() -> None:
    with pytest.raises(InvalidParameterError, match="line break") as info:
        AsyncKlingClient(ACCESS_KEY, SECRET_KEY, default_headers={"X-Tag": "a\r\nX-Evil: 1"})
    assert info.value.field == "default_headers"


async def test_base_url_must_be_https_except_on_loopback() -> None:
    with pytest.raises(InvalidParameterError, match="unencrypted"):
        AsyncKlingClient(ACCESS_KEY, SECRET_KEY, "http://api-singapore.klingai.com")
    for loopback in ("http://127.0.0.1:9000", "http://localhost:9000", "http://[::1]:9000"):
        async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY, loopback) as client:
            assert client.base_url == loopback
    assert BASE_URL.startswith("https://")


async def test_api_calls_never_follow_redirects_even_through_a_following_http_client(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    elsewhere = api.get("https://collector.example/steal").mock(return_value=ok(task("t1")))
    also_http = api.get("http://collector.example/steal").mock(return_value=ok(task("t1")))
    api.get(GET).mock(
        return_value=httpx.Response(302, headers={"Location": "https://collector.example/steal"})
    )
    async with (
        httpx.AsyncClient(follow_redirects=True) as mine,
        AsyncKlingClient(ACCESS_KEY, SECRET_KEY, http_client=mine) as client,
    ):
        with pytest.raises(KlingError, match=r"redirect to https://collector\.example/steal"):
            await client.text_to_video.get("t1")
    assert not elsewhere.called
    assert not also_http.called


async def test_credentials_go_only_to_the_base_url_origin(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    other = api.get("https://cdn.example/file").mock(return_value=httpx.Response(200))
    same = api.get(GET).mock(return_value=ok(task("t1")))
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as client:
        # Anything that sends through the client's pool with its auth: only base_url gets it.
        await client._http.get("https://cdn.example/file", auth=client._auth)
        await client.text_to_video.get("t1")
    leaked = other.calls.last.request.headers
    assert not {"authorization", "x-api-key", "x-api-secret"} & {k.lower() for k in leaked}
    assert same.calls.last.request.headers["X-Api-Secret"] == SECRET_KEY


async def test_the_debug_log_masks_the_access_key_as_repr_does(
    client: AsyncKlingClient, api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="kling")
    api.get(GET).mock(return_value=ok(task("t1")))
    await client.text_to_video.get("t1")
    assert ACCESS_KEY not in caplog.text
    masked = f"{ACCESS_KEY[:4]}...{ACCESS_KEY[-4:]}"
    assert masked in caplog.text
    assert masked in repr(client)


async def test_user_and_password_in_a_url_never_reach_a_message(clock: FakeClock) -> None:
    url = "https://gateway-user:gateway-pass@api-singapore.klingai.com"
    with respx.mock(base_url="https://api-singapore.klingai.com") as api:
        api.get(GET).mock(side_effect=httpx.ConnectError("refused"))
        async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY, url) as client:
            with pytest.raises(KlingError) as info:
                await client.text_to_video.get("t1")
            shown = "\n".join([_rendered(info.value), repr(client)])
    assert "gateway-pass" not in shown
    assert "api-singapore.klingai.com" in str(info.value)  # the host is named, though
    with pytest.raises(InvalidParameterError) as bad:
        AsyncKlingClient(ACCESS_KEY, SECRET_KEY, "ftp://user:hunter2@example.com")
    assert "hunter2" not in str(bad.value)
