"""The ``kling`` command's global options, as every part of the command reads them."""

from __future__ import annotations

from dataclasses import dataclass, field

from kling._mock_timing import MockTiming

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    """The global options. Keys are kept out of ``repr`` so they never reach a log or traceback."""

    mock: bool = False
    mock_timing: MockTiming = "demo"
    base_url: str | None = None
    access_key: str | None = field(default=None, repr=False)
    secret_key: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
    json: bool = False
    debug: bool = False
    timeout: float | None = None
    max_retries: int | None = None
    unreachable_timeout: float | None = None
    """``--unreachable-timeout``: None for the SDK's default, 0 for never."""
