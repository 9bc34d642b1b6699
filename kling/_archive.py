"""Archives of finished tasks' results: what a run saved (its manifest records), how far it got,
and the checks of a saved file. The run itself is ``kling/_async/_archive.py``.

Kling deletes results 30 days after generation: "all images and videos generated via our API
will be automatically purged after 30 days ... please download and save them locally in a
timely manner after generation" (notice of 2025-09-29,
https://github.com/aself101/kling-api/blob/main/docs/api/kling-updates-api.md). An archive is
a directory of result files and ``archive.jsonl``, one line per file saved, written only once
the file is complete, checked and under its final name.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

from ._errors import InvalidParameterError

__all__ = [
    "ARCHIVE_MANIFEST",
    "RETENTION",
    "ArchiveFailure",
    "ArchiveProgress",
    "ArchiveReport",
    "ArchivedFile",
    "BadFile",
    "ExpiringTask",
    "Verify",
    "check_saved",
    "deletion_time",
    "parse_age",
    "still_good",
]

#: The manifest's file name inside the archive directory.
ARCHIVE_MANIFEST = "archive.jsonl"
#: How long Kling keeps a result (see the notice quoted above).
RETENTION = timedelta(days=30)

Verify = Literal["size", "sha256"]
"""How a file an earlier run saved is checked before it counts as archived: its size and
leading bytes (``"size"``), or its whole content against the recorded SHA-256 too."""

_AGE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_HEAD = 64
_CHUNK = 1 << 20


def parse_age(text: str) -> timedelta:
    """``"30d"``, ``"12h"``, ``"2w"``, ``"90m"``, ``"45s"`` as a ``timedelta``."""
    match = _AGE.fullmatch(text)
    if match is None:
        raise InvalidParameterError(
            f"since must be an age such as 30d, 12h, 2w or 90m (or a datetime), got {text!r}",
            field="since",
        )
    return timedelta(seconds=float(match[1]) * _UNITS[match[2].lower()])


def deletion_time(created_at: datetime | None) -> datetime | None:
    """When Kling deletes a task's results, counted from its creation: its generation ends a
    little later, so the estimate errs on the early side."""
    return None if created_at is None else created_at + RETENTION


@dataclass(frozen=True)
class ArchivedFile:
    """One result file in the archive, as its manifest line records it."""

    task_id: str
    index: int
    """Its place among the task's result URLs (``task.result_urls()``)."""
    source: str
    """Where the task was listed: its legacy family (``text_to_video``), or ``v2``."""
    file: str
    """Its name in the archive directory."""
    size: int
    sha256: str
    kind: str | None
    """What its leading bytes say it is (``mp4``, ``png``, ``jpeg``, ``mp3``...), if known."""
    url: str
    created_at: datetime | None
    archived_at: datetime
    external_task_id: str | None = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.task_id, self.index)

    def to_json(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "index": self.index,
            "source": self.source,
            "file": self.file,
            "size": self.size,
            "sha256": self.sha256,
            "kind": self.kind,
            "url": self.url,
            "external_task_id": self.external_task_id,
            "created_at": _iso(self.created_at),
            "deletes_at": _iso(deletion_time(self.created_at)),
            "archived_at": _iso(self.archived_at),
        }

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> ArchivedFile | None:
        """The file a manifest line describes; None for a line of another kind."""
        try:
            return cls(
                task_id=str(record["task_id"]),
                index=int(record["index"]),
                source=str(record.get("source") or ""),
                file=str(record["file"]),
                size=int(record["size"]),
                sha256=str(record["sha256"]),
                kind=record.get("kind"),
                url=str(record.get("url") or ""),
                created_at=_time(record.get("created_at")),
                archived_at=_time(record.get("archived_at")) or datetime.now(timezone.utc),
                external_task_id=record.get("external_task_id"),
            )
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class ArchiveFailure:
    """What a run could not save (it tries again next time): a file, or a whole listing."""

    source: str
    message: str
    task_id: str | None = None
    url: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "task_id": self.task_id,
            "url": self.url,
            "message": self.message,
        }


@dataclass(frozen=True)
class ExpiringTask:
    """A finished task Kling deletes soon (within the run's ``warn_days``)."""

    task_id: str
    source: str
    deletes_at: datetime
    saved: bool
    """Whether every result file of it is in the archive now."""

    def to_json(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "source": self.source,
            "deletes_at": _iso(self.deletes_at),
            "saved": self.saved,
        }


