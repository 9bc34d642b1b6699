"""Media inputs: turn what the caller has into the string Kling takes, after checking it.

Kling takes an image or audio input either as an ``http(s)`` URL, which it fetches itself, or as
raw Base64 text with **no** ``data:...;base64,`` prefix. :data:`MediaInput` is what the SDK
accepts in its place:

* ``"https://..."`` / ``"http://..."``: sent as is (URLs are never fetched here);
* a :class:`pathlib.Path` (any ``os.PathLike``): the file is read and Base64-encoded;
* ``bytes``: Base64-encoded;
* ``"data:image/png;base64,..."``: decoded, checked, re-encoded without the prefix;
* any other string: taken to be raw Base64 already; it must decode.

Everything that is not a URL is checked on its decoded bytes before anything is sent: the format
is judged by content (magic bytes), never by file name, and the size must fit Kling's limit.

>>> from pathlib import Path
>>> image_input(Path("cat.png"), field="image")  # doctest: +SKIP
'iVBORw0KGgo...'
"""

from __future__ import annotations

import base64
import binascii
import os
import stat
import struct
from collections.abc import Callable, Iterable
from typing import TypeAlias

from ._errors import InvalidParameterError

__all__ = [
    "AUDIO_MAX_BYTES",
    "IMAGE_MAX_BYTES",
    "STANDARD_IMAGE_MAX_BYTES",
    "MediaError",
    "MediaInput",
    "audio_input",
    "encode_audio",
    "encode_audio_file",
    "encode_https_url",
    "encode_image",
    "encode_standard_image",
    "encode_url",
    "image_input",
    "image_size",
    "media_format",
    "url_input",
]

#: A URL string, a path to a file, the file's bytes, a ``data:`` URI, or raw Base64 text.
MediaInput: TypeAlias = str | os.PathLike[str] | bytes

_MB = 1024 * 1024
IMAGE_MAX_BYTES = 10 * _MB
#: The new standard takes larger images: https://github.com/aself101/kling-api/blob/main/docs/api/kling-omni-3.0-i2v.md
STANDARD_IMAGE_MAX_BYTES = 50 * _MB
AUDIO_MAX_BYTES = 5 * _MB
_MIN_SIDE = 300
# Kling's aspect-ratio window is 1:2.5 to 2.5:1; compared as integers (2*long <= 5*short).
_ASPECT = (5, 2)
# A string this short that fails as Base64 is probably a file name the caller meant to upload.
_PATHISH = 260


class MediaError(ValueError):
    """A media input breaks a rule; the message says why, without naming the field."""


# -- public entry points --------------------------------------------------------------------------


def image_input(value: MediaInput, *, field: str) -> str:
    """Return ``value`` as Kling takes an image: a URL as is, anything else as raw Base64.

    The decoded image must be JPEG or PNG (judged by content), at most 10 MB, at least 300 px on
    each side and between 1:2.5 and 2.5:1 (dimensions are read from the PNG/JPEG header; the
    check is skipped when they cannot be found). Raises :class:`InvalidParameterError` naming
    ``field``.
    """
    return _checked(encode_image, value, field)


def audio_input(value: MediaInput, *, field: str, allow_url: bool = True) -> str:
    """Return ``value`` as Kling takes audio: a URL as is, anything else as raw Base64.

    The decoded audio must be MP3, WAV, M4A or AAC (judged by content) and at most 5 MB.
    ``allow_url=False`` is for fields that take Base64 only (lip-sync ``audio_file``).
    """
    if allow_url:
        return _checked(encode_audio, value, field)
    return _checked(encode_audio_file, value, field)


def url_input(value: object, *, field: str) -> str:
    """Return ``value`` if it is an ``http(s)`` URL string; for fields Kling takes only as URLs."""
    return _checked(encode_url, value, field)


def _checked(encode: Callable[[object], str], value: object, field: str) -> str:
    try:
        return encode(value)
    except MediaError as exc:
        raise InvalidParameterError(f"{field}: {exc}", field=field) from None


# -- encoders (raise MediaError; used by the parameter validators) --------------------------------


def encode_image(value: object) -> str:
    """Like :func:`image_input`, raising :class:`MediaError` with a field-less reason."""
    return _encode(value, IMAGE_MAX_BYTES, _check_image)


def encode_audio(value: object) -> str:
    """Like :func:`audio_input`, raising :class:`MediaError` with a field-less reason."""
    return _encode(value, AUDIO_MAX_BYTES, _check_audio)


def encode_audio_file(value: object) -> str:
    """Like :func:`encode_audio` but refusing URLs (the field takes Base64 only)."""
    if isinstance(value, str) and _is_url(value.strip()):
        raise MediaError("takes the audio itself (a Path, bytes or Base64), not a URL")
    return encode_audio(value)


