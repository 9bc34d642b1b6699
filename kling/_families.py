"""The table of task families: everything that differs between Kling's task endpoints, as data.

One generic resource (``kling/_async/_resources.py``) serves every family; a family is a name
(also the key of its parameter rules in ``kling._params``) and the path it lives under.
Create is ``POST path``, get is ``GET path/{task_id or external_task_id}``, list is
``GET path?pageNum=..&pageSize=..``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FAMILIES", "Family"]


@dataclass(frozen=True)
class Family:
    """One task family of the legacy (``/v1``) API."""

    name: str
    path: str
    #: Whether ``GET path/{id}`` also accepts the caller's ``external_task_id``.
    external_id_lookup: bool = True
    #: Largest ``pageSize`` the list endpoint accepts.
    max_page_size: int = 500
    #: For libraries (elements, voices): where Kling's presets are listed...
    presets_path: str | None = None
    #: ...and where one of your own is deleted, with the JSON key naming it.
    delete_path: str | None = None
    delete_key: str | None = None


FAMILIES: dict[str, Family] = {
    family.name: family
    for family in (
        Family("text_to_video", "/v1/videos/text2video"),
        Family("image_to_video", "/v1/videos/image2video"),
        Family("multi_image_to_video", "/v1/videos/multi-image2video"),
        Family("video_extend", "/v1/videos/video-extend"),
        Family("lip_sync", "/v1/videos/lip-sync"),
        Family("advanced_lip_sync", "/v1/videos/advanced-lip-sync", external_id_lookup=False),
        Family("video_effects", "/v1/videos/effects"),
        Family("avatar", "/v1/videos/avatar/image2video"),
        Family("motion_control", "/v1/videos/motion-control"),
        Family("omni_video", "/v1/videos/omni-video"),
        Family("images", "/v1/images/generations"),
        Family("omni_image", "/v1/images/omni-image"),
        Family("multi_image_to_image", "/v1/images/multi-image2image"),
        Family("image_expand", "/v1/images/editing/expand"),
        Family("virtual_try_on", "/v1/images/kolors-virtual-try-on"),
        Family("text_to_audio", "/v1/audio/text-to-audio"),
        Family("video_to_audio", "/v1/audio/video-to-audio"),
        Family(
            "elements",
            "/v1/general/advanced-custom-elements",
            presets_path="/v1/general/advanced-presets-elements",
            delete_path="/v1/general/delete-advanced-elements",
            delete_key="element_id",
        ),
        Family(
            "voices",
            "/v1/general/custom-voices",
            max_page_size=1000,
            presets_path="/v1/general/presets-voices",
            delete_path="/v1/general/delete-voices",
            delete_key="voice_id",
        ),
    )
}
