"""Client settings: arguments first, then environment variables, then defaults.

Everything here is IO-free and shared by both clients. Secrets are wrapped in :class:`Secret` as
soon as they are read, so that no ``repr``, log line or traceback local can show them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal, Optional, Union
from urllib.parse import urlsplit

import httpx

from ._errors import (
    InvalidCredentialsError,
    InvalidParameterError,
    MissingCredentialsError,
    redact_url,
)
from ._logging import mask

__all__ = [
    "DEFAULT_BASE_URL",
    "AuthMode",
    "ClientConfig",
    "Secret",
    "TimeoutTypes",
    "clean_headers",
]

DEFAULT_BASE_URL = "https://api-singapore.klingai.com"
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 3
#: Requests one client (and its ``with_options`` copies) keeps in flight; the rest queue.
DEFAULT_MAX_CONCURRENT_REQUESTS = 32
#: Creates one ``create_many`` (or ``create_as_completed``) keeps going at once.
DEFAULT_CONCURRENCY = 16
#: A batch that Kling keeps throttling for this long without one create getting through gives
#: up on the rest (they fail with the last ``RateLimitError``). Video tasks take minutes, so a
#: full account frees a slot well within it.
DEFAULT_THROTTLE_TIMEOUT = 900.0

AuthMode = Literal["both", "jwt", "headers"]
TimeoutTypes = Union[float, httpx.Timeout, None]  # noqa: UP007 - a runtime alias on 3.10
_AUTH_MODES = ("both", "jwt", "headers")


class Secret:
    """A credential that never shows itself in ``repr``/``str``; ``.get()`` returns the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def _clean_key(value: str, name: str) -> str:
    """Strip outer whitespace (copy-paste from a console or a .env file) and refuse the rest."""
    if not isinstance(value, str):
        raise InvalidCredentialsError(f"{name} must be a string, got {type(value).__name__}")
    cleaned = value.strip()
    if not cleaned:
        raise InvalidCredentialsError(f"{name} is empty")
    for index, char in enumerate(cleaned):
        if char.isspace() or not char.isprintable():
            kind = "whitespace" if char.isspace() else "a control character"
            raise InvalidCredentialsError(
                f"{name} contains {kind} ({char!r}) at position {index}: copy the key again "
                "from the Kling console, without spaces or line breaks"
            )
    return cleaned


def origin_of(url: httpx.URL) -> tuple[str, str, int]:
    """``(scheme, host, port)`` with the scheme's default port filled in."""
    port = url.port if url.port is not None else {"http": 80, "https": 443}.get(url.scheme, 0)
    return url.scheme, url.host, port


