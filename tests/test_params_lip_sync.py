"""Lip-sync (original and advanced) and face identification.

The rules are Kling's, from the pages cited in ``kling/_params/_lip_sync.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kling._errors import InvalidParameterError
from tests._helpers import prepare_body
from tests.test_files import MP3_ID3, WAV, b64

VIDEO = "https://example.com/v.mp4"
AUDIO = "https://example.com/a.mp3"


def check(family: str, params: dict[str, Any], message: str, field: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        prepare_body(family, params)
    assert (str(info.value), info.value.field) == (message, field)


def test_lip_sync_text_mode_is_nested_in_input_with_options_on_top() -> None:
    body = prepare_body(
        "lip_sync",
        {
            "video_id": "v1",
            "mode": "text2video",
            "text": "hello",
            "voice_id": "oversea_male1",
            "voice_language": "en",
            "voice_speed": 1.2,
            "callback_url": "https://hook.example.com",
            "external_task_id": "ls-1",
        },
    )
    assert body == {
        "input": {
            "video_id": "v1",
            "mode": "text2video",
            "text": "hello",
            "voice_id": "oversea_male1",
            "voice_language": "en",
            "voice_speed": 1.2,
        },
        "callback_url": "https://hook.example.com",
        "external_task_id": "ls-1",
    }


def test_lip_sync_audio_file_is_read_and_encoded(tmp_path: Path) -> None:
    path = tmp_path / "speech.wav"
    path.write_bytes(WAV)
    body = prepare_body(
        "lip_sync",
        {"video_url": VIDEO, "mode": "audio2video", "audio_type": "file", "audio_file": path},
    )
    assert body == {
        "input": {
            "video_url": VIDEO,
            "mode": "audio2video",
            "audio_type": "file",
            "audio_file": b64(WAV),
        }
    }


def test_lip_sync_audio_url_body() -> None:
    body = prepare_body(
        "lip_sync",
        {"video_id": "v1", "mode": "audio2video", "audio_type": "url", "audio_url": AUDIO},
    )
    assert body == {
        "input": {"video_id": "v1", "mode": "audio2video", "audio_type": "url", "audio_url": AUDIO}
    }


TEXT = {"video_id": "v1", "mode": "text2video", "text": "hi", "voice_id": "uk_boy1"}
AUDIO_FILE = {"video_id": "v1", "mode": "audio2video", "audio_type": "file", "audio_file": MP3_ID3}

LIP_SYNC_RULES = [
    pytest.param(
        {k: v for k, v in TEXT.items() if k != "video_id"},
        "video_id: one of video_id or video_url is required",
        "video_id",
        id="needs-a-video",
    ),
    pytest.param(
        {**TEXT, "video_url": VIDEO},
        "video_url: cannot be combined with video_id; pass only one of video_id or video_url",
        "video_url",
        id="video-id-xor-url",
    ),
    pytest.param({"video_id": "v1"}, "mode: required", "mode", id="mode-required"),
    pytest.param(
        {**TEXT, "mode": "tts"},
        "mode: must be one of 'text2video' or 'audio2video' (got 'tts')",
        "mode",
        id="mode-values",
    ),
    pytest.param(
        {**TEXT, "text": None},
        'text: required when mode is "text2video"',
        "text",
        id="text-mode-needs-text",
    ),
    pytest.param(
        {**TEXT, "voice_id": None},
        'voice_id: required when mode is "text2video"',
        "voice_id",
        id="text-mode-needs-voice",
    ),
    pytest.param(
        {**TEXT, "text": "t" * 121},
        "text: at most 120 characters (got 121)",
        "text",
        id="text-length",
    ),
    pytest.param(
        {**TEXT, "voice_language": "fr"},
        "voice_language: must be one of 'zh' or 'en' (got 'fr')",
        "voice_language",
        id="voice-language",
    ),
    pytest.param(
        {**AUDIO_FILE, "audio_type": None},
        'audio_type: required when mode is "audio2video" ("file" or "url")',
        "audio_type",
        id="audio-mode-needs-type",
    ),
    pytest.param(
        {**AUDIO_FILE, "audio_file": None},
        'audio_file: required when audio_type is "file"',
        "audio_file",
        id="file-needs-audio-file",
    ),
    pytest.param(
        {**AUDIO_FILE, "audio_type": "url"},
        'audio_url: required when audio_type is "url"',
        "audio_url",
        id="url-needs-audio-url",
    ),
    pytest.param(
        {**AUDIO_FILE, "audio_file": AUDIO},
        "audio_file: takes the audio itself (a Path, bytes or Base64), not a URL",
        "audio_file",
        id="audio-file-is-not-a-url",
    ),
    pytest.param(
        {**AUDIO_FILE, "audio_file": MP3_ID3 + bytes(5 * 1024 * 1024)},
        "audio_file: 5.0 MB; the limit is 5 MB",
        "audio_file",
        id="audio-file-size",
    ),
    pytest.param(
        {**AUDIO_FILE, "audio_type": "url", "audio_file": None, "audio_url": "a.mp3"},
        "audio_url: must be an http:// or https:// URL (got 'a.mp3')",
        "audio_url",
        id="audio-url-is-a-url",
    ),
]


@pytest.mark.parametrize(("params", "message", "field"), LIP_SYNC_RULES)
def test_lip_sync_rule(params: dict[str, Any], message: str, field: str) -> None:
    check("lip_sync", params, message, field)


# -- advanced lip sync and identify-face ----------------------------------------------------------

FACE = {
    "face_id": "0",
    "audio_id": "a1",
    "sound_start_time": 0,
    "sound_end_time": 3000,
    "sound_insert_time": 500,
}


def test_advanced_lip_sync_body() -> None:
    face = {
        **FACE,
        "audio_id": None,
        "sound_file": MP3_ID3,
        "sound_volume": 1.5,
        "original_audio_volume": 0,
    }
    body = prepare_body(
        "advanced_lip_sync", {"session_id": "s1", "face_choose": [face], "external_task_id": "x"}
    )
    assert body == {
        "session_id": "s1",
        "face_choose": [
            {
                "face_id": "0",
                "sound_file": b64(MP3_ID3),
                "sound_start_time": 0,
                "sound_end_time": 3000,
                "sound_insert_time": 500,
                "sound_volume": 1.5,
                "original_audio_volume": 0.0,
            }
        ],
        "external_task_id": "x",
    }


ADVANCED_RULES = [
    pytest.param(
        {"face_choose": [FACE]}, "session_id: required", "session_id", id="session-required"
    ),
    pytest.param({"session_id": "s"}, "face_choose: required", "face_choose", id="faces-required"),
    pytest.param(
        {"session_id": "s", "face_choose": []},
        "face_choose: exactly 1 item (got 0)",
        "face_choose",
        id="one-face",
    ),
    pytest.param(
        {"session_id": "s", "face_choose": [FACE, FACE]},
        "face_choose: exactly 1 item (got 2)",
        "face_choose",
        id="one-face-only",
    ),
    pytest.param(
        {"session_id": "s", "face_choose": [{**FACE, "sound_insert_time": None}]},
        "face_choose[0].sound_insert_time: required",
        "face_choose[0].sound_insert_time",
        id="times-required",
    ),
    pytest.param(
        {"session_id": "s", "face_choose": [{**FACE, "sound_start_time": 1.5}]},
        "face_choose[0].sound_start_time: must be an integer (got float)",
        "face_choose[0].sound_start_time",
        id="times-are-int-ms",
    ),
    pytest.param(
        {"session_id": "s", "face_choose": [{**FACE, "sound_insert_time": -1}]},
        "face_choose[0].sound_insert_time: must be at least 0 (got -1)",
        "face_choose[0].sound_insert_time",
        id="times-not-negative",
    ),
    pytest.param(
        {"session_id": "s", "face_choose": [{**FACE, "audio_id": None}]},
        "face_choose[0].audio_id: one of audio_id or sound_file is required",
        "face_choose[0].audio_id",
        id="needs-audio",
    ),
    pytest.param(
        {"session_id": "s", "face_choose": [{**FACE, "sound_file": AUDIO}]},
        "face_choose[0].sound_file: cannot be combined with audio_id; "
        "pass only one of audio_id or sound_file",
        "face_choose[0].sound_file",
        id="audio-id-xor-file",
    ),
    pytest.param(
        {"session_id": "s", "face_choose": [{**FACE, "sound_volume": 2.5}]},
        "face_choose[0].sound_volume: must be between 0 and 2 (got 2.5)",
        "face_choose[0].sound_volume",
        id="volume-range",
    ),
    pytest.param(
        {"session_id": "s", "face_choose": [{**FACE, "original_audio_volume": -1}]},
        "face_choose[0].original_audio_volume: must be between 0 and 2 (got -1)",
        "face_choose[0].original_audio_volume",
        id="original-volume-range",
    ),
    pytest.param(
        {"session_id": "s", "face_choose": [{**FACE, "sound_end_time": 1999}]},
        "face_choose[0].sound_end_time: the audio between sound_start_time and sound_end_time must "
        "last at least 2000 ms (got 1999 ms)",
        "face_choose[0].sound_end_time",
        id="clip-at-least-2s",
    ),
]


@pytest.mark.parametrize(("params", "message", "field"), ADVANCED_RULES)
def test_advanced_lip_sync_rule(params: dict[str, Any], message: str, field: str) -> None:
    check("advanced_lip_sync", params, message, field)


def test_identify_face_body() -> None:
    assert prepare_body("identify_face", {"video_url": VIDEO}) == {"video_url": VIDEO}


def test_identify_face_needs_a_video() -> None:
    check("identify_face", {}, "video_id: one of video_id or video_url is required", "video_id")


def test_identify_face_takes_no_task_options() -> None:
    check(
        "identify_face",
        {"video_id": "v", "callback_url": "https://cb"},
        "unknown parameter 'callback_url' for identify_face "
        "(use extra_body= to send fields this SDK does not know)",
        "callback_url",
    )
