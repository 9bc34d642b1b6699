"""``task_info`` and ``task_result`` of a task, by the family's result kind.

Result URLs point at the fake's own ``/files/<name>`` endpoint, on the base URL the task was
created through, so downloads work against whatever address the fake is served on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._state import FakeTask

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
    return [video]


def _images(task: FakeTask) -> list[dict[str, Any]]:
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
