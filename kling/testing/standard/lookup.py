"""The account state new-standard validation reads (:class:`Catalogue`), from the fake's store."""

from __future__ import annotations

from .._presets import PRESET_ELEMENT_IDS, PRESET_VOICE_IDS
from .._state import TaskStore
from .context import Catalogue
from .legacy_records import is_video_character


def catalogue(store: TaskStore) -> Catalogue:
    """Elements and voices a create may name: presets, and the account's finished ones."""
    elements = dict.fromkeys(PRESET_ELEMENT_IDS, False)
    voices = set(PRESET_VOICE_IDS)
    for task in store.all().values():
        if task.standard != "legacy" or task.task_status != "succeed" or task.deleted:
            continue
        if task.family.name == "elements":
            elements[task.result_ids[0]] = is_video_character(task.body)
        elif task.family.name == "voices":
            voices.add(task.result_ids[0])
    return Catalogue(elements, frozenset(voices))
