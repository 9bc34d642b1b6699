"""Response models. They mirror the API's names, keep unknown fields and tolerate nulls.

Kling sends durations as strings (``"5.041"``), timestamps as Unix milliseconds and omits or
nulls optional objects freely; the validators below turn those into floats, aware datetimes and
empty defaults so user code never needs to guard against ``None`` lists.

Every model builds its validator when it is first used, not at import (``defer_build``): a
legacy create needs a few of them, and ``TaskBase`` itself is never built when only the clients'
bound subclasses are used. The new standard's task model is ``kling._models_v2``, and the results
of the endpoints that answer at once are ``kling._models_endpoints``: a legacy create makes
neither's classes. Annotations are evaluated as the classes are made (no ``from
__future__ import annotations``), so pydantic does not compile each one from a string.
"""

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

__all__ = [
    "FAILED_STATUSES",
    "SUCCEEDED_STATUSES",
    "TERMINAL_STATUSES",
    "Audio",
    "Element",
    "Image",
    "ParentVideo",
    "TaskBase",
    "TaskInfo",
    "TaskResult",
    "Video",
    "Voice",
    "WatermarkInfo",
    "ms_to_datetime",
]

#: ``succeed`` is the legacy spelling; ``succeeded`` the new standard's. Both mean done.
SUCCEEDED_STATUSES = frozenset({"succeed", "succeeded"})
FAILED_STATUSES = frozenset({"failed"})
TERMINAL_STATUSES = SUCCEEDED_STATUSES | FAILED_STATUSES


def ms_to_datetime(value: Any) -> Any:
    """Kling's milliseconds (an int, or digits) as an aware datetime; None for none."""
    if value in (None, "", 0):
        return None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value / 1000, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            # pydantic turns this into a ValidationError naming the field.
            raise ValueError(f"timestamp {value!r} ms is out of range") from None
    return value


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def none_to_empty_dict(value: Any) -> Any:
    return {} if value is None else value


def none_to_empty_list(value: Any) -> Any:
    return [] if value is None else value


Timestamp = Annotated[datetime | None, BeforeValidator(ms_to_datetime)]
Seconds = Annotated[float | None, BeforeValidator(_blank_to_none)]


class KlingModel(BaseModel):
    """Base of every response model: unknown fields are kept (``model_extra``), never an error."""

    model_config = ConfigDict(
        extra="allow", coerce_numbers_to_str=True, populate_by_name=True, defer_build=True
    )


class Video(KlingModel):
    """A generated video. ``duration`` is in seconds."""

    id: str | None = None
    url: str | None = None
    watermark_url: str | None = None
    duration: Seconds = None
    session_id: str | None = None


class Image(KlingModel):
    """A generated image; ``index`` is its 0-based position in the batch.

    An AI multi-shot candidate is a set of three views, ``url_1``..``url_3``, and no ``url``.
    """

    index: int | None = None
    url: str | None = None
    watermark_url: str | None = None
    url_1: str | None = None
    url_2: str | None = None
    url_3: str | None = None

    @property
    def urls(self) -> list[str]:
        """Every file of this image: ``url``, then ``url_1``..``url_3`` (those given)."""
        return [url for url in (self.url, self.url_1, self.url_2, self.url_3) if url]


class Audio(KlingModel):
    """Generated audio: ``url_mp3``/``url_wav`` for sound effects, ``url`` for TTS."""

    id: str | None = None
    url: str | None = None
    duration: Seconds = None
    url_mp3: str | None = None
    url_wav: str | None = None
    duration_mp3: Seconds = None
    duration_wav: Seconds = None


class Voice(KlingModel):
    """A custom or preset voice; ``owned_by == "kling"`` for presets."""

    voice_id: str | None = None
    voice_name: str | None = None
    trial_url: str | None = None
    owned_by: str | None = None


class Element(KlingModel):
    """A custom or preset element (a reusable subject)."""

    element_id: str | None = None
    element_name: str | None = None
    element_description: str | None = None
    owned_by: str | None = None


class ParentVideo(KlingModel):
    """The source video of a derived task (extension, video-to-audio, advanced lip-sync)."""

    id: str | None = None
    url: str | None = None
    duration: Seconds = None


