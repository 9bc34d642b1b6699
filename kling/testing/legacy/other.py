"""Legacy creates without ``model_name``: lip-sync, effects, avatar, audio, elements and voices,
and the checks of the synchronous endpoints.

Sources, Kling's pages:

* lip-sync and face identification: https://github.com/aself101/kling-api/blob/main/docs/api/kling-lip-sync.md
  and https://github.com/aself101/kling-api/blob/main/docs/api/kling-face-recog.md
* the original lip-sync, no longer on Kling's pages, as Kuaishou's own client sends it:
  https://github.com/KwaiVGI/ComfyUI-KLingAI-API/blob/main/py/api/lip_sync.py
* effects: https://github.com/aself101/kling-api/blob/main/docs/api/kling-effects-video-effects.md
* avatar: https://github.com/aself101/kling-api/blob/main/docs/api/kling-avatar.md
* audio: https://github.com/aself101/kling-api/blob/main/docs/api/kling-text-to-audio.md
  https://github.com/aself101/kling-api/blob/main/docs/api/kling-video-to-audio.md
  https://github.com/aself101/kling-api/blob/main/docs/api/kling-text-to-speech.md
* elements: https://github.com/aself101/kling-api/blob/main/docs/api/kling-o1-element-mgt.md
* voices: https://github.com/aself101/kling-api/blob/main/docs/api/kling-2.6-voice-mgt.md
* AI multi-shot: https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-common-subject-completion.md
* the older element library:
  https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/custom-elements.md
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import _rulebook as R
from .context import SESSION_MAX_AGE_MS, Lookup, Plan
from .fields import (
    audio,
    boolean,
    choice,
    exactly_one,
    image,
    items,
    number,
    obj,
    present,
    prompt,
    refuse,
    shown,
    string,
    video_url,
)
from .media import VOICE_TYPES

DUAL_EFFECTS = frozenset(
    {
        "kiss_pro",
        "hug_pro",
        "fight_pro",
        "heart_gesture_pro",
        "cheers_2026",
        "snow_night_kiss",
        "eternal_kiss",
        "pet_skateboard",
        "daily_ootd",
        "toss_run",
        "switch_to_silk",
        "studio_look",
        "french_elegance",
        "finger_swipe",
        "smooth_transition",
    }
)
"""Effects that take two images (``input.images``), 5 s only (the effects page, above)."""
DISCONTINUED_EFFECTS = frozenset(
    {
        "hug",
        "kiss",
        "heart_gesture",
        "fight",
        "thumbs_up",
        "tiger_hug",
        "pet_lion",
        "3d_cartoon_1",
        "celebration",
        "c4d_cartoon",
        "magic_match_tree",
    }
)
"""Effects Kling's changelog retired (2025-12-30 to 2026-07-03)."""
STILL_LISTED_EFFECTS = frozenset({"magic_match_tree"})
"""Retired by the changelog yet still listed on the effects page (``fake.effects.still_listed``)."""
ELEMENT_TAGS = tuple(f"o_{n}" for n in range(101, 109))
_SHORT_PROMPT = 200
_MIN_SOUND_MS = 2000


