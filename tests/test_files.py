"""Media inputs: URLs pass through, everything else becomes checked raw Base64."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import pytest

from kling._errors import InvalidParameterError
from kling._files import audio_input, image_input, image_size, url_input

# -- real (tiny) media, built here ----------------------------------------------------------------


def png(width: int = 300, height: int = 300) -> bytes:
    """A valid RGB PNG of the given size (all black)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + bytes(width * 3) for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg(width: int = 300, height: int = 300, *, sof: int = 0xC0) -> bytes:
    """A JPEG header: SOI, a JFIF APP0, a quantisation table, the frame header (SOF), EOI."""

    def segment(marker: int, payload: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload

    app0 = segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    dqt = segment(0xDB, b"\x00" + bytes(range(1, 65)))
    frame = segment(
        sof, struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x11\x00\x02\x11\x01\x03\x11\x01"
    )
    return b"\xff\xd8" + app0 + dqt + frame + b"\xff\xd9"


GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + bytes(20)
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(20)
MP3_ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(100)
MP3_FRAME = b"\xff\xfb\x90\x00" + bytes(100)  # MPEG-1 Layer III frame header, no ID3 tag
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00" + bytes(100)
M4A = b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A isomiso2" + bytes(100)
PHONE_M4A = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00isommp42" + bytes(100)
AAC = b"\xff\xf1\x50\x80\x02\x1f\xfc" + bytes(100)  # ADTS header
OGG = b"OggS\x00\x02" + bytes(100)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# -- what is sent ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["https://cdn.example.com/a.png", "http://example.com/x?y=1"])
def test_url_is_sent_as_is_and_not_fetched(url: str) -> None:
    assert image_input(url, field="image") == url
    assert audio_input(url, field="sound_file") == url


def test_path_is_read_and_sent_as_raw_base64(tmp_path: Path) -> None:
    data = png()
    path = tmp_path / "cat.png"
    path.write_bytes(data)
    assert image_input(path, field="image") == b64(data)


def test_bytes_are_sent_as_raw_base64() -> None:
    data = jpeg()
    assert image_input(data, field="image") == b64(data)


def test_data_uri_loses_its_prefix() -> None:
    data = png()
    sent = image_input(f"data:image/png;base64,{b64(data)}", field="image")
    assert sent == b64(data)
    assert not sent.startswith("data:")


def test_raw_base64_text_is_checked_and_normalised() -> None:
    data = png()
    wrapped = "\n".join(b64(data)[i : i + 76] for i in range(0, len(b64(data)), 76))
    assert image_input(wrapped, field="image") == b64(data)


def test_format_is_judged_by_content_not_file_name(tmp_path: Path) -> None:
    path = tmp_path / "actually-a-png.gif"
    path.write_bytes(png())
    assert image_input(path, field="image") == b64(png())


# -- refusals -------------------------------------------------------------------------------------


def error_of(call: object) -> InvalidParameterError:
    assert callable(call)
    with pytest.raises(InvalidParameterError) as info:
        call()
    return info.value


def test_gif_is_refused_with_the_reason() -> None:
    error = error_of(lambda: image_input(GIF, field="image"))
    assert str(error) == "image: file is a GIF; Kling accepts JPEG or PNG"
    assert error.field == "image"
    assert isinstance(error, ValueError)


def test_webp_in_a_file_named_png_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(WEBP)
    error = error_of(lambda: image_input(path, field="image_tail"))
    assert str(error) == "image_tail: file is a WebP image; Kling accepts JPEG or PNG"


def test_unrecognised_content_is_refused() -> None:
    error = error_of(lambda: image_input(b"hello world", field="image"))
    assert str(error) == (
        "image: file is not a JPEG or PNG image (unrecognised content); Kling accepts JPEG or PNG"
    )


def test_image_over_10_mb_is_refused() -> None:
    data = png() + bytes(11 * 1024 * 1024)
    error = error_of(lambda: image_input(data, field="image"))
    assert str(error) == "image: 11.0 MB; the limit is 10 MB"


def test_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    with path.open("wb") as handle:
        handle.write(png())
        handle.truncate(12 * 1024 * 1024)  # sparse: no 12 MB written to disk
    error = error_of(lambda: image_input(path, field="image"))
    assert str(error) == "image: 12.0 MB; the limit is 10 MB"


def test_huge_base64_text_is_refused_before_decoding() -> None:
    text = "A" * (16 * 1024 * 1024)
    error = error_of(lambda: image_input(text, field="image"))
    assert str(error) == "image: 12.0 MB; the limit is 10 MB"


def test_missing_file_is_named() -> None:
    error = error_of(lambda: image_input(Path("/x/y.png"), field="image"))
    assert str(error) == "image: file not found: /x/y.png"


def test_directory_is_refused(tmp_path: Path) -> None:
    error = error_of(lambda: image_input(tmp_path, field="image"))
    assert str(error) == f"image: not a regular file: {tmp_path}"


def test_empty_bytes_are_refused() -> None:
    assert str(error_of(lambda: image_input(b"", field="image"))) == "image: is empty"


def test_image_with_a_side_under_300_px_is_refused() -> None:
    error = error_of(lambda: image_input(png(299, 400), field="image"))
    assert str(error) == "image: 299x400 px; each side must be at least 300 px"


def test_image_flatter_than_2_5_to_1_is_refused() -> None:
    error = error_of(lambda: image_input(jpeg(751, 300), field="image"))
    assert str(error) == "image: 751x300 px has aspect ratio 2.50:1; Kling accepts 1:2.5 to 2.5:1"


def test_image_exactly_2_5_to_1_is_accepted() -> None:
    assert image_input(png(300, 750), field="image") == b64(png(300, 750))


def test_jpeg_without_a_frame_header_skips_the_dimension_check() -> None:
    data = b"\xff\xd8\xff\xe0\x00\x04\x00\x00\xff\xd9"
    assert image_input(data, field="image") == b64(data)


def test_string_that_is_not_base64_suggests_a_path() -> None:
    error = error_of(lambda: image_input("photos/cat.png", field="image"))
    assert str(error) == (
        "image: 'photos/cat.png' is not a URL, a data: URI or Base64 text; "
        "pass pathlib.Path(...) to upload a file"
    )


def test_long_invalid_base64_is_not_echoed() -> None:
    text = "!" * 5000
    error = error_of(lambda: image_input(text, field="image"))
    assert str(error) == "image: text is not valid Base64"


def test_data_uri_that_is_not_base64_is_refused() -> None:
    error = error_of(lambda: image_input("data:image/png,rawbytes", field="image"))
    assert str(error) == "image: data: URI must be Base64-encoded (data:<type>;base64,<data>)"


def test_unsupported_type_is_refused() -> None:
    error = error_of(lambda: image_input(42, field="image"))  # type: ignore[arg-type]
    assert str(error) == (
        "image: must be a URL, a pathlib.Path, bytes, a data: URI or Base64 text (got int)"
    )


# -- dimensions -----------------------------------------------------------------------------------


def test_png_dimensions_come_from_ihdr() -> None:
    assert image_size(png(640, 480)) == (640, 480)


@pytest.mark.parametrize("sof", [0xC0, 0xC1, 0xC2])
def test_jpeg_dimensions_come_from_the_frame_header(sof: int) -> None:
    assert image_size(jpeg(1280, 720, sof=sof)) == (1280, 720)


def test_jpeg_fill_bytes_before_a_marker_are_skipped() -> None:
    data = jpeg(400, 500)
    padded = data[:2] + b"\xff\xff" + data[2:]
    assert image_size(padded) == (400, 500)


def test_truncated_jpeg_has_no_dimensions() -> None:
    assert image_size(jpeg(400, 500)[:30]) is None


# -- audio ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [MP3_ID3, MP3_FRAME, WAV, M4A, PHONE_M4A, AAC],
    ids=["mp3-id3", "mp3-frame", "wav", "m4a", "m4a-mp42", "aac-adts"],
)
def test_supported_audio_is_sent_as_base64(data: bytes) -> None:
    assert audio_input(data, field="sound_file") == b64(data)