@dataclass
class ArchiveProgress:
    """Where a run stands; ``on_progress`` gets it after every change."""

    total: int | None = None
    """Result files of the finished tasks found (None while the lists are read)."""
    tasks: int = 0
    """Finished tasks with result files found so far."""
    listing: str | None = None
    """The list being read (``text_to_video``, ``v2``), None once every list is read."""
    saved: int = 0
    skipped: int = 0
    """Files an earlier run saved (and that are still whole): not fetched again."""
    failed: int = 0
    bytes: int = 0
    """Bytes saved by this run."""
    started: float = field(default_factory=time.monotonic)

    @property
    def settled(self) -> int:
        return self.saved + self.skipped + self.failed

    @property
    def eta(self) -> float | None:
        """Seconds until every file settles, at the pace so far (None before the first one)."""
        if self.total is None:
            return None
        remaining = self.total - self.settled
        done = self.saved + self.failed
        if remaining <= 0:
            return 0.0
        if not done:
            return None
        return (time.monotonic() - self.started) / done * remaining


@dataclass(frozen=True)
class ArchiveReport:
    """What a run of ``client.archive`` did."""

    directory: Path
    tasks: int
    """Finished tasks with result files that the lists showed."""
    saved: list[ArchivedFile]
    """Files this run saved."""
    skipped: int
    """Files an earlier run saved, found whole and left alone."""
    failures: list[ArchiveFailure]
    expiring: list[ExpiringTask]
    """Tasks Kling deletes within ``warn_days``, the soonest first."""
    notes: list[str]
    """What the run left out, and why (the new standard's list without an API key)."""
    wall_time: float

    @property
    def manifest(self) -> Path:
        return self.directory / ARCHIVE_MANIFEST

    @property
    def ok(self) -> bool:
        """Whether every result file found is in the archive."""
        return not self.failures

    @property
    def bytes_saved(self) -> int:
        return sum(f.size for f in self.saved)

    def summary(self) -> dict[str, Any]:
        """Counts, failures and expiring tasks, as ``kling archive --json`` prints them."""
        return {
            "directory": str(self.directory),
            "manifest": str(self.manifest),
            "tasks": self.tasks,
            "saved": len(self.saved),
            "skipped": self.skipped,
            "failed": len(self.failures),
            "bytes_saved": self.bytes_saved,
            "files": [f.file for f in self.saved],
            "failures": [f.to_json() for f in self.failures],
            "expiring": [t.to_json() for t in self.expiring],
            "notes": list(self.notes),
            "wall_time": round(self.wall_time, 3),
        }


class BadFile(Exception):
    """A download that is not a result file (empty, or an error page): never archived."""


def check_saved(path: Path) -> tuple[int, str, str | None]:
    """``(size, sha256, kind)`` of a file just downloaded; :class:`BadFile` when it is empty or
    a text page (HTML, JSON, XML) rather than media."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            if size < _HEAD:
                head += chunk[: _HEAD - size]
            digest.update(chunk)
            size += len(chunk)
    if size == 0:
        raise BadFile("the download is empty")
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"<", b"{", b"["):
        shown = head[:24].decode("utf-8", "replace")
        raise BadFile(f"the download is a text page, not a result file (it starts {shown!r})")
    return size, digest.hexdigest(), media_kind(head)


def still_good(path: Path, saved: ArchivedFile, verify: Verify) -> bool:
    """Whether the file an earlier run saved at ``path`` is still what it recorded."""
    try:
        if path.stat().st_size != saved.size:
            return False
        with path.open("rb") as file:
            head = file.read(_HEAD)
            if media_kind(head) != saved.kind:
                return False
            if verify == "size":
                return True
            digest = hashlib.sha256(head)
            while chunk := file.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return False
    return digest.hexdigest() == saved.sha256


def media_kind(head: bytes) -> str | None:
    """What a file's leading bytes say it is, for the formats Kling's results come in."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE"):
        return "webp" if head[8:12] == b"WEBP" else "wav"
    if head[4:8] == b"ftyp":
        return "mp4"  # ISO media: mp4, mov, m4a
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head.startswith(b"GIF8"):
        return "gif"
    return None


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _time(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None
