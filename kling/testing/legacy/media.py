"""Image, audio and video inputs of legacy creates, as Kling's pages state them, for example
https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-2.1-generation.md

An image is a URL or raw Base64 (no ``data:`` prefix) of a JPG/PNG of at most 10 MB, each side
at least 300 px, aspect between 1:2.5 and 2.5:1. Audio is a URL or raw Base64 of at most 5 MB;
a video is a URL. URLs are judged by scheme and host only, never fetched (Kling fetches them
later and fails the task when it cannot); the file types the pages name are the file's, not a
rule on the URL's name (``fake.legacy.url_suffix``, checked in :mod:`.fields`).
"""

from __future__ import annotations

import base64
import binascii
import urllib.parse

from .._image_size import image_size, is_png_or_jpeg

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_AUDIO_BYTES = 5 * 1024 * 1024
MIN_SIDE = 300
MAX_ASPECT = 2.5

VIDEO_TYPES = (".mp4", ".mov")
AUDIO_TYPES = (".mp3", ".wav", ".m4a", ".aac")
VOICE_TYPES = (".mp3", ".wav", ".mp4", ".mov")

_DATA_URI = "is a data: URI; Kling takes a URL or raw Base64 without the data:...;base64, prefix"


def is_url(value: str) -> bool:
    """An absolute ``http(s)://`` URL with a host."""
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def url_has_type(value: str, suffixes: tuple[str, ...]) -> bool:
    """Whether the URL's path ends in one of ``suffixes`` (case-insensitive)."""
    return urllib.parse.urlsplit(value).path.lower().endswith(suffixes)


def _decoded(value: str, limit: int, what: str) -> bytes | str:
    """The Base64 payload, or why it is not one."""
    if value[:5].lower() == "data:":
        return _DATA_URI
    if "://" in value:
        return "is not an http(s) URL"
    if len(value) > (limit + 2) // 3 * 4 + 4:  # refuse before decoding a huge string
        return f"is over {limit // (1024 * 1024)} MB"
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return f"is neither a URL nor Base64-encoded {what}"
    if not data:
        return "is empty"
    if len(data) > limit:
        return f"is over {limit // (1024 * 1024)} MB"
    return data


def image_problem(value: str, *, max_side: int | None = None) -> str | None:
    """Why ``value`` is not an acceptable image input, or ``None`` when it is."""
    if is_url(value):
        return None
    data = _decoded(value, MAX_IMAGE_BYTES, "image data")
    if isinstance(data, str):
        return data
    if not is_png_or_jpeg(data):
        return "must be a JPG or PNG image"
    size = image_size(data)
    if size is None:
        return "is not a readable JPG or PNG image"
    width, height = size
    if min(width, height) < MIN_SIDE:
        return f"sides must be at least {MIN_SIDE} px, got {width}x{height}"
    if max_side is not None and max(width, height) > max_side:
        return f"sides must be at most {max_side} px, got {width}x{height}"
    if max(width, height) > MAX_ASPECT * min(width, height):
        return f"aspect ratio must be between 1:2.5 and 2.5:1, got {width}x{height}"
    return None


def audio_problem(value: str, *, url_only: bool = False) -> str | None:
    """Why ``value`` is not an acceptable audio input (URL or Base64, ≤5 MB), or ``None``."""
    if is_url(value):
        return None
    if url_only:
        return "is not an http(s) URL"
    data = _decoded(value, MAX_AUDIO_BYTES, "audio")
    return data if isinstance(data, str) else None


def video_url_problem(value: str) -> str | None:
    """Why ``value`` is not an acceptable video URL, or ``None`` (no upload, no Base64)."""
    if not is_url(value):
        return "is not an http(s) URL"
    return None