def test_image_given_as_audio_is_refused() -> None:
    error = error_of(lambda: audio_input(png(), field="sound_file"))
    assert str(error) == "sound_file: file is a PNG image; Kling accepts MP3, WAV, M4A or AAC"


def test_ogg_audio_is_refused() -> None:
    error = error_of(lambda: audio_input(OGG, field="audio_file"))
    assert str(error) == "audio_file: file is an Ogg file; Kling accepts MP3, WAV, M4A or AAC"


def test_audio_over_5_mb_is_refused() -> None:
    error = error_of(lambda: audio_input(MP3_ID3 + bytes(5 * 1024 * 1024), field="sound_file"))
    assert str(error) == "sound_file: 5.0 MB; the limit is 5 MB"


def test_inline_only_audio_refuses_a_url() -> None:
    error = error_of(lambda: audio_input("https://a/b.mp3", field="audio_file", allow_url=False))
    assert str(error) == "audio_file: takes the audio itself (a Path, bytes or Base64), not a URL"


def test_audio_data_uri_is_decoded() -> None:
    assert audio_input(f"data:audio/mpeg;base64,{b64(MP3_ID3)}", field="f") == b64(MP3_ID3)


# -- URL-only fields ------------------------------------------------------------------------------


def test_url_only_field_accepts_https() -> None:
    assert (
        url_input(" https://example.com/v.mp4 ", field="video_url") == "https://example.com/v.mp4"
    )


def test_url_only_field_refuses_a_path() -> None:
    error = error_of(lambda: url_input(Path("v.mp4"), field="video_url"))
    kind = type(Path("v.mp4")).__name__  # PosixPath or WindowsPath
    assert str(error) == f"video_url: must be an http(s) URL string (got {kind})"


def test_url_only_field_refuses_other_schemes() -> None:
    error = error_of(lambda: url_input("ftp://example.com/v.mp4", field="video_url"))
    assert (
        str(error)
        == "video_url: must be an http:// or https:// URL (got 'ftp://example.com/v.mp4')"
    )