def _clean_base_url(value: str) -> str:
    url = value.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidParameterError(
            f"base_url must be an absolute http(s) URL such as {DEFAULT_BASE_URL!r}, "
            f"got {redact_url(value)!r}",
            field="base_url",
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise InvalidParameterError(
            f"base_url {redact_url(url)!r} uses plain http, which would send your credentials "
            "unencrypted; "
            "use https (plain http is allowed only for loopback hosts such as 127.0.0.1)",
            field="base_url",
        )
    if parts.query or parts.fragment:
        raise InvalidParameterError(
            f"base_url must not carry a query or fragment, got {redact_url(value)!r}",
            field="base_url",
        )
    return url


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine (localhost, 127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        import ipaddress

        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else None


# repr=False: its own __repr__ below (no credentials); a generated one is compiled at import.
@dataclass(frozen=True, repr=False)
class ClientConfig:
    """Resolved, validated settings shared by a client and the copies ``with_options`` makes."""

    base_url: str
    access_key: str | None = None
    secret_key: Secret | None = field(default=None, repr=False)
    api_key: Secret | None = field(default=None, repr=False)
    auth: AuthMode = "both"
    timeout: TimeoutTypes = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    max_concurrent_requests: int = DEFAULT_MAX_CONCURRENT_REQUESTS

    @property
    def origin(self) -> tuple[str, str, int]:
        """``(scheme, host, port)`` of ``base_url``: the only place credentials are sent."""
        return origin_of(httpx.URL(self.base_url))

    @property
    def host(self) -> str:
        """``base_url`` for messages: scheme, host and port, no user information."""
        scheme, host, port = self.origin
        default = {"http": 80, "https": 443}.get(scheme)
        shown = f"[{host}]" if ":" in host else host
        return f"{scheme}://{shown}" + ("" if port == default else f":{port}")

    @classmethod
    def resolve(
        cls,
        *,
        access_key: str | None,
        secret_key: str | None,
        base_url: str | None,
        api_key: str | None,
        auth: str,
        timeout: TimeoutTypes,
        max_retries: int,
        max_concurrent_requests: int = DEFAULT_MAX_CONCURRENT_REQUESTS,
    ) -> ClientConfig:
        """Apply the precedence rules and validate; raise before any request is possible.

        Credentials: the arguments' if any is given, else ``KLING_ACCESS_KEY`` /
        ``KLING_SECRET_KEY`` and ``KLING_API_KEY``; a client may hold a pair and a key.
        """
        if auth not in _AUTH_MODES:
            raise InvalidParameterError(
                f"auth must be one of {', '.join(map(repr, _AUTH_MODES))}, got {auth!r}",
                field="auth",
            )
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise InvalidParameterError(
                f"max_retries must be an int >= 0 (0 turns retries off), got {max_retries!r}",
                field="max_retries",
            )
        if (
            isinstance(max_concurrent_requests, bool)
            or not isinstance(max_concurrent_requests, int)
            or max_concurrent_requests < 1
        ):
            raise InvalidParameterError(
                f"max_concurrent_requests must be an int >= 1, got {max_concurrent_requests!r}",
                field="max_concurrent_requests",
            )
        _check_timeout(timeout)
        base = _clean_base_url(base_url or _env("KLING_BASE_URL") or DEFAULT_BASE_URL)
        keys = _resolve_keys(access_key, secret_key, api_key)
        return cls(
            base_url=base,
            access_key=keys[0],
            secret_key=keys[1],
            api_key=keys[2],
            auth=auth,  # type: ignore[arg-type]  # checked against _AUTH_MODES above
            timeout=timeout,
            max_retries=max_retries,
            max_concurrent_requests=max_concurrent_requests,
        )

    def describe(self) -> str:
        """The settings worth showing, with credentials masked."""
        who = [f"access_key={mask(self.access_key)!r}"] if self.access_key else []
        if self.api_key:
            who.append("api_key=***")
        return f"base_url={redact_url(self.base_url)!r}, {', '.join(who)}, auth={self.auth!r}"

    def __repr__(self) -> str:
        return f"ClientConfig({self.describe()})"


_Keys = tuple[Optional[str], Optional[Secret], Optional[Secret]]  # noqa: UP045 - runtime alias


def _resolve_keys(access_key: str | None, secret_key: str | None, api_key: str | None) -> _Keys:
    """The credentials to use: the arguments', or else the environment's.

    A client may hold both kinds: the key pair signs legacy calls (and an API key is used for
    them when there is no pair); the API key is the only credential of the new standard.
    Given any credential argument, the environment's credentials are not mixed in, except to
    complete half a key pair.
    """
    if access_key is not None or secret_key is not None or api_key is not None:
        pair = (
            _pair(access_key, secret_key, "access_key", "secret_key")
            if access_key is not None or secret_key is not None
            else (None, None)
        )
        return *pair, Secret(_clean_key(api_key, "api_key")) if api_key is not None else None
    env_api_key = _env("KLING_API_KEY")
    env_access, env_secret = _env("KLING_ACCESS_KEY"), _env("KLING_SECRET_KEY")
    if env_access is None and env_secret is None:
        if env_api_key is None:
            raise MissingCredentialsError(
                "No Kling credentials found. Pass access_key= and secret_key= (or api_key=), or "
                "set the KLING_ACCESS_KEY and KLING_SECRET_KEY environment variables "
                "(KLING_API_KEY for a static API key)."
            )
        return None, None, Secret(_clean_key(env_api_key, "KLING_API_KEY"))
    pair = _pair(env_access, env_secret, "KLING_ACCESS_KEY", "KLING_SECRET_KEY")
    api = Secret(_clean_key(env_api_key, "KLING_API_KEY")) if env_api_key is not None else None
    return *pair, api


def _pair(
    access_key: str | None, secret_key: str | None, access_name: str, secret_name: str
) -> tuple[str, Secret]:
    # A half given as an argument may be completed from the environment.
    access_key = access_key if access_key is not None else _env("KLING_ACCESS_KEY")
    secret_key = secret_key if secret_key is not None else _env("KLING_SECRET_KEY")
    if access_key is None or secret_key is None:
        missing = (
            "access_key (KLING_ACCESS_KEY)"
            if access_key is None
            else "secret_key (KLING_SECRET_KEY)"
        )
        raise MissingCredentialsError(
            f"Kling credentials are incomplete: {missing} is missing. Set both "
            "KLING_ACCESS_KEY and KLING_SECRET_KEY, or pass access_key= and secret_key=."
        )
    return _clean_key(access_key, access_name), Secret(_clean_key(secret_key, secret_name))


def _check_timeout(timeout: object) -> None:
    if timeout is None or isinstance(timeout, httpx.Timeout):
        return
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise InvalidParameterError(
            "timeout must be a positive number of seconds, an httpx.Timeout or None, "
            f"got {timeout!r}",
            field="timeout",
        )


def clean_headers(headers: dict[str, str] | None, field: str = "default_headers") -> dict[str, str]:
    """Extra headers, refusing CR/LF and other control characters (header injection)."""
    cleaned: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise InvalidParameterError(
                f"{field} must map str to str, got {name!r}: {type(value).__name__}",
                field=field,
            )
        if any(not c.isprintable() for c in name + value) or not name.strip():
            raise InvalidParameterError(
                f"{field}[{name!r}] contains a line break or control character; "
                "header values must be a single printable line",
                field=field,
            )
        cleaned[name] = value
    return cleaned
