"""How long tasks take on this account: :class:`History` (per kind of task) and :class:`Estimate`.

A task's *kind* is ``(family or product, model, mode or resolution, duration)``, as its create
sent them (:func:`kind_of`). Kling's list items do not echo those parameters (a legacy item's
``task_info`` holds only ``external_task_id`` and a parent video; a ``/tasks`` record has no
product or model field at all), so the history knows the full kind only of the tasks created
through this SDK on this machine (their ids are remembered in the cache); every other finished
task counts under what its list says: its legacy family, or nothing (``/tasks``). An estimate
uses the finest kind with enough finished tasks and says which (:attr:`Estimate.basis`).

Durations are ``updated_at - created_at`` of succeeded tasks. The history lives in memory on the
client and in a small JSON file per account under the user's cache directory
(``$XDG_CACHE_HOME/kling`` or ``~/.cache/kling``), named by a hash of the access key or API key
and the base URL, never of the secret. An unreadable or corrupt file is ignored; writes are
atomic (a temporary file renamed over the old one). No I/O but that file.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import math
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ._kinds import Kind, kind_of
from ._logging import logger

if TYPE_CHECKING:
    pass

__all__ = [
    "MIN_SAMPLES",
    "REFRESH_AFTER",
    "Estimate",
    "History",
    "Kind",
    "cache_path",
    "format_seconds",
    "kind_of",
    "takes_estimate",
]


#: Finished tasks a kind needs before its durations make an estimate (else a coarser kind).
MIN_SAMPLES = 3
#: Seconds after which a source's list is read again (a wait with an estimate refreshes it).
REFRESH_AFTER = 15 * 60
#: Finished tasks older than this are forgotten (Kling's lists cover about 30 days too).
MAX_AGE = 30 * 24 * 3600
#: At most this many finished tasks, and ids with a known kind, are kept (the newest).
MAX_SAMPLES = 2000
_VERSION = 1


def _label(kind: Kind) -> str:
    """``kling-v2-1 pro 5 s text_to_video`` for a kind; ``""`` for any task."""
    if not kind:
        return ""
    row, rest = kind[0], kind[1:]
    words = [w for w in rest[:2] if w != "-"]
    if len(rest) > 2 and rest[2] != "-":
        words.append(f"{rest[2]} s")
    return " ".join([*words, row])


def format_seconds(seconds: float, *, short: bool = False) -> str:
    """``1 min 20 s`` (``1m20s`` when ``short``), ``12 s``, ``1 h 5 min``."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if seconds < 0.5:
        return "<1s" if short else "under 1 s"
    if short:
        if hours:
            return f"{hours}h{minutes:02d}m"
        return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


def _percentile(ordered: list[float], share: float) -> float:
    """The ``share`` quantile of sorted values, interpolated between neighbours."""
    position = (len(ordered) - 1) * share
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Estimate:
    """How long a task has left, from this account's finished tasks of the same kind.

    ``on_progress(task, elapsed, estimate)`` gets one with every state a wait sees. Where there
    is no history, :attr:`remaining` is None and :attr:`samples` 0: no number is made up.
    """

    remaining: float | None
    """Seconds left (the median of what similar tasks that ran this long still took), or None:
    no history, or the task is already slower than almost all of them."""
    total: float | None
    """The task's expected whole run time in seconds (its age plus :attr:`remaining`)."""
    age: float
    """Seconds since the task was created."""
    samples: int
    """How many finished tasks the estimate is from."""
    basis: str
    """Which finished tasks: ``37 kling-v2-1 pro 5 s text_to_video tasks`` (``""``: none)."""
    slow: bool
    """True once the task has run longer than the 99th percentile of its kind."""
    p50: float | None = None
    """The median run time of those tasks, in seconds (None without history)."""
    p90: float | None = None
    p99: float | None = None
    finished: bool = False
    """The task has finished (:attr:`remaining` is 0)."""

    def describe(self) -> str:
        """``about 1 min 20 s left (from 37 kling-v2-1 pro 5 s text_to_video tasks)``."""
        if self.finished:
            return f"finished after {format_seconds(self.age)}"
        if not self.samples:
            return "no history yet for this kind"
        if self.slow:
            return f"slower than 99% of {self.basis.replace(' tasks', ' similar tasks', 1)}"
        assert self.remaining is not None
        left = format_seconds(self.remaining)
        about = "" if left.startswith("under") else "about "
        return f"{about}{left} left (from {self.basis})"

    def short(self) -> str:
        """For a status line: ``~1m20s left``, ``no history``, ``slow``."""
        if self.finished:
            return "done"
        if not self.samples:
            return "no history"
        if self.slow or self.remaining is None:
            return "slow"
        return f"~{format_seconds(self.remaining, short=True)} left"

    def __str__(self) -> str:
        return self.describe()


