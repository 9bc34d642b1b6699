"""New-standard task records: created ones, and legacy ones seen through ``/tasks``, in the
shape Kling's callback protocol gives: https://github.com/aself101/kling-api/blob/main/docs/api/kling-get-started-callbacks.md

A :class:`StandardTask` lives in the same store as legacy tasks and goes through the same
lifecycle (the store keeps the legacy ``succeed`` internally); only its views differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Literal

from .._families import Family
from .._task import FakeTask, Standard, TaskStatus
from .models import PRODUCTS

StandardStatus = Literal["submitted", "processing", "succeeded", "failed"]

_STATUS: dict[TaskStatus, StandardStatus] = {
    "submitted": "submitted",
    "processing": "processing",
    "succeed": "succeeded",
    "failed": "failed",
}

PRODUCT_FAMILIES: dict[str, Family] = {
    product: Family(product, f"/{product}", (), "videos") for product in PRODUCTS
}
"""One stand-in family per product: never routed, it only keeps legacy lookups from matching."""

_OUTPUT_EXTRA = ".041"
"""Live outputs run one frame (at 24 fps) past the request: 3 s -> "3.041", 5 s -> "5.041"."""


def amount_text(amount: Decimal) -> str:
    """A decimal string without exponent or trailing zeros, as Kling writes ``amount``."""
    return format(amount.normalize(), "f")


def standard_status(status: TaskStatus) -> StandardStatus:
    """The new-standard spelling of a task status (``succeed`` -> ``succeeded``)."""
    return _STATUS[status]


@dataclass(eq=False)
class StandardTask(FakeTask):
    """A task created through a new-standard route (``POST /<product>/<model>``)."""

    standard: ClassVar[Standard] = "new"
    product: str = ""
    """``text-to-video``, ``image-to-video``, ``omni-video`` or ``motion-control``."""
    model: str = ""
    """The path id it was created with (``kling-3.0``; an alias stays as sent)."""
    settings: dict[str, Any] = field(default_factory=dict)
    """The settings it renders with: what was sent, defaults filled in, unknown keys dropped."""
    duration: int = 5
    """Seconds of video requested (motion control: the fake's stand-in length)."""
    rate: Decimal = Decimal(0)
    """Units per second, from the model's price row."""

    @property
    def options(self) -> dict[str, Any]:
        """The ``options`` object sent (``{}`` when absent)."""
        value = self.body.get("options")
        return value if isinstance(value, dict) else {}

    @property
    def contents(self) -> list[dict[str, Any]]:
        """The ``contents`` sent (empty for text-to-video)."""
        value = self.body.get("contents")
        return value if isinstance(value, list) else []

    @property
    def external_task_id(self) -> str | None:
        """``options.external_task_id``, if one was sent."""
        value = self.options.get("external_task_id")
        return value if isinstance(value, str) and value else None

    @property
    def callback_url(self) -> str | None:
        """``options.callback_url`` (a top-level ``callback_url`` is ignored, as on Kling)."""
        value = self.options.get("callback_url")
        return value if isinstance(value, str) and value else None

    @property
    def status(self) -> StandardStatus:
        """The status as the new standard spells it."""
        return standard_status(self.task_status)

    @property
    def watermarked(self) -> bool:
        """``options.watermark_info.enabled`` was true."""
        watermark = self.options.get("watermark_info")
        return isinstance(watermark, dict) and watermark.get("enabled") is True

    @property
    def amount(self) -> str:
        """Units billed once finished: rate x duration, ``"0"`` for a failed task."""
        return amount_text(self.rate * self.duration) if self.task_status == "succeed" else "0"

    def _head(self) -> dict[str, Any]:
        head: dict[str, Any] = {
            "id": self.task_id,
            "status": self.status,
            "message": self.task_status_msg,
            "create_time": self.created_at,
            "update_time": self.updated_at,
        }
        if self.external_task_id:
            head["external_id"] = self.external_task_id
        return head

    def create_view(self) -> dict[str, Any]:
        """The ``data`` of the create response."""
        return {**self._head(), "status": "submitted", "update_time": self.created_at}

    def view(self) -> dict[str, Any]:
        """The task record, as ``/tasks`` and callbacks carry it now."""
        record = self._head()
        outputs: list[dict[str, Any]] = []
        if self.task_status == "succeed":
            video: dict[str, Any] = {
                "type": "video",
                "id": self.result_ids[0],
                "url": f"{self.base_url}files/{self.task_id}-0.mp4",
                "duration": f"{self.duration}{_OUTPUT_EXTRA}",
            }
            if self.watermarked:
                video["watermark_url"] = f"{self.base_url}files/{self.task_id}-0-watermark.mp4"
            outputs.append(video)
        record["outputs"] = outputs
        # The console's sample of an unfinished task has no billing: it lands on completion.
        if self.is_finished:
            record["billing"] = [
                {"charge_type": "unit", "amount": self.amount, "package_type": "video"}
            ]
        return record
