"""Response models of the endpoints that answer at once (TTS, face identification, image
recognition), of the account's resource packs and billing details, and of the older element
library.

Apart from the task models (``kling._models``): a create never needs them, so it never pays for
making their classes.
"""

from typing import Annotated

from pydantic import BeforeValidator

from ._models import (
    Audio,
    KlingModel,
    Seconds,
    TaskResult,
    Timestamp,
    empty_when_missing,
    list_field,
    none_to_empty_dict,
    none_to_empty_list,
)

__all__ = [
    "BalanceDeduction",
    "CostsResult",
    "CustomElement",
    "Deduction",
    "FaceData",
    "FaceIdentification",
    "ImageRecognition",
    "RecognitionResult",
    "RecognizedImage",
    "ResourcePack",
    "Speech",
    "UnitDeduction",
]


class FaceData(KlingModel):
    """A face found by ``identify_face``; times in milliseconds."""

    face_id: str | None = None
    face_image: str | None = None
    start_time: int | None = None
    end_time: int | None = None


class ResourcePack(KlingModel):
    """One resource pack from ``account.costs``."""

    resource_pack_name: str | None = None
    resource_pack_id: str | None = None
    resource_pack_type: str | None = None
    total_quantity: float | None = None
    remaining_quantity: float | None = None
    purchase_time: Timestamp = None
    effective_time: Timestamp = None
    invalid_time: Timestamp = None
    status: str | None = None


class CostsResult(KlingModel):
    """The body of ``/account/costs``: the account's resource packs (empty when it has none)."""

    code: int | None = None
    msg: str | None = None
    resource_pack_subscribe_infos: Annotated[
        list[ResourcePack], BeforeValidator(none_to_empty_list)
    ] = list_field()


class Deduction(KlingModel):
    """One task's charge, as both billing details list it (``account.balance_deductions``,
    ``account.unit_deductions``); ``duration`` in seconds, for videos."""

    task_id: str | None = None
    api_key_name: str | None = None
    product_function: str | None = None
    """What the task did, such as ``Image to Video``."""
    model_name: str | None = None
    resolution: str | None = None
    """``720p``, ``1080p`` or ``4k`` (a legacy ``mode`` std is 720p, pro 1080p)."""
    duration: Seconds = None
    refer_video_input: bool | None = None
    video_sound: str | None = None
    """``native``, ``original`` or ``off``."""
    voice_control: bool | None = None
    deduction_time: Timestamp = None
    deduction_amount: float | None = None


class BalanceDeduction(Deduction):
    """A charge to the account's cash balance (``POST /account/billing/balance``):
    https://github.com/aself101/kling-api/blob/main/docs/api/kling-assets-balance.md"""

    cash_type: str | None = None
    """``balance``, or ``test_balance`` for the test quota."""
    balance_before_deduction: float | None = None
    balance_after_deduction: float | None = None
    list_price: float | None = None
    currency: str | None = None
    """``CNY`` or ``USD``."""


class UnitDeduction(Deduction):
    """A charge to a resource pack, in units (``POST /account/billing/package``):
    https://github.com/aself101/kling-api/blob/main/docs/api/kling-assets-package.md"""

    package_id: str | None = None
    product_type: str | None = None
    """The pack's type: ``video``, ``image`` or ``try-on``."""
    unit_before_deduction: float | None = None
    unit_after_deduction: float | None = None


class ReferImageItem(KlingModel):
    image_url: str | None = None


class ElementTagInfo(KlingModel):
    """A tag of an element of the older library: its ``id`` (``o_101``...) and name."""

    id: str | None = None
    name: str | None = None
    description: str | None = None


class CustomElement(KlingModel):
    """An element of Kling's older library (``client.custom_elements``), yours or a preset
    (``owned_by == "kling"``); use ``element_id`` where a video takes elements."""

    element_id: str | None = None
    element_name: str | None = None
    element_description: str | None = None
    element_frontal_image: str | None = None
    element_refer_list: Annotated[list[ReferImageItem], BeforeValidator(none_to_empty_list)] = (
        list_field()
    )
    tag_list: Annotated[list[ElementTagInfo], BeforeValidator(none_to_empty_list)] = list_field()
    owned_by: str | None = None
    final_unit_deduction: str | None = None


class Speech(KlingModel):
    """The result of ``tts.create``: synthesized speech in ``audios`` (``url``, ``duration``)."""

    task_id: str | None = None
    task_status: str | None = None
    task_result: Annotated[TaskResult, BeforeValidator(none_to_empty_dict)] = empty_when_missing()
    created_at: Timestamp = None
    updated_at: Timestamp = None

    @property
    def audios(self) -> list[Audio]:
        return self.task_result.audios


class FaceIdentification(KlingModel):
    """The faces ``identify_face`` found; pass ``session_id`` to advanced lip-sync (valid 24 h)."""

    session_id: str | None = None
    final_unit_deduction: str | None = None
    face_data: Annotated[list[FaceData], BeforeValidator(none_to_empty_list)] = list_field()


class RecognizedImage(KlingModel):
    """One segmentation from ``image_recognize`` (``type``: object_seg, head_seg, ...)."""

    type: str | None = None
    is_contain: bool | None = None
    url: str | None = None


class RecognitionResult(KlingModel):
    images: Annotated[list[RecognizedImage], BeforeValidator(none_to_empty_list)] = list_field()


class ImageRecognition(KlingModel):
    """The result of ``image_recognize``: what the image contains, with mask URLs."""

    task_id: str | None = None
    task_result: Annotated[RecognitionResult, BeforeValidator(none_to_empty_dict)] = (
        empty_when_missing()
    )

    @property
    def images(self) -> list[RecognizedImage]:
        return self.task_result.images
