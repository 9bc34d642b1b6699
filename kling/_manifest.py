"""A JSON-lines manifest on disk: one record per line, appended whole and flushed at once.

``kling batch`` records a line per settled job (``manifest.jsonl``), ``kling archive`` a line
per saved file (``archive.jsonl``); both read them back with :func:`read_records`, which skips,
with a warning naming it, a line a crash cut short or anything else that is not a record, so
that what it described is simply done again. Blocking I/O: the
clients call it through ``run_blocking``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ._logging import logger

__all__ = ["ManifestFile", "RecordCheck", "RecordProblem", "read_records", "record_line"]


def record_line(record: Mapping[str, Any]) -> str:
    """One manifest line: compact JSON and a newline."""
    return json.dumps(dict(record), separators=(",", ":"), ensure_ascii=False) + "\n"


class RecordProblem(Exception):
    """Raised by a record check: the record cannot be used (the reason is the message)."""


RecordCheck = Callable[[dict[str, Any]], list[str]]
"""Checks one record: raises :class:`RecordProblem` to skip it, or returns notes on what of it
was ignored (each becomes a warning naming the line)."""


def read_records(path: Path, check: RecordCheck | None = None) -> list[dict[str, Any]]:
    """Every whole record of the manifest at ``path``, in order (none if it does not exist).

    A manifest never blocks a resume: a line that is not a record (cut short by a crash, not
    UTF-8, nested too deeply, not a JSON object, or refused by ``check``) is skipped with a
    warning naming its line number. The file is read a line at a time.
    """
    records: list[dict[str, Any]] = []
    try:
        file = path.open("rb")
    except (FileNotFoundError, IsADirectoryError):
        return records
    with file:
        for number, raw in enumerate(file, start=1):
            if not raw.strip():
                continue
            try:
                record = _record(raw)
                notes = check(record) if check is not None else []
            except RecordProblem as exc:
                logger.warning("%s line %d: %s; skipped", path, number, exc)
                continue
            for note in notes:
                logger.warning("%s line %d: %s", path, number, note)
            records.append(record)
    return records


def _record(raw: bytes) -> dict[str, Any]:
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise RecordProblem("not UTF-8 text") from None
    except RecursionError:
        raise RecordProblem("nested too deeply") from None
    except ValueError:
        raise RecordProblem("not valid JSON (cut short by a crash?)") from None
    if not isinstance(record, dict):
        raise RecordProblem(f"a record is a JSON object, got {type(record).__name__}")
    return record


class ManifestFile:
    """A manifest being written: :meth:`open` reads it, :meth:`append` adds a record."""

    def __init__(self, path: Path, check: RecordCheck | None = None) -> None:
        self.path = path
        self.check = check

    def open(self) -> list[dict[str, Any]]:
        """What earlier runs recorded; the file is created if missing. A last line that a crash
        cut short gets its newline, so that the next line appended does not run into it (and
        get lost with it)."""
        records = read_records(self.path, self.check)
        self._write(b"")  # it exists from the start: every message of the run may point at it
        with self.path.open("rb") as file:
            size = file.seek(0, os.SEEK_END)
            file.seek(max(0, size - 1))
            last = file.read(1)
        if last not in (b"", b"\n"):
            self._write(b"\n")
        return records

    def append(self, record: Mapping[str, Any]) -> None:
        """Add ``record`` as one line, on disk when this returns."""
        self._write(record_line(record).encode("utf-8"))

    def _write(self, data: bytes) -> None:
        # One write of a whole line with O_APPEND: concurrent runs never interleave a line.
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
            os.fsync(fd)  # a crash after this loses nothing that was recorded
        finally:
            os.close(fd)
