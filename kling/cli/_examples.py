"""Examples in the help of every generated command, built from the SDK's table.

An example is the command, a sample for each of its positional arguments (the row's
``arguments``), the options the row's rules ask for (``_NEEDS``), then what to do with the task;
a command that can go to the new standard shows that too, with the product's
``example_model``. Samples go by parameter name, so a new row with the usual names has examples
without an entry here. Ids of earlier results are placeholders (``VIDEO_ID``). The tests run
every example against FakeKling.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._commands import Command

__all__ = ["EXAMPLE_FILES", "examples"]

_VIDEO_URL = "https://example.com/clip.mp4"

_SAMPLES: dict[str, str] = {
    "prompt": "a fox running through fresh snow",
    "text": "Hello from Kling",
    "image": "photo.png",
    "first_frame": "frame.png",
    "image_url": "dancer.png",
    "human_image": "person.png",
    "cloth_image": "shirt.png",
    "video_url": _VIDEO_URL,
    "video": _VIDEO_URL,
    "video_id": "VIDEO_ID",
    "session_id": "SESSION_ID",
    "effect_scene": "bloombloom",
    "element_name": "fox",
    "voice_name": "narrator",
    "element_frontal_image": "front.png",
}

#: Local files the examples name, for whoever runs them (the tests write them first).
EXAMPLE_FILES = (
    "photo.png",
    "frame.png",
    "dancer.png",
    "person.png",
    "shirt.png",
    "a.png",
    "b.png",
    "front.png",
    "side.png",
)

#: Options a row's rules require on top of its arguments (one of two inputs, a mode...).
_NEEDS: dict[str, tuple[str, ...]] = {
    "multi_image_to_video": ("--image-list", '[{"image": "a.png"}, {"image": "b.png"}]'),
    "lip_sync": (
        "--video-url",
        _VIDEO_URL,
        "--mode",
        "text2video",
        "--text",
        "Hello there",
        "--voice-id",
        "VOICE_ID",
    ),
    "advanced_lip_sync": (
        "--face-choose",
        '[{"face_id": "0", "audio_id": "AUDIO_ID", "sound_start_time": 0, '
        '"sound_end_time": 3000, "sound_insert_time": 0}]',
    ),
    "multi_elements": ("--edit-mode", "removal"),
    "video_effects": ("--image", "photo.png"),
    "omni_video": ("--aspect-ratio", "16:9"),
    "omni_image": ("--aspect-ratio", "1:1"),
    "avatar": ("--audio-id", "AUDIO_ID"),
    "motion_control": ("--character-orientation", "image", "--mode", "std"),
    "multi_image_to_image": ("--subject-image-list", '[{"subject_image": "a.png"}]'),
    "image_expand": ("--up-expansion-ratio", "0.5"),
    "text_to_audio": ("--duration", "5"),
    "video_to_audio": ("--video-url", _VIDEO_URL),
    "elements": (
        "--element-description",
        "a red fox",
        "--reference-type",
        "image_refer",
        "--element-image-list",
        '{"frontal_image": "front.png", "refer_images": [{"image_url": "side.png"}]}',
    ),
    "voices": ("--voice-url", "https://example.com/voice.mp3"),
    "tts": ("--voice-id", "VOICE_ID", "--voice-language", "en"),
    "identify_face": ("--video-url", _VIDEO_URL),
}
#: ...and on the new standard, where they differ.
_NEEDS_V2: dict[str, tuple[str, ...]] = {
    "motion_control": ("--character-orientation", "image"),
    "omni_video": ("--aspect-ratio", "16:9"),
}


def _words(keys: tuple[str, ...], needs: tuple[str, ...]) -> list[str]:
    return [*(_SAMPLES.get(key, key.upper()) for key in keys), *needs]


def examples(command: Command, invocation: str, *, task: bool, downloads: bool) -> list[str]:
    """One or two command lines for ``command``'s help (``invocation``: ``kling image``)."""
    head = shlex.split(invocation)
    base = [*head, *_words(command.arguments, _NEEDS.get(command.key, ()))]
    output = ["-o", "out/"] if downloads else []
    ending = ["--wait", *output] if task else output
    lines = [[*base, *ending]]
    product = command.product
    if product is not None:
        needs = _NEEDS_V2.get(product.name, ())
        v2 = [*head, *_words(product.arguments, needs), "--model", product.example_model]
        lines.append([*v2, *ending])
    elif any(field.key == "n" for field in command.fields):
        lines.append([*base, "--n", "4", *ending])
    elif task:
        lines.append([*base, "--json"])  # submit only: the task as JSON, global option last
    return [shlex.join(line) for line in lines]
