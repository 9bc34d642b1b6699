"""Answers of the selection session of multi-element video editing (``/v1/videos/multi-elements``).

Shapes from Kling's page:
https://github.com/aself101/kling-api/blob/main/docs/api/kling-multi-element-video-editing.md
Apart from the task models: only code that opens a session makes these classes.
"""

import base64
from typing import Annotated

from pydantic import BeforeValidator

from ._models import (
    KlingModel,
    empty_when_missing,
    list_field,
    none_to_empty_dict,
    none_to_empty_list,
)
from .masks import decode_rle, mask_png

__all__ = [
    "BalanceDeduction",
    "MaskedObject",
    "PngMask",
    "RleMask",
    "SelectionAnswer",
    "SelectionInfo",
    "SelectionMasks",
    "SelectionPreview",
    "SelectionPreviewFiles",
    "SelectionResult",
]


class BalanceDeduction(KlingModel):
    """What a step cost from the account's balance."""

    quota: str | None = None
    list_price: str | None = None


class SelectionAnswer(KlingModel):
    """What every step of a selection session answers.

    ``status``: Kling's rejection code, 0 when it recognized the video (non-zero: it did not).
    """

    status: int | None = None
    session_id: str | None = None
    final_unit_deduction: str | None = None
    final_balance_deduction: BalanceDeduction | None = None


class SelectionInfo(SelectionAnswer):
    """``init-selection``: the video as Kling parsed it, and the session that edits it."""

    fps: float | None = None
    original_duration: int | None = None
    """The parsed video's duration, as Kling reports it."""
    width: int | None = None
    height: int | None = None
    total_frame: int | None = None
    normalized_video: str | None = None
    """URL of the video as initialized: frames are numbered in it."""


class RleMask(KlingModel):
    """A mask as COCO-style compressed RLE: ``size`` is ``[height, width]``."""

    size: list[int] = list_field()
    counts: str = ""

    @property
    def height(self) -> int:
        return self.size[0]

    @property
    def width(self) -> int:
        return self.size[1]

    def decode(self) -> list[bytes]:
        """The mask as ``height`` rows of ``width`` bytes: 1 inside, 0 outside."""
        return decode_rle(self.counts, self.size)

    def to_png(self) -> bytes:
        """The mask as a grayscale PNG (white inside)."""
        return mask_png(self.decode())


class PngMask(KlingModel):
    """A mask as a Base64 PNG."""

    size: list[int] = list_field()
    base64: str = ""

    def to_png(self) -> bytes:
        """The PNG's bytes."""
        return base64.b64decode(self.base64)


class MaskedObject(KlingModel):
    """One object selected on a frame, and its mask."""

    object_id: int | None = None
    rle_mask: RleMask | None = None
    png_mask: PngMask | None = None


class SelectionMasks(KlingModel):
    """The masks of one frame after a selection changed."""

    frame_index: int | None = None
    rle_mask_list: Annotated[list[MaskedObject], BeforeValidator(none_to_empty_list)] = list_field()


class SelectionResult(SelectionAnswer):
    """``add-selection`` and ``delete-selection``: the frame's masks (``res``)."""

    res: Annotated[SelectionMasks, BeforeValidator(none_to_empty_dict)] = empty_when_missing()

    @property
    def masks(self) -> list[MaskedObject]:
        """The objects selected on the frame, each with its mask."""
        return self.res.rle_mask_list


class SelectionPreviewFiles(KlingModel):
    video: str | None = None
    """The video with the selections masked."""
    video_cover: str | None = None
    tracking_output: str | None = None
    """Each frame's mask, as Kling tracked the selections through the video."""


class SelectionPreview(SelectionAnswer):
    """``preview-selection``: URLs of the masked video, its cover and the tracking output."""

    res: Annotated[SelectionPreviewFiles, BeforeValidator(none_to_empty_dict)] = (
        empty_when_missing()
    )

    @property
    def video(self) -> str | None:
        return self.res.video

    @property
    def video_cover(self) -> str | None:
        return self.res.video_cover

    @property
    def tracking_output(self) -> str | None:
        return self.res.tracking_output
