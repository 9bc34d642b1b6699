"""The one table of asynchronous task families: everything that differs between them is data.

Each family has a create endpoint (``POST path``), a single query (``GET path/{id}``, where the id
is a ``task_id`` or an ``external_task_id``) and a list (``GET path?pageNum&pageSize``).
``required`` lists what a create must carry (each endpoint's page); :mod:`.legacy.validate` checks
it along with every other rule of the family.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ResultKind = Literal["videos", "images", "audios", "video_audios", "voices", "elements"]
"""Shape of ``task_result`` on success: ``video_audios`` carries both ``videos`` and ``audios``."""

Requirement = tuple[str, ...]
"""Dotted field paths of which at least one must be present and non-empty."""


@dataclass(frozen=True)
class Family:
    """How one task family differs from the others."""

    name: str
    """Named as the SDK names the same family (``text_to_video``)."""
    path: str
    required: tuple[Requirement, ...]
    result: ResultKind
    parent_video: bool = False
    """``task_info.parent_video`` is set (products derived from an existing video)."""
    echo_external_id: bool = True
    """The query echoes ``task_info.external_task_id`` (advanced lip-sync does not)."""
    lookup_by_external_id: bool = True
    """``GET path/{external_task_id}`` works (advanced lip-sync answers by task_id only)."""
    max_page_size: int = 500


def _req(*fields: str) -> Requirement:
    return fields


FAMILIES: tuple[Family, ...] = (
    Family("text_to_video", "/v1/videos/text2video", (_req("prompt"),), "videos"),
    # A first frame, or a last frame alone where the model renders one (fake.legacy.tail_only).
    Family("image_to_video", "/v1/videos/image2video", (_req("image", "image_tail"),), "videos"),
    Family(
        "multi_image_to_video",
        "/v1/videos/multi-image2video",
        (_req("image_list"), _req("prompt")),
        "videos",
    ),
    Family(
        "video_extend", "/v1/videos/video-extend", (_req("video_id"),), "videos", parent_video=True
    ),
    Family(
        "lip_sync",
        "/v1/videos/lip-sync",
        (_req("input"), _req("input.video_id", "input.video_url"), _req("input.mode")),
        "videos",
    ),
    Family("video_effects", "/v1/videos/effects", (_req("effect_scene"), _req("input")), "videos"),
    Family(
        "avatar",
        "/v1/videos/avatar/image2video",
        (_req("image"), _req("audio_id", "sound_file")),
        "videos",
    ),
    Family(
        "motion_control",
        "/v1/videos/motion-control",
        (_req("image_url"), _req("video_url"), _req("character_orientation"), _req("mode")),
        "videos",
    ),
    Family("omni_video", "/v1/videos/omni-video", (), "videos"),
    Family(
        "advanced_lip_sync",
        "/v1/videos/advanced-lip-sync",
        (_req("session_id"), _req("face_choose")),
        "videos",
        parent_video=True,
        echo_external_id=False,
        lookup_by_external_id=False,
    ),
    Family(
        "multi_elements",
        "/v1/videos/multi-elements",
        (_req("session_id"), _req("edit_mode"), _req("prompt")),
        "videos",
    ),
    Family("images", "/v1/images/generations", (_req("prompt"),), "images"),
    Family("omni_image", "/v1/images/omni-image", (_req("prompt"),), "images"),
    Family(
        "multi_image_to_image",
        "/v1/images/multi-image2image",
        (_req("subject_image_list"),),
        "images",
    ),
    Family("image_expand", "/v1/images/editing/expand", (_req("image"),), "images"),
    Family(
        "virtual_try_on",
        "/v1/images/kolors-virtual-try-on",
        (_req("human_image"), _req("cloth_image")),
        "images",
    ),
    Family(
        "text_to_audio", "/v1/audio/text-to-audio", (_req("prompt"), _req("duration")), "audios"
    ),
    Family(
        "video_to_audio",
        "/v1/audio/video-to-audio",
        (_req("video_id", "video_url"),),
        "video_audios",
        parent_video=True,
    ),
    Family(
        "elements",
        "/v1/general/advanced-custom-elements",
        (_req("element_name"), _req("element_description"), _req("reference_type")),
        "elements",
    ),
    Family(
        "voices",
        "/v1/general/custom-voices",
        (_req("voice_name"), _req("voice_url", "video_id")),
        "voices",
        max_page_size=1000,
    ),
    # -- general helpers (issue 23 §2)
    Family(
        "ai_multi_shot", "/v1/general/ai-multi-shot", (_req("element_frontal_image"),), "images"
    ),
)

FAMILIES_BY_NAME: dict[str, Family] = {family.name: family for family in FAMILIES}
