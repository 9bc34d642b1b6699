"""Whether the clients trace, decided once; and what every caller uses when they do not.

With ``opentelemetry-api`` installed (``pip install 'kling[otel]'``), every request, logical
call, poll round and task becomes a span of the global tracer provider, with no code change by
the user (``kling._otel`` makes them). Without it nothing of OpenTelemetry is imported: the
decision is made at the first client construction, never at ``import kling``, and a request
then pays one attribute check (``client._tracer is None``). Installed, it is still not imported
by kling until the application has imported it: a tracer provider can only be set through
``opentelemetry.trace``, so until that module is loaded no span could be recorded, and a
service that has the package but does not trace pays nothing for it (its import takes about
13 ms).

Set ``OTEL_PYTHON_DISABLED_INSTRUMENTATIONS`` to a list holding ``kling`` to turn the spans off
with the package installed; ``KLING_OTEL_CAPTURE_PROMPTS=1`` adds each create's prompt to its
task span (prompts are user data: off by default).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from types import TracebackType

    from ._otel import Tracing
    from ._rows import TaskRow

__all__ = ["NO_SPAN", "Deferred", "active", "create_and_wait", "download", "poll_round"]

_UNDECIDED: Any = object()
_decision: Deferred | None = _UNDECIDED


def active() -> Deferred | None:
    """The process's tracing, or None when OpenTelemetry is absent or turned off for kling.

    Decided on the first call (a client's construction) and kept: a per-call check is then an
    attribute read.
    """
    global _decision
    if _decision is _UNDECIDED:
        _decision = _decide()
    return _decision


def _decide() -> Deferred | None:
    disabled = os.environ.get("OTEL_PYTHON_DISABLED_INSTRUMENTATIONS", "")
    if "kling" in (name.strip() for name in disabled.split(",")):
        return None
    try:
        # find_spec answers without importing anything.
        if importlib.util.find_spec("opentelemetry") is None:
            return None
    except (ImportError, ValueError):  # ValueError: a module without a spec in sys.modules
        return None
    capture = os.environ.get("KLING_OTEL_CAPTURE_PROMPTS", "").strip().lower()
    return Deferred(capture_prompts=capture in ("1", "true", "yes", "on"))


class Deferred:
    """The tracing of a process that has OpenTelemetry installed: ``kling._otel`` (and with it
    the API) is imported by the first request that finds the application has imported
    ``opentelemetry.trace``, or names its provider in the environment (which the API makes
    on first use). Every span method is called only after ``idle()`` said False."""

    __slots__ = ("_capture_prompts", "_from_env", "_tracing")

    def __init__(self, *, capture_prompts: bool) -> None:
        self._capture_prompts = capture_prompts
        self._from_env = "OTEL_PYTHON_TRACER_PROVIDER" in os.environ
        self._tracing: Tracing | None = None

    def idle(self) -> bool:
        """Whether nothing would record a span now (see ``kling._otel.Tracing.idle``)."""
        tracing = self._tracing
        if tracing is None:
            if "opentelemetry.trace" not in sys.modules and not self._from_env:
                return True
            from ._otel import Tracing

            tracing = self._tracing = Tracing(capture_prompts=self._capture_prompts)
        return tracing.idle()

    @property
    def tracing(self) -> Tracing:
        """The span maker (only once ``idle()`` has been False)."""
        assert self._tracing is not None, "idle() is asked first"
        return self._tracing


class _NoSpan:
    """What the tracing context managers are when nothing traces: they do nothing."""

    __slots__ = ()

    def __enter__(self) -> _NoSpan:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def status(self, code: int) -> None:
        """The response's status (downloads)."""


NO_SPAN = _NoSpan()


# The long operations below (waits, poll rounds, downloads) take seconds: a function call to
# learn that nothing traces costs nothing next to them.


def create_and_wait(
    tracer: Deferred | None, row: TaskRow, params: Mapping[str, Any]
) -> _NoSpan | Any:
    """The ``kling.task.create_and_wait`` span around one create and its wait."""
    if tracer is None or tracer.idle():
        return NO_SPAN
    return tracer.tracing.create_and_wait(row, params)


def poll_round(source: str, records: Iterable[Any]) -> _NoSpan | Any:
    """A ``kling.poll`` root span around one poll round, apart from whoever leads it, linked
    to the spans of the polled tasks (``records``: their ``_trace``, None for most)."""
    tracer = _decision
    if tracer is None or tracer is _UNDECIDED or tracer.idle():
        return NO_SPAN
    return tracer.tracing.poll_round(source, records)


def download(tracer: Deferred | None, url: str) -> _NoSpan | Any:
    """A CLIENT span for one download request (no headers, no query values)."""
    if tracer is None or tracer.idle():
        return NO_SPAN
    return tracer.tracing.download(url)
