"""What a downloaded result file must be: the media its task promised, judged by the answer's
``Content-Type`` and the file's first bytes. IO-free but for reading a file's head.

A result URL that has gone stale may still answer 200: a CDN's login page after a redirect, a
JSON error, an empty body. Saved under the result's name, such an answer would pass for the
video; these checks tell the two apart before anything is kept.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Literal
from urllib.parse import unquote, urlsplit

from ._files import media_format

__all__ = [
    "HEAD_BYTES",
    "MediaKind",
    "answer_problem",
    "expected_kind",
    "file_is_media",
]

MediaKind = Literal["video", "image", "audio"]
"""What a result file is: Kling makes videos (mp4, mov), images (png, jpeg, webp) and audio
(mp3, wav, m4a)."""

#: Bytes enough to recognise every format below (an ``ftyp`` box lists its brands within 64),
#: and to show what an answer that is none of them begins with.
HEAD_BYTES = 64

_BY_EXTENSION: dict[str, MediaKind] = {
    ".mp4": "video",
    ".mov": "video",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".webp": "image",
    ".mp3": "audio",
    ".wav": "audio",
    ".m4a": "audio",
}
# An audio-only MP4 sniffs as "mp4" (its brand is often isom/mp42), so audio accepts it.
_FORMATS: dict[MediaKind, frozenset[str]] = {
    "video": frozenset({"mp4", "mov"}),
    "image": frozenset({"png", "jpeg", "webp"}),
    "audio": frozenset({"mp3", "wav", "m4a", "mp4"}),
}
_ANY = frozenset().union(*_FORMATS.values())
_DOCUMENT_SUBTYPES = ("html", "xhtml+xml", "json", "xml", "javascript", "x-www-form-urlencoded")


def expected_kind(*names: str) -> MediaKind | None:
    """The kind the first name (a URL or a file name) with a known extension promises."""
    for name in names:
        path = urlsplit(name).path if "://" in name else name
        kind = _BY_EXTENSION.get(PurePosixPath(unquote(path)).suffix.lower())
        if kind is not None:
            return kind
    return None


def _wanted(kind: MediaKind | None) -> str:
    return {"video": "a video", "image": "an image", "audio": "audio"}.get(kind or "", "media")


def _is_document(content_type: str) -> bool:
    main, _, sub = content_type.split(";")[0].strip().lower().partition("/")
    return main == "text" or sub.endswith(("+json", "+xml")) or sub in _DOCUMENT_SUBTYPES


def _head_ok(head: bytes, kind: MediaKind | None) -> bool:
    return media_format(head) in (_FORMATS[kind] if kind is not None else _ANY)


def answer_problem(
    content_type: str | None, head: bytes, kind: MediaKind | None, *, resumed: bool = False
) -> str | None:
    """What came back instead of ``kind`` of media (None: it is that media).

    ``head`` is the answer's first bytes; a ``resumed`` answer continues a file whose own first
    bytes were checked already, so only its ``Content-Type`` is.
    """
    if not (content_type and _is_document(content_type)) and (resumed or _head_ok(head, kind)):
        return None
    label = content_type.split(";")[0].strip() if content_type else "no content type"
    found = media_format(head)
    if not head:
        what = "an empty body"
    elif found is not None:
        what = f"{found.upper()} data"
    else:
        more = "..." if len(head) >= HEAD_BYTES else ""
        what = repr(" ".join(head.decode("utf-8", "replace").split())) + more
    return f"{label}, {what}: not {_wanted(kind)}"


def file_is_media(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a file whose first bytes are the media its name promises.

    A result left by an older version that saved whatever came back (an HTML page as the
    ``.mp4``) fails this, so it is fetched again.
    """
    try:
        with open(path, "rb") as file:
            head = file.read(HEAD_BYTES)
    except OSError:
        return False
    return _head_ok(head, expected_kind(Path(path).name))
