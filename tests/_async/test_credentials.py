"""Where credentials and settings come from, and what a mistake in them gets."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import respx
from dotenv import load_dotenv

from kling import (
    AsyncKlingClient,
    InvalidCredentialsError,
    InvalidParameterError,
    MissingCredentialsError,
)
from tests._helpers import decode_jwt, ok, task

from .conftest import ACCESS_KEY, BASE_URL, SECRET_KEY


def _claims(request: httpx.Request, secret: str = SECRET_KEY) -> dict[str, object]:
    token = request.headers["Authorization"].removeprefix("Bearer ")
    return decode_jwt(token, secret)


async def test_keys_given_as_arguments_sign_the_request(api: respx.MockRouter) -> None:
    route = api.get("/v1/videos/text2video/t1").mock(return_value=ok(task("t1")))
    async with AsyncKlingClient(access_key=ACCESS_KEY, secret_key=SECRET_KEY) as client:
        await client.text_to_video.get("t1")
    assert _claims(route.calls.last.request)["iss"] == ACCESS_KEY


async def test_keys_and_base_url_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KLING_ACCESS_KEY", "ak-from-env")
    monkeypatch.setenv("KLING_SECRET_KEY", "sk-from-env")
    monkeypatch.setenv("KLING_BASE_URL", "https://api-beijing.klingai.com/")
    with respx.mock(base_url="https://api-beijing.klingai.com") as api:
        route = api.get("/v1/videos/text2video/t1").mock(return_value=ok(task("t1")))
        async with AsyncKlingClient() as client:
            assert client.base_url == "https://api-beijing.klingai.com"
            await client.text_to_video.get("t1")
    request = route.calls.last.request
    assert _claims(request, "sk-from-env")["iss"] == "ak-from-env"
    assert request.headers["X-Api-Key"] == "ak-from-env"


async def test_arguments_win_over_the_environment(
    api: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KLING_ACCESS_KEY", "ak-from-env")
    monkeypatch.setenv("KLING_SECRET_KEY", "sk-from-env")
    route = api.get("/v1/videos/text2video/t1").mock(return_value=ok(task("t1")))
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as client:
        await client.text_to_video.get("t1")
    assert route.calls.last.request.headers["X-Api-Key"] == ACCESS_KEY


async def test_a_dotenv_file_loaded_with_python_dotenv_works(
    api: respx.MockRouter, tmp_path: Path
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"KLING_ACCESS_KEY={ACCESS_KEY}\nKLING_SECRET_KEY={SECRET_KEY}\n")
    # load_dotenv writes os.environ; the autouse _clean_env fixture restores it afterwards.
    assert load_dotenv(env_file)
    route = api.get("/v1/videos/text2video/t1").mock(return_value=ok(task("t1")))
    async with AsyncKlingClient() as client:
        await client.text_to_video.get("t1")
    assert _claims(route.calls.last.request)["iss"] == ACCESS_KEY


async def test_default_base_url_is_the_global_endpoint() -> None:
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as client:
        assert client.base_url == BASE_URL


async def test_static_api_key_is_sent_as_bearer_and_nothing_else(api: respx.MockRouter) -> None:
    route = api.get("/v1/videos/text2video/t1").mock(return_value=ok(task("t1")))
    async with AsyncKlingClient(api_key="api-key-kling-123") as client:
        await client.text_to_video.get("t1")
    headers = route.calls.last.request.headers
    assert headers["Authorization"] == "Bearer api-key-kling-123"
    assert "X-Api-Key" not in headers
    assert "X-Api-Secret" not in headers


async def test_api_key_comes_from_kling_api_key(
    api: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KLING_API_KEY", "api-key-kling-env")
    route = api.get("/v1/videos/text2video/t1").mock(return_value=ok(task("t1")))
    async with AsyncKlingClient() as client:
        await client.text_to_video.get("t1")
    assert route.calls.last.request.headers["Authorization"] == "Bearer api-key-kling-env"


async def test_outer_whitespace_and_newlines_in_keys_are_stripped(api: respx.MockRouter) -> None:
    route = api.get("/v1/videos/text2video/t1").mock(return_value=ok(task("t1")))
    async with AsyncKlingClient(f"  {ACCESS_KEY}\n", f"\t{SECRET_KEY}\r\n") as client:
        await client.text_to_video.get("t1")
    request = route.calls.last.request
    assert request.headers["X-Api-Key"] == ACCESS_KEY
    assert request.headers["X-Api-Secret"] == SECRET_KEY
    assert _claims(request)["iss"] == ACCESS_KEY


@pytest.mark.parametrize("bad", ["ak-abc def", "ak-abc\ndef", "ak-abc\x00def", "ak-\u200babc"])
async def test_inner_whitespace_or_control_characters_are_refused_before_sending(
    api: respx.MockRouter, bad: str
) -> None:
    with pytest.raises(InvalidCredentialsError, match="access_key contains") as info:
        AsyncKlingClient(bad, SECRET_KEY)
    assert "copy the key again" in str(info.value)
    assert not api.calls


async def test_bad_secret_from_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KLING_ACCESS_KEY", ACCESS_KEY)
    monkeypatch.setenv("KLING_SECRET_KEY", "sk-with space")
    with pytest.raises(
        InvalidCredentialsError, match="KLING_SECRET_KEY contains whitespace"
    ) as info:
        AsyncKlingClient()
    assert "sk-with" not in str(info.value)


async def test_no_credentials_anywhere_names_the_variables_to_set() -> None:
    with pytest.raises(MissingCredentialsError) as info:
        AsyncKlingClient()
    assert "KLING_ACCESS_KEY" in str(info.value)
    assert "KLING_SECRET_KEY" in str(info.value)


async def test_half_a_key_pair_says_which_half_is_missing() -> None:
    with pytest.raises(
        MissingCredentialsError, match=r"secret_key \(KLING_SECRET_KEY\) is missing"
    ):
        AsyncKlingClient(access_key=ACCESS_KEY)


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        ("api-singapore.klingai.com", "absolute http"),
        ("http://api-singapore.klingai.com", "plain http"),
        ("ftp://example.com", "absolute http"),
    ],
)
async def test_bad_base_url_is_refused_with_what_to_change(base_url: str, message: str) -> None:
    with pytest.raises(InvalidParameterError, match=message) as info:
        AsyncKlingClient(ACCESS_KEY, SECRET_KEY, base_url)
    assert info.value.field == "base_url"


async def test_plain_http_is_allowed_on_loopback() -> None:
    async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY, "http://127.0.0.1:8123") as client:
        assert client.base_url == "http://127.0.0.1:8123"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"auth": "oauth"}, "auth"),
        ({"max_retries": -1}, "max_retries"),
        ({"timeout": 0}, "timeout"),
    ],
)
async def test_bad_settings_raise_a_typed_error_naming_the_setting(
    kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidParameterError) as info:
        AsyncKlingClient(ACCESS_KEY, SECRET_KEY, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
