"""Image and video inputs of new-standard creates, as Kling's pages state them, for example
https://github.com/aself101/kling-api/blob/main/docs/api/kling-omni-3.0-i2v.md

An image is an https URL or raw Base64 of a JPG/PNG of at most 50 MB, each side at least 300 px,
aspect between 1:2.5 and 2.5:1; a video is an https URL. URLs are never fetched (Kling fetches
them later and fails the task when it cannot). A ``data:`` prefix is refused: the new standard
does not document it and the legacy docs forbid it, and the fake must not accept more than Kling.
"""

from __future__ import annotations

import base64
import binascii
import urllib.parse

from .._image_size import image_size, is_png_or_jpeg

MAX_IMAGE_BYTES = 50 * 1024 * 1024
MIN_SIDE = 300
MAX_ASPECT = 2.5


def is_https_url(value: str) -> bool:
    """An absolute ``https://`` URL with a host."""
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() == "https" and bool(parts.hostname)


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
    if not is_png_or_jpeg(data):
        return "image must be a JPG or PNG"
    size = image_size(data)
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
