"""What goes over the wire to authenticate, in each auth mode."""

from __future__ import annotations

import time
from email.utils import formatdate

import httpx
import jwt
import pytest
import respx

from kling import AsyncKlingClient, AuthenticationError
from tests._helpers import decode_jwt, error, ok, sent_json, task

from .conftest import ACCESS_KEY, SECRET_KEY


def _token(request: httpx.Request) -> str:
    return request.headers["Authorization"].removeprefix("Bearer ")


async def test_default_auth_sends_key_pair_and_jwt(api: respx.MockRouter) -> None:
    route = api.get("/v1/videos/text2video/t1").mock(return_value=ok(task("t1")))
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as client:
        await client.text_to_video.get("t1")
    headers = route.calls.last.request.headers
    assert headers["X-Api-Key"] == ACCESS_KEY
    assert headers["X-Api-Secret"] == SECRET_KEY
    assert headers["Authorization"].startswith("Bearer ")


async def test_jwt_has_the_claims_and_header_kling_verifies(api: respx.MockRouter) -> None:
    route = api.get("/v1/videos/text2video/t1").mock(return_value=ok(task("t1")))
    before = int(time.time())
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as client:
        await client.text_to_video.get("t1")
    token = _token(route.calls.last.request)
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "HS256", "typ": "JWT"}
    claims = decode_jwt(token, SECRET_KEY)
    assert set(claims) == {"iss", "exp", "nbf"}
    assert claims["iss"] == ACCESS_KEY
    assert before + 1800 <= claims["exp"] <= int(time.time()) + 1800
    assert before - 5 <= claims["nbf"] <= int(time.time()) - 5


async def test_jwt_mode_never_puts_the_secret_on_the_wire(api: respx.MockRouter) -> None:
    route = api.get("/v1/videos/text2video/t1").mock(return_value=ok(task("t1")))
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY, auth="jwt") as client:
        await client.text_to_video.get("t1")
    request = route.calls.last.request
    assert "X-Api-Key" not in request.headers
    assert "X-Api-Secret" not in request.headers
    raw = b"\r\n".join(k + b": " + v for k, v in request.headers.raw)
    assert SECRET_KEY.encode() not in raw
    assert decode_jwt(_token(request), SECRET_KEY)["iss"] == ACCESS_KEY


async def test_headers_mode_sends_only_the_key_pair(api: respx.MockRouter) -> None:
    route = api.get("/v1/videos/text2video/t1").mock(return_value=ok(task("t1")))
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY, auth="headers") as client:
        await client.text_to_video.get("t1")
    headers = route.calls.last.request.headers
    assert "Authorization" not in headers
    assert (headers["X-Api-Key"], headers["X-Api-Secret"]) == (ACCESS_KEY, SECRET_KEY)


async def test_the_jwt_is_reused_across_requests(api: respx.MockRouter) -> None:
    route = api.get("/v1/videos/text2video/t1").mock(return_value=ok(task("t1")))
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as client:
        await client.text_to_video.get("t1")
        await client.text_to_video.get("t1")
    first, second = (_token(call.request) for call in route.calls)
    assert first == second


@pytest.mark.parametrize("code", [1003, 1004])
async def test_token_rejected_as_not_yet_valid_or_expired_is_reminted_once(
    api: respx.MockRouter, code: int
) -> None:
    route = api.get("/v1/videos/text2video/t1").mock(
        side_effect=[error(401, code, "token expired"), ok(task("t1"))]
    )
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY, max_retries=0) as client:
        result = await client.text_to_video.get("t1")
    assert result.task_id == "t1"
    assert route.call_count == 2


async def test_token_rejected_twice_surfaces_the_401(api: respx.MockRouter) -> None:
    route = api.get("/v1/videos/text2video/t1").mock(return_value=error(401, 1004, "expired"))
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as client:
        with pytest.raises(AuthenticationError) as info:
            await client.text_to_video.get("t1")
    assert info.value.api_code == 1004
    assert route.call_count == 2


async def test_clock_skew_is_corrected_from_the_server_date(api: respx.MockRouter) -> None:
    server_now = time.time() - 3600  # the server's clock is an hour behind ours
    date = formatdate(server_now, usegmt=True)
    route = api.get("/v1/videos/text2video/t1").mock(
        side_effect=[
            error(401, 1003, "token not valid yet", headers={"Date": date}),
            ok(task("t1")),
        ]
    )
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as client:
        await client.text_to_video.get("t1")
    retried = decode_jwt(_token(route.calls[1].request), SECRET_KEY, verify_time=False)
    assert abs(retried["nbf"] - (server_now - 5)) < 5


async def test_json_bodies_carry_the_json_content_type(api: respx.MockRouter) -> None:
    route = api.post("/v1/videos/text2video").mock(return_value=ok(task("t1")))
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as client:
        await client.text_to_video.create(prompt="a corgi")
    request = route.calls.last.request
    assert request.headers["Content-Type"] == "application/json"
    assert sent_json(request)["prompt"] == "a corgi"
