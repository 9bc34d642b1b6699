"""KlingAuth on its own: token caching, refresh ahead of expiry, thread safety."""

from __future__ import annotations

import threading
import warnings

import jwt

from kling._auth import REFRESH_MARGIN, TOKEN_LIFETIME, KlingAuth
from kling._config import ClientConfig
from tests._helpers import decode_jwt


def _auth(clock: list[float]) -> KlingAuth:
    config = ClientConfig.resolve(
        access_key="ak-unit",
        secret_key="short",
        base_url=None,
        api_key=None,
        auth="jwt",
        timeout=60.0,
        max_retries=3,
    )
    return KlingAuth(config, clock=lambda: clock[0])


def test_token_is_reminted_ahead_of_expiry() -> None:
    now = [1_000_000.0]
    auth = _auth(now)
    first = auth.token().get()
    now[0] += TOKEN_LIFETIME - REFRESH_MARGIN - 1
    assert auth.token().get() == first
    now[0] += 2
    second = auth.token().get()
    assert second != first
    claims = decode_jwt(second, "short", verify_time=False)
    assert claims["exp"] == int(now[0]) + TOKEN_LIFETIME


def test_threads_racing_for_a_token_mint_once() -> None:
    auth = _auth([2_000_000.0])
    minted: list[int] = []
    original = auth._mint

    def counting_mint(now: float):  # type: ignore[no-untyped-def]
        minted.append(1)
        return original(now)

    auth._mint = counting_mint  # type: ignore[method-assign]
    tokens: list[str] = []
    threads = [
        threading.Thread(target=lambda: tokens.append(auth.token().get())) for _ in range(16)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(tokens)) == 1
    assert minted == [1]


def test_short_secret_key_warning_never_reaches_users() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _auth([3_000_000.0]).token()
    assert [w for w in caught if issubclass(w.category, jwt.InsecureKeyLengthWarning)] == []
