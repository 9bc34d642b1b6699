"""The account state new-standard validation reads (:class:`Catalogue`), from the fake's store."""

from __future__ import annotations

from .._families import FAMILIES_BY_NAME
from .._presets import PRESET_ELEMENT_IDS, PRESET_VOICE_IDS
from .._state import TaskStore
from .._task import FakeTask
from .context import Catalogue
from .legacy_records import is_video_character


def catalogue(store: TaskStore) -> Catalogue:
    """Elements and voices a create may name: presets, and the account's finished ones.

    Only element and voice tasks are read (and advanced), not the account's other tasks.
    """
    elements = dict.fromkeys(PRESET_ELEMENT_IDS, False)
    voices = set(PRESET_VOICE_IDS)
    for task in store.family_tasks(FAMILIES_BY_NAME["elements"]):
        if _owned(task):
            elements[task.result_ids[0]] = is_video_character(task.body)
    for task in store.family_tasks(FAMILIES_BY_NAME["voices"]):
        if _owned(task):
            voices.add(task.result_ids[0])
    return Catalogue(elements, frozenset(voices))


def _owned(task: FakeTask) -> bool:
    return task.standard == "legacy" and task.task_status == "succeed" and not task.deleted
