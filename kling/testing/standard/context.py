"""What new-standard validation reads from the fake's account, and what it hands back to the
task it accepts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Catalogue:
    """The elements and voices the account owns (created through ``/v1/general/...``, presets)."""

    elements: Mapping[str, bool] = field(default_factory=dict)
    """Element id -> whether it is a video-character element (else multi-image)."""
    voices: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Accepted:
    """What a valid create asks for, as the task record and the bill need it."""

    settings: dict[str, Any]
    """The model's settings with defaults filled in (unknown keys dropped)."""
    contents: list[dict[str, Any]]
    duration: int
    """Seconds of video the task produces."""
    rate: Decimal
    """Units per second."""
