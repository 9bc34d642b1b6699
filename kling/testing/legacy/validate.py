"""The one entry point of legacy create validation: family name -> its checks, which cite the
Kling pages they follow.

Each validator reads a JSON object and the account (:class:`Lookup`) and returns a
:class:`Plan`, or raises :class:`ApiError` (400/1201, or 404/1203 for an unknown model).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import image, other, selection, video
from .context import Lookup, Plan
from .fields import common

Validator = Callable[[Mapping[str, Any], Lookup], Plan]

VALIDATORS: Mapping[str, Validator] = {
    "text_to_video": video.text_to_video,
    "image_to_video": video.image_to_video,
    "multi_image_to_video": video.multi_image_to_video,
    "video_extend": video.video_extend,
    "lip_sync": other.lip_sync,
    "video_effects": other.video_effects,
    "avatar": other.avatar,
    "motion_control": video.motion_control,
    "omni_video": video.omni_video,
    "advanced_lip_sync": other.advanced_lip_sync,
    "multi_elements": selection.multi_elements,
    "images": image.images,
    "omni_image": image.omni_image,
    "multi_image_to_image": image.multi_image_to_image,
    "image_expand": image.image_expand,
    "virtual_try_on": image.virtual_try_on,
    "text_to_audio": other.text_to_audio,
    "video_to_audio": other.video_to_audio,
    "elements": other.custom_element,
    "voices": other.custom_voice,
    "ai_multi_shot": other.ai_multi_shot,
}
"""Every legacy task family's create checks, by the SDK's family name."""


def validate(family: str, body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """Check a create body of ``family``; the :class:`Plan` of the task it makes."""
    common(body)
    return VALIDATORS[family](body, lookup)
