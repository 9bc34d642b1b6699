"""The new standard's task model (``/tasks``, the products' creates, their callbacks).

Apart from the legacy task models (``kling._models``), so that a legacy create never makes these
classes; the validators are built on first use, as there.
"""

from datetime import datetime
from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator

from ._models import (
    Audio,
    Image,
    KlingModel,
    Seconds,
    TaskShortcuts,
    Timestamp,
    Video,
    list_field,
    none_to_empty_list,
    units_of,
)

__all__ = ["Billing", "Output", "V2TaskBase"]


class Output(KlingModel):
    """One item of a new-standard task's ``outputs``; ``type`` says which fields are set.

    ``video``: ``id``, ``url``, ``watermark_url``, ``duration``; ``image``: ``url``,
    ``watermark_url``, ``group_id``; ``audio``: ``id``, ``mp3_url``, ``wav_url`` and their
    durations; ``voice`` and ``element``: ``id``, ``name``, ``owned_by``, ``status`` and more.
    """

    type: str = ""
    id: str | None = None
    url: str | None = None
    watermark_url: str | None = None
    duration: Seconds = None
    #: Set on the images of one group (Kling's type is not documented: kept as sent).
    group_id: int | str | None = None
    mp3_url: str | None = None
    wav_url: str | None = None
    mp3_duration: Seconds = None
    wav_duration: Seconds = None
    name: str | None = None
    owned_by: str | None = None
    status: str | None = None


class Billing(KlingModel):
    """One charge of a new-standard task: resource-pack ``unit``s or ``cash``."""

    charge_type: str | None = None
    amount: str | None = None
    """A decimal string: units, or the discounted price for cash."""
    package_type: str | None = None
    cash_type: str | None = None
    currency: str | None = None
    list_price: str | None = None


def _typed_outputs(value: Any) -> Any:
    # An output is an object with a string type; anything else is not one (and not an error,
    # so that one odd item never hides the task).
    if not isinstance(value, list):
        return [] if value is None else value
    return [item for item in value if isinstance(item, dict) and isinstance(item.get("type"), str)]


class V2TaskBase(TaskShortcuts, KlingModel):
    """A new-standard task as the API returns it (``/tasks``, creates, callbacks).

    The fields are Kling's (``id``, ``status``, ``outputs``, ``billing``...); the legacy names
    (``task_id``, ``task_status``, ``videos``, ``images``, ``audios``, ``is_succeeded``...)
    work too, so code that waits for or downloads a task never asks which standard made it.
    """

    ID_FIELD: ClassVar[str] = "id"
    STATE_FIELDS: ClassVar[tuple[str, ...]] = ("status", "message", "update_time", "billing")

    id: str
    status: str = "submitted"
    message: str | None = ""
    create_time: Timestamp = None
    update_time: Timestamp = None
    external_id: str | None = None
    outputs: Annotated[list[Output], BeforeValidator(_typed_outputs)] = list_field()
    billing: Annotated[list[Billing], BeforeValidator(none_to_empty_list)] = list_field()

    @property
    def task_id(self) -> str:
        """The task's id (``id``)."""
        return self.id

    @property
    def task_status(self) -> str:  # type: ignore[override]
        """``submitted``, ``processing``, ``succeeded`` or ``failed`` (``status``)."""
        return self.status

    @property
    def task_status_msg(self) -> str | None:
        """Why the task failed (``message``)."""
        return self.message

    @property
    def created_at(self) -> datetime | None:
        return self.create_time

    @property
    def updated_at(self) -> datetime | None:
        return self.update_time

    @property
    def external_task_id(self) -> str | None:
        """The caller's id for this task (``external_id``), if one was given."""
        return self.external_id

    def outputs_of(self, kind: str) -> list[Output]:
        """The outputs of one ``type`` (``"video"``, ``"image"``, ``"audio"``...)."""
        return [output for output in self.outputs if output.type == kind]

    @property
    def videos(self) -> list[Video]:
        return [
            Video(id=o.id, url=o.url, watermark_url=o.watermark_url, duration=o.duration)
            for o in self.outputs_of("video")
        ]

    @property
    def images(self) -> list[Image]:
        images = []
        for index, output in enumerate(self.outputs_of("image")):
            fields = {"index": index, "url": output.url, "watermark_url": output.watermark_url}
            if output.group_id is not None:
                fields["group_id"] = output.group_id  # kept as an extra field, as Kling sends it
            images.append(Image.model_validate(fields))
        return images

    @property
    def audios(self) -> list[Audio]:
        return [
            Audio(
                id=o.id,
                url_mp3=o.mp3_url,
                url_wav=o.wav_url,
                duration_mp3=o.mp3_duration,
                duration_wav=o.wav_duration,
            )
            for o in self.outputs_of("audio")
        ]

    @property
    def units_charged(self) -> float | None:
        """Resource-pack units the task cost (the ``unit`` entries of ``billing``)."""
        amounts = [units_of(b.amount) for b in self.billing if b.charge_type == "unit"]
        known = [amount for amount in amounts if amount is not None]
        return sum(known) if known else None
