"""What legacy validation may look up in the fake's account, and what it hands back to the task.

Validation is pure over a body and a :class:`Lookup`; the routes build the lookup over the
task store, so references (a ``video_id`` to extend, an ``element_id``, a ``voice_id``, an
identify-face ``session_id``) are refused when the account has no such thing, as Kling does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

DAY_MS = 86_400_000
INPUT_MAX_AGE_MS = 30 * DAY_MS
"""``video_id`` / ``audio_id`` inputs must be younger than 30 days, e.g.
https://github.com/aself101/kling-api/blob/main/docs/api/kling-lip-sync.md"""
SESSION_MAX_AGE_MS = DAY_MS
"""identify-face sessions are valid 24 h:
https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/lip-sync.md"""


@dataclass(frozen=True)
class SourceVideo:
    """A video the account generated, as an input by ``video_id``."""

    video_id: str
    url: str
    duration: float
    """Seconds."""
    created_at: int
    """Unix ms of the task that made it."""
    model_name: str | None
    """The legacy model that made it (extensions inherit it); ``None`` when not a model family."""
    family: str


@dataclass(frozen=True)
class FaceSession:
    """An identify-face answer: faces (id -> start/end ms) of one video."""

    session_id: str
    created_at: int
    faces: Mapping[str, tuple[int, int]]
    video_ms: int


@dataclass
class EditSession:
    """A multi-element selection session: its video, and the points marked on each frame
    (:mod:`.selection`)."""

    session_id: str
    created_at: int
    """Unix ms."""
    seconds: float
    width: int
    height: int
    fps: float
    frames: dict[int, list[tuple[float, float]]] = field(default_factory=dict)

    @property
    def total_frame(self) -> int:
        return round(self.seconds * self.fps)


class Lookup(Protocol):
    """The account state validation reads."""

    @property
    def now_ms(self) -> int:
        """Wall-clock Unix milliseconds."""

    def has_element(self, element_id: str) -> bool:
        """A preset or a finished, undeleted element of the account."""

    def has_voice(self, voice_id: str) -> bool:
        """A preset or a finished, undeleted custom voice of the account."""

    def video(self, video_id: str) -> SourceVideo | None:
        """A generated video by id."""

    def session(self, session_id: str) -> FaceSession | None:
        """An identify-face session by id."""

    def edit_session(self, session_id: str) -> EditSession | None:
        """A multi-element selection session by id."""


@dataclass
class Plan:
    """What an accepted create works out for its task (results, billing slots)."""

    details: dict[str, Any] = field(default_factory=dict)
    """Kept on the task (:attr:`FakeTask.details`): ``model_name``, ``mode``, ``duration`` of the
    result video, ``parent_video``, ``result_type``."""
    count: int | None = None
    """How many results (images) the task makes; ``None``: the family's usual count."""
