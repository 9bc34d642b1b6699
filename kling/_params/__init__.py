"""Create parameters of every task family: TypedDicts for typing, one validator for all.

``prepare_body(row, params)`` checks keyword arguments against the row's TypedDict (types,
known values, limits, unknown keys) and cross-field rules, converts media inputs, and returns the
JSON body. Which TypedDict and rules a family has is its row in ``kling._families``.

Each name is imported from its module on first use: a create imports its own family's module,
not every family's TypedDicts (a few ms of a process's first call).
"""

from typing import TYPE_CHECKING, Any

from ._exports import MODULES, find

if TYPE_CHECKING:
    from ._audio import TextToAudioParams, TtsParams, VideoToAudioParams
    from ._common import (
        AudioInput,
        CallbackOptions,
        ElementListItem,
        ImageInput,
        ImageListItem,
        TaskOptions,
        VoiceListItem,
        WatermarkInfo,
    )
    from ._general import (
        AiMultiShotParams,
        CustomElementCreateParams,
        ElementCreateParams,
        ElementImageList,
        ElementTag,
        ElementVideoList,
        ReferImage,
        ReferVideo,
        VoiceCreateParams,
    )
    from ._image import (
        ImageExpandParams,
        ImageGenerationParams,
        ImageRecognizeParams,
        MultiImageToImageParams,
        OmniImageParams,
        SubjectImageItem,
        VirtualTryOnParams,
    )
    from ._lip_sync import AdvancedLipSyncParams, FaceChoose, IdentifyFaceParams, LipSyncParams
    from ._multi_elements import EditMode, InitSelectionParams, MultiElementsParams, Point
    from ._standard import (
        ElementRef,
        ImageToVideoV2Model,
        ImageToVideoV2Params,
        MediaRef,
        MotionControlV2Model,
        MotionControlV2Params,
        OmniVideoV2Model,
        OmniVideoV2Params,
        TextToVideoV2Model,
        TextToVideoV2Params,
        VoiceRef,
    )
    from ._validate import json_schema, prepare_body
    from ._video import (
        AvatarParams,
        CameraConfig,
        CameraControl,
        DynamicMask,
        ImageToVideoParams,
        MotionControlParams,
        MultiImageToVideoParams,
        MultiPromptItem,
        OmniVideoImageItem,
        OmniVideoParams,
        TextToVideoParams,
        TrajectoryPoint,
        VideoEffectsParams,
        VideoExtendParams,
        VideoListItem,
    )

__all__ = [
    "AdvancedLipSyncParams",
    "AiMultiShotParams",
    "AudioInput",
    "AvatarParams",
    "CallbackOptions",
    "CameraConfig",
    "CameraControl",
    "CustomElementCreateParams",
    "DynamicMask",
    "EditMode",
    "ElementCreateParams",
    "ElementImageList",
    "ElementListItem",
    "ElementRef",
    "ElementTag",
    "ElementVideoList",
    "FaceChoose",
    "IdentifyFaceParams",
    "ImageExpandParams",
    "ImageGenerationParams",
    "ImageInput",
    "ImageListItem",
    "ImageRecognizeParams",
    "ImageToVideoParams",
    "ImageToVideoV2Model",
    "ImageToVideoV2Params",
    "InitSelectionParams",
    "LipSyncParams",
    "MediaRef",
    "MotionControlParams",
    "MotionControlV2Model",
    "MotionControlV2Params",
    "MultiElementsParams",
    "MultiImageToImageParams",
    "MultiImageToVideoParams",
    "MultiPromptItem",
    "OmniImageParams",
    "OmniVideoImageItem",
    "OmniVideoParams",
    "OmniVideoV2Model",
    "OmniVideoV2Params",
    "Point",
    "ReferImage",
    "ReferVideo",
    "SubjectImageItem",
    "TaskOptions",
    "TextToAudioParams",
    "TextToVideoParams",
    "TextToVideoV2Model",
    "TextToVideoV2Params",
    "TrajectoryPoint",
    "TtsParams",
    "VideoEffectsParams",
    "VideoExtendParams",
    "VideoListItem",
    "VideoToAudioParams",
    "VirtualTryOnParams",
    "VoiceCreateParams",
    "VoiceListItem",
    "VoiceRef",
    "WatermarkInfo",
    "json_schema",
    "prepare_body",
]


def __getattr__(name: str) -> Any:
    if name not in MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = find(name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