def encode_standard_image(value: object) -> str:
    """An image for the new standard: an ``https`` URL, or inline up to 50 MB (sent as Base64)."""
    _refuse_plain_http(value)
    return _encode(value, STANDARD_IMAGE_MAX_BYTES, _check_image)


def encode_https_url(value: object) -> str:
    """Like :func:`encode_url`, for the new standard's videos: ``https`` only."""
    _refuse_plain_http(value)
    return encode_url(value)


def _refuse_plain_http(value: object) -> None:
    if isinstance(value, str) and value.strip()[:7].lower() == "http://":
        raise MediaError(f"must be an https:// URL (got {_excerpt(value.strip())})")


def encode_url(value: object) -> str:
    """Return ``value`` stripped if it is an ``http(s)`` URL; raise :class:`MediaError` if not."""
    if not isinstance(value, str):
        raise MediaError(f"must be an http(s) URL string (got {type(value).__name__})")
    text = value.strip()
    if not _is_url(text):
        raise MediaError(f"must be an http:// or https:// URL (got {_excerpt(text)})")
    return text


def _encode(value: object, limit: int, check: Callable[[bytes], None]) -> str:
    if isinstance(value, str):
        text = value.strip()
        if _is_url(text):
            return text
        data = _decode_text(text, limit)
    elif isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
    elif isinstance(value, os.PathLike):
        data = _read_file(value, limit)
    else:
        raise MediaError(
            "must be a URL, a pathlib.Path, bytes, a data: URI or Base64 text "
            f"(got {type(value).__name__})"
        )
    if not data:
        raise MediaError("is empty")
    if len(data) > limit:
        raise MediaError(f"{_size(len(data))}; the limit is {limit // _MB} MB")
    try:
        check(data)
    except MediaError as exc:
        if isinstance(value, str) and len(value) <= _PATHISH:
            # A short string is most likely a file name that happened to be valid Base64.
            raise MediaError(f"{exc} (a plain string is read as Base64; {_PATH_HINT})") from None
        raise
    return base64.b64encode(data).decode("ascii")


_PATH_HINT = "pass pathlib.Path(...) to upload a file"


def _is_url(text: str) -> bool:
    return text[:8].lower().startswith(("http://", "https://"))


def _decode_text(text: str, limit: int) -> bytes:
    if text[:5].lower() == "data:":
        header, comma, payload = text.partition(",")
        if not comma or not header.lower().endswith(";base64"):
            raise MediaError("data: URI must be Base64-encoded (data:<type>;base64,<data>)")
        return _b64decode(payload, limit, what="data: URI payload")
    return _b64decode(text, limit, what="text", original=text)


def _b64decode(text: str, limit: int, *, what: str, original: str | None = None) -> bytes:
    compact = "".join(text.split())  # line-wrapped Base64 is common; the API wants none
    # Refuse oversized input before decoding it: 4 Base64 characters carry 3 bytes.
    estimate = len(compact) // 4 * 3
    if estimate > limit + 3:
        raise MediaError(f"{_size(estimate)}; the limit is {limit // _MB} MB")
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        if original is not None and len(original) <= _PATHISH:
            raise MediaError(
                f"{original!r} is not a URL, a data: URI or Base64 text; {_PATH_HINT}"
            ) from None
        raise MediaError(f"{what} is not valid Base64") from None


def _read_file(path: os.PathLike[str] | os.PathLike[bytes], limit: int) -> bytes:
    raw = os.fspath(path)
    name = os.fsdecode(raw)
    try:
        info = os.stat(raw)
    except FileNotFoundError:
        raise MediaError(f"file not found: {name}") from None
    except OSError as exc:
        raise MediaError(f"cannot read {name}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise MediaError(f"not a regular file: {name}")
    # Check the size before reading so a huge file is never loaded into memory.
    if info.st_size > limit:
        raise MediaError(f"{_size(info.st_size)}; the limit is {limit // _MB} MB")
    try:
        with open(raw, "rb") as handle:
            return handle.read(limit + 1)
    except OSError as exc:
        raise MediaError(f"cannot read {name}: {exc.strerror or exc}") from None


def _size(n: int) -> str:
    return f"{n / _MB:.1f} MB"


def _excerpt(text: str, limit: int = 40) -> str:
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}... ({len(text)} characters)"


# -- content checks --------------------------------------------------------------------------------


def _check_image(data: bytes) -> None:
    kind = _sniff(data)
    if kind not in ("png", "jpeg"):
        raise MediaError(f"{_describe(kind, 'a JPEG or PNG image')}; Kling accepts JPEG or PNG")
    size = image_size(data)
    if size is None:
        return  # dimensions unknown (odd but valid files): let Kling judge
    width, height = size
    if min(width, height) < _MIN_SIDE:
        raise MediaError(f"{width}x{height} px; each side must be at least {_MIN_SIDE} px")
    long, short = max(width, height), min(width, height)
    if long * _ASPECT[1] > short * _ASPECT[0]:
        raise MediaError(
            f"{width}x{height} px has aspect ratio {long / short:.2f}:1; "
            "Kling accepts 1:2.5 to 2.5:1"
        )


