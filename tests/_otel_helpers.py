"""Spans recorded with the OpenTelemetry SDK's in-memory exporter, for the tracing tests.

OpenTelemetry takes one global tracer provider per process: it is set on first use, and its
processor keeps spans only inside ``recording()``, so the rest of a test run costs nothing.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


class _Switch(SpanProcessor):
    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.on = False

    def on_end(self, span: ReadableSpan) -> None:
        if self.on:
            self.exporter.export([span])


_switch: _Switch | None = None
_lock = threading.Lock()


def _installed() -> _Switch:
    global _switch
    with _lock:
        if _switch is None:
            _switch = _Switch()
            provider = TracerProvider()
            provider.add_span_processor(_switch)
            trace.set_tracer_provider(provider)
        return _switch


class Recorded:
    """The spans ended so far, in the order they ended."""

    def __init__(self, exporter: InMemorySpanExporter) -> None:
        self._exporter = exporter

    def all(self) -> list[ReadableSpan]:
        return list(self._exporter.get_finished_spans())

    def named(self, name: str) -> list[ReadableSpan]:
        return [span for span in self.all() if span.name == name]

    def parent_of(self, span: ReadableSpan) -> ReadableSpan | None:
        if span.parent is None:
            return None
        found = [s for s in self.all() if s.context.span_id == span.parent.span_id]
        return found[0] if found else None

    def everything(self) -> str:
        """Every name, attribute and event of every span, as one text to search."""
        return repr(
            [
                (s.name, dict(s.attributes or {}), [dict(e.attributes or {}) for e in s.events])
                for s in self.all()
            ]
        )

    def clear(self) -> None:
        self._exporter.clear()


@contextlib.contextmanager
def recording() -> Iterator[Recorded]:
    """Record the spans ended inside the block (the global provider is set on first use)."""
    switch = _installed()
    switch.exporter.clear()
    switch.on = True
    try:
        yield Recorded(switch.exporter)
    finally:
        switch.on = False
        switch.exporter.clear()
