"""Streaming downloads of result files: temp file + atomic rename, resume, size check.

Kling's result URLs point at a CDN, not at the API: downloads use the client's connection pool
but never its credentials. Results are deleted 30 days after generation, so a 403/404/410 is
reported as an expired URL rather than a bare status code. What comes back must be the media
the URL promised (``kling._result_media``): a login page, a JSON error or an empty body is a
``DownloadError``, and nothing is kept.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from contextlib import aclosing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from kling import _compat_async as _compat

from .. import _tracing
from .._errors import DownloadError, redact_url
from .._logging import logger
from .._paths import check_url, url_problem
from .._result_media import HEAD_BYTES, MediaKind, answer_problem, expected_kind
from .._retry import retry_kwargs

if TYPE_CHECKING:
    from ._client import AsyncKlingClient

__all__ = ["ProgressHook", "download_url"]

#: ``on_progress(bytes_written, total_bytes_or_None)``, sync or async.
ProgressHook = Callable[[int, "int | None"], Any]

_EXPIRED = (403, 404, 410)
_REDIRECTS = (301, 302, 303, 307, 308)
#: Result URLs may go through a CDN's redirects; more hops than this is a loop.
MAX_REDIRECTS = 5
#: A refused answer (an error page) is read to its end up to this size, then cut.
_DRAIN = 64 * 1024
#: Never sent to a result URL, even if the caller's http_client has them as defaults.
_CREDENTIAL_HEADERS = ("authorization", "x-api-key", "x-api-secret", "cookie")


@dataclass
class _State:
    kind: MediaKind | None
    """The media the result must be (None: any result media)."""
    written: int = 0
    total: int | None = None


class _Transient(Exception):
    """A 5xx or dropped connection: worth another try, resuming where we stopped."""


async def download_url(
    client: AsyncKlingClient,
    url: str,
    target: Path,
    *,
    on_progress: ProgressHook | None = None,
    kind: MediaKind | None = None,
) -> Path:
    """Stream ``url`` into ``target`` atomically; resume after a dropped connection.

    The answer must be ``kind`` of media (by default what the URL's, else the target's,
    extension promises; any result media when neither tells), else ``DownloadError``.
    """
    from tenacity import AsyncRetrying

    check_url(url)
    part = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    state = _State(kind or expected_kind(url, target.name))
    retrying = AsyncRetrying(
        **retry_kwargs(
            max_retries=client.max_retries,
            should_retry=lambda exc: isinstance(exc, _Transient),
            sleep=_compat.sleep,
            describe=f"download of {redact_url(url)}",
        )
    )
    done = False
    try:
        async for attempt in retrying:
            with attempt:
                await _fetch(client, url, part, state, on_progress)
        if state.total is not None and state.written != state.total:
            raise DownloadError(
                f"download of {redact_url(url)} ended at {state.written} of {state.total} bytes",
                url=url,
            )
        os.replace(part, target)
        done = True
    except _Transient as exc:
        raise DownloadError(f"download of {redact_url(url)} failed: {exc}", url=url) from exc
    finally:
        if not done:
            part.unlink(missing_ok=True)
    logger.info("Downloaded %s (%d bytes) to %s", redact_url(url), state.written, target)
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
    location = url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            request = client._http.build_request(
                "GET", location, headers=headers, timeout=client.timeout
            )
            for name in _CREDENTIAL_HEADERS:
                request.headers.pop(name, None)
            async with client._limiter:
                # auth=None: not even an auth set on the caller's http_client goes to a CDN.
                with _tracing.download(client._tracer, location) as span:
                    response = await client._http.send(
                        request, stream=True, auth=None, follow_redirects=False
                    )
                    span.status(response.status_code)
                try:
                    if response.status_code in _REDIRECTS and "location" in response.headers:
                        location = _redirect_target(url, request, response)
                        continue
                    await _save(response, url, part, state, on_progress)
                    return
                finally:
                    await response.aclose()
        raise DownloadError(
            f"download of {redact_url(url)} failed: more than {MAX_REDIRECTS} redirects",
            url=url,
        )
    except (httpx.TransportError, httpx.DecodingError) as exc:
        logger.info(
            "Download of %s interrupted at %d bytes: %s", redact_url(url), state.written, exc
        )
        raise _Transient(f"{type(exc).__name__}: {exc}") from exc


def _redirect_target(url: str, request: httpx.Request, response: httpx.Response) -> str:
    """Where a redirect points, if that URL may be fetched at all."""
    try:
        target = str(request.url.join(response.headers["location"]))
    except (httpx.InvalidURL, ValueError) as exc:
        raise DownloadError(
            f"download of {redact_url(url)} was redirected to an invalid URL", url=url
        ) from exc
    problem = url_problem(target)
    if problem is not None:
        raise DownloadError(
            f"download of {redact_url(url)} was redirected somewhere it may not go: {problem}",
            url=url,
            status_code=response.status_code,
        )
    return target


async def _save(
    response: httpx.Response,
    url: str,
    part: Path,
    state: _State,
    on_progress: ProgressHook | None,
) -> None:
    """Write one answer's body to ``part``, or raise what its status means."""
    status = response.status_code
    if status in _EXPIRED:
        raise DownloadError(
            f"result URL answered HTTP {status}: it has expired or was removed (Kling "
            "deletes results 30 days after generation). Fetch the task again for fresh URLs, "
            f"or generate it again: {redact_url(url)}",
            url=url,
            status_code=status,
        )
    if status >= 500 or status == 429:
        raise _Transient(f"HTTP {status}")
    if status not in (200, 206):
        # Never save a redirect page, an error page or an empty answer as the result.
        raise DownloadError(
            f"download of {redact_url(url)} failed: HTTP {status}", url=url, status_code=status
        )
    if status == 200:
        state.written = 0  # the server ignored our Range (or none was sent): start over
    elif _range_start(response) != state.written:
        state.written = 0
        raise _Transient("the server resumed at the wrong offset")
    state.total = _expected_size(response, state.written) or state.total
    # The first bytes are checked before any is written: a page is never saved as the video.
    resumed = state.written > 0
    head: bytes | None = b""
    refused: DownloadError | None = None
    drained = 0
    # No chunk size: httpx would buffer up to it and lose the buffer on a drop.
    # aclosing: a cancelled download closes the body's iterators at once, not at GC.
    async with (
        await _compat.open_file(part, "ab" if resumed else "wb") as out,
        aclosing(response.aiter_bytes()) as chunks,  # type: ignore[type-var]
    ):
        async for chunk in chunks:
            if refused is not None:
                # Read a refused page to its end, so httpx's body iterators finish rather
                # than being left to the garbage collector; a long one is cut short.
                drained += len(chunk)
                if drained > _DRAIN:
                    break
                continue
            if head is not None:
                head += chunk
                if len(head) < HEAD_BYTES:
                    continue
                refused = _refusal(url, response, head, state.kind, resumed)
                if refused is not None:
                    continue
                chunk, head = head, None
            await _write(out, chunk, state, on_progress)
        if refused is None and head is not None:  # a body shorter than HEAD_BYTES (or empty)
            refused = _refusal(url, response, head, state.kind, resumed)
            if refused is None:
                await _write(out, head, state, on_progress)
    if refused is not None:
        raise refused
    sent = response.headers.get("content-length", "")
    if sent.isdigit() and response.num_bytes_downloaded < int(sent):
        # The connection ended early but cleanly: fewer bytes than promised is a cut, not
        # a smaller file. Decoded sizes may differ from the header, so compare raw bytes.
        if response.headers.get("content-encoding", "identity") != "identity":
            state.written = 0  # a cut compressed stream cannot be resumed by offset
        raise _Transient(
            f"the connection closed after {response.num_bytes_downloaded} of {sent} bytes"
        )


async def _write(out: Any, data: bytes, state: _State, on_progress: ProgressHook | None) -> None:
    if not data:
        return
    await out.write(data)
    state.written += len(data)
    if on_progress is not None:
        await _compat.call(on_progress, state.written, state.total)


def _refusal(
    url: str, response: httpx.Response, head: bytes, kind: MediaKind | None, resumed: bool
) -> DownloadError | None:
    """The error naming who sent what, unless the answer is the media ``url`` promised."""
    content_type = response.headers.get("content-type")
    problem = answer_problem(content_type, head, kind, resumed=resumed)
    if problem is None:
        return None
    host = response.request.url.host
    asked = httpx.URL(url).host
    origin = host if host == asked else f"{host} (redirected from {asked})"
    return DownloadError(
        f"download of {redact_url(url)} failed: {origin} answered HTTP {response.status_code} "
        f"with {problem}; nothing was saved",
        url=url,
        status_code=response.status_code,
    )


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
