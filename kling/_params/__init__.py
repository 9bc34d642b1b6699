"""Create parameters of every task family: TypedDicts for typing, one validator for all.

``prepare_body(family, params)`` checks keyword arguments against the family's TypedDict (types,
known values, limits, unknown keys) and cross-field rules, converts media inputs, and returns the
JSON body. Which TypedDict and rules a family has is its row in ``kling._families``.
"""

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
from ._validate import prepare_body
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
    "AudioInput",
    "AvatarParams",
    "CallbackOptions",
    "CameraConfig",
    "CameraControl",
    "DynamicMask",
    "ElementCreateParams",
    "ElementImageList",
    "ElementListItem",
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
    "LipSyncParams",
    "MotionControlParams",
    "MultiImageToImageParams",
    "MultiImageToVideoParams",
    "MultiPromptItem",
    "OmniImageParams",
    "OmniVideoImageItem",
    "OmniVideoParams",
    "ReferImage",
    "ReferVideo",
    "SubjectImageItem",
    "TaskOptions",
    "TextToAudioParams",
    "TextToVideoParams",
    "TrajectoryPoint",
    "TtsParams",
    "VideoEffectsParams",
    "VideoExtendParams",
    "VideoListItem",
    "VideoToAudioParams",
    "VirtualTryOnParams",
    "VoiceCreateParams",
    "VoiceListItem",
    "WatermarkInfo",
    "prepare_body",
]
