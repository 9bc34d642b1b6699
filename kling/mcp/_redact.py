"""The last line of defence: the server's own credentials removed from anything it sends.

The SDK already keeps secrets out of its messages and reprs; this makes sure no future message
can carry one into an agent's context.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

__all__ = ["Scrubber"]

_REDACTED = "<redacted>"
# Shorter values would be found in innocent text.
_MIN_SECRET = 6


class Scrubber:
    """Replaces each of ``secrets`` wherever it occurs in a JSON-able payload."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        found = {value for value in secrets if value and len(value) >= _MIN_SECRET}
        # Longest first, so a secret that contains another is replaced whole.
        self._secrets = sorted(found, key=len, reverse=True)

    def __repr__(self) -> str:
        return f"<Scrubber of {len(self._secrets)} secrets>"

    def text(self, value: str) -> str:
        for secret in self._secrets:
            value = value.replace(secret, _REDACTED)
        return value

    def payload(self, payload: dict[str, Any]) -> dict[str, Any]:
        if not self._secrets:
            return payload
        text = json.dumps(payload, ensure_ascii=False)
        cleaned = self.text(text)
        if cleaned == text:
            return payload
        result: dict[str, Any] = json.loads(cleaned)
        return result
