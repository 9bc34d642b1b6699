"""Response models of the endpoints that answer at once (TTS, face identification, image
recognition) and of the account's resource packs.

Apart from the task models (``kling._models``): a create never needs them, so it never pays for
making their classes.
"""

from typing import Annotated

from pydantic import BeforeValidator, Field

from ._models import (
    Audio,
    KlingModel,
    TaskResult,
    Timestamp,
    list_field,
    none_to_empty_dict,
    none_to_empty_list,
)

__all__ = [
    "CostsResult",
    "FaceData",
    "FaceIdentification",
    "ImageRecognition",
    "RecognitionResult",
    "RecognizedImage",
    "ResourcePack",
    "Speech",
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


class Speech(KlingModel):
    """The result of ``tts.create``: synthesized speech in ``audios`` (``url``, ``duration``)."""

    task_id: str | None = None
    task_status: str | None = None
    task_result: Annotated[TaskResult, BeforeValidator(none_to_empty_dict)] = Field(
        default_factory=TaskResult
    )
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
    task_result: Annotated[RecognitionResult, BeforeValidator(none_to_empty_dict)] = Field(
        default_factory=RecognitionResult
    )

    @property
    def images(self) -> list[RecognizedImage]:
        return self.task_result.images