class WatermarkInfo(KlingModel):
    """Whether a watermarked copy was requested."""

    enabled: bool | None = None


class TaskInfo(KlingModel):
    """Echoes of the request: the caller's ``external_task_id`` and any parent video."""

    external_task_id: str | None = None
    parent_video: ParentVideo | None = None


def _empty_list() -> list[Any]:
    # Not ``list``: pydantic reads a default factory's signature, and for a builtin that means
    # compiling the tokenizer's regular expressions (milliseconds, once per process).
    return []


def list_field() -> Any:
    return Field(default_factory=_empty_list)


def empty_when_missing() -> Any:
    """The default of a nested model field (annotated with ``none_to_empty_dict``) that Kling
    may omit: ``None``, validated into an empty model by the enclosing model's own validator.

    A ``default_factory`` of the nested class would build that class's validator too on first
    use (a second schema of the same models, ~1 ms at start-up) and run it for every omitted
    field; ``None`` is also never copied, as a mutable default would be.
    """
    return Field(default=None, validate_default=True)


class TaskResult(KlingModel):
    """What a finished task produced; every list is empty rather than missing."""

    videos: Annotated[list[Video], BeforeValidator(none_to_empty_list)] = list_field()
    images: Annotated[list[Image], BeforeValidator(none_to_empty_list)] = list_field()
    audios: Annotated[list[Audio], BeforeValidator(none_to_empty_list)] = list_field()
    voices: Annotated[list[Voice], BeforeValidator(none_to_empty_list)] = list_field()
    elements: Annotated[list[Element], BeforeValidator(none_to_empty_list)] = list_field()


class TaskShortcuts:
    """What both standards' tasks offer alike, from ``task_status`` and the result lists."""

    if TYPE_CHECKING:  # a field of TaskBase, a property of V2TaskBase: never a field here
        task_status: str

    @property
    def is_finished(self) -> bool:
        """True once the task succeeded or failed."""
        return self.task_status in TERMINAL_STATUSES

    @property
    def is_succeeded(self) -> bool:
        return self.task_status in SUCCEEDED_STATUSES

    @property
    def is_failed(self) -> bool:
        return self.task_status in FAILED_STATUSES


def units_of(amount: str | None) -> float | None:
    """Resource-pack units from Kling's decimal string; None when absent or not a number."""
    try:
        return float(amount) if amount not in (None, "") else None
    except ValueError:
        return None


class TaskBase(TaskShortcuts, KlingModel):
    """A Kling task's data, as the API returns it (create, get, list, callbacks).

    The clients return subclasses bound to themselves (``Task``, ``AsyncTask``) that can also
    download their results; ``kling.webhooks.parse`` returns a plain ``TaskBase``.
    """

    #: The key of a raw task's id, and the fields that change as the task moves on: a polled
    #: item whose values of these are what they were holds nothing new.
    ID_FIELD: ClassVar[str] = "task_id"
    STATE_FIELDS: ClassVar[tuple[str, ...]] = (
        "task_status",
        "task_status_msg",
        "updated_at",
        "final_unit_deduction",
    )

    task_id: str
    task_status: str = "submitted"
    task_status_msg: str | None = ""
    task_info: Annotated[TaskInfo, BeforeValidator(none_to_empty_dict)] = empty_when_missing()
    task_result: Annotated[TaskResult, BeforeValidator(none_to_empty_dict)] = empty_when_missing()
    watermark_info: WatermarkInfo | None = None
    final_unit_deduction: str | None = None
    created_at: Timestamp = None
    updated_at: Timestamp = None

    @property
    def external_task_id(self) -> str | None:
        """The caller's id for this task, if one was given."""
        return self.task_info.external_task_id

    @property
    def videos(self) -> list[Video]:
        return self.task_result.videos

    @property
    def images(self) -> list[Image]:
        return self.task_result.images

    @property
    def audios(self) -> list[Audio]:
        return self.task_result.audios

    @property
    def units_charged(self) -> float | None:
        """Resource-pack units the task cost (``final_unit_deduction``), once Kling says."""
        return units_of(self.final_unit_deduction)