def avatar(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/videos/avatar/image2video``: one image, exactly one of two audio sources."""
    image(body, "image", required=True)
    exactly_one(body, "audio_id", "sound_file")
    string(body, "audio_id")
    audio(body, "sound_file")
    prompt(body)
    return Plan({"mode": choice(body, "mode", ("std", "pro")) or "std"})


def lip_sync(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/videos/lip-sync``: everything inside ``input``."""
    source = obj(body, "input", required=True) or {}
    exactly_one(source, "video_id", "video_url", path="input.")
    string(source, "video_id", path="input.video_id")
    video_url(source, "video_url", path="input.video_url")
    kind = choice(source, "mode", ("text2video", "audio2video"), path="input.mode", required=True)
    if kind == "text2video":
        string(source, "text", path="input.text", required=True, limit=120)
        string(source, "voice_id", path="input.voice_id", required=True)
        choice(source, "voice_language", ("zh", "en"), path="input.voice_language")
        number(
            source, "voice_speed", 0.8, 2.0, path="input.voice_speed", rule=R.LIP_SYNC_VOICE_SPEED
        )
        return Plan()
    kind = choice(source, "audio_type", ("file", "url"), path="input.audio_type", required=True)
    name = "audio_file" if kind == "file" else "audio_url"
    if not present(source, name):
        refuse(R.LEGACY_FIELDS, f"input.{name} is required with input.audio_type '{kind}'")
    audio(source, name, path=f"input.{name}", url_only=kind == "url")
    return Plan()


def advanced_lip_sync(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/videos/advanced-lip-sync``: one face of a live identify-face session."""
    session_id = string(body, "session_id", required=True) or ""
    session = lookup.session(session_id)
    if session is None or lookup.now_ms - session.created_at >= SESSION_MAX_AGE_MS:
        refuse(
            R.ADVANCED_LIP_SYNC,
            f"session_id '{shown(session_id)}' does not exist or has expired (sessions from "
            "identify-face last 24 hours)",
        )
        return Plan()
    faces = items(body, "face_choose", least=1, most=1, rule=R.ADVANCED_LIP_SYNC)
    face = faces[0] if faces else {}
    face_id = string(face, "face_id", path="face_choose[0].face_id", required=True) or ""
    if face_id not in session.faces:
        refuse(
            R.ADVANCED_LIP_SYNC,
            f"face_choose[0].face_id '{shown(face_id)}' is not a face of this session",
        )
        return Plan()
    exactly_one(face, "audio_id", "sound_file", path="face_choose[0].")
    string(face, "audio_id", path="face_choose[0].audio_id")
    audio(face, "sound_file", path="face_choose[0].sound_file")
    times = {
        name: int(
            number(face, name, 0, 10**9, path=f"face_choose[0].{name}", required=True, integer=True)
            or 0
        )
        for name in ("sound_start_time", "sound_end_time", "sound_insert_time")
    }
    for name in ("sound_volume", "original_audio_volume"):
        number(face, name, 0, 2, path=f"face_choose[0].{name}")
    length = times["sound_end_time"] - times["sound_start_time"]
    if length < _MIN_SOUND_MS:
        refuse(
            R.ADVANCED_LIP_SYNC,
            "face_choose[0]: the trimmed audio (sound_end_time - sound_start_time) must last "
            "at least 2000 ms",
        )
    start, end = times["sound_insert_time"], times["sound_insert_time"] + length
    if end > session.video_ms:
        refuse(
            R.ADVANCED_LIP_SYNC,
            f"face_choose[0]: the inserted audio ends at {end} ms, past the end of the video "
            f"({session.video_ms} ms)",
        )
    face_start, face_end = session.faces[face_id]
    if min(end, face_end) - max(start, face_start) < _MIN_SOUND_MS:
        refuse(
            R.ADVANCED_LIP_SYNC,
            "face_choose[0]: the inserted audio must overlap the face's time window by at "
            "least 2000 ms",
        )
    return Plan()


def video_effects(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/videos/effects``: single-image or dual-image scenes; retired scenes refused."""
    scene = string(body, "effect_scene", required=True) or ""
    if scene in DISCONTINUED_EFFECTS:
        rule = R.EFFECT_STILL_LISTED if scene in STILL_LISTED_EFFECTS else R.EFFECT_RETIRED
        refuse(rule, f"effect_scene '{scene}' has been discontinued")
    source = obj(body, "input", required=True) or {}
    if scene in DUAL_EFFECTS:
        if present(source, "image"):
            refuse(
                R.EFFECT_INPUTS,
                f"effect_scene '{scene}' takes two images in input.images, not input.image",
            )
        pictures = source.get("images")
        if not isinstance(pictures, list) or len(pictures) != 2:
            refuse(
                R.EFFECT_INPUTS, f"effect_scene '{scene}' needs exactly 2 images in input.images"
            )
            return Plan()
        for index in range(2):
            image({"image": pictures[index]}, "image", path=f"input.images[{index}]", required=True)
        choice(source, "duration", ("5",), path="input.duration")
    else:
        if present(source, "images"):
            refuse(
                R.EFFECT_INPUTS,
                f"effect_scene '{scene}' takes one image in input.image, not input.images",
            )
        image(source, "image", path="input.image", required=True)
        choice(source, "duration", ("5", "10"), path="input.duration")
    return Plan()


def text_to_audio(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/audio/text-to-audio``: 3.0-10.0 s, one decimal."""
    string(body, "prompt", required=True, limit=_SHORT_PROMPT)
    seconds = number(body, "duration", 3.0, 10.0, required=True, rule=R.TEXT_TO_AUDIO) or 0.0
    if round(seconds, 1) != seconds:
        refuse(R.TEXT_TO_AUDIO, f"duration {seconds:g} can have one decimal at most")
    return Plan({"duration": f"{seconds:g}"})


def video_to_audio(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/audio/video-to-audio``."""
    exactly_one(body, "video_id", "video_url")
    string(body, "video_id")
    video_url(body, "video_url")
    for name in ("sound_effect_prompt", "bgm_prompt"):
        string(body, name, limit=_SHORT_PROMPT)
    boolean(body, "asmr_mode")
    return Plan()


def custom_element(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/general/advanced-custom-elements`` (the elements page, above)."""
    string(body, "element_name", required=True, limit=20)
    if not isinstance(body.get("element_description"), str) or not body["element_description"]:
        refuse(R.ELEMENT_REQUIRED, "element_description is required")
    string(body, "element_description", limit=100)
    if body.get("reference_type") is None:
        refuse(R.ELEMENT_REQUIRED, "reference_type is required ('image_refer' or 'video_refer')")
    kind = choice(body, "reference_type", ("image_refer", "video_refer")) or "image_refer"
    if kind == "image_refer":
        images = obj(body, "element_image_list", required=True) or {}
        image(images, "frontal_image", path="element_image_list.frontal_image", required=True)
        path = "element_image_list.refer_images"
        refers = items(
            images, "refer_images", path=path, least=1, most=3, rule=R.ELEMENT_REFERENCES
        )
        for index, item in enumerate(refers):
            image(item, "image_url", path=f"{path}[{index}].image_url", required=True)
    else:
        videos = obj(body, "element_video_list", required=True) or {}
        path = "element_video_list.refer_videos"
        refers = items(
            videos, "refer_videos", path=path, least=1, most=1, rule=R.ELEMENT_REFERENCES
        )
        for video in refers:
            video_url(video, "video_url", path=f"{path}[0].video_url", required=True)
    voice = string(body, "element_voice_id")
    if voice is not None and not lookup.has_voice(voice):
        refuse(R.ELEMENT_REFERENCES, f"element_voice_id '{shown(voice)}' does not exist")
    for index, tag in enumerate(items(body, "tag_list")):
        choice(tag, "tag_id", ELEMENT_TAGS, path=f"tag_list[{index}].tag_id", required=True)
    return Plan()


def custom_voice(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/general/custom-voices``: a clean recording by URL, or a generated video."""
    string(body, "voice_name", required=True, limit=20)
    exactly_one(body, "voice_url", "video_id")
    video_url(body, "voice_url", suffixes=VOICE_TYPES)
    string(body, "video_id")
    return Plan()


def ai_multi_shot(body: Mapping[str, Any], lookup: Lookup) -> Plan:
    """``POST /v1/general/ai-multi-shot``: one frontal image (jpg/png, <= 10 MB, >= 300 px,
    1:2.5 to 2.5:1), which ``image`` checks."""
    image(body, "element_frontal_image", required=True)
    return Plan()


def old_custom_element(body: Mapping[str, Any]) -> None:
    """``POST /v1/general/custom-elements`` (the older library): name, description, a frontal
    image and 1-3 more views; tags from ``o_101``..``o_108``."""
    string(body, "element_name", required=True, limit=20)
    string(body, "element_description", required=True, limit=100)
    image(body, "element_frontal_image", required=True)
    path = "element_refer_list"
    for index, item in enumerate(items(body, path, least=1, most=3)):
        image(item, "image_url", path=f"{path}[{index}].image_url", required=True)
    for index, tag in enumerate(items(body, "tag_list")):
        choice(tag, "tag_id", ELEMENT_TAGS, path=f"tag_list[{index}].tag_id", required=True)


def tts(body: Mapping[str, Any]) -> float:
    """``POST /v1/audio/tts``; the speed, rounded into [0.8, 2.0] as Kling rounds it."""
    string(body, "text", required=True, limit=1000)
    string(body, "voice_id", required=True)
    if body.get("voice_language") is None:
        refuse(R.TTS_LANGUAGE, "voice_language is required ('zh' or 'en')")  # default zh
    choice(body, "voice_language", ("zh", "en"))
    speed = number(body, "voice_speed", float("-inf"), float("inf"))
    if speed is not None and not 0.8 <= speed <= 2.0:
        refuse(R.TTS_VOICE_SPEED, f"voice_speed must be in [0.8, 2], got {speed:g}")
    return 1.0 if speed is None else min(2.0, max(0.8, speed))


def identify_face(body: Mapping[str, Any]) -> None:
    """``POST /v1/videos/identify-face``."""
    exactly_one(body, "video_id", "video_url")
    string(body, "video_id")
    video_url(body, "video_url")


def image_recognize(body: Mapping[str, Any]) -> None:
    """``POST /v1/videos/image-recognize``."""
    image(body, "image", required=True)
