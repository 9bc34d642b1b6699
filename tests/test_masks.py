"""Selection masks: Kling's COCO-style RLE strings decode to the bitmap they describe.

The expected masks and strings below are worked out by hand from the format on Kling's
multi-element page (runs of 0s then 1s, column by column; 5 bits a character from "0"; from
the third run on, the difference to the run two before).
"""

from __future__ import annotations

import struct
import zlib

import pytest

from kling._models_multi_elements import RleMask
from kling.masks import decode_counts, decode_rle, encode_counts, encode_rle, mask_png


def test_a_hand_computed_mask_decodes_column_by_column() -> None:
    # 2 rows x 3 columns; column 0: 0,0  column 1: 1,0  column 2: 1,1
    # -> pixels in column order 0 0 1 0 1 1 -> runs [2, 1, 1, 2]
    # -> "2", "1", "1", then 2 - runs[1] = 1 -> "1".
    assert decode_counts("2111") == [2, 1, 1, 2]
    assert decode_rle("2111", [2, 3]) == [b"\x00\x01\x01", b"\x00\x00\x01"]


def test_a_long_run_takes_two_characters_and_a_shrinking_one_a_negative_difference() -> None:
    # 40 = 8 + 1 * 32: "8" + 48 with the "more" bit (32) is "X", then 1 + 48 is "1".
    assert decode_counts("X1") == [40]
    assert encode_counts([40]) == "X1"
    # runs [0, 5, 3, 2]: the fourth is stored as 2 - 5 = -3, one character with the sign bit:
    # -3 & 31 = 29 -> chr(29 + 48) = "M".
    assert encode_counts([0, 5, 3, 2]) == "053M"
    assert decode_counts("053M") == [0, 5, 3, 2]


def test_a_mask_that_starts_inside_has_an_empty_first_run() -> None:
    # 1 row x 2 columns, both inside: runs [0, 2].
    assert decode_rle("02", [1, 2]) == [b"\x01\x01"]
    assert encode_rle([b"\x01\x01"]) == "02"


def test_encoding_and_decoding_give_the_mask_back() -> None:
    rows = [bytes((x * y + x) % 3 == 0 for x in range(7)) for y in range(5)]
    assert decode_rle(encode_rle(rows), [5, 7]) == rows


def test_runs_past_the_last_pixel_are_refused() -> None:
    with pytest.raises(ValueError, match="cover 7 pixels or more; the mask has 6"):
        decode_rle("25", [2, 3])


@pytest.mark.parametrize(
    ("counts", "message"), [("2\x7f", "out of range"), ("X", "middle of a run length")]
)
def test_malformed_counts_are_refused(counts: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decode_counts(counts)


def test_a_size_that_is_not_height_and_width_is_refused() -> None:
    with pytest.raises(ValueError, match=r"\[height, width\]"):
        decode_rle("2111", [6])


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, offset = {}, 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        chunks[kind] = body
        offset += 12 + length
    width, height, depth, color, *_ = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, color) == (8, 0)  # 8-bit grayscale
    raw = zlib.decompress(chunks[b"IDAT"])
    rows = [raw[y * (width + 1) : (y + 1) * (width + 1)] for y in range(height)]
    assert all(row[0] == 0 for row in rows)  # filter "none" on every row
    return width, height, [row[1:] for row in rows]


def test_the_png_is_white_inside_the_mask() -> None:
    width, height, rows = _png_pixels(mask_png(decode_rle("2111", [2, 3])))
    assert (width, height) == (3, 2)
    assert rows == [b"\x00\xff\xff", b"\x00\x00\xff"]


def test_the_answer_model_decodes_its_mask() -> None:
    mask = RleMask.model_validate({"size": [2, 3], "counts": "2111"})
    assert (mask.height, mask.width) == (2, 3)
    assert mask.decode() == [b"\x00\x01\x01", b"\x00\x00\x01"]
    assert _png_pixels(mask.to_png())[2] == [b"\x00\xff\xff", b"\x00\x00\xff"]
