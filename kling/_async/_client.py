"""``AsyncKlingClient``: owns the ``httpx.AsyncClient`` and the one request pipeline.

Every API call goes through :meth:`AsyncKlingClient._request`: build, authenticate, send,
classify, retry, unwrap the envelope. Resources describe endpoints and never send by themselves.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx
from tenacity import AsyncRetrying
from typing_extensions import Unpack

from kling import _compat_async as _compat

from .._auth import KlingAuth
from .._config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    AuthMode,
    ClientConfig,
    TimeoutTypes,
    clean_headers,
)
from .._errors import APIConnectionError, APITimeoutError, KlingError, error_from_response
from .._files import reads_files
from .._logging import logger, redact_headers, setup_logging
from .._params import prepare_body
from .._retry import is_retryable, retry_kwargs
from .._version import __version__
from ._task import AsyncTask

if TYPE_CHECKING:
    from typing_extensions import Self

    from .._models import FaceIdentification, ImageRecognition
    from .._params import IdentifyFaceParams, ImageRecognizeParams
    from ._download import ProgressHook
    from ._endpoints import AsyncAccount, AsyncTTS
    from ._family_resources import (
        AsyncAdvancedLipSync,
        AsyncAvatar,
        AsyncElements,
        AsyncImageExpand,
        AsyncImages,
        AsyncImageToVideo,
        AsyncLipSync,
        AsyncMotionControl,
        AsyncMultiImageToImage,
        AsyncMultiImageToVideo,
        AsyncOmniImage,
        AsyncOmniVideo,
        AsyncTextToAudio,
        AsyncTextToVideo,
        AsyncVideoEffects,
        AsyncVideoExtend,
        AsyncVideoToAudio,
        AsyncVirtualTryOn,
        AsyncVoices,
    )
    from ._task import AsyncTask

__all__ = ["AsyncKlingClient"]

_USER_AGENT = f"kling-python/{__version__}"
_DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)


class _NotGiven:
    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Any = _NotGiven()


class AsyncKlingClient:
    """Async client for the Kling AI API.

    Credentials come from the arguments, else from ``KLING_ACCESS_KEY``/``KLING_SECRET_KEY``
    (or ``KLING_API_KEY``); ``base_url`` from ``KLING_BASE_URL``, else the global endpoint.
    Create one client and share it; close it (or use ``async with``) when done::

        async with AsyncKlingClient() as client:
            task = await client.text_to_video.create_and_wait(prompt="a corgi surfing at sunset")
            print(task.videos[0].url)
    """

    def __init__(
        self,
        access_key: str | None = None,
        secret_key: str | None = None,
        base_url: str | None = None,
        *,
        api_key: str | None = None,
        auth: AuthMode = "both",
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        default_headers: dict[str, str] | None = None,
    ) -> None:
        config = ClientConfig.resolve(
            access_key=access_key,
            secret_key=secret_key,
            base_url=base_url,
            api_key=api_key,
            auth=auth,
            timeout=timeout,
            max_retries=max_retries,
        )
        self._setup(config, KlingAuth(config), http_client, default_headers)

    def _setup(
        self,
        config: ClientConfig,
        auth: KlingAuth,
        http_client: httpx.AsyncClient | None,
        default_headers: dict[str, str] | None,
    ) -> None:
        setup_logging()
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError(
                f"http_client must be an httpx.AsyncClient, got {type(http_client).__name__}"
            )
        self._config = config
        self._auth = auth
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(limits=_DEFAULT_LIMITS)
        self._default_headers = {"User-Agent": _USER_AGENT, **clean_headers(default_headers)}

    # -- configuration ----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._config.base_url

    @property
    def max_retries(self) -> int:
        return self._config.max_retries

    @property
    def timeout(self) -> TimeoutTypes:
        return self._config.timeout

    def with_options(
        self,
        *,
        access_key: str | None = None,
        secret_key: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        auth: AuthMode | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: dict[str, str] | None = None,
    ) -> Self:
        """A copy with some settings changed that shares this client's connection pool.

        ``client.with_options(max_retries=0).text_to_video.get(task_id)``. Closing the copy
        leaves the pool open; close the original when done.
        """
        old = self._config
        new_keys = access_key is not None or secret_key is not None or api_key is not None
        config = ClientConfig.resolve(
            access_key=access_key if new_keys else old.access_key,
            secret_key=secret_key
            if new_keys
            else (old.secret_key.get() if old.secret_key else None),
            api_key=api_key if new_keys else (old.api_key.get() if old.api_key else None),
            base_url=base_url or old.base_url,
            auth=auth or old.auth,
            timeout=old.timeout if timeout is NOT_GIVEN else timeout,
            max_retries=old.max_retries if max_retries is None else max_retries,
        )
        same_auth = not new_keys and config.auth == old.auth
        clone = object.__new__(type(self))
        clone._setup(
            config,
            self._auth if same_auth else KlingAuth(config),
            self._http,
            {**self._default_headers, **(default_headers or {})},
        )
        clone._owns_http = False
        return clone

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._config.describe()})"

    # -- lifecycle --------------------------------------------------------------------------------

    async def close(self) -> None:
        """Close the connection pool, unless it was passed in as ``http_client``."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- resources (imported on first use to keep ``import kling`` cheap) -------------------------

    @cached_property
    def text_to_video(self) -> AsyncTextToVideo:
        """Text-to-video tasks."""
        from ._family_resources import AsyncTextToVideo

        return AsyncTextToVideo(self)

    @cached_property
    def image_to_video(self) -> AsyncImageToVideo:
        """Image-to-video tasks."""
        from ._family_resources import AsyncImageToVideo

        return AsyncImageToVideo(self)

    @cached_property
    def multi_image_to_video(self) -> AsyncMultiImageToVideo:
        """Video from several reference images."""
        from ._family_resources import AsyncMultiImageToVideo

        return AsyncMultiImageToVideo(self)

    @cached_property
    def video_extend(self) -> AsyncVideoExtend:
        """Video extension tasks."""
        from ._family_resources import AsyncVideoExtend

        return AsyncVideoExtend(self)

    @cached_property
    def lip_sync(self) -> AsyncLipSync:
        """Lip-sync tasks."""
        from ._family_resources import AsyncLipSync

        return AsyncLipSync(self)

    @cached_property
    def advanced_lip_sync(self) -> AsyncAdvancedLipSync:
        """Advanced lip-sync tasks (see ``identify_face``)."""
        from ._family_resources import AsyncAdvancedLipSync

        return AsyncAdvancedLipSync(self)

    @cached_property
    def video_effects(self) -> AsyncVideoEffects:
        """Video effect templates."""
        from ._family_resources import AsyncVideoEffects

        return AsyncVideoEffects(self)

    @cached_property
    def avatar(self) -> AsyncAvatar:
        """Talking-avatar tasks."""
        from ._family_resources import AsyncAvatar

        return AsyncAvatar(self)

    @cached_property
    def motion_control(self) -> AsyncMotionControl:
        """Motion-control tasks."""
        from ._family_resources import AsyncMotionControl

        return AsyncMotionControl(self)

    @cached_property
    def omni_video(self) -> AsyncOmniVideo:
        """Omni video tasks."""
        from ._family_resources import AsyncOmniVideo

        return AsyncOmniVideo(self)

    @cached_property
    def images(self) -> AsyncImages:
        """Image generation tasks."""
        from ._family_resources import AsyncImages

        return AsyncImages(self)

    @cached_property
    def omni_image(self) -> AsyncOmniImage:
        """Omni image tasks."""
        from ._family_resources import AsyncOmniImage

        return AsyncOmniImage(self)

    @cached_property
    def multi_image_to_image(self) -> AsyncMultiImageToImage:
        """Image from subject, scene and style images."""
        from ._family_resources import AsyncMultiImageToImage

        return AsyncMultiImageToImage(self)

    @cached_property
    def image_expand(self) -> AsyncImageExpand:
        """Image expansion (outpainting) tasks."""
        from ._family_resources import AsyncImageExpand

        return AsyncImageExpand(self)

    @cached_property
    def virtual_try_on(self) -> AsyncVirtualTryOn:
        """Virtual try-on tasks."""
        from ._family_resources import AsyncVirtualTryOn

        return AsyncVirtualTryOn(self)

    @cached_property
    def text_to_audio(self) -> AsyncTextToAudio:
        """Sound effects from text."""
        from ._family_resources import AsyncTextToAudio

        return AsyncTextToAudio(self)

    @cached_property
    def video_to_audio(self) -> AsyncVideoToAudio:
        """Sound for a video."""
        from ._family_resources import AsyncVideoToAudio

        return AsyncVideoToAudio(self)

    @cached_property
    def elements(self) -> AsyncElements:
        """Your custom elements, and Kling's presets."""
        from ._family_resources import AsyncElements

        return AsyncElements(self)

    @cached_property
    def voices(self) -> AsyncVoices:
        """Your custom voices, and Kling's presets."""
        from ._family_resources import AsyncVoices

        return AsyncVoices(self)

    @cached_property
    def tts(self) -> AsyncTTS:
        """Text to speech (answers at once)."""
        from ._endpoints import AsyncTTS

        return AsyncTTS(self)

    @cached_property
    def account(self) -> AsyncAccount:
        """Account information: resource packs and their balances."""
        from ._endpoints import AsyncAccount

        return AsyncAccount(self)

    async def identify_face(self, **params: Unpack[IdentifyFaceParams]) -> FaceIdentification:
        """Find the faces in a video (``video_id`` or ``video_url``) for advanced lip-sync."""
        from .._models import FaceIdentification

        body = await self._prepare("identify_face", params)
        data = await self._request("POST", "/v1/videos/identify-face", body=body, is_create=True)
        return FaceIdentification.model_validate(data)

    async def image_recognize(self, **params: Unpack[ImageRecognizeParams]) -> ImageRecognition:
        """Segment an ``image`` into subject, head, face and clothing masks."""
        from .._models import ImageRecognition

        body = await self._prepare("image_recognize", params)
        data = await self._request("POST", "/v1/videos/image-recognize", body=body, is_create=True)
        return ImageRecognition.model_validate(data)

    async def download(
        self,
        url: str,
        path: str | os.PathLike[str] = ".",
        *,
        on_progress: ProgressHook | None = None,
    ) -> Path:
        """Download one result URL to ``path``: a file name, or a directory to keep the URL's.

        Streams to a temporary file renamed when complete, resumes a dropped connection, and
        checks the size against ``Content-Length``. No credentials are sent.
        """
        from ._download import check_url, download_url, resolve_target

        check_url(url)
        return await download_url(self, url, resolve_target(url, path), on_progress=on_progress)

    def _task(self, data: Any) -> AsyncTask:
        """A task model bound to this client (so ``task.download()`` works)."""
        task = AsyncTask.model_validate(data)
        task._client = self
        return task

    # -- the request pipeline ---------------------------------------------------------------------

    async def _prepare(
        self,
        name: str,
        params: Mapping[str, Any],
        extra_body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Validate ``params`` and build the JSON body; raises before anything is sent."""
        if reads_files(params):
            # Media files may be megabytes: read and encode them off the event loop.
            body = await _compat.run_blocking(prepare_body, name, params)
        else:
            body = prepare_body(name, params)
        if extra_body:
            body.update(extra_body)
        return body

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
        is_create: bool = False,
        retry_rate_limits: bool = True,
    ) -> Any:
        """Send one logical call with retries and return the envelope's ``data``.

        ``is_create`` marks a call that may start a paid task: it is repeated only when Kling
        said the task was not created (429 rate limits) or the request never left.
        """
        try:
            return await self._send(method, path, params, body)
        except KlingError as exc:
            if not is_retryable(exc, is_create=is_create, rate_limits=retry_rate_limits):
                raise
            first_failure = exc
        # Only a retryable failure pays for the retry machinery: the shared tenacity policy
        # replays the first failure as its attempt 1 and decides from there.
        retrying = AsyncRetrying(
            **retry_kwargs(
                max_retries=self._config.max_retries,
                is_create=is_create,
                rate_limits=retry_rate_limits,
                method=method,
                path=path,
                sleep=_compat.sleep,
            )
        )
        data: Any = None
        async for attempt in retrying:
            with attempt:
                if attempt.retry_state.attempt_number == 1:
                    raise first_failure
                data = await self._send(method, path, params, body)
        return data

    async def _send(
        self, method: str, path: str, params: dict[str, Any] | None, body: dict[str, Any] | None
    ) -> Any:
        request = self._http.build_request(
            method,
            self._config.base_url + path,
            params=params,
            json=body,
            headers=self._default_headers,
            timeout=self._config.timeout,
        )
        try:
            response = await self._http.send(request, auth=self._auth)
        except httpx.PoolTimeout as exc:
            raise APITimeoutError(
                f"{method} {path}: no free connection in the pool within the timeout; lower the "
                "concurrency (create_many(concurrency=...)) or pass http_client= with larger "
                "httpx.Limits(max_connections=...)",
                sent=False,
            ) from exc
        except httpx.TimeoutException as exc:
            # A connect timeout happens before a byte of the request is sent.
            sent = not isinstance(exc, httpx.ConnectTimeout)
            raise APITimeoutError(f"{method} {path} timed out ({exc})", sent=sent) from exc
        except httpx.TransportError as exc:
            sent = not isinstance(exc, httpx.ConnectError)
            raise APIConnectionError(
                f"{method} {path} failed: {type(exc).__name__}: {exc}", sent=sent
            ) from exc
        return _unwrap(response)


def _unwrap(response: httpx.Response) -> Any:
    """The envelope's ``data``, or the exception that the response means."""
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    if logger.isEnabledFor(logging.DEBUG):
        request = response.request
        logger.debug(
            "%s %s -> %d request_id=%s headers=%s",
            request.method,
            request.url.path,
            response.status_code,
            body.get("request_id") if isinstance(body, dict) else None,
            redact_headers(request.headers),
        )
    if response.status_code >= 400 or not isinstance(body, dict) or body.get("code", 0) != 0:
        raise error_from_response(response, body)
    return body.get("data")