def _check_audio(data: bytes) -> None:
    kind = _sniff(data)
    if kind not in ("mp3", "wav", "m4a", "mp4", "aac"):
        raise MediaError(
            f"{_describe(kind, 'MP3, WAV, M4A or AAC audio')}; Kling accepts MP3, WAV, M4A or AAC"
        )


_DESCRIPTIONS = {
    "png": "a PNG image",
    "jpeg": "a JPEG image",
    "gif": "a GIF",
    "webp": "a WebP image",
    "bmp": "a BMP image",
    "tiff": "a TIFF image",
    "heic": "a HEIC/AVIF image",
    "pdf": "a PDF document",
    "mp3": "MP3 audio",
    "wav": "WAV audio",
    "m4a": "M4A audio",
    "mp4": "an MP4 file",
    "mov": "a QuickTime (.mov) video",
    "aac": "AAC audio",
    "flac": "FLAC audio",
    "ogg": "an Ogg file",
    "webm": "a WebM/Matroska file",
    "avi": "an AVI video",
}

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif"}


def _describe(kind: str | None, wanted: str) -> str:
    if kind is None:
        return f"file is not {wanted} (unrecognised content)"
    return f"file is {_DESCRIPTIONS[kind]}"


def media_format(data: bytes) -> str | None:
    """The format of a file from its first bytes (``"png"``, ``"mp4"``, ``"mov"``, ``"mp3"``...),
    or None when it is not a format this module recognises."""
    return _sniff(data)


def _sniff(data: bytes) -> str | None:
    """Name the format of ``data`` from its first bytes, or None when it is not recognised."""
    head = data[:16]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"RIFF") and len(head) >= 12:
        return {b"WAVE": "wav", b"WEBP": "webp", b"AVI ": "avi"}.get(head[8:12])
    if head[4:8] == b"ftyp":
        return _sniff_ftyp(data)
    if head.startswith(b"ID3"):
        return "mp3"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        # MPEG audio frame sync (11 bits). Layer bits 00 with a 12-bit sync is ADTS (AAC).
        layer = (head[1] >> 1) & 0b11
        if layer == 0:
            return "aac" if head[1] & 0xF0 == 0xF0 else None
        return "mp3"
    for magic, kind in _OTHER_MAGIC:
        if head.startswith(magic):
            return kind
    return None


_OTHER_MAGIC = (
    (b"%PDF", "pdf"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"fLaC", "flac"),
    (b"OggS", "ogg"),
    (b"\x1aE\xdf\xa3", "webm"),
    (b"BM", "bmp"),
)


def _sniff_ftyp(data: bytes) -> str:
    # ISO base media file: major brand at 8..12, then a version, then compatible brands.
    box_size = int.from_bytes(data[0:4], "big")
    end = min(max(box_size, 16), len(data), 64)
    brands = {data[8:12]} | {data[i : i + 4] for i in range(16, end - 3, 4)}
    if data[8:12] in _HEIF_BRANDS:
        return "heic"
    if data[8:12] == b"qt  ":
        return "mov"
    if brands & {b"M4A ", b"M4B ", b"M4P "}:
        return "m4a"
    # mp42/isom: audio-only MP4s (many phone recorders) look like this too, so audio accepts it.
    return "mp4"


# -- image dimensions ------------------------------------------------------------------------------

# Start-of-frame markers carry the dimensions; C4 (DHT), C8 (JPG) and CC (DAC) are not frames.
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def image_size(data: bytes) -> tuple[int, int] | None:
    """Return ``(width, height)`` of a PNG or JPEG from its header, or None if not found."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        if len(data) >= 24 and data[12:16] == b"IHDR":
            width, height = struct.unpack(">II", data[16:24])
            return (width, height) if width and height else None
        return None
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i, n = 2, len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            return None  # lost sync: a corrupt or unusual file; do not guess
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte before a marker
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            i += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image / start of scan before any frame header
            return None
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if length < 2:
            return None
        if marker in _SOF_MARKERS:
            if i + 9 > n:
                return None
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return (width, height) if width and height else None
        i += 2 + length
    return None


def reads_files(value: object) -> bool:
    """Whether preparing ``value`` (params, at any depth) will read a local file."""
    if isinstance(value, dict):
        values: Iterable[object] = value.values()
    elif isinstance(value, (list, tuple)):
        values = value
    else:
        return isinstance(value, os.PathLike)
    # Every create asks, and most of its values are strings: those are passed over without a
    # call or the PathLike check (an ABC's).
    return any(not isinstance(v, str) and reads_files(v) for v in values)
