"""The account state legacy validation reads (:class:`Lookup`), over the fake's task store."""

from __future__ import annotations

from collections.abc import Iterable

from .._state import TaskStore
from .._task import FakeTask, video_seconds, video_url
from .context import EditSession, FaceSession, SourceVideo

_VIDEO_RESULTS = ("videos", "video_audios")


class StoreLookup:
    """Reads the store at call time; tasks are advanced first, so a finished task counts.

    Each question looks up the tasks that made the id asked about, never the whole account.
    """

    def __init__(
        self, store: TaskStore, preset_elements: Iterable[str], preset_voices: Iterable[str]
    ) -> None:
        self.store = store
        self.preset_elements = frozenset(preset_elements)
        self.preset_voices = frozenset(preset_voices)

    @property
    def now_ms(self) -> int:
        return int(self.store.wall_clock() * 1000)

    def _made(self, result_id: str) -> Iterable[FakeTask]:
        """Legacy tasks whose (first) result is ``result_id``, oldest first, advanced."""
        for task in self.store.with_result_id(result_id):
            if task.standard == "legacy" and task.result_ids[0] == result_id:
                self.store.advance(task)
                yield task

    def _owns(self, family: str, result_id: str) -> bool:
        return any(
            task.family.name == family and task.task_status == "succeed" and not task.deleted
            for task in self._made(result_id)
        )

    def has_element(self, element_id: str) -> bool:
        if element_id in self.preset_elements:
            return True
        if element_id in self.store.custom_elements:  # the older library's, used by id alike
            return True
        return self._owns("elements", element_id)

    def has_voice(self, voice_id: str) -> bool:
        if voice_id in self.preset_voices:
            return True
        return self._owns("voices", voice_id)

    def video(self, video_id: str) -> SourceVideo | None:
        for task in self._made(video_id):
            if task.family.result not in _VIDEO_RESULTS:
                continue
            if task.task_status != "succeed":
                continue
            model = task.details.get("model_name")
            return SourceVideo(
                video_id=video_id,
                url=video_url(task),
                duration=video_seconds(task),
                created_at=task.created_at,
                model_name=model if isinstance(model, str) else None,
                family=task.family.name,
            )
        return None

    def session(self, session_id: str) -> FaceSession | None:
        with self.store.lock:
            return self.store.sessions.get(session_id)

    def edit_session(self, session_id: str) -> EditSession | None:
        with self.store.lock:
            return self.store.edit_sessions.get(session_id)
