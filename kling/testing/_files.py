"""The files the fake serves under ``/files/``: small but valid media, built in code so the
package ships no binaries.

* PNG: 320x320 solid colour (passes Kling's >= 300 px input check).
* MP4: ISO-BMFF with one H.264 track: a 64x64 IDR frame coded with I_PCM macroblocks (raw samples,
  no entropy coder needed), shown for 5 seconds. Real decoders play it.
* MP3: 5 seconds of MPEG-1 Layer III silence (32 kbit/s, mono, 44.1 kHz).
* WAV: 5 seconds of 16-bit mono PCM silence at 8 kHz.
"""

from __future__ import annotations

import functools
import hashlib
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

# --------------------------------------------------------------------------------------- PNG


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def make_png(
    width: int = 320, height: int = 320, rgb: tuple[int, int, int] = (32, 96, 224)
) -> bytes:
    """A truecolour PNG of one colour."""
    row = b"\x00" + bytes(rgb) * width  # filter byte 0 (None), then the pixels
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(row * height, 9))
        + _png_chunk(b"IEND", b"")
    )


# ------------------------------------------------------------------------------------ H.264


class _BitWriter:
    """MSB-first bit writer with the Exp-Golomb codes H.264 headers use."""

    def __init__(self) -> None:
        self._bits: list[int] = []

    def u(self, width: int, value: int) -> None:
        self._bits.extend((value >> shift) & 1 for shift in range(width - 1, -1, -1))

    def ue(self, value: int) -> None:
        code = value + 1
        self.u(code.bit_length() - 1, 0)
        self.u(code.bit_length(), code)

    def se(self, value: int) -> None:
        self.ue(2 * value - 1 if value > 0 else -2 * value)

    def align(self) -> None:
        while len(self._bits) % 8:
            self._bits.append(0)

    def raw(self, data: bytes) -> None:
        assert len(self._bits) % 8 == 0, "raw bytes must start on a byte boundary"
        for byte in data:
            self.u(8, byte)

    def trailing(self) -> None:
        self.u(1, 1)  # rbsp_stop_one_bit, then zero bits to the byte boundary
        self.align()

    def to_bytes(self) -> bytes:
        out = bytearray()
        for index in range(0, len(self._bits), 8):
            byte = 0
            for bit in self._bits[index : index + 8]:
                byte = (byte << 1) | bit
            out.append(byte)
        return bytes(out)


def _nal(header: int, rbsp: bytes) -> bytes:
    """A NAL unit: header byte plus the payload with emulation-prevention bytes inserted."""
    out = bytearray([header])
    zeros = 0
    for byte in rbsp:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


_PROFILE_BASELINE = 66
_CONSTRAINTS = 0xC0  # constraint_set0 and set1: constrained baseline
_LEVEL = 10


