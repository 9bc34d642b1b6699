"""Which exception a failed call raises, and what it carries."""

from __future__ import annotations

import httpx
import pytest
import respx

from kling import (
    AccountError,
    AsyncKlingClient,
    AuthenticationError,
    BadRequestError,
    ContentPolicyError,
    KlingAPIError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from tests._helpers import error

PATH = "/v1/videos/text2video/t1"


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (401, 1002, AuthenticationError),
        (429, 1100, AccountError),
        (429, 1101, AccountError),
        (429, 1102, AccountError),
        (429, 1304, AccountError),
        (403, 1103, PermissionDeniedError),
        (400, 1200, BadRequestError),
        (400, 1201, BadRequestError),
        (400, 1301, ContentPolicyError),
        (404, 1203, NotFoundError),
        (429, 1303, RateLimitError),
        (500, 5000, ServerError),
        (503, 5001, ServerError),
    ],
)
async def test_errors_are_classified_by_business_code(
    client: AsyncKlingClient, api: respx.MockRouter, status: int, code: int, cls: type[Exception]
) -> None:
    api.get(PATH).mock(return_value=error(status, code, "boom", request_id="req-42"))
    with pytest.raises(cls) as info:
        await client.with_options(max_retries=0).text_to_video.get("t1")
    err = info.value
    assert isinstance(err, KlingAPIError)
    assert (err.code, err.api_code, err.request_id) == (status, code, "req-42")
    assert "req-42" in str(err)


async def test_seed_manual_retry_loop_sees_http_429_on_code(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.get(PATH).mock(return_value=error(429, 1303, "parallel task over resource pack limit"))
    caught: KlingAPIError | None = None
    try:
        await client.with_options(max_retries=0).text_to_video.get("t1")
    except KlingAPIError as e:  # the README's loop: `if e.code == 429: back off`
        caught = e
    assert caught is not None
    assert caught.code == 429
    assert caught.api_code == 1303
    assert caught.message == "parallel task over resource pack limit"


async def test_401_message_says_what_to_check(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.get(PATH).mock(return_value=error(401, 1002, "api key not found"))
    with pytest.raises(AuthenticationError) as info:
        await client.text_to_video.get("t1")
    message = str(info.value)
    assert message.startswith("Authentication failed: api key not found")
    for hint in ("spaces or newlines", "ak-", "base_url", "api-beijing", "clock"):
        assert hint in message


async def test_html_error_page_becomes_an_api_error_with_an_excerpt(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    api.get(PATH).mock(return_value=httpx.Response(502, text=html))
    with pytest.raises(ServerError) as info:
        await client.with_options(max_retries=0).text_to_video.get("t1")
    assert info.value.code == 502
    assert info.value.api_code is None
    assert "502 Bad Gateway" in str(info.value)


async def test_truncated_json_is_an_api_error_not_a_decode_error(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.get(PATH).mock(return_value=httpx.Response(200, content=b'{"code": 0, "data": {"task_'))
    with pytest.raises(KlingAPIError) as info:
        await client.text_to_video.get("t1")
    assert info.value.code == 200
    assert "non-JSON" in str(info.value)


async def test_error_envelope_in_a_200_is_still_an_error(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.get(PATH).mock(return_value=error(200, 1201, "Task not found by id"))
    with pytest.raises(BadRequestError, match="Task not found by id"):
        await client.text_to_video.get("t1")


async def test_request_id_falls_back_to_the_response_header(
    client: AsyncKlingClient, api: respx.MockRouter
) -> None:
    api.get(PATH).mock(return_value=httpx.Response(404, text="", headers={"X-Request-Id": "hdr-1"}))
    with pytest.raises(NotFoundError) as info:
        await client.text_to_video.get("t1")
    assert info.value.request_id == "hdr-1"
