"""Multi-element video editing: a selection session marks elements of a video, a task edits them.

``client.multi_elements`` is a legacy family (create, get, list, wait, download: the shared
resource code) that also opens selection sessions: ``init_selection`` starts one on a video,
and the :class:`AsyncEditingSession` it returns marks and unmarks elements frame by frame and
previews the selection; ``create(session_id=...)`` then edits them.
Kling's page:
https://github.com/aself101/kling-api/blob/main/docs/api/kling-multi-element-video-editing.md
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, TypeVar

from kling import _compat_async as _compat

from .._call_options import NOT_GIVEN
from .._errors import InvalidParameterError
from .._rows import Endpoint, Selections
from ._legacy import AsyncFamilyResource
from ._prepare import prepare

if TYPE_CHECKING:
    from collections.abc import Callable

    from typing_extensions import Unpack

    from .._call_options import Headers, Query
    from .._config import TimeoutTypes
    from .._models_multi_elements import (
        SelectionAnswer,
        SelectionInfo,
        SelectionPreview,
        SelectionResult,
    )
    from .._params._multi_elements import InitSelectionParams

__all__ = ["SESSION_LIFETIME", "AsyncEditingSession", "AsyncMultiElementsResource"]

T = TypeVar("T")

#: "Session ID ... valid for 24 hours" (the init-selection answer).
SESSION_LIFETIME = timedelta(hours=24)

#: A point as the session methods take it: ``(x, y)`` or ``{"x": x, "y": y}``.
PointLike = Sequence[float] | Mapping[str, float]


class AsyncMultiElementsResource(AsyncFamilyResource):
    """Multi-element editing tasks, and the selection sessions they edit."""

    @property
    def _selections(self) -> Selections:
        assert self.row.selections is not None, f"{self.row.name} has no selection session"
        return self.row.selections

    async def init_selection(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
        **params: Unpack[InitSelectionParams],
    ) -> AsyncEditingSession:
        """Start a selection session on ``video_id`` (a Kling video of the last 30 days) or
        ``video_url`` (.mp4/.mov); both must last 2-5 s or 7-10 s. The session is valid 24 h.

        Not retried on server errors: each call may be billed. ``extra_headers``,
        ``extra_query``, ``extra_body`` and ``timeout`` apply to this call only (the
        session's steps take their own).
        """
        from .._models_multi_elements import SelectionInfo

        endpoint = Endpoint(
            name="init_selection",
            path=self._selections.init_path,
            params="InitSelectionParams",
            summary="Start a selection session.",
            rules=("selection_video",),
        )
        client = self._client._for_call(extra_headers, extra_query, timeout)
        body = await prepare(endpoint, params, extra_body)
        info = await client._request(
            "POST",
            endpoint.path,
            body=body,
            parse=SelectionInfo.model_validate,
            idempotent=False,
        )
        started = datetime.fromtimestamp(_compat.wall_clock(), tz=timezone.utc)
        expires = started + SESSION_LIFETIME
        return AsyncEditingSession(self, info.session_id or "", info=info, expires_at=expires)

    def session(self, session_id: str) -> AsyncEditingSession:
        """A session started earlier (by its ``session_id``), to go on selecting or preview.

        It knows nothing of the selections already made: Kling checks the limits it cannot.
        """
        if not isinstance(session_id, str) or not session_id.strip():
            raise InvalidParameterError(
                f"session_id must be a non-empty string, got {session_id!r}", field="session_id"
            )
        return AsyncEditingSession(self, session_id)


class AsyncEditingSession:
    """A selection session: the video Kling parsed, and the elements marked on its frames.

    ``add_selection`` marks the element under some points of a frame, ``delete_selection``
    takes points back, ``clear_selection`` takes everything back and ``preview`` renders the
    selection through the video. Then edit it with
    ``client.multi_elements.create(session_id=session.session_id, ...)``.

    Points are checked before anything is sent: ``x`` and ``y`` in [0, 1], at most 10 points
    a frame and 10 frames, counting what this object has marked (add-selection on
    https://github.com/aself101/kling-api/blob/main/docs/api/kling-multi-element-video-editing.md).
    Each step takes ``extra_headers``, ``extra_query``, ``extra_body`` and ``timeout`` for that
    call only.
    """

    def __init__(
        self,
        resource: AsyncMultiElementsResource,
        session_id: str,
        *,
        info: SelectionInfo | None = None,
        expires_at: datetime | None = None,
    ) -> None:
        self._resource = resource
        self.session_id = session_id
        #: What init-selection answered (None for a session resumed by id).
        self.info = info
        #: When Kling forgets the session: 24 h after it started (None when unknown).
        self.expires_at = expires_at
        #: The points marked on each frame, as this object sent them.
        self.selections: dict[int, list[dict[str, float]]] = {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.session_id}>"

    @property
    def fps(self) -> float | None:
        """The parsed video's frame rate."""
        return self.info.fps if self.info else None

    @property
    def total_frame(self) -> int | None:
        """How many frames the parsed video has (``frame_index`` counts from 0)."""
        return self.info.total_frame if self.info else None

    @property
    def original_duration(self) -> int | None:
        """The parsed video's duration, as Kling reports it."""
        return self.info.original_duration if self.info else None

    @property
    def normalized_video(self) -> str | None:
        """URL of the video as initialized: the frames selections are made on."""
        return self.info.normalized_video if self.info else None

    async def add_selection(
        self,
        frame_index: int,
        points: Sequence[PointLike],
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> SelectionResult:
        """Mark the element under ``points`` (``(x, y)`` fractions of the frame, 1 to 10) on
        frame ``frame_index``; the answer holds the frame's masks (``result.masks``)."""
        # The selection checks come with the first session, not with every client's families.
        from .._params._multi_elements import MAX_FRAMES, MAX_POINTS, selection_points

        checked = selection_points(frame_index, points)
        marked = self.selections.get(frame_index, [])
        if not marked and len(self.selections) >= MAX_FRAMES:
            raise InvalidParameterError(
                f"frame_index: at most {MAX_FRAMES} frames can be marked, and this session has "
                f"marked {sorted(self.selections)}; delete or clear a frame's selection first",
                field="frame_index",
            )
        if len(marked) + len(checked) > MAX_POINTS:
            raise InvalidParameterError(
                f"points: at most {MAX_POINTS} points can be marked on a frame; frame "
                f"{frame_index} has {len(marked)} and {len(checked)} more were given",
                field="points",
            )
        result = await self._step(
            self._resource._selections.add_path,
            {"frame_index": frame_index, "points": checked},
            _selection_result,
            (extra_headers, extra_query, extra_body, timeout),
        )
        self.selections[frame_index] = [*marked, *checked]
        return result

    async def delete_selection(
        self,
        frame_index: int,
        points: Sequence[PointLike],
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> SelectionResult:
        """Take back points marked on ``frame_index`` (the same coordinates as added)."""
        from .._params._multi_elements import selection_points

        checked = selection_points(frame_index, points)
        result = await self._step(
            self._resource._selections.delete_path,
            {"frame_index": frame_index, "points": checked},
            _selection_result,
            (extra_headers, extra_query, extra_body, timeout),
        )
        left = [point for point in self.selections.get(frame_index, []) if point not in checked]
        if left:
            self.selections[frame_index] = left
        else:
            self.selections.pop(frame_index, None)
        return result

    async def clear_selection(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> SelectionAnswer:
        """Take back every selection of the session."""
        from .._models_multi_elements import SelectionAnswer

        result = await self._step(
            self._resource._selections.clear_path,
            {},
            SelectionAnswer.model_validate,
            (extra_headers, extra_query, extra_body, timeout),
        )
        self.selections.clear()
        return result

    async def preview(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> SelectionPreview:
        """Render the selection through the video: URLs of the masked video, its cover and
        the per-frame tracking output."""
        from .._models_multi_elements import SelectionPreview

        return await self._step(
            self._resource._selections.preview_path,
            {},
            SelectionPreview.model_validate,
            (extra_headers, extra_query, extra_body, timeout),
        )

    async def _step(
        self,
        path: str,
        fields: dict[str, Any],
        parse: Callable[[Any], T],
        options: tuple[Headers | None, Query | None, Mapping[str, Any] | None, TimeoutTypes],
    ) -> T:
        extra_headers, extra_query, extra_body, timeout = options
        client = self._resource._client._for_call(extra_headers, extra_query, timeout)
        body = {"session_id": self.session_id, **fields, **(extra_body or {})}
        # Not retried on server errors: a step may be billed (final_unit_deduction).
        return await client._request("POST", path, body=body, parse=parse, idempotent=False)


def _selection_result(data: Any) -> SelectionResult:
    from .._models_multi_elements import SelectionResult

    return SelectionResult.model_validate(data)
