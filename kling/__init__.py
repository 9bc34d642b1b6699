"""Python SDK for the Kling AI API.

>>> from kling import KlingClient
>>> client = KlingClient()  # reads KLING_ACCESS_KEY / KLING_SECRET_KEY
>>> task = client.text_to_video.create_and_wait(prompt="a corgi surfing at sunset")

The clients and models are imported on first use, so ``import kling`` stays cheap.
``kling.models()`` lists the models the SDK checks, what each serves and takes, and why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import (
    AccountError,
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BatchError,
    BudgetExceededError,
    ContentPolicyError,
    DownloadError,
    DuplicateTaskError,
    InvalidCredentialsError,
    InvalidParameterError,
    KlingAPIError,
    KlingError,
    MissingCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ServerUnreachableError,
    TaskFailedError,
    TaskNotFoundError,
    WaitTimeoutError,
)
from ._version import __version__

if TYPE_CHECKING:
    from ._archive import ArchivedFile, ArchiveProgress, ArchiveReport
    from ._async._client import AsyncKlingClient
    from ._async._multi_elements import AsyncEditingSession
    from ._async._task import AsyncTask
    from ._async._task_v2 import AsyncV2Task
    from ._budget import Budget
    from ._catalogue import ModelInfo, ModelUse, models
    from ._config import DEFAULT_BASE_URL
    from ._eta import Estimate
    from ._jobs import BatchProgress, BatchReport, Job, JobResult
    from ._models import (
        Audio,
        Element,
        Image,
        ParentVideo,
        TaskBase,
        TaskInfo,
        TaskResult,
        Video,
        Voice,
    )
    from ._models_endpoints import (
        BalanceDeduction,
        CostsResult,
        CustomElement,
        FaceData,
        FaceIdentification,
        ImageRecognition,
        RecognitionResult,
        RecognizedImage,
        ResourcePack,
        Speech,
        UnitDeduction,
    )
    from ._models_multi_elements import (
        MaskedObject,
        RleMask,
        SelectionInfo,
        SelectionPreview,
        SelectionResult,
    )
    from ._models_v2 import Billing, Output, V2TaskBase
    from ._prices import Price
    from ._quote import Quote
    from ._raw_response import RawResponse
    from ._sync._client import KlingClient
    from ._sync._multi_elements import EditingSession
    from ._sync._task import Task
    from ._sync._task_v2 import V2Task

__all__ = [
    "DEFAULT_BASE_URL",
    "APIConnectionError",
    "APITimeoutError",
    "AccountError",
    "ArchiveProgress",
    "ArchiveReport",
    "ArchivedFile",
    "AsyncEditingSession",
    "AsyncKlingClient",
    "AsyncTask",
    "AsyncV2Task",
    "Audio",
    "AuthenticationError",
    "BadRequestError",
    "BalanceDeduction",
    "BatchError",
    "BatchProgress",
    "BatchReport",
    "Billing",
    "Budget",
    "BudgetExceededError",
    "ContentPolicyError",
    "CostsResult",
    "CustomElement",
    "DownloadError",
    "DuplicateTaskError",
    "EditingSession",
    "Element",
    "Estimate",
    "FaceData",
    "FaceIdentification",
    "Image",
    "ImageRecognition",
    "InvalidCredentialsError",
    "InvalidParameterError",
    "Job",
    "JobResult",
    "KlingAPIError",
    "KlingClient",
    "KlingError",
    "MaskedObject",
    "MissingCredentialsError",
    "ModelInfo",
    "ModelUse",
    "NotFoundError",
    "Output",
    "ParentVideo",
    "PermissionDeniedError",
    "Price",
    "Quote",
    "RateLimitError",
    "RawResponse",
    "RecognitionResult",
    "RecognizedImage",
    "ResourcePack",
    "RleMask",
    "SelectionInfo",
    "SelectionPreview",
    "SelectionResult",
    "ServerError",
    "ServerUnreachableError",
    "Speech",
    "Task",
    "TaskBase",
    "TaskFailedError",
    "TaskInfo",
    "TaskNotFoundError",
    "TaskResult",
    "UnitDeduction",
    "V2Task",
    "V2TaskBase",
    "Video",
    "Voice",
    "WaitTimeoutError",
    "__version__",
    "models",
]

_LAZY = {
    "AsyncKlingClient": "kling._async._client",
    "KlingClient": "kling._sync._client",
    "DEFAULT_BASE_URL": "kling._config",
    "ArchiveProgress": "kling._archive",
    "ArchiveReport": "kling._archive",
    "ArchivedFile": "kling._archive",
    "BatchProgress": "kling._jobs",
    "BatchReport": "kling._jobs",
    "Job": "kling._jobs",
    "JobResult": "kling._jobs",
    "Audio": "kling._models",
    "Image": "kling._models",
    "Task": "kling._sync._task",
    "AsyncTask": "kling._async._task",
    "AsyncV2Task": "kling._async._task_v2",
    "V2Task": "kling._sync._task_v2",
    "V2TaskBase": "kling._models_v2",
    "Output": "kling._models_v2",
    "Billing": "kling._models_v2",
    "TaskBase": "kling._models",
    "TaskInfo": "kling._models",
    "TaskResult": "kling._models",
    "Video": "kling._models",
    "BalanceDeduction": "kling._models_endpoints",
    "CostsResult": "kling._models_endpoints",
    "CustomElement": "kling._models_endpoints",
    "UnitDeduction": "kling._models_endpoints",
    "Element": "kling._models",
    "FaceData": "kling._models_endpoints",
    "FaceIdentification": "kling._models_endpoints",
    "ImageRecognition": "kling._models_endpoints",
    "ParentVideo": "kling._models",
    "RecognitionResult": "kling._models_endpoints",
    "RecognizedImage": "kling._models_endpoints",
    "ResourcePack": "kling._models_endpoints",
    "Speech": "kling._models_endpoints",
    "Voice": "kling._models",
    "ModelInfo": "kling._catalogue",
    "ModelUse": "kling._catalogue",
    "models": "kling._catalogue",
    "Price": "kling._prices",
    "Quote": "kling._quote",
    "RawResponse": "kling._raw_response",
    "Estimate": "kling._eta",
    "Budget": "kling._budget",
    "AsyncEditingSession": "kling._async._multi_elements",
    "EditingSession": "kling._sync._multi_elements",
    "MaskedObject": "kling._models_multi_elements",
    "RleMask": "kling._models_multi_elements",
    "SelectionInfo": "kling._models_multi_elements",
    "SelectionPreview": "kling._models_multi_elements",
    "SelectionResult": "kling._models_multi_elements",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kling' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
