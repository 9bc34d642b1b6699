"""Authentication as Kling does it, plus one non-Kling extension. Kling's pages:
https://github.com/aself101/kling-api/blob/main/docs/api/kling-get-started-authentication.md
and https://github.com/aself101/kling-api/blob/main/docs/api/kling-get-started-error-codes.md

Accepted, in this order:

* ``Authorization: Bearer <JWT>``: HS256 signed with the secret key, ``iss`` = access key;
  ``nbf`` in the future -> 401/1003, ``exp`` passed -> 401/1004, anything else wrong -> 401/1002.
* ``Authorization: Bearer <API key>``: a configured static key, else 401/1002 "api key not found".
* No ``Authorization`` header -> 401/1001 "Authorization is empty", as Kling answers: Kling knows
  no ``X-Api-Key`` / ``X-Api-Secret`` headers, so they count as nothing, and the message
  says so. Only with ``FakeKling(accept_key_headers=True)`` (for a gateway in front of Kling
  that takes them) is the pair ``X-Api-Key: <access key>`` + ``X-Api-Secret: <secret key>``
  accepted; then a wrong or partial pair -> 401/1002.

A valid ``Authorization`` decides on its own: the X-Api pair beside it is ignored, so a client
that sends both (the SDK's default ``auth="both"``) is accepted.

New-standard paths (``/tasks``, ``/<product>/<model>``) take API keys only
(:func:`authenticate_standard`): a JWT, or any string that is not a key, gets Kling's AK/SK text.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import jwt
from jwt.algorithms import HMACAlgorithm
from jwt.utils import base64url_decode

from ._envelope import ApiError

AuthKind = Literal["jwt", "api_key", "headers"]
"""How a request authenticated: a minted JWT, a static API key, or the X-Api-Key/Secret pair."""


@dataclass(frozen=True)
class Credentials:
    """The one account the fake knows."""

    access_key: str
    secret_key: str
    api_keys: tuple[str, ...]


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _looks_like_jwt(token: str) -> bool:
    parts = token.split(".")
    return len(parts) == 3 and all(parts)


def _invalid(detail: str) -> ApiError:
    return ApiError(1002, f"Authorization is invalid: {detail}")


def _verify_jwt(token: str, credentials: Credentials, now: float) -> None:
    try:
        header = jwt.get_unverified_header(token)
        # Parse only: the signature is checked below with PyJWT's HMAC primitive, which (unlike
        # jwt.decode) does not warn about short keys, so a fake configured with a short secret
        # does not trip ``filterwarnings = error`` in the caller's test suite.
        claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
        signing_input, _, signature_text = token.rpartition(".")
        signature = base64url_decode(signature_text.encode("ascii"))
    except (jwt.InvalidTokenError, ValueError, UnicodeError, json.JSONDecodeError) as exc:
        raise _invalid("malformed token") from exc
    if header.get("alg") != "HS256":
        raise _invalid("alg must be HS256")
    algorithm = HMACAlgorithm(HMACAlgorithm.SHA256)
    key = algorithm.prepare_key(credentials.secret_key)
    if not algorithm.verify(signing_input.encode("ascii"), key, signature):
        raise _invalid("signature verification failed")
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or not _same(issuer, credentials.access_key):
        raise _invalid("unknown access key (iss)")
    exp, nbf = claims.get("exp"), claims.get("nbf")
    if not isinstance(exp, (int, float)) or isinstance(exp, bool):
        raise _invalid("exp claim is required")
    if nbf is not None and (not isinstance(nbf, (int, float)) or isinstance(nbf, bool)):
        raise _invalid("nbf claim must be a number")
    if nbf is not None and nbf > now:  # no leeway, like a strict server
        raise ApiError(1003, "Authorization is not yet valid (nbf is in the future)")
    if exp <= now:
        raise ApiError(1004, "Authorization has expired (exp has passed)")


KEY_HEADERS_REFUSED = (
    "Authorization is empty: Kling's API authenticates with `Authorization: Bearer <JWT or API "
    "key>`; it knows no X-Api-Key / X-Api-Secret headers (FakeKling(accept_key_headers=True) "
    "accepts them, for a gateway that does)"
)
"""The 1001 text for a request that sent only the X-Api-Key / X-Api-Secret pair."""


def authenticate(
    headers: Mapping[str, str],
    credentials: Credentials,
    now: float,
    *,
    accept_key_headers: bool = False,
) -> AuthKind:
    """Check a request's credentials; ``headers`` has lower-case names, ``now`` is Unix seconds.

    Raises :class:`ApiError` (401 with 1001-1004) when they do not authenticate.
    ``accept_key_headers``: also take the X-Api-Key / X-Api-Secret pair (not a Kling scheme).
    """
    authorization = headers.get("authorization")
    if authorization is None:
        api_key, api_secret = headers.get("x-api-key"), headers.get("x-api-secret")
        if api_key is None and api_secret is None:
            raise ApiError(1001, "Authorization is empty")
        if not accept_key_headers:
            raise ApiError(1001, KEY_HEADERS_REFUSED)
        if (
            api_key is not None
            and api_secret is not None
            and _same(api_key, credentials.access_key)
            and _same(api_secret, credentials.secret_key)
        ):
            return "headers"
        raise _invalid("X-Api-Key / X-Api-Secret pair not recognised")
    if not authorization.strip():
        raise ApiError(1001, "Authorization is empty")
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _invalid("expected 'Bearer <token>'")
    if _looks_like_jwt(token):
        _verify_jwt(token, credentials, now)
        return "jwt"
    if any(_same(token, known) for known in credentials.api_keys):
        return "api_key"
    raise ApiError(1002, "api key not found")


AKSK_REFUSED = (
    "Authentication error. The current API does not support AK/SK; please go to the console "
    "(https://kling.ai/dev/api-key) to create API key."
)
"""Kling's 1002 text on new-standard paths for a JWT, and for anything not shaped like a key."""

_KEY_SHAPE = re.compile(r"api-key-kling-[A-Za-z0-9_-]+")
"""Observed keys look like ``api-key-kling-...`` (57 characters; the length is not enforced)."""


def authenticate_standard(headers: Mapping[str, str], credentials: Credentials) -> AuthKind:
    """Check credentials on a new-standard path: ``Bearer <API key>`` or 401.

    No header (the X-Api-Key pair is an AK/SK scheme, so it counts as none) -> 1001; a
    configured key -> accepted; an unknown ``api-key-kling-...`` -> 1002 ``api key not found``;
    a JWT or anything else -> 1002 with the AK/SK text, as Kling answers (observed live, not on
    Kling's pages: https://github.com/aself101/kling-api/blob/main/docs/specs/kling-api-2.0-migration-checklist.md).
    """
    authorization = headers.get("authorization")
    if authorization is None or not authorization.strip():
        raise ApiError(1001, "Authorization is empty")
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() == "bearer" and token:
        if any(_same(token, known) for known in credentials.api_keys):
            return "api_key"
        if _KEY_SHAPE.fullmatch(token):
            raise ApiError(1002, "api key not found")
    raise ApiError(1002, AKSK_REFUSED)
