"""Streaming downloads of result files: temp file + atomic rename, resume, size check.

Kling's result URLs point at a CDN, not at the API: downloads use the client's connection pool
but never its credentials. Results are deleted 30 days after generation, so a 403/404/410 is
reported as an expired URL rather than a bare status code.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable
from contextlib import aclosing
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import httpx
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from kling import _compat_async as _compat

from .._errors import DownloadError, InvalidParameterError
from .._logging import logger

if TYPE_CHECKING:
    from ._client import AsyncKlingClient

__all__ = ["ProgressHook", "download_url", "safe_target"]

#: ``on_progress(bytes_written, total_bytes_or_None)``, sync or async.
ProgressHook = Callable[[int, "int | None"], Any]

_EXPIRED = (403, 404, 410)
_EXTENSIONS = frozenset({".mp4", ".mov", ".png", ".jpg", ".jpeg", ".webp", ".mp3", ".wav", ".m4a"})
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class _State:
    written: int = 0
    total: int | None = None


class _Transient(Exception):
    """A 5xx or dropped connection: worth another try, resuming where we stopped."""


def check_url(url: object) -> str:
    """Only http(s) URLs are fetched: no file://, no data:, nothing local."""
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        raise InvalidParameterError(
            f"only http(s) URLs can be downloaded, got {url!r}", field="url"
        )
    if not urlsplit(url).hostname:
        raise InvalidParameterError(f"URL has no host: {url!r}", field="url")
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


async def download_url(
    client: AsyncKlingClient,
    url: str,
    target: Path,
    *,
    on_progress: ProgressHook | None = None,
) -> Path:
    """Stream ``url`` into ``target`` atomically; resume after a dropped connection."""
    check_url(url)
    part = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    state = _State()
    retrying = AsyncRetrying(
        stop=stop_after_attempt(client.max_retries + 1),
        wait=wait_exponential_jitter(max=10.0, jitter=0.5),
        retry=retry_if_exception_type(_Transient),
        sleep=_compat.sleep,
        reraise=True,
    )
    done = False
    try:
        async for attempt in retrying:
            with attempt:
                await _fetch(client, url, part, state, on_progress)
        if state.total is not None and state.written != state.total:
            raise DownloadError(
                f"download of {url} ended at {state.written} of {state.total} bytes", url=url
            )
        os.replace(part, target)
        done = True
    except _Transient as exc:
        raise DownloadError(f"download of {url} failed: {exc}", url=url) from exc
    finally:
        if not done:
            part.unlink(missing_ok=True)
    logger.info("Downloaded %s (%d bytes) to %s", url, state.written, target)
    return target


async def _fetch(
    client: AsyncKlingClient,
    url: str,
    part: Path,
    state: _State,
    on_progress: ProgressHook | None,
) -> None:
    """One attempt; ``state`` keeps what was written so the next attempt can resume."""
    headers = {"Range": f"bytes={state.written}-"} if state.written else {}
    try:
        async with client._http.stream(
            "GET", url, headers=headers, timeout=client.timeout
        ) as response:
            status = response.status_code
            if status in _EXPIRED:
                raise DownloadError(
                    f"result URL answered HTTP {status}: it has expired or was removed "
                    "(Kling deletes results 30 days after generation). Fetch the task again "
                    f"for fresh URLs, or generate it again: {url}",
                    url=url,
                    status_code=status,
                )
            if status >= 500 or status == 429:
                raise _Transient(f"HTTP {status}")
            if status >= 400:
                raise DownloadError(f"download of {url} failed: HTTP {status}", url=url)
            if status != 206:
                state.written = 0  # the server ignored our Range: start over
            elif _range_start(response) != state.written:
                state.written = 0
                raise _Transient("the server resumed at the wrong offset")
            state.total = _expected_size(response, state.written) or state.total
            # No chunk size: httpx would buffer up to it and lose the buffer on a drop.
            # aclosing: a cancelled download closes the body's iterators at once, not at GC.
            async with (
                await _compat.open_file(part, "ab" if state.written else "wb") as out,
                aclosing(response.aiter_bytes()) as chunks,  # type: ignore[type-var]
            ):
                async for chunk in chunks:
                    await out.write(chunk)
                    state.written += len(chunk)
                    if on_progress is not None:
                        await _compat.call(on_progress, state.written, state.total)
    except (httpx.TransportError, httpx.DecodingError) as exc:
        logger.info("Download of %s interrupted at %d bytes: %s", url, state.written, exc)
        raise _Transient(f"{type(exc).__name__}: {exc}") from exc


def _range_start(response: httpx.Response) -> int | None:
    # "bytes 1000-9999/10000" -> 1000
    unit_range = response.headers.get("content-range", "").partition(" ")[2]
    start = unit_range.partition("-")[0]
    return int(start) if start.isdigit() else None


def _expected_size(response: httpx.Response, offset: int) -> int | None:
    if response.headers.get("content-encoding", "identity") != "identity":
        return None  # lengths count encoded bytes; we write decoded ones
    if response.status_code == 206:
        content_range = response.headers.get("content-range", "")
        size = content_range.rpartition("/")[2]
        return int(size) if size.isdigit() else None
    length = response.headers.get("content-length")
    return int(length) + offset if length and length.isdigit() else None
