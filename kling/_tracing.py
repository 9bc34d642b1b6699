"""Whether the clients trace, decided once; and what every caller uses when they do not.

With ``opentelemetry-api`` installed (``pip install 'kling[otel]'``), every request, logical
call, poll round and task becomes a span of the global tracer provider, with no code change by
the user (``kling._otel`` makes them). Without it nothing of OpenTelemetry is imported: the
decision is made at the first client construction, never at ``import kling``, and a request
then pays one attribute check (``client._tracer is None``).

Set ``OTEL_PYTHON_DISABLED_INSTRUMENTATIONS`` to a list holding ``kling`` to turn the spans off
with the package installed; ``KLING_OTEL_CAPTURE_PROMPTS=1`` adds each create's prompt to its
task span (prompts are user data: off by default).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from types import TracebackType

    from ._otel import Tracing
    from ._rows import TaskRow

__all__ = ["NO_SPAN", "active", "create_and_wait", "download", "poll_round"]

_UNDECIDED: Any = object()
_decision: Tracing | None = _UNDECIDED


def active() -> Tracing | None:
    """The process's tracing, or None when OpenTelemetry is absent or turned off for kling.

    Decided on the first call (a client's construction) and kept: a per-call check is then an
    attribute read.
    """
    global _decision
    if _decision is _UNDECIDED:
        _decision = _decide()
    return _decision


def _decide() -> Tracing | None:
    disabled = os.environ.get("OTEL_PYTHON_DISABLED_INSTRUMENTATIONS", "")
    if "kling" in (name.strip() for name in disabled.split(",")):
        return None
    try:
        # find_spec first: it answers without importing anything when the package is absent.
        if importlib.util.find_spec("opentelemetry") is None:
            return None
        from ._otel import Tracing
    except (ImportError, ValueError):  # ValueError: a module without a spec in sys.modules
        return None
    capture = os.environ.get("KLING_OTEL_CAPTURE_PROMPTS", "").strip().lower()
    return Tracing(capture_prompts=capture in ("1", "true", "yes", "on"))


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


def create_and_wait(tracer: Tracing | None, row: TaskRow, params: dict[str, Any]) -> _NoSpan | Any:
    """The ``kling.task.create_and_wait`` span around one create and its wait."""
    return NO_SPAN if tracer is None else tracer.create_and_wait(row, params)


def poll_round(source: str, records: Iterable[Any]) -> _NoSpan | Any:
    """A ``kling.poll`` root span around one poll round, apart from whoever leads it, linked
    to the spans of the polled tasks (``records``: their ``_trace``, None for most)."""
    tracer = _decision
    if tracer is None or tracer is _UNDECIDED:
        return NO_SPAN
    return tracer.poll_round(source, records)


def download(tracer: Tracing | None, url: str) -> _NoSpan | Any:
    """A CLIENT span for one download request (no headers, no query values)."""
    return NO_SPAN if tracer is None else tracer.download(url)
