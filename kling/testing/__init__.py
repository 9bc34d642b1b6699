"""FakeKling: an in-package fake of the Kling HTTP API, for tests and demos (``kling[testing]``).

In-process, through httpx's ASGI transport::

    from kling.testing import FakeKling

    fake = FakeKling()
    transport = httpx.ASGITransport(app=fake)

New-standard (API 2.0) routes answer beside the legacy ones; ``MODELS`` lists the models
they accept, with what each takes. ``LEGACY_MODELS`` is the same for the legacy routes
(``LEGACY_MODELS["text_to_video"]["kling-v3"].durations``).

Over a real socket::

    with FakeKling.serve() as server:
        client = KlingClient(server.access_key, server.secret_key, base_url=server.url)

Names are imported lazily, so ``import kling.testing`` (and the pytest plugin) stays cheap and
works without starlette installed until a fake is actually built.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._app import (
        DEFAULT_ACCESS_KEY,
        DEFAULT_API_KEY,
        DEFAULT_MAX_BODY_SIZE,
        DEFAULT_SECRET_KEY,
        FakeKling,
        FakeKlingOptions,
        FakeKlingServer,
    )
    from ._asgi import SimulatedDisconnect
    from ._auth import AuthKind
    from ._callbacks import sign_webhook
    from ._families import FAMILIES, Family
    from ._faults import Fault, FaultKind, FaultPlan
    from ._recorded import CallbackDelivery, ReceivedCallback, RecordedRequest
    from ._run import run
    from ._state import Timing
    from ._task import FakeTask, TaskStatus
    from .legacy.models import LEGACY_DEFAULT_MODELS, LEGACY_MODELS, LegacyModel
    from .standard.models import MODELS, StandardModel
    from .standard.records import StandardTask

_EXPORTS = {
    "DEFAULT_ACCESS_KEY": "_app",
    "DEFAULT_API_KEY": "_app",
    "DEFAULT_MAX_BODY_SIZE": "_app",
    "DEFAULT_SECRET_KEY": "_app",
    "FakeKling": "_app",
    "FakeKlingOptions": "_app",
    "SimulatedDisconnect": "_asgi",
    "AuthKind": "_auth",
    "sign_webhook": "_callbacks",
    "FAMILIES": "_families",
    "Family": "_families",
    "LEGACY_DEFAULT_MODELS": "legacy.models",
    "LEGACY_MODELS": "legacy.models",
    "LegacyModel": "legacy.models",
    "Fault": "_faults",
    "FaultKind": "_faults",
    "FaultPlan": "_faults",
    "CallbackDelivery": "_recorded",
    "ReceivedCallback": "_recorded",
    "RecordedRequest": "_recorded",
    "FakeKlingServer": "_app",
    "run": "_run",
    "MODELS": "standard.models",
    "StandardModel": "standard.models",
    "StandardTask": "standard.records",
    "FakeTask": "_task",
    "TaskStatus": "_task",
    "Timing": "_state",
}

__all__ = [
    "DEFAULT_ACCESS_KEY",
    "DEFAULT_API_KEY",
    "DEFAULT_MAX_BODY_SIZE",
    "DEFAULT_SECRET_KEY",
    "FAMILIES",
    "LEGACY_DEFAULT_MODELS",
    "LEGACY_MODELS",
    "MODELS",
    "AuthKind",
    "CallbackDelivery",
    "FakeKling",
    "FakeKlingOptions",
    "FakeKlingServer",
    "FakeTask",
    "Family",
    "Fault",
    "FaultKind",
    "FaultPlan",
    "LegacyModel",
    "ReceivedCallback",
    "RecordedRequest",
    "SimulatedDisconnect",
    "StandardModel",
    "StandardTask",
    "TaskStatus",
    "Timing",
    "run",
    "sign_webhook",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # cache: later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