def _h264_frame(width: int, height: int, yuv: tuple[int, int, int]) -> tuple[bytes, bytes, bytes]:
    """SPS, PPS and one IDR slice whose macroblocks are all I_PCM in colour ``yuv``."""
    mbs_w, mbs_h = width // 16, height // 16

    sps = _BitWriter()
    sps.u(8, _PROFILE_BASELINE)
    sps.u(8, _CONSTRAINTS)
    sps.u(8, _LEVEL)
    sps.ue(0)  # seq_parameter_set_id
    sps.ue(0)  # log2_max_frame_num_minus4
    sps.ue(2)  # pic_order_cnt_type: derived from frame_num, nothing else to send
    sps.ue(1)  # max_num_ref_frames
    sps.u(1, 0)  # gaps_in_frame_num_value_allowed_flag
    sps.ue(mbs_w - 1)
    sps.ue(mbs_h - 1)
    sps.u(1, 1)  # frame_mbs_only_flag
    sps.u(1, 1)  # direct_8x8_inference_flag
    sps.u(1, 0)  # frame_cropping_flag
    sps.u(1, 0)  # vui_parameters_present_flag
    sps.trailing()

    pps = _BitWriter()
    pps.ue(0)  # pic_parameter_set_id
    pps.ue(0)  # seq_parameter_set_id
    pps.u(1, 0)  # entropy_coding_mode_flag: CAVLC
    pps.u(1, 0)  # bottom_field_pic_order_in_frame_present_flag
    pps.ue(0)  # num_slice_groups_minus1
    pps.ue(0)  # num_ref_idx_l0_default_active_minus1
    pps.ue(0)  # num_ref_idx_l1_default_active_minus1
    pps.u(1, 0)  # weighted_pred_flag
    pps.u(2, 0)  # weighted_bipred_idc
    pps.se(0)  # pic_init_qp_minus26
    pps.se(0)  # pic_init_qs_minus26
    pps.se(0)  # chroma_qp_index_offset
    pps.u(1, 1)  # deblocking_filter_control_present_flag (so the slice can switch it off)
    pps.u(1, 0)  # constrained_intra_pred_flag
    pps.u(1, 0)  # redundant_pic_cnt_present_flag
    pps.trailing()

    luma, cb, cr = yuv
    samples = bytes([luma]) * 256 + bytes([cb]) * 64 + bytes([cr]) * 64  # 4:2:0 macroblock
    idr = _BitWriter()
    idr.ue(0)  # first_mb_in_slice
    idr.ue(7)  # slice_type: I (all slices of the picture)
    idr.ue(0)  # pic_parameter_set_id
    idr.u(4, 0)  # frame_num (log2_max_frame_num = 4)
    idr.ue(0)  # idr_pic_id
    idr.u(1, 0)  # no_output_of_prior_pics_flag
    idr.u(1, 0)  # long_term_reference_flag
    idr.se(0)  # slice_qp_delta
    idr.ue(1)  # disable_deblocking_filter_idc: off
    for _ in range(mbs_w * mbs_h):
        idr.ue(25)  # mb_type I_PCM
        idr.align()  # pcm_alignment_zero_bit
        idr.raw(samples)
    idr.trailing()

    return _nal(0x67, sps.to_bytes()), _nal(0x68, pps.to_bytes()), _nal(0x65, idr.to_bytes())


# -------------------------------------------------------------------------------------- MP4


def _box(kind: bytes, *parts: bytes) -> bytes:
    payload = b"".join(parts)
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _full_box(kind: bytes, version: int, flags: int, *parts: bytes) -> bytes:
    return _box(kind, struct.pack(">I", (version << 24) | flags), *parts)


_MATRIX = struct.pack(">9I", 0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000)


def make_mp4(width: int = 64, height: int = 64, seconds: int = 5) -> bytes:
    """An MP4 (``isom``) with one H.264 video track holding one frame shown for ``seconds``."""
    sps, pps, idr = _h264_frame(width, height, (110, 160, 90))
    sample = struct.pack(">I", len(idr)) + idr  # 4-byte length prefix, as avcC declares
    timescale, duration = 1000, seconds * 1000

    avcc = _box(
        b"avcC",
        bytes([1, _PROFILE_BASELINE, _CONSTRAINTS, _LEVEL, 0xFF, 0xE1]),
        struct.pack(">H", len(sps)),
        sps,
        b"\x01",
        struct.pack(">H", len(pps)),
        pps,
    )
    avc1 = _box(
        b"avc1",
        b"\x00" * 6 + struct.pack(">H", 1),  # reserved, data_reference_index
        b"\x00" * 16,  # pre_defined / reserved
        struct.pack(">HHII", width, height, 0x00480000, 0x00480000),  # size, 72 dpi
        struct.pack(">IH", 0, 1),  # reserved, frame_count
        bytes([4]) + b"fake".ljust(31, b"\x00"),  # compressorname (Pascal string)
        struct.pack(">Hh", 0x0018, -1),  # depth, pre_defined
        avcc,
    )

    def moov(chunk_offset: int) -> bytes:
        stbl = _box(
            b"stbl",
            _full_box(b"stsd", 0, 0, struct.pack(">I", 1), avc1),
            _full_box(b"stts", 0, 0, struct.pack(">III", 1, 1, duration)),
            _full_box(b"stss", 0, 0, struct.pack(">II", 1, 1)),
            _full_box(b"stsc", 0, 0, struct.pack(">IIII", 1, 1, 1, 1)),
            _full_box(b"stsz", 0, 0, struct.pack(">III", 0, 1, len(sample))),
            _full_box(b"stco", 0, 0, struct.pack(">II", 1, chunk_offset)),
        )
        minf = _box(
            b"minf",
            _full_box(b"vmhd", 0, 1, b"\x00" * 8),
            _box(b"dinf", _full_box(b"dref", 0, 0, struct.pack(">I", 1), _full_box(b"url ", 0, 1))),
            stbl,
        )
        mdia = _box(
            b"mdia",
            _full_box(b"mdhd", 0, 0, struct.pack(">IIIIHH", 0, 0, timescale, duration, 0x55C4, 0)),
            _full_box(b"hdlr", 0, 0, b"\x00" * 4, b"vide", b"\x00" * 12, b"VideoHandler\x00"),
            minf,
        )
        tkhd = _full_box(
            b"tkhd",
            0,
            3,  # enabled, in movie
            struct.pack(">IIIII", 0, 0, 1, 0, duration),
            b"\x00" * 8,
            struct.pack(">hhhH", 0, 0, 0, 0),  # layer, alternate group, volume, reserved
            _MATRIX,
            struct.pack(">II", width << 16, height << 16),
        )
        mvhd = _full_box(
            b"mvhd",
            0,
            0,
            struct.pack(">IIIIIH", 0, 0, timescale, duration, 0x00010000, 0x0100),
            b"\x00" * 10,
            _MATRIX,
            b"\x00" * 24,
            struct.pack(">I", 2),  # next_track_ID
        )
        return _box(b"moov", mvhd, _box(b"trak", tkhd, mdia))

    ftyp = _box(b"ftyp", b"isom", struct.pack(">I", 0x200), b"isomiso2avc1mp41")
    header_size = len(ftyp) + len(moov(0))  # the offset's value does not change moov's size
    return ftyp + moov(header_size + 8) + _box(b"mdat", sample)


