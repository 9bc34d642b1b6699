"""Parameters of the audio families.

Sources, Kling's pages:

* text to audio: https://github.com/aself101/kling-api/blob/main/docs/api/kling-text-to-audio.md
* video to audio: https://github.com/aself101/kling-api/blob/main/docs/api/kling-video-to-audio.md
* TTS: https://github.com/aself101/kling-api/blob/main/docs/api/kling-text-to-speech.md
"""

from typing import Annotated

from typing_extensions import Required, TypedDict

from ._common import (
    TaskOptions,
    Url,
    VoiceLanguage,
    VoiceSpeed,
    between,
    max_chars,
    one_decimal,
    params_config,
)
from ._rules import one_of

AudioPrompt = Annotated[str, max_chars(200)]


@params_config
class TextToAudioParams(TaskOptions, total=False):
    """``POST /v1/audio/text-to-audio``: a sound effect from a prompt, 3.0-10.0 s long."""

    prompt: Required[AudioPrompt]
    duration: Required[Annotated[float, between(3.0, 10.0), one_decimal]]


@params_config
class VideoToAudioParams(TaskOptions, total=False):
    """``POST /v1/audio/video-to-audio``: sound for ``video_id`` or ``video_url``."""

    video_id: str
    video_url: Url
    sound_effect_prompt: AudioPrompt
    bgm_prompt: AudioPrompt
    asmr_mode: bool


video_source = one_of("video_id", "video_url")


@params_config
class TtsParams(TypedDict, total=False):
    """``POST /v1/audio/tts`` (synchronous): speech from ``text`` in a preset ``voice_id``."""

    text: Required[Annotated[str, max_chars(1000)]]
    voice_id: Required[str]
    voice_language: VoiceLanguage
    voice_speed: VoiceSpeed