def _noun(count: int, kind: Kind) -> str:
    label = _label(kind)
    noun = "task" if count == 1 else "tasks"
    return f"{count} {label} {noun}" if label else f"{count} {noun} of any kind"


class History:
    """Finished tasks of one account, by id: their kind and how long they took.

    Shared by every wait on a client (and its copies); thread-safe. ``kinds`` remembers the
    full kind of tasks this SDK created, so that their list items are counted under it.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._saving = threading.Lock()
        #: task id -> (kind, seconds it took, when it finished: Unix seconds).
        self._samples: dict[str, tuple[Kind, float, float]] = {}
        #: task id -> its full kind, for tasks created through the SDK.
        self._kinds: dict[str, Kind] = {}
        #: source (family name or ``v2``) -> when its list was last read (Unix seconds).
        self._fetched: dict[str, float] = {}
        #: Sources whose list a wait is reading now: other waits do not read it again.
        self._fetching: set[str] = set()

    # -- what waits tell it ------------------------------------------------------------------

    def remember_kind(self, task_id: str, kind: Kind) -> bool:
        """Note a task's full kind (from its create); True if it is new."""
        with self._lock:
            if self._kinds.get(task_id) == kind:
                return False
            self._kinds[task_id] = kind
            return True

    def kind_for(self, task: Any, source: str) -> Kind:
        """What is known of ``task``'s kind: its create's, else its family, else nothing."""
        kind: Kind | None = (getattr(task, "__pydantic_private__", None) or {}).get("_kind")
        if kind is None:
            with self._lock:
                kind = self._kinds.get(task.task_id)
        if kind is None:
            family = getattr(task, "_family", None)
            kind = (family,) if family else ((source,) if source != "v2" else ())
        return kind

    def add(self, tasks: Iterable[Any], source: str) -> int:
        """Count the succeeded ones of ``tasks`` (list items or final states); how many were
        new. A task of an unknown kind counts under its family (legacy) or as any task."""
        added = 0
        with self._lock:
            for task in tasks:
                created, updated = task.created_at, task.updated_at
                if not task.is_succeeded or created is None or updated is None:
                    continue
                seconds = (updated - created).total_seconds()
                if seconds <= 0 or task.task_id in self._samples:
                    continue
                kind = (task.__pydantic_private__ or {}).get("_kind") or self._kinds.get(
                    task.task_id
                )
                if kind is None:
                    family = getattr(task, "_family", None) or (source if source != "v2" else "")
                    kind = (family,) if family else ()
                self._samples[task.task_id] = (tuple(kind), seconds, updated.timestamp())
                added += 1
        return added

    # -- refreshing -------------------------------------------------------------------------

    def claim(self, source: str, now: float) -> bool:
        """Whether the caller should read ``source``'s list now (it is stale and nobody else
        reads it); if so it must call :meth:`fetched` when done, whatever happened."""
        with self._lock:
            if source in self._fetching or now - self._fetched.get(source, 0.0) < REFRESH_AFTER:
                return False
            self._fetching.add(source)
            return True

    def fetched(self, source: str, now: float | None) -> None:
        """The read of ``source`` ended (``now``: when it succeeded; None: it failed)."""
        with self._lock:
            self._fetching.discard(source)
            if now is not None:
                self._fetched[source] = now

    # -- estimating --------------------------------------------------------------------------

    def estimate(self, kind: Kind, age: float, *, any_kind: bool) -> Estimate:
        """How long a task of ``kind`` that has run ``age`` seconds has left: from the finest
        prefix of ``kind`` with enough finished tasks, down to any task when ``any_kind`` (the
        new standard, whose list items do not say their product), else to the family."""
        with self._lock:
            samples = [(k, s) for k, s, _ in self._samples.values()]
        coarsest = 0 if any_kind or not kind else 1
        for level in range(len(kind), coarsest - 1, -1):
            prefix = kind[:level]
            durations = sorted(s for k, s in samples if k[:level] == prefix)
            if len(durations) >= MIN_SAMPLES:
                return _estimate(durations, prefix, age)
        return Estimate(None, None, age, 0, "", False)

    # -- the cache file ----------------------------------------------------------------------

    def load(self, now: float) -> None:
        """Read the cache file, if any; anything unreadable is ignored (logged at DEBUG)."""
        if self.path is None:
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("version") != _VERSION:
                raise ValueError("not a history cache of this version")
            samples = {
                str(task_id): (tuple(str(w) for w in kind), float(seconds), float(at))
                for task_id, (kind, seconds, at) in data["samples"].items()
                if now - float(at) < MAX_AGE and float(seconds) > 0
            }
            kinds = {str(i): tuple(str(w) for w in k) for i, k in data["kinds"].items()}
            fetched = {str(s): float(t) for s, t in data["fetched"].items()}
        except FileNotFoundError:
            return
        except Exception as exc:  # a corrupt cache is never an error: it is rebuilt
            logger.debug("ignoring the task history cache %s: %s", self.path, exc)
            return
        with self._lock:
            for task_id, sample in samples.items():
                self._samples.setdefault(task_id, sample)
            for task_id, kind in kinds.items():
                self._kinds.setdefault(task_id, kind)
            for source, at in fetched.items():
                self._fetched[source] = max(at, self._fetched.get(source, 0.0))

    def save(self) -> None:
        """Write the cache file atomically, with what another process wrote there since it
        was read; a failure is logged at DEBUG, never raised."""
        if self.path is None:
            return
        # One save at a time, each with the newest state: the last file written is complete.
        with self._saving:
            self.load(time.time())
            self._write(self.path)

    def _write(self, path: Path) -> None:
        with self._lock:
            newest = sorted(self._samples.items(), key=lambda item: item[1][2])[-MAX_SAMPLES:]
            data = {
                "version": _VERSION,
                "samples": {task_id: [list(k), s, at] for task_id, (k, s, at) in newest},
                "kinds": {i: list(k) for i, k in list(self._kinds.items())[-MAX_SAMPLES:]},
                "fetched": dict(self._fetched),
            }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".history-", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(data, out, separators=(",", ":"))
                os.replace(temporary, path)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError as exc:
            logger.debug("could not write the task history cache %s: %s", path, exc)


