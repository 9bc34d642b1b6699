"""``AsyncV2Task``: a new-standard task bound to the client that fetched it.

Apart from ``AsyncTask`` (``_task``), whose result files it downloads the same way, so that a
legacy create never makes the new standard's classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import PrivateAttr

from .._models_v2 import V2TaskBase
from ._task import AsyncResultFiles

if TYPE_CHECKING:
    from .._quote import Quote
    from ._client import AsyncKlingClient

__all__ = ["AsyncV2Task"]


class AsyncV2Task(AsyncResultFiles, V2TaskBase):
    """A new-standard Kling task bound to the client that fetched it.

    ``await task.download("out/")`` saves every result file of a finished task.
    """

    _client: AsyncKlingClient | None = PrivateAttr(default=None)
    #: Its ``STATE_FIELDS`` as a poll read them (None: not built by a poll).
    _state: tuple[Any, ...] | None = PrivateAttr(default=None)
    #: What its create cost by the price table, when this client created it (compared with
    #: Kling's charge when a wait sees it finish: ``kling._charges``).
    _quote: Quote | None = PrivateAttr(default=None)
    #: Its kind, when this client created it: ``(row, model, mode or resolution, duration)``,
    #: which Kling's list items do not echo (``kling._eta``).
    _kind: tuple[str, ...] | None = PrivateAttr(default=None)
    #: The record of its task span, when this client created it and traces (``kling._otel``).
    _trace: Any = PrivateAttr(default=None)

    def __getstate__(self) -> dict[Any, Any]:
        return self._unbound_state(super().__getstate__())
