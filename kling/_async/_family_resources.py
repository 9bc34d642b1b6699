"""One typed resource per task family: the signatures of ``create`` and ``create_and_wait``.

Each class only names its family and declares its keyword arguments (the family's TypedDict),
so that editors and mypy check them; all behaviour lives in ``AsyncTaskResource``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from typing_extensions import Unpack

from .._families import FAMILIES
from .._params import (
    AdvancedLipSyncParams,
    AvatarParams,
    ElementCreateParams,
    ImageExpandParams,
    ImageGenerationParams,
    ImageToVideoParams,
    LipSyncParams,
    MotionControlParams,
    MultiImageToImageParams,
    MultiImageToVideoParams,
    OmniImageParams,
    OmniVideoParams,
    TextToAudioParams,
    TextToVideoParams,
    VideoEffectsParams,
    VideoExtendParams,
    VideoToAudioParams,
    VirtualTryOnParams,
    VoiceCreateParams,
)
from .._polling import DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT
from ._resources import AsyncLibraryResource, AsyncTaskResource
from ._task import AsyncTask
from ._waiting import ProgressCallback

__all__ = [
    "AsyncAdvancedLipSync",
    "AsyncAvatar",
    "AsyncElements",
    "AsyncImageExpand",
    "AsyncImageToVideo",
    "AsyncImages",
    "AsyncLipSync",
    "AsyncMotionControl",
    "AsyncMultiImageToImage",
    "AsyncMultiImageToVideo",
    "AsyncOmniImage",
    "AsyncOmniVideo",
    "AsyncTextToAudio",
    "AsyncTextToVideo",
    "AsyncVideoEffects",
    "AsyncVideoExtend",
    "AsyncVideoToAudio",
    "AsyncVirtualTryOn",
    "AsyncVoices",
]


class AsyncTextToVideo(AsyncTaskResource):
    """Text-to-video: ``POST /v1/videos/text2video``."""

    family = FAMILIES["text_to_video"]

    async def create(
        self, *, extra_body: Mapping[str, Any] | None = None, **params: Unpack[TextToVideoParams]
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[TextToVideoParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncImageToVideo(AsyncTaskResource):
    """Image-to-video: ``POST /v1/videos/image2video``."""

    family = FAMILIES["image_to_video"]

    async def create(
        self, *, extra_body: Mapping[str, Any] | None = None, **params: Unpack[ImageToVideoParams]
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[ImageToVideoParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncMultiImageToVideo(AsyncTaskResource):
    """Video from up to four reference images: ``POST /v1/videos/multi-image2video``."""

    family = FAMILIES["multi_image_to_video"]

    async def create(
        self,
        *,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[MultiImageToVideoParams],
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[MultiImageToVideoParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncVideoExtend(AsyncTaskResource):
    """Extend a generated video by 4-5 s: ``POST /v1/videos/video-extend``."""

    family = FAMILIES["video_extend"]

    async def create(
        self, *, extra_body: Mapping[str, Any] | None = None, **params: Unpack[VideoExtendParams]
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[VideoExtendParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncLipSync(AsyncTaskResource):
    """Lip-sync a video to text or audio: ``POST /v1/videos/lip-sync``."""

    family = FAMILIES["lip_sync"]

    async def create(
        self, *, extra_body: Mapping[str, Any] | None = None, **params: Unpack[LipSyncParams]
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[LipSyncParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncAdvancedLipSync(AsyncTaskResource):
    """Lip-sync chosen faces (after ``identify_face``): ``POST /v1/videos/advanced-lip-sync``."""

    family = FAMILIES["advanced_lip_sync"]

    async def create(
        self,
        *,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[AdvancedLipSyncParams],
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[AdvancedLipSyncParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncVideoEffects(AsyncTaskResource):
    """Template effects on one or two images: ``POST /v1/videos/effects``."""

    family = FAMILIES["video_effects"]

    async def create(
        self, *, extra_body: Mapping[str, Any] | None = None, **params: Unpack[VideoEffectsParams]
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[VideoEffectsParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncAvatar(AsyncTaskResource):
    """Talking avatar from an image and audio: ``POST /v1/videos/avatar/image2video``."""

    family = FAMILIES["avatar"]

    async def create(
        self, *, extra_body: Mapping[str, Any] | None = None, **params: Unpack[AvatarParams]
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[AvatarParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncMotionControl(AsyncTaskResource):
    """Transfer motion from a video to an image: ``POST /v1/videos/motion-control``."""

    family = FAMILIES["motion_control"]

    async def create(
        self, *, extra_body: Mapping[str, Any] | None = None, **params: Unpack[MotionControlParams]
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[MotionControlParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncOmniVideo(AsyncTaskResource):
    """Omni video (images, elements, video references): ``POST /v1/videos/omni-video``."""

    family = FAMILIES["omni_video"]

    async def create(
        self, *, extra_body: Mapping[str, Any] | None = None, **params: Unpack[OmniVideoParams]
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[OmniVideoParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncImages(AsyncTaskResource):
    """Image generation: ``POST /v1/images/generations``."""

    family = FAMILIES["images"]

    async def create(
        self,
        *,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[ImageGenerationParams],
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[ImageGenerationParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncOmniImage(AsyncTaskResource):
    """Omni image: ``POST /v1/images/omni-image``."""

    family = FAMILIES["omni_image"]

    async def create(
        self, *, extra_body: Mapping[str, Any] | None = None, **params: Unpack[OmniImageParams]
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[OmniImageParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncMultiImageToImage(AsyncTaskResource):
    """Image from subject, scene and style images: ``POST /v1/images/multi-image2image``."""

    family = FAMILIES["multi_image_to_image"]

    async def create(
        self,
        *,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[MultiImageToImageParams],
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[MultiImageToImageParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncImageExpand(AsyncTaskResource):
    """Outpainting: ``POST /v1/images/editing/expand``."""

    family = FAMILIES["image_expand"]

    async def create(
        self, *, extra_body: Mapping[str, Any] | None = None, **params: Unpack[ImageExpandParams]
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[ImageExpandParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncVirtualTryOn(AsyncTaskResource):
    """Virtual try-on: ``POST /v1/images/kolors-virtual-try-on``."""

    family = FAMILIES["virtual_try_on"]

    async def create(
        self, *, extra_body: Mapping[str, Any] | None = None, **params: Unpack[VirtualTryOnParams]
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[VirtualTryOnParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncTextToAudio(AsyncTaskResource):
    """Sound effects from text: ``POST /v1/audio/text-to-audio``."""

    family = FAMILIES["text_to_audio"]

    async def create(
        self, *, extra_body: Mapping[str, Any] | None = None, **params: Unpack[TextToAudioParams]
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[TextToAudioParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncVideoToAudio(AsyncTaskResource):
    """Sound for a video: ``POST /v1/audio/video-to-audio``."""

    family = FAMILIES["video_to_audio"]

    async def create(
        self, *, extra_body: Mapping[str, Any] | None = None, **params: Unpack[VideoToAudioParams]
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[VideoToAudioParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncElements(AsyncLibraryResource):
    """Custom elements (reusable subjects): ``/v1/general/advanced-custom-elements``."""

    family = FAMILIES["elements"]

    async def create(
        self, *, extra_body: Mapping[str, Any] | None = None, **params: Unpack[ElementCreateParams]
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[ElementCreateParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )


class AsyncVoices(AsyncLibraryResource):
    """Custom voices: ``/v1/general/custom-voices``."""

    family = FAMILIES["voices"]

    async def create(
        self, *, extra_body: Mapping[str, Any] | None = None, **params: Unpack[VoiceCreateParams]
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[VoiceCreateParams],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )
