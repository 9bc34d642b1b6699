"""Parameters of lip-sync (original and advanced) and face identification.

Sources:

* advanced lip-sync: https://github.com/aself101/kling-api/blob/main/docs/api/kling-lip-sync.md
* face identification: https://github.com/aself101/kling-api/blob/main/docs/api/kling-face-recog.md
* original lip-sync (no longer on Kling's pages; Kuaishou's own client sends it):
  https://github.com/KwaiVGI/ComfyUI-KLingAI-API/blob/main/py/api/lip_sync.py
"""

from typing import Annotated, Literal

from typing_extensions import Required, TypedDict

from . import _rulebook as R
from ._common import (
    AudioFileInput,
    AudioInput,
    Identifier,
    TaskOptions,
    Url,
    VoiceLanguage,
    at_least,
    between,
    items,
    max_chars,
    params_config,
)
from ._rules import Params, exactly_one, fail, forbid, one_of, require

Milliseconds = Annotated[int, at_least(0)]
Volume = Annotated[float, between(0, 2)]

_TEXT_FIELDS = ("text", "voice_id", "voice_language", "voice_speed")
_AUDIO_FIELDS = ("audio_type", "audio_file", "audio_url")


@params_config
class LipSyncParams(TaskOptions, total=False):
    """``POST /v1/videos/lip-sync``: make the face in a video speak text or audio.

    Passed flat; the SDK nests everything but the task options in ``input``. Give ``video_id``
    (a Kling video) or ``video_url``. ``mode="text2video"`` needs ``text`` and ``voice_id``;
    ``mode="audio2video"`` needs ``audio_type`` and ``audio_file`` (``"file"``) or ``audio_url``
    (``"url"``).
    """

    video_id: str
    video_url: Url
    mode: Required[Literal["text2video", "audio2video"]]
    text: Annotated[str, max_chars(120)]
    voice_id: str
    voice_language: VoiceLanguage
    voice_speed: Annotated[float, between(0.8, 2.0, rule=R.LIP_SYNC_SPEED, field="voice_speed")]
    audio_type: Literal["file", "url"]
    audio_file: AudioFileInput
    audio_url: Url


@params_config
class FaceChoose(TypedDict, total=False):
    """Which face speaks what: ``audio_id`` (from TTS) or ``sound_file``, times in ms."""

    face_id: Required[Identifier]
    audio_id: str
    sound_file: AudioInput
    sound_start_time: Required[Milliseconds]
    sound_end_time: Required[Milliseconds]
    sound_insert_time: Required[Milliseconds]
    sound_volume: Volume
    original_audio_volume: Volume


@params_config
class AdvancedLipSyncParams(TaskOptions, total=False):
    """``POST /v1/videos/advanced-lip-sync``, with a ``session_id`` from ``identify_face``."""

    session_id: Required[str]
    # "Currently only supports one person lip-sync" (Kling's page).
    face_choose: Required[Annotated[list[FaceChoose], items(1, 1)]]


@params_config
class IdentifyFaceParams(TypedDict, total=False):
    """``POST /v1/videos/identify-face`` (synchronous): ``video_id`` or ``video_url``."""

    video_id: str
    video_url: Url


face_video = one_of("video_id", "video_url")


def lip_sync_inputs(params: Params) -> None:
    """One video, and the fields of the chosen ``mode`` and ``audio_type`` only."""
    exactly_one(R.LIP_SYNC, params, "video_id", "video_url")
    if params["mode"] == "text2video":
        forbid(R.LIP_SYNC_UNUSED, params, _AUDIO_FIELDS, 'only used with mode="audio2video"')
        require(R.LIP_SYNC, params, "text", 'when mode is "text2video"')
        require(R.LIP_SYNC, params, "voice_id", 'when mode is "text2video"')
        return
    forbid(R.LIP_SYNC_UNUSED, params, _TEXT_FIELDS, 'only used with mode="text2video"')
    require(R.LIP_SYNC, params, "audio_type", 'when mode is "audio2video" ("file" or "url")')
    wanted, other = ("audio_file", "audio_url")
    if params["audio_type"] == "url":
        wanted, other = other, wanted
    require(R.LIP_SYNC, params, wanted, f'when audio_type is "{params["audio_type"]}"')
    forbid(
        R.LIP_SYNC_UNUSED, params, (other,), f'not used when audio_type is "{params["audio_type"]}"'
    )


# Kling wants the inserted audio trimmed to at least 2 s.
_MIN_CLIP_MS = 2000


def face_clips(params: Params) -> None:
    """Each face speaks one audio, of at least 2 s."""
    for i, face in enumerate(params["face_choose"]):
        prefix = f"face_choose[{i}]."
        exactly_one(R.FACE_CLIPS, face, "audio_id", "sound_file", prefix=prefix)
        clip = face["sound_end_time"] - face["sound_start_time"]
        if clip < _MIN_CLIP_MS:
            fail(
                R.FACE_CLIPS,
                prefix + "sound_end_time",
                f"the audio between sound_start_time and sound_end_time must last at least "
                f"{_MIN_CLIP_MS} ms (got {clip} ms)",
            )