# -------------------------------------------------------------------------------------- MP3


def make_mp3(seconds: int = 5) -> bytes:
    """MPEG-1 Layer III frames of digital silence (all-zero side info decodes to zeros)."""
    # 0xFFFB: sync, MPEG-1, Layer III, no CRC; 0x10: 32 kbit/s, 44.1 kHz, no padding; 0xC0: mono.
    header = bytes([0xFF, 0xFB, 0x10, 0xC0])
    frame_size = 144 * 32000 // 44100  # 104 bytes
    frame = header + b"\x00" * (frame_size - len(header))
    frames = -(-seconds * 44100 // 1152)  # 1152 samples per frame, rounded up
    return frame * frames


# -------------------------------------------------------------------------------------- WAV


def make_wav(seconds: int = 5, rate: int = 8000) -> bytes:
    """A RIFF/WAVE file of 16-bit mono PCM silence."""
    data = b"\x00\x00" * (rate * seconds)
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    chunks = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    chunks += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(chunks)) + chunks


# ------------------------------------------------------------------------------------ serving


@dataclass(frozen=True)
class MediaFile:
    """A served file: bytes, its type, and a strong ETag."""

    content: bytes
    content_type: str

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.content).hexdigest()[:32] + '"'


_BUILDERS: dict[str, tuple[Callable[[], bytes], str]] = {
    "mp4": (make_mp4, "video/mp4"),
    "png": (make_png, "image/png"),
    "mp3": (make_mp3, "audio/mpeg"),
    "wav": (make_wav, "audio/wav"),
}


def media_for(extension: str) -> MediaFile | None:
    """The canned file served for a name ending in ``.extension``, or ``None``."""
    extension = extension.lower()
    return _built(extension) if extension in _BUILDERS else None


@functools.cache
def _built(extension: str) -> MediaFile:
    build, content_type = _BUILDERS[extension]
    return MediaFile(build(), content_type)  # built once per process, then cached


class RangeNotSatisfiable(Exception):
    """The requested byte range lies outside the file (answered with 416)."""


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive ``(first, last)`` byte range a ``Range`` header asks for, or ``None``.

    Only single ``bytes=`` ranges are honoured; anything else (including multiple ranges) is
    ignored, which RFC 9110 allows: the whole file is sent with 200.
    """
    if not header:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first_text, dash, last_text = spec.strip().partition("-")
    if not dash:
        return None
    try:
        if not first_text:  # suffix range: the last N bytes
            length = int(last_text)
            if length <= 0:
                raise RangeNotSatisfiable
            return max(0, size - length), size - 1
        first = int(first_text)
        last = int(last_text) if last_text else size - 1
    except ValueError:
        return None
    if first >= size:
        raise RangeNotSatisfiable
    if first < 0 or last < first:
        return None
    return first, min(last, size - 1)
