"""A JSON-lines manifest on disk: one record per line, appended whole and flushed at once.

``kling batch`` records a line per settled job (``manifest.jsonl``), ``kling archive`` a line
per saved file (``archive.jsonl``); both read them back with :func:`read_records`, which skips a
line a crash cut short, so that what it described is simply done again. Blocking I/O: the
clients call it through ``run_blocking``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["ManifestFile", "read_records", "record_line"]


def record_line(record: Mapping[str, Any]) -> str:
    """One manifest line: compact JSON and a newline."""
    return json.dumps(dict(record), separators=(",", ":"), ensure_ascii=False) + "\n"


def read_records(path: Path) -> list[dict[str, Any]]:
    """Every whole record of the manifest at ``path``, in order (none if it does not exist).

    A line that is not a JSON object (cut short by a crash) is skipped.
    """
    if not path.is_file():
        return []
    records: list[dict[str, Any]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(raw)
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


class ManifestFile:
    """A manifest being written: :meth:`open` reads it, :meth:`append` adds a record."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def open(self) -> list[dict[str, Any]]:
        """What earlier runs recorded. A last line that a crash cut short gets its newline, so
        that the next line appended does not run into it (and get lost with it)."""
        records = read_records(self.path)
        try:
            with self.path.open("rb") as file:
                size = file.seek(0, os.SEEK_END)
                file.seek(max(0, size - 1))
                last = file.read(1)
        except FileNotFoundError:
            return records
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
