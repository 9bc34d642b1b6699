"""``FakeTask``, one task the fake holds, and what the legacy API shows of it: ``task_info``
and ``task_result`` by the family's result kind.

Result URLs point at the fake's own ``/files/<name>`` endpoint, on the base URL the task was
created through, so downloads work against whatever address the fake is served on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Literal

from ._families import Family

TaskStatus = Literal["submitted", "processing", "succeed", "failed"]

Standard = Literal["legacy", "new"]
"""Which API design a task was created through: ``/v1/...`` or ``/<product>/<model>``."""


@dataclass(eq=False)
class FakeTask:
    """One task the fake holds. ``view()`` is what the API returns for it."""

    standard: ClassVar[Standard] = "legacy"
    """``"new"`` for tasks created through the new standard (:class:`StandardTask`)."""
    task_id: str
    family: Family
    body: dict[str, Any]
    base_url: str
    created_at: int
    """Unix milliseconds."""
    created_mono: float
    failure: str | None
    """The ``task_status_msg`` it ends with when it is going to fail, else ``None``."""
    result_ids: tuple[str, ...]
    task_status: TaskStatus = "submitted"
    task_status_msg: str = ""
    updated_at: int = 0
    deleted: bool = False
    """Deleted through ``delete-voices`` / ``delete-elements``."""
    stage_started: float = 0.0
    stage_polls: int = 0
    last_poll: float = 0.0
    outbox: list[dict[str, Any]] = field(default_factory=list)
    """Snapshots waiting to be POSTed to ``callback_url``."""
    details: dict[str, Any] = field(default_factory=dict)
    """What validation worked out for a legacy task (``model_name``, result ``duration``,
    ``parent_video``, ``result_type``): see :class:`~kling.testing.legacy.context.Plan`."""
    charged: Decimal | None = None
    """Units it cost, set when it succeeds (``kling.testing._prices``)."""

    @property
    def external_task_id(self) -> str | None:
        """The caller's id for the task, if it sent one."""
        value = self.body.get("external_task_id")
        return value if isinstance(value, str) and value else None

    @property
    def callback_url(self) -> str | None:
        """Where status changes are POSTed, if anywhere."""
        value = self.body.get("callback_url")
        return value if isinstance(value, str) and value else None

    @property
    def slots(self) -> int:
        """Concurrency slots held while unfinished: one per image for image tasks, else one."""
        if self.family.result == "images":
            return max(1, len(self.result_ids))
        return 1

    @property
    def is_finished(self) -> bool:
        """``succeed`` or ``failed``."""
        return self.task_status in ("succeed", "failed")

    def create_view(self) -> dict[str, Any]:
        """The ``data`` of the create response."""
        info = {"external_task_id": self.external_task_id} if self.external_task_id else {}
        return {
            "task_id": self.task_id,
            "task_status": "submitted",
            "task_info": info,
            "created_at": self.created_at,
            "updated_at": self.created_at,
        }

    def view(self) -> dict[str, Any]:
        """The task object as queries (and callbacks) return it now."""
        data: dict[str, Any] = {
            "task_id": self.task_id,
            "task_status": self.task_status,
            "task_status_msg": self.task_status_msg,
            "task_info": task_info(self),
            "task_result": task_result(self) if self.task_status == "succeed" else {},
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }
        if self.is_finished:
            # Kling's own spelling of a decimal ("2.4", "3"); a failed task costs nothing.
            charged = self.charged if self.task_status == "succeed" else None
            data["final_unit_deduction"] = format(charged.normalize(), "f") if charged else "0"
        watermark = self.body.get("watermark_info")
        if isinstance(watermark, dict):
            data["watermark_info"] = {"enabled": bool(watermark.get("enabled"))}
        return data


_DEFAULT_DURATION = "5"

CREATOR_ID = "9000000001"
"""``owned_by`` of custom voices and elements (Kling puts the creator's numeric id there)."""


def file_url(task: FakeTask, name: str) -> str:
    """Absolute URL of a served file."""
    return f"{task.base_url}files/{name}"


def _watermarked(task: FakeTask) -> bool:
    watermark = task.body.get("watermark_info")
    return isinstance(watermark, dict) and bool(watermark.get("enabled"))


def _duration(task: FakeTask) -> str:
    worked_out = task.details.get("duration")
    if isinstance(worked_out, str):
        return worked_out  # an extension's total, or an audio's length
    value = task.body.get("duration")
    if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value):
        return str(value)
    return _DEFAULT_DURATION


def video_url(task: FakeTask) -> str:
    """URL of the (first) video a task made."""
    return file_url(task, f"{task.task_id}-0.mp4")


