"""Multi-element video editing in the fake: the selection sessions, and the edit task's checks.

Sessions are kept in the task store (``TaskStore.edit_sessions``) and remember the points marked
on each frame; they expire 24 hours after init on the store's wall clock. Every refusal below
follows Kling's page:
https://github.com/aself101/kling-api/blob/main/docs/api/kling-multi-element-video-editing.md
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...masks import decode_rle, encode_counts, mask_png
from .. import _rulebook as R
from .._http import json_body, ok
from .._state import TaskStore
from .context import DAY_MS, INPUT_MAX_AGE_MS, EditSession, Lookup, Plan
from .fields import (
    choice,
    exactly_one,
    image,
    items,
    number,
    prompt,
    reject,
    shown,
    string,
    video_url,
)

__all__ = ["EDIT_SESSION_MAX_AGE_MS", "multi_elements", "selection_routes"]

EDIT_SESSION_MAX_AGE_MS = DAY_MS
""""Session ID ... valid for 24 hours" (every answer of the page above)."""
MAX_FRAMES = 10
MAX_POINTS = 10
#: What the fake assumes of a video it cannot inspect (a ``video_url``): 5 s, 30 fps, 720p.
_URL_SECONDS, _FPS, _WIDTH, _HEIGHT = 5.0, 30.0, 1280, 720
#: Half the side of the square a click selects, as a fraction of the frame.
_REACH = 0.1
_PATH = "/v1/videos/multi-elements"


def live_session(body: Mapping[str, Any], lookup: Lookup) -> EditSession:
    """The body's ``session_id``: a session of this account younger than 24 hours."""
    session_id = string(body, "session_id", required=True) or ""
    session = lookup.edit_session(session_id)
    if session is None or lookup.now_ms - session.created_at >= EDIT_SESSION_MAX_AGE_MS:
        reject(
            R.SELECTION,
            f"session_id '{shown(session_id)}' does not exist or has expired (sessions from "
            "init-selection last 24 hours)",
        )
    return session


def _short(seconds: float) -> bool | None:
    """True for 2-5 s, False for 7-10 s, None for a length the page does not support."""
    if 2 <= seconds <= 5:
        return True
    if 7 <= seconds <= 10:
        return False
    return None


