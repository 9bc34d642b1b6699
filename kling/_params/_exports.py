"""Where each name ``kling._params`` exports lives, and the one lookup that imports it.

A leaf module: the endpoint table's rows (``kling._rows``) name their TypedDicts, and find them
here without importing the package's validation, which reads the rows.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["MODULES", "find"]

#: Each exported name -> the module of ``kling._params`` that defines it.
MODULES: dict[str, str] = {
    "AdvancedLipSyncParams": "_lip_sync",
    "AiMultiShotParams": "_general",
    "AudioInput": "_common",
    "AvatarParams": "_video",
    "CallbackOptions": "_common",
    "CameraConfig": "_video",
    "CameraControl": "_video",
    "CustomElementCreateParams": "_general",
    "DynamicMask": "_video",
    "EditMode": "_multi_elements",
    "ElementCreateParams": "_general",
    "ElementImageList": "_general",
    "ElementListItem": "_common",
    "ElementRef": "_standard",
    "ElementTag": "_general",
    "ElementVideoList": "_general",
    "FaceChoose": "_lip_sync",
    "IdentifyFaceParams": "_lip_sync",
    "ImageExpandParams": "_image",
    "ImageGenerationParams": "_image",
    "ImageInput": "_common",
    "ImageListItem": "_common",
    "ImageRecognizeParams": "_image",
    "ImageToVideoParams": "_video",
    "ImageToVideoV2Model": "_standard",
    "ImageToVideoV2Params": "_standard",
    "InitSelectionParams": "_multi_elements",
    "LipSyncParams": "_lip_sync",
    "MediaRef": "_standard",
    "MotionControlParams": "_video",
    "MotionControlV2Model": "_standard",
    "MotionControlV2Params": "_standard",
    "MultiElementsParams": "_multi_elements",
    "MultiImageToImageParams": "_image",
    "MultiImageToVideoParams": "_video",
    "MultiPromptItem": "_video",
    "OmniImageParams": "_image",
    "OmniVideoImageItem": "_video",
    "OmniVideoParams": "_video",
    "OmniVideoV2Model": "_standard",
    "OmniVideoV2Params": "_standard",
    "Point": "_multi_elements",
    "ReferImage": "_general",
    "ReferVideo": "_general",
    "SubjectImageItem": "_image",
    "TaskOptions": "_common",
    "TextToAudioParams": "_audio",
    "TextToVideoParams": "_video",
    "TextToVideoV2Model": "_standard",
    "TextToVideoV2Params": "_standard",
    "TrajectoryPoint": "_video",
    "TtsParams": "_audio",
    "VideoEffectsParams": "_video",
    "VideoExtendParams": "_video",
    "VideoListItem": "_video",
    "VideoToAudioParams": "_audio",
    "VirtualTryOnParams": "_image",
    "VoiceCreateParams": "_general",
    "VoiceListItem": "_common",
    "VoiceRef": "_standard",
    "WatermarkInfo": "_common",
    "json_schema": "_validate",
    "prepare_body": "_validate",
}


def find(name: str) -> Any:
    """What ``name`` is in ``kling._params``, its module imported on first use."""
    return getattr(import_module(f"{__package__}.{MODULES[name]}"), name)
