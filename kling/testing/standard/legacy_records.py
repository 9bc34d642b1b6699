"""Legacy-created tasks as ``/tasks`` shows them: normalised into the new-standard record, as
aself101/kling-api saw it live (Kling's pages do not say), in its log:
https://github.com/aself101/kling-api/blob/main/docs/specs/kling-api-2.0-migration-checklist.md

Observed live: avatar and image tasks came back with ``outputs[]`` and ``billing[]`` (avatar
``unit ... video``, image ``unit ... image``; element and voice tasks bill ``package_type:
video``). Output fields follow the new names of Kling's callback protocol (``mp3_url``, not
``url_mp3``).
"""

from __future__ import annotations

from typing import Any

from .._families import Family
from .._task import FakeTask
from .records import standard_status


def package_type(family: Family) -> str:
    """``billing[].package_type`` of a legacy family's tasks."""
    if family.result == "images":
        return "image"
    if family.result in ("audios", "video_audios"):
        return "audio"
    return "video"  # videos, and (observed) elements and voices


def product_type(task: FakeTask) -> str | None:
    """The ``product_type`` a ``POST /tasks`` filter matches (``None``: no documented value)."""
    if task.standard == "new" or task.family.result == "videos":
        return "video"
    if task.family.name == "virtual_try_on":
        return "try_on"
    if task.family.result == "images":
        return "image"
    return None  # audio, voices, elements: listed, but no filter value names them


def _video(video: dict[str, Any]) -> dict[str, Any]:
    out = {"type": "video", "id": video["id"], "url": video["url"]}
    if "watermark_url" in video:
        out["watermark_url"] = video["watermark_url"]
    out["duration"] = video.get("duration", "5")
    return out


def _image(image: dict[str, Any]) -> dict[str, Any]:
    out = {"type": "image", "url": image["url"]}  # no id, no index on the new standard
    if "watermark_url" in image:
        out["watermark_url"] = image["watermark_url"]
    return out


def _audio(audio: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "audio",
        "id": audio["id"],
        "mp3_url": audio["url_mp3"],
        "wav_url": audio["url_wav"],
        "mp3_duration": audio["duration_mp3"],
        "wav_duration": audio["duration_wav"],
    }


def _voice(voice: dict[str, Any], deleted: bool) -> dict[str, Any]:
    return {
        "type": "voice",
        "id": voice["voice_id"],
        "name": voice["voice_name"],
        "url": voice["trial_url"],
        "owned_by": voice["owned_by"],
        "status": "deleted" if deleted else "succeeded",
    }


def _references(element: dict[str, Any]) -> list[dict[str, Any]]:
    images = element.get("element_image_list")
    videos = element.get("element_video_list")
    refs: list[dict[str, Any]] = []
    if isinstance(images, dict):
        if isinstance(images.get("frontal_image"), str):
            refs.append({"type": "image", "role": "frontal", "url": images["frontal_image"]})
        for item in images.get("refer_images") or []:
            if isinstance(item, dict) and isinstance(item.get("image_url"), str):
                refs.append({"type": "image", "role": "reference", "url": item["image_url"]})
    if isinstance(videos, dict):
        for item in videos.get("refer_videos") or []:
            if isinstance(item, dict) and isinstance(item.get("video_url"), str):
                refs.append({"type": "video", "role": "refer", "url": item["video_url"]})
    return refs


def is_video_character(body: dict[str, Any]) -> bool:
    """Whether an element created with ``body`` is a video-character element."""
    return body.get("reference_type") == "video_refer"


def _element(element: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    kind = "video_character_elements" if is_video_character(body) else "multi_image_elements"
    tags = element.get("tag_list") if isinstance(element.get("tag_list"), list) else []
    return {
        "type": "element",
        "id": str(element["element_id"]),
        "name": element["element_name"],
        "description": element["element_description"],
        "element_type": kind,
        # The query pages call this list references[] (the callback page: materials[]).
        "references": _references(element),
        "owned_by": element["owned_by"],
        "status": "deleted" if element["status"] == "deleted" else "succeeded",
        "tags": tags,
    }


def _outputs(task: FakeTask, result: dict[str, Any]) -> list[dict[str, Any]]:
    outputs = [_video(v) for v in result.get("videos", [])]
    outputs += [_image(i) for i in result.get("images", [])]
    outputs += [_audio(a) for a in result.get("audios", [])]
    outputs += [_voice(v, task.deleted) for v in result.get("voices", [])]
    outputs += [_element(e, task.body) for e in result.get("elements", [])]
    return outputs


def legacy_record(task: FakeTask, view: dict[str, Any]) -> dict[str, Any]:
    """The new-standard record of a legacy task, from its legacy ``view``."""
    record: dict[str, Any] = {
        "id": view["task_id"],
        "status": standard_status(view["task_status"]),
        "message": view["task_status_msg"],
        "create_time": view["created_at"],
        "update_time": view["updated_at"],
    }
    if task.family.echo_external_id and task.external_task_id:
        record["external_id"] = task.external_task_id
    record["outputs"] = _outputs(task, view["task_result"])
    if "final_unit_deduction" in view:
        billing = {"charge_type": "unit", "amount": view["final_unit_deduction"]}
        record["billing"] = [{**billing, "package_type": package_type(task.family)}]
    return record


def record_of(task: FakeTask, view: dict[str, Any]) -> dict[str, Any]:
    """``task``'s new-standard record, from the ``view`` a store read returned."""
    return view if task.standard == "new" else legacy_record(task, view)
