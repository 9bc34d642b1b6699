"""A live progress bar on stderr for the long commands (``kling batch run``, ``kling archive``).

Only on a terminal, and not with ``--json``; elsewhere it stays quiet (the summary says it all).
Retries and failed polls (:meth:`LiveBar.trouble`, fed by ``_logs``) show under the bar until the
next change; a warning is printed once, to stay. ``update`` may be called from the SDK's threads:
rich's progress is thread-safe, and the counts are read under a lock.
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from ._output import err_console

if TYPE_CHECKING:
    from rich.progress import Progress

__all__ = ["LiveBar", "duration"]


class _Progress(Protocol):
    @property
    def total(self) -> int | None: ...
    @property
    def settled(self) -> int: ...


P = TypeVar("P", bound=_Progress)


class LiveBar(Generic[P]):
    """A bar of what is settled out of ``total`` (unknown: a spinner), and :meth:`counts`."""

    noun: ClassVar[str]
    """What the bar counts (``jobs``)."""
    starting: ClassVar[str]
    """What it says before the first update (``reading the jobs``)."""

    def __init__(self, *, enabled: bool = True) -> None:
        self._console = err_console()
        self._enabled = enabled and self._console.is_terminal
        self._progress: Progress | None = None
        self._bar: Any = None
        self._lock = threading.Lock()
        self._last: P | None = None
        self._trouble = ""
        self._warned: set[str] = set()

    def __enter__(self) -> LiveBar[P]:
        if self._enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._progress = Progress(
                TextColumn(self.noun),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[counts]}"),
                console=self._console,
                transient=True,
            )
            self._progress.__enter__()
            self._bar = self._progress.add_task(self.noun, total=None, counts=self.starting)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.__exit__(exc_type, exc, tb)
            self._progress = None

    def update(self, progress: P) -> None:
        """The ``on_progress`` callback."""
        with self._lock:
            self._last, self._trouble = progress, ""
            self._render()

    def trouble(self, reason: str) -> None:
        """A retry or a failed poll: shown under the bar until the next change. A warning (a
        manifest line skipped, a model this SDK does not know) is printed once, to stay."""
        with self._lock:
            if reason.startswith("Warning: "):
                if reason not in self._warned:
                    self._warned.add(reason)
                    console = self._progress.console if self._progress else self._console
                    console.print(reason, style="yellow", markup=False)
                return
            self._trouble = reason
            self._render()

    def counts(self, progress: P) -> str:
        """The counts beside the bar, in rich markup."""
        raise NotImplementedError

    def _render(self) -> None:
        from rich.markup import escape

        progress = self._last
        if self._progress is None or progress is None:
            return
        counts = self.counts(progress)
        if self._trouble:
            counts += f"\n[dim]{escape(self._trouble)}[/dim]"
        self._progress.update(
            self._bar, total=progress.total, completed=progress.settled, counts=counts
        )


def duration(seconds: float) -> str:
    """``1h02m`` or ``3m07s``, for an ETA."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"
