"""Logging: ``logging.getLogger("kling")``, switched on by ``KLING_LOG=debug|info``."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

__all__ = ["logger", "mask", "redact_headers", "setup_logging"]

logger = logging.getLogger("kling")

_SENSITIVE = frozenset({"authorization", "x-api-secret", "proxy-authorization", "cookie"})
_configured = False


def setup_logging() -> None:
    """Honour ``KLING_LOG`` once per process: attach a stderr handler at that level."""
    global _configured
    if _configured:
        return
    _configured = True
    level = {"debug": logging.DEBUG, "info": logging.INFO}.get(
        os.environ.get("KLING_LOG", "").strip().lower()
    )
    if level is None:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s %(levelname)s %(name)s] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``headers`` fit for a log: credentials replaced, the access key masked."""
    return {k: _redact(k.lower(), v) for k, v in headers.items()}


def _redact(name: str, value: str) -> str:
    if name in _SENSITIVE:
        return "<redacted>"
    if name == "x-api-key":
        return mask(value) or ""
    return value


def mask(value: str | None) -> str | None:
    """An identifier shortened for display, as in a client's ``repr``: ``ak-t...5678``."""
    # The access key is an identifier, not a secret, but a full key in every log is needless.
    if value is None or len(value) <= 8:
        return value
    return f"{value[:4]}...{value[-4:]}"
