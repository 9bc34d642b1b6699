"""Authentication, in one place: an ``httpx.Auth`` used by both clients.

With access/secret keys, ``auth="both"`` (the default) sends the ``X-Api-Key``/``X-Api-Secret``
pair and ``Authorization: Bearer <JWT>``; ``"jwt"`` sends only the token (the secret never goes on
the wire); ``"headers"`` only the pair. A static API key is sent as ``Authorization: Bearer <key>``:
for legacy calls when the client has no key pair, and always for the new standard
(``api_key_only=True``), which refuses JWTs.

The JWT (HS256, ``iss`` = access key, ``exp`` = now + 1800 s, ``nbf`` = now - 5 s) is cached and
re-minted ahead of expiry. When Kling answers 401 with 1003 (not yet valid) or 1004 (expired) the
flow re-mints once, correcting for clock skew with the server's ``Date`` header.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable, Generator

import httpx

from ._config import ClientConfig, Secret, origin_of
from ._response import decode
from ._scrub import API_KEY_SENT, CREDENTIALS

__all__ = ["KlingAuth"]

TOKEN_LIFETIME = 1800
NOT_BEFORE_MARGIN = 5
# Re-mint well before expiry so a token never dies between being attached and being checked.
REFRESH_MARGIN = 300
_CLOCK_CODES = frozenset({1003, 1004})


class KlingAuth(httpx.Auth):
    """Adds Kling's auth headers to every request; see the module docstring."""

    requires_response_body = True

    def __init__(
        self,
        config: ClientConfig,
        *,
        clock: Callable[[], float] = time.time,
        api_key_only: bool = False,
    ) -> None:
        if api_key_only and config.api_key is None:
            raise ValueError("api_key_only needs a config with an api_key")
        pair = config.access_key is not None and not api_key_only
        self._access_key = config.access_key if pair else None
        self._secret_key = config.secret_key if pair else None
        self._api_key = None if pair else config.api_key
        # Every credential the client holds, whichever this auth sends: an error built from a
        # server's words is scrubbed of each (kling._scrub).
        self._held = tuple(
            secret.get() if isinstance(secret, Secret) else secret
            for secret in (config.access_key, config.secret_key, config.api_key)
            if secret is not None
        )
        self._mode = config.auth
        self._origin = config.origin
        self._clock = clock
        self._lock = threading.Lock()
        self._token: Secret | None = None
        self._expires_at = 0.0
        self._skew = 0.0

    def __repr__(self) -> str:
        kind = "api_key" if self._api_key else self._mode
        return f"KlingAuth({kind})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if origin_of(request.url) != self._origin:
            # Credentials belong to base_url's origin alone, whatever sends this request.
            yield request
            return
        self._apply(request)
        response = yield request
        if self._uses_jwt and response.status_code == 401 and _api_code(response) in _CLOCK_CODES:
            self.invalidate(server_date=response.headers.get("date"))
            self._apply(request)
            yield request

    @property
    def _uses_jwt(self) -> bool:
        return self._api_key is None and self._mode in ("both", "jwt")

    def _apply(self, request: httpx.Request) -> None:
        headers = request.headers
        request.extensions[CREDENTIALS] = self._held
        if self._api_key is not None:
            headers["Authorization"] = f"Bearer {self._api_key.get()}"
            request.extensions[API_KEY_SENT] = True
            return
        assert self._access_key is not None
        assert self._secret_key is not None
        if self._mode in ("both", "headers"):
            headers["X-Api-Key"] = self._access_key
            headers["X-Api-Secret"] = self._secret_key.get()
        if self._mode in ("both", "jwt"):
            token = self.token().get()
            headers["Authorization"] = f"Bearer {token}"
            request.extensions[CREDENTIALS] = (*self._held, token)

    def token(self) -> Secret:
        """The current JWT, minted on first use and again shortly before it expires."""
        now = self._clock() + self._skew
        token = self._token
        if token is not None and now < self._expires_at - REFRESH_MARGIN:
            return token
        # A plain lock is right for both clients: minting is CPU-only and takes microseconds.
        with self._lock:
            now = self._clock() + self._skew
            if self._token is None or now >= self._expires_at - REFRESH_MARGIN:
                self._token, self._expires_at = self._mint(now)
            return self._token

    def invalidate(self, *, server_date: str | None = None) -> None:
        """Drop the cached token; with the server's ``Date`` header, adopt its clock too."""
        with self._lock:
            self._token = None
            if server_date:
                try:
                    from email.utils import parsedate_to_datetime

                    server_now = parsedate_to_datetime(server_date).timestamp()
                except (TypeError, ValueError, IndexError, OverflowError):
                    return
                skew = server_now - self._clock()
                # Date has one-second resolution; only correct skew that can matter.
                self._skew = skew if abs(skew) >= 2 else 0.0

    def _mint(self, now: float) -> tuple[Secret, float]:
        import jwt  # once per half hour: not worth a place in the client's import

        assert self._secret_key is not None
        expires_at = int(now) + TOKEN_LIFETIME
        payload = {"iss": self._access_key, "exp": expires_at, "nbf": int(now) - NOT_BEFORE_MARGIN}
        with warnings.catch_warnings():
            # Kling's secret keys are shorter than PyJWT's recommended HMAC key length; the key
            # is Kling's choice, so the warning would only alarm users who can do nothing.
            warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
            token = jwt.encode(
                payload, self._secret_key.get(), algorithm="HS256", headers={"typ": "JWT"}
            )
        return Secret(token), float(expires_at)


def _api_code(response: httpx.Response) -> int | None:
    body = decode(response)  # the safe parser: a hostile 401 may be nested 100k deep
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, int) else None
