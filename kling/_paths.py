"""Downloads before any byte moves: which URLs may be fetched, and where their files go. IO-free
but for creating the target directory and trying that it takes a file.

Result URLs come from the server, so they are checked like any untrusted input: https only (plain
http just for loopback hosts, such as a local FakeKling), and file names derived from them can
never climb out of the directory the caller chose.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from ._config import is_loopback
from ._errors import InvalidParameterError, redact_url

__all__ = [
    "check_url",
    "directory_problem",
    "file_name",
    "plan_targets",
    "resolve_target",
    "safe_name",
    "safe_target",
]

_EXTENSIONS = frozenset({".mp4", ".mov", ".png", ".jpg", ".jpeg", ".webp", ".mp3", ".wav", ".m4a"})
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def url_problem(url: object) -> str | None:
    """Why ``url`` may not be downloaded, or None when it may."""
    if not isinstance(url, str):
        return f"a URL must be a string, got {type(url).__name__}"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return f"{redact_url(url)!r} is not a valid URL"
    if parts.scheme not in ("http", "https"):
        return f"only https URLs can be downloaded, got {redact_url(url)!r}"
    if not host:
        return f"URL has no host: {redact_url(url)!r}"
    if parts.scheme == "http" and not is_loopback(host):
        return (
            f"plain http is only fetched from loopback hosts, got {redact_url(url)!r}; "
            "result URLs are https"
        )
    return None


def check_url(url: object) -> str:
    """``url`` if it may be downloaded; ``InvalidParameterError`` saying why not otherwise."""
    problem = url_problem(url)
    if problem is not None:
        raise InvalidParameterError(problem, field="url")
    assert isinstance(url, str)
    return url


def safe_name(text: str, default: str = "download") -> str:
    """``text`` reduced to a harmless file name: no separators, no leading dots."""
    return _SAFE_NAME.sub("_", text).strip("._")[:120] or default


def file_name(url: str) -> str:
    """A harmless file name from a URL's last path segment."""
    return safe_name(PurePosixPath(unquote(urlsplit(url).path)).name)


def safe_target(directory: Path, name: str) -> Path:
    """``directory / name``, refusing any name that would land outside ``directory``."""
    root = directory.resolve()
    target = (root / name).resolve()
    if target.parent != root:
        raise InvalidParameterError(
            f"refusing to write {name!r} outside {str(directory)!r}", field="path"
        )
    return target


def directory_problem(directory: Path) -> str | None:
    """Why files cannot be written into ``directory`` (created if missing), or None.

    The directory (or the nearest one that exists, where it would be created) is tried with a
    probe file, created and removed: permission bits alone are wrong for root, ACLs and
    read-only mounts. Asked before anything is paid for, not after.
    """
    existing = directory
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if existing != directory and not existing.is_dir():
        return f"cannot create directory {str(directory)!r}: {str(existing)!r} is a file"
    if not existing.is_dir():
        return f"{str(directory)!r} is a file, not a directory"
    probe = existing / f".kling-probe-{secrets.token_hex(4)}"
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        return f"cannot write into {str(existing)!r} ({exc.strerror or exc})"
    try:
        probe.unlink()
    except OSError as exc:
        return f"cannot remove files from {str(existing)!r} ({exc.strerror or exc})"
    return None


def resolve_target(url: str, path: str | os.PathLike[str]) -> Path:
    """A directory (existing, or written with a trailing slash) gets the URL's file name."""
    text = os.fspath(path)
    target = Path(text)
    if target.is_dir() or text.endswith(("/", os.sep)):
        target.mkdir(parents=True, exist_ok=True)
        return safe_target(target, file_name(url))
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def plan_targets(task_id: str, urls: list[str], target: str | os.PathLike[str]) -> list[Path]:
    """Where each result file of a task goes: ``<dir>/<task_id>-<n><ext>``, or one named file."""
    text = os.fspath(target)
    path = Path(text)
    as_file = not path.is_dir() and not text.endswith(("/", os.sep)) and path.suffix != ""
    if as_file:
        if len(urls) > 1:
            raise InvalidParameterError(
                f"task {task_id} has {len(urls)} result files; pass a directory, not "
                f"the file name {text!r}",
                field="target",
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        return [path]
    path.mkdir(parents=True, exist_ok=True)
    stem = safe_name(task_id, default="task")
    names = []
    for index, url in enumerate(urls):
        suffix = Path(file_name(url)).suffix.lower()
        names.append(f"{stem}-{index}{suffix if suffix in _EXTENSIONS else ''}")
    return [safe_target(path, name) for name in names]