def _estimate(durations: list[float], kind: Kind, age: float) -> Estimate:
    p50, p90, p99 = (_percentile(durations, share) for share in (0.5, 0.9, 0.99))
    basis = _noun(len(durations), kind)
    # What the similar tasks that ran at least this long still took: a task past the median
    # is not told "0 s left".
    longer = [d - age for d in durations if d > age]
    if age > p99 or not longer:
        return Estimate(None, None, age, len(durations), basis, True, p50, p90, p99)
    remaining = _percentile(longer, 0.5)
    return Estimate(remaining, age + remaining, age, len(durations), basis, False, p50, p90, p99)


_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


def cache_path(key: str | None, base_url: str) -> Path | None:
    """The history file of the account with access key or API key ``key`` at ``base_url``."""
    if not key:
        return None
    url = urlsplit(base_url)
    if url.hostname in _LOOPBACK:
        # A server on this machine (FakeKling under ``kling --mock``) listens on a new port
        # each run: its history is one file, not one per port.
        base_url = f"{url.scheme}://{url.hostname}{url.path}"
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    digest = hashlib.sha256(f"{key}\0{base_url}".encode()).hexdigest()[:24]
    return Path(root) / "kling" / f"history-{digest}.json"


def takes_estimate(callback: Callable[..., Any]) -> bool:
    """Whether ``on_progress`` takes a third positional argument (the :class:`Estimate`).

    Decided once per wait from ``inspect.signature`` (bound methods, partials and callable
    objects included); a callable whose signature cannot be read (some builtins) is called
    with two arguments, as before.
    """
    try:
        parameters = inspect.signature(callback).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = 0
    for parameter in parameters:
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            return True
        if parameter.kind in (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        ):
            positional += 1
    return positional >= 3
