"""Image and video inputs of new-standard creates (kling-api-new-standard.md §3.2).

An image is an https URL or raw Base64 of a JPG/PNG of at most 50 MB, each side at least 300 px,
aspect between 1:2.5 and 2.5:1; a video is an https URL. URLs are never fetched (Kling fetches
them later and fails the task when it cannot). A ``data:`` prefix is refused: the new standard
does not document it and the legacy docs forbid it, and the fake must not accept more than Kling.
"""

from __future__ import annotations

import base64
import binascii
import struct
import urllib.parse

MAX_IMAGE_BYTES = 50 * 1024 * 1024
MIN_SIDE = 300
MAX_ASPECT = 2.5

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SOI = b"\xff\xd8\xff"
# Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) do not.
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def is_https_url(value: str) -> bool:
    """An absolute ``https://`` URL with a host."""
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() == "https" and bool(parts.hostname)


def _png_size(data: bytes) -> tuple[int, int] | None:
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            at += 2
            continue
        if marker in _JPEG_SOF:
            if at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return int(width), int(height)
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return None


def image_problem(value: str) -> str | None:
    """Why ``value`` is not an acceptable image input, or ``None`` when it is."""
    if is_https_url(value):
        return None
    if "://" in value or value[:5].lower() == "data:":
        return "expected an https URL or raw Base64"
    if len(value) > (MAX_IMAGE_BYTES + 2) // 3 * 4:  # refuse before decoding 50+ MB
        return "image is over 50 MB"
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return "expected an https URL or raw Base64"
    if len(data) > MAX_IMAGE_BYTES:
        return "image is over 50 MB"
    if data.startswith(_PNG_SIGNATURE):
        size = _png_size(data)
    elif data.startswith(_JPEG_SOI):
        size = _jpeg_size(data)
    else:
        return "image must be a JPG or PNG"
    if size is None:
        return "image is not a readable JPG or PNG"
    width, height = size
    if min(width, height) < MIN_SIDE:
        return f"image sides must be at least {MIN_SIDE} px, got {width}x{height}"
    if max(width, height) > MAX_ASPECT * min(width, height):
        return f"image aspect ratio must be between 1:2.5 and 2.5:1, got {width}x{height}"
    return None


def video_ok(value: str) -> bool:
    """Whether ``value`` is an acceptable video input (an https URL: no upload, no Base64)."""
    return is_https_url(value)
