"""Credentials taken out of whatever a server said, before it becomes an error or an answer.

A gateway or proxy may echo the request's headers into its error message (``"bad header
Authorization: Bearer eyJ..."``). The SDK keeps secrets out of its own messages and reprs; a
:class:`Scrubber` makes sure the server's words cannot carry one into an exception's text, its
traceback, a pickle, the CLI's ``--json`` or an agent's context. ``error_from_response`` scrubs
with every credential the request carried (:func:`sent_credentials`); the MCP server scrubs
each answer again with the client's keys.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

__all__ = ["API_KEY_SENT", "CREDENTIALS", "REDACTED", "Scrubber", "sent_credentials"]

REDACTED = "<redacted>"
#: The request extension where the auth flow leaves every credential the client holds, and
#: the JWT it minted for this request.
CREDENTIALS = "kling_credentials"
#: The request extension the auth flow sets when the request carried an API key (not a key
#: pair's JWT), so an authentication error talks about the right credential.
API_KEY_SENT = "kling_api_key_sent"
# Shorter values would be found in innocent text.
_MIN_SECRET = 6
# Headers whose values are credentials whoever set them (default_headers included).
_SECRET_HEADERS = ("authorization", "proxy-authorization", "x-api-key", "x-api-secret", "cookie")


class Scrubber:
    """Replaces each of ``secrets`` wherever it occurs in a text or a JSON-able value."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        found = {value for value in secrets if value and len(value) >= _MIN_SECRET}
        # Longest first, so a secret that contains another is replaced whole.
        self._secrets = sorted(found, key=len, reverse=True)

    def __repr__(self) -> str:
        return f"<Scrubber of {len(self._secrets)} secrets>"

    def text(self, value: str) -> str:
        """``value`` with every secret replaced by ``<redacted>``."""
        for secret in self._secrets:
            value = value.replace(secret, REDACTED)
        return value

    def value(self, value: Any) -> Any:
        """A JSON-able ``value`` (a decoded body) with every secret replaced in its strings;
        ``None`` when it cannot be written out as JSON to be cleaned."""
        if not self._secrets or value is None:
            return value
        try:
            text = json.dumps(value, ensure_ascii=False)
            cleaned = self.text(text)
            return value if cleaned == text else json.loads(cleaned)
        except (ValueError, TypeError, RecursionError):
            return None

    def payload(self, payload: dict[str, Any]) -> dict[str, Any]:
        """A JSON-able ``payload`` (a tool's answer) with every secret replaced."""
        if not self._secrets:
            return payload
        text = json.dumps(payload, ensure_ascii=False)
        cleaned = self.text(text)
        if cleaned == text:
            return payload
        result: dict[str, Any] = json.loads(cleaned)
        return result


def sent_credentials(response: httpx.Response) -> Scrubber:
    """A scrubber of every credential the request of ``response`` carried or its client holds:
    the credential headers' values (the token after ``Bearer`` too) and what the auth flow
    left in the request's extensions."""
    try:
        request = response.request
    except RuntimeError:  # a response built without its request: nothing was sent
        return Scrubber(())
    found: list[str] = []
    for name in _SECRET_HEADERS:
        for value in request.headers.get_list(name):
            scheme, _, token = value.partition(" ")
            found += [value, token.strip()] if scheme.lower() == "bearer" else [value]
    held = request.extensions.get(CREDENTIALS)
    if isinstance(held, tuple):
        found += [value for value in held if isinstance(value, str)]
    return Scrubber(found)