def multi_elements(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/videos/multi-elements``: edit the elements marked in a live session."""
    session = live_session(body, lookup)
    mode = choice(body, "edit_mode", ("addition", "swap", "removal"), required=True)
    path = "image_list"
    if mode == "addition":
        listed = items(body, "image_list", least=1, most=2)
    elif mode == "swap":
        listed = items(body, "image_list", least=1, most=1)
    else:
        listed = items(body, "image_list")
    for index, item in enumerate(listed):
        image(item, "image", path=f"{path}[{index}].image", required=True)
    # "When replacing or removing elements within the existing video, the relevant elements
    # need to be marked in the video beforehand."
    if mode in ("swap", "removal") and not session.frames:
        reject(R.SELECTION, f"edit_mode '{mode}' needs the element marked first (add-selection)")
    string(body, "prompt", required=True)
    prompt(body)
    kind = choice(body, "mode", ("std", "pro")) or "std"
    duration = choice(body, "duration", ("5", "10")) or "5"
    if _short(session.seconds) is not (duration == "5"):
        span = "2-5" if duration == "5" else "7-10"
        reject(
            R.SELECTION,
            f"duration '{duration}' needs an input video of {span} s; this session's video "
            f"lasts {session.seconds:g} s",
        )
    return Plan({"mode": kind, "duration": duration})


# -- the session's steps ------------------------------------------------------------------------


def _points(body: Mapping[str, Any]) -> list[tuple[float, float]]:
    listed = items(body, "points", least=1, most=MAX_POINTS)
    points = []
    for index, point in enumerate(listed):
        x = number(point, "x", 0, 1, path=f"points[{index}].x", required=True)
        y = number(point, "y", 0, 1, path=f"points[{index}].y", required=True)
        points.append((float(x or 0), float(y or 0)))
    return points


def _frame_index(body: Mapping[str, Any]) -> int:
    return int(number(body, "frame_index", 0, 10**9, required=True, integer=True) or 0)


def _runs(session: EditSession, points: list[tuple[float, float]]) -> list[int]:
    """Run lengths (column by column, 0s first) of the squares around ``points``."""
    w, h = session.width, session.height
    boxes = [
        (
            max(0, int((x - _REACH) * w)),
            min(w, int((x + _REACH) * w) + 1),
            max(0, int((y - _REACH) * h)),
            min(h, int((y + _REACH) * h) + 1),
        )
        for x, y in points
    ]
    runs = [0]  # 0s first; each value change starts the next run

    def push(value: int, size: int) -> None:
        if size and value != (len(runs) - 1) % 2:  # the last run holds the other value
            runs.append(0)
        runs[-1] += size

    for column in range(w):
        row = 0
        for top, bottom in sorted((t, b) for left, right, t, b in boxes if left <= column < right):
            top = max(top, row)
            if bottom > top:
                push(0, top - row)
                push(1, bottom - top)
                row = bottom
        push(0, h - row)
    return runs


def _masks(session: EditSession, frame_index: int) -> dict[str, Any]:
    points = session.frames.get(frame_index, [])
    masks = []
    if points:
        size = [session.height, session.width]
        counts = encode_counts(_runs(session, points))
        png = mask_png(decode_rle(counts, size))
        masks.append(
            {
                "object_id": 0,
                "rle_mask": {"size": size, "counts": counts},
                "png_mask": {"size": size, "base64": base64.b64encode(png).decode("ascii")},
            }
        )
    return {"frame_index": frame_index, "rle_mask_list": masks}


class SelectionApi:
    """The session endpoints over one fake's store."""

    def __init__(self, store: TaskStore, lookup: Lookup) -> None:
        self.store = store
        self.lookup = lookup

    def _answer(self, session: EditSession, **more: Any) -> dict[str, Any]:
        return {
            "status": 0,
            "session_id": session.session_id,
            "final_unit_deduction": "0",
            **more,
        }

    async def init(self, request: Request) -> Response:
        body = await json_body(request)
        exactly_one(body, "video_id", "video_url")
        seconds = _URL_SECONDS
        video_id = string(body, "video_id")
        if video_id is not None:
            source = self.lookup.video(video_id)
            if source is None:
                reject(R.SELECTION, f"video_id '{shown(video_id)}' does not exist")
            if self.lookup.now_ms - source.created_at >= INPUT_MAX_AGE_MS:
                reject(R.SELECTION, f"video_id '{shown(video_id)}' is older than 30 days")
            seconds = source.duration
        video_url(body, "video_url")
        if _short(seconds) is None:
            reject(R.SELECTION, f"the video lasts {seconds:g} s; it must last 2-5 s or 7-10 s")
        session_id = self.store.new_id()
        session = EditSession(session_id, self.lookup.now_ms, seconds, _WIDTH, _HEIGHT, _FPS)
        with self.store.lock:
            self.store.edit_sessions[session_id] = session
        return ok(
            request,
            self._answer(
                session,
                fps=session.fps,
                original_duration=int(seconds * 1000),
                width=session.width,
                height=session.height,
                total_frame=session.total_frame,
                normalized_video=f"{request.base_url}files/{session_id}-normalized.mp4",
            ),
        )

    async def add(self, request: Request) -> Response:
        body = await json_body(request)
        session = live_session(body, self.lookup)
        frame_index, points = _frame_index(body), _points(body)
        with self.store.lock:
            marked = session.frames.get(frame_index, [])
            if not marked and len(session.frames) >= MAX_FRAMES:
                reject(R.SELECTION, f"frame_index: a maximum of {MAX_FRAMES} frames can be marked")
            if len(marked) + len(points) > MAX_POINTS:
                reject(
                    R.SELECTION,
                    f"points: up to {MAX_POINTS} points can be marked on a single frame",
                )
            session.frames[frame_index] = [*marked, *points]
            res = _masks(session, frame_index)
        return ok(request, self._answer(session, res=res))

    async def delete(self, request: Request) -> Response:
        body = await json_body(request)
        session = live_session(body, self.lookup)
        frame_index, points = _frame_index(body), _points(body)
        with self.store.lock:
            marked = list(session.frames.get(frame_index, []))
            for index, point in enumerate(points):
                # "Coordinates must exactly match those used when adding".
                if point not in marked:
                    reject(
                        R.SELECTION,
                        f"points[{index}] ({point[0]:g}, {point[1]:g}) was not added on frame "
                        f"{frame_index}; coordinates must match those added exactly",
                    )
                marked.remove(point)
            if marked:
                session.frames[frame_index] = marked
            else:
                session.frames.pop(frame_index, None)
            res = _masks(session, frame_index)
        return ok(request, self._answer(session, res=res))

    async def clear(self, request: Request) -> Response:
        body = await json_body(request)
        session = live_session(body, self.lookup)
        with self.store.lock:
            session.frames.clear()
        return ok(request, self._answer(session))

    async def preview(self, request: Request) -> Response:
        body = await json_body(request)
        session = live_session(body, self.lookup)
        files = f"{request.base_url}files/{session.session_id}"
        res = {
            "video": f"{files}-preview.mp4",
            "video_cover": f"{files}-preview-cover.png",
            "tracking_output": f"{files}-tracking.mp4",
        }
        return ok(request, self._answer(session, res=res))


def selection_routes(store: TaskStore, lookup: Lookup) -> list[Route]:
    """The session's routes (before the family's ``GET path/{task_id}``)."""
    api = SelectionApi(store, lookup)
    return [
        Route(f"{_PATH}/init-selection", api.init, methods=["POST"]),
        Route(f"{_PATH}/add-selection", api.add, methods=["POST"]),
        Route(f"{_PATH}/delete-selection", api.delete, methods=["POST"]),
        Route(f"{_PATH}/clear-selection", api.clear, methods=["POST"]),
        Route(f"{_PATH}/preview-selection", api.preview, methods=["POST"]),
    ]