def video_seconds(task: FakeTask) -> float:
    """Length of the video a task made, in seconds."""
    try:
        return float(_duration(task))
    except ValueError:
        return float(_DEFAULT_DURATION)


def _videos(task: FakeTask) -> list[dict[str, Any]]:
    video: dict[str, Any] = {"id": task.result_ids[0], "url": video_url(task)}
    if task.family.name != "video_effects":  # the 2026 effects docs give no duration
        video["duration"] = _duration(task)
    if _watermarked(task):
        video["watermark_url"] = file_url(task, f"{task.task_id}-0-watermark.mp4")
    if task.family.name == "multi_elements":  # the edited session, as the query answers it
        video["session_id"] = task.body.get("session_id")
    return [video]


#: AI multi-shot answers with three candidate sets, each of three views (``url_1``..``url_3``):
#: https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-common-subject-completion.md
_MULTI_SHOT_SETS = 3
_MULTI_SHOT_VIEWS = 3


def _multi_shot_images(task: FakeTask) -> list[dict[str, Any]]:
    return [
        {"index": index}
        | {
            f"url_{view}": file_url(task, f"{task.task_id}-{index}-{view}.png")
            for view in range(1, _MULTI_SHOT_VIEWS + 1)
        }
        for index in range(_MULTI_SHOT_SETS)
    ]


def _images(task: FakeTask) -> list[dict[str, Any]]:
    if task.family.name == "ai_multi_shot":
        return _multi_shot_images(task)
    images = []
    for index in range(len(task.result_ids)):
        image: dict[str, Any] = {
            "index": index,
            "url": file_url(task, f"{task.task_id}-{index}.png"),
        }
        if _watermarked(task):
            image["watermark_url"] = file_url(task, f"{task.task_id}-{index}-watermark.png")
        images.append(image)
    return images


def _audios(task: FakeTask) -> list[dict[str, Any]]:
    duration = _duration(task)
    return [
        {
            "id": task.result_ids[-1],
            "url_mp3": file_url(task, f"{task.task_id}-0.mp3"),
            "url_wav": file_url(task, f"{task.task_id}-0.wav"),
            "duration_mp3": duration,
            "duration_wav": duration,
        }
    ]


def _voices(task: FakeTask) -> list[dict[str, Any]]:
    return [
        {
            "voice_id": task.result_ids[0],
            "voice_name": task.body.get("voice_name", ""),
            "trial_url": file_url(task, f"{task.result_ids[0]}.mp3"),
            "owned_by": CREATOR_ID,
        }
    ]


def _elements(task: FakeTask) -> list[dict[str, Any]]:
    body = task.body
    return [
        {
            "element_id": int(task.result_ids[0]),
            "element_name": body.get("element_name", ""),
            "element_description": body.get("element_description", ""),
            "reference_type": body.get("reference_type", "image_refer"),
            "element_image_list": body.get("element_image_list", {}),
            "element_video_list": body.get("element_video_list", {}),
            "tag_list": body.get("tag_list", []),
            "owned_by": CREATOR_ID,
            "status": "deleted" if task.deleted else "succeed",
        }
    ]


def task_result(task: FakeTask) -> dict[str, Any]:
    """``task_result`` of a task that succeeded."""
    kind = task.family.result
    if kind == "videos":
        return {"videos": _videos(task)}
    if kind == "images":
        if task.family.name != "omni_image":
            return {"images": _images(task)}
        if task.details.get("result_type") == "series":
            return {"result_type": "series", "series_images": _images(task)}
        return {"result_type": "single", "images": _images(task)}
    if kind == "audios":
        return {"audios": _audios(task)}
    if kind == "video_audios":
        return {"videos": _videos(task), "audios": _audios(task)}
    if kind == "voices":
        return {"voices": _voices(task)}
    return {"elements": _elements(task)}


def task_info(task: FakeTask) -> dict[str, Any]:
    """``task_info``: the external id echo and, for derived videos, the parent video."""
    info: dict[str, Any] = {}
    if task.family.echo_external_id and task.external_task_id:
        info["external_task_id"] = task.external_task_id
    parent = task.details.get("parent_video")
    if isinstance(parent, dict):
        info["parent_video"] = dict(parent)
    elif task.family.parent_video:
        parent_id = task.body.get("video_id")
        if not isinstance(parent_id, str) or not parent_id:
            parent_id = f"{task.task_id}-parent"
        parent_url = task.body.get("video_url")
        if not isinstance(parent_url, str) or not parent_url:
            parent_url = file_url(task, f"{parent_id}.mp4")
        info["parent_video"] = {"id": parent_id, "url": parent_url, "duration": _DEFAULT_DURATION}
    return info
