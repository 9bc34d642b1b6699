"""Selection masks of multi-element video editing: Kling's RLE strings, as bitmaps and PNGs.

``add_selection`` and ``delete_selection`` answer with each marked object's mask as an
``rle_mask``: ``{"size": [height, width], "counts": "..."}``. Kling's page decodes it with
COCO's compressed RLE (``rleFrString`` and ``rleDecode`` in its sample code,
https://github.com/aself101/kling-api/blob/main/docs/api/kling-multi-element-video-editing.md):

- ``counts`` is a string of run lengths, each written 5 bits a character (offset by 48, bit
  ``0x20``: more characters follow, bit ``0x10`` of the last: negative); from the third on, a
  run is stored as its difference to the run two before;
- the runs alternate between 0s and 1s, starting with 0s, and walk the pixels column by column
  (pixel ``p`` is column ``p // height``, row ``p % height``).

Standard library only: :func:`decode_rle` gives rows of bytes (1 inside the mask),
:func:`mask_png` a grayscale PNG (zlib and struct), :func:`encode_rle` the string again.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

__all__ = ["decode_counts", "decode_rle", "encode_counts", "encode_rle", "mask_png"]

_OFFSET = 48  # counts characters start at "0"
_ONES = bytes([0] + [1] * 255)  # any non-zero byte is inside


def decode_counts(counts: str) -> list[int]:
    """The run lengths a compressed ``counts`` string holds (COCO's ``rleFrString``)."""
    runs: list[int] = []
    p = 0
    while p < len(counts):
        x = k = 0
        more = True
        while more:
            if p >= len(counts):
                raise ValueError("RLE counts end in the middle of a run length")
            c = ord(counts[p]) - _OFFSET
            if not 0 <= c < 64:
                raise ValueError(f"RLE counts hold a character out of range: {counts[p]!r}")
            x |= (c & 0x1F) << (5 * k)
            more = bool(c & 0x20)
            p += 1
            k += 1
            if not more and c & 0x10:
                x |= -1 << (5 * k)
        if len(runs) > 2:
            x += runs[-2]
        if x < 0:
            raise ValueError(f"RLE counts decode to a negative run length ({x})")
        runs.append(x)
    return runs


def encode_counts(runs: Sequence[int]) -> str:
    """The compressed ``counts`` string of run lengths (COCO's ``rleToString``)."""
    out: list[str] = []
    for i, run in enumerate(runs):
        x = run - runs[i - 2] if i > 2 else run
        more = True
        while more:
            c = x & 0x1F
            x >>= 5
            more = x != -1 if c & 0x10 else x != 0
            if more:
                c |= 0x20
            out.append(chr(c + _OFFSET))
    return "".join(out)


def decode_rle(counts: str, size: Sequence[int]) -> list[bytes]:
    """The mask of ``counts`` as ``height`` rows of ``width`` bytes, 1 inside and 0 outside.

    ``size`` is ``[height, width]`` as Kling sends it. Runs that stop short of the last pixel
    leave the rest 0; runs that go past it raise ``ValueError``.
    """
    height, width = _size(size)
    total = height * width
    pixels = bytearray(total)  # column by column, as the runs walk them
    position = 0
    for index, run in enumerate(decode_counts(counts)):
        end = position + run
        if end > total:
            raise ValueError(f"RLE counts cover {end} pixels or more; the mask has {total}")
        if index % 2:
            pixels[position:end] = b"\x01" * run
        position = end
    # Row y is every height-th byte from y: one C-speed slice a row.
    return [bytes(pixels[y::height]) for y in range(height)] if width else [b""] * height


def encode_rle(rows: Sequence[bytes]) -> str:
    """The compressed ``counts`` of a mask given as rows (any non-zero byte is inside)."""
    height = len(rows)
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("every row of a mask must be as long as the first")
    columns = bytearray(height * width)
    for y, row in enumerate(rows):
        columns[y::height] = row.translate(_ONES)
    runs: list[int] = []
    position, wanted = 0, b"\x01"  # the first run counts 0s
    while position < len(columns):
        end = columns.find(wanted, position)
        end = len(columns) if end < 0 else end
        runs.append(end - position)
        position, wanted = end, b"\x00" if wanted == b"\x01" else b"\x01"
    return encode_counts(runs or [0])


def mask_png(rows: Sequence[bytes], *, inside: int = 255) -> bytes:
    """A grayscale PNG of a mask given as rows: ``inside`` (white) where a byte is non-zero."""
    height = len(rows)
    width = len(rows[0]) if rows else 0
    if not height or not width:
        raise ValueError("a PNG needs at least one pixel")
    if not 0 <= inside <= 255:
        raise ValueError(f"inside must be a gray level from 0 to 255, got {inside}")
    table = bytes([0] + [inside] * 255)
    raw = b"".join(b"\x00" + row.translate(table) for row in rows)  # filter 0 on each row
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grayscale
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(raw)),
            _chunk(b"IEND", b""),
        ]
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _size(size: Sequence[int]) -> tuple[int, int]:
    if len(size) != 2 or not all(isinstance(n, int) and n >= 0 for n in size):
        raise ValueError(f"an RLE size is [height, width], two ints >= 0; got {list(size)!r}")
    return size[0], size[1]
