"""The account state legacy validation reads (:class:`Lookup`), over the fake's task store."""

from __future__ import annotations

from collections.abc import Iterable

from .._state import TaskStore
from .._task import FakeTask, video_seconds, video_url
from .context import FaceSession, SourceVideo

_VIDEO_RESULTS = ("videos", "video_audios")


class StoreLookup:
    """Reads the store at call time; tasks are advanced first, so a finished task counts."""

    def __init__(
        self, store: TaskStore, preset_elements: Iterable[str], preset_voices: Iterable[str]
    ) -> None:
        self.store = store
        self.preset_elements = frozenset(preset_elements)
        self.preset_voices = frozenset(preset_voices)

    @property
    def now_ms(self) -> int:
        return int(self.store.wall_clock() * 1000)

    def _finished(self, family: str) -> Iterable[FakeTask]:
        for task in self.store.all().values():
            if (
                task.standard == "legacy"
                and task.family.name == family
                and task.task_status == "succeed"
                and not task.deleted
            ):
                yield task

    def has_element(self, element_id: str) -> bool:
        if element_id in self.preset_elements:
            return True
        return any(task.result_ids[0] == element_id for task in self._finished("elements"))

    def has_voice(self, voice_id: str) -> bool:
        if voice_id in self.preset_voices:
            return True
        return any(task.result_ids[0] == voice_id for task in self._finished("voices"))

    def video(self, video_id: str) -> SourceVideo | None:
        for task in self.store.all().values():
            if task.standard != "legacy" or task.family.result not in _VIDEO_RESULTS:
                continue
            if task.task_status != "succeed" or task.result_ids[0] != video_id:
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
