"""Every rule the SDK checks before sending, with its kind and its sources: one row each.

A check names its row (``CFG_SCALE.broken(field, reason)``) and the row's kind decides what
happens (:mod:`kling._evidence`): a ``limit`` is refused, an ``ignored`` value is sent with one
WARNING, an ``unsettled`` one is sent. ``docs/rules.md`` is generated from these rows
(``python scripts/rules_doc.py``), and ``tests/test_rule_sources.py`` fails on a row without a
source or a check that names no row.

The per-model values a rule reads (which durations kling-v1 makes...) are rows of their own
tables, with their own sources: ``_legacy_models.LEGACY_MODELS`` and
``_standard_models.MODEL_RULES``. Field constraints (lengths, ranges, values) take the sources of
their endpoint's row in ``kling._families``, unless they name a row here.
"""

from __future__ import annotations

from .._evidence import Kind, Rule, Source, page, rule

__all__ = ["RULES"]

LIMIT, IGNORED, UNSETTLED = Kind.LIMIT, Kind.IGNORED, Kind.UNSETTLED

_RG = "https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/"
_ENSO = "https://github.com/enso-ai/kling-api-wrapper/blob/47d40e9ff22b/api-docs/"


def rg(name: str, quote: str = "") -> Source:
    """A page of Kling's legacy docs as copied (in Chinese) early in 2026."""
    return Source(f"{_RG}{name}.md", "2026-02-03", quote)


def enso(name: str, quote: str = "") -> Source:
    """A page of Kling's 2025 docs as copied (in English)."""
    return Source(f"{_ENSO}{name}.md", "2025-06-01", quote)


VIDEO_MAP = page("kling-guide-capability-map-video.md", date="2026-05-19")
IMAGE_MAP = page("kling-guide-capability-map-image.md")
UPDATES = page("kling-updates-api.md")

# -- the legacy capability table (_legacy_models) --------------------------------------------------

DURATION = rule(
    "legacy.duration",
    "duration is one the model makes",
    LIMIT,
    VIDEO_MAP,
    rg("capability-map"),
)
MODE = rule("legacy.mode", "mode is one the model renders", LIMIT, rg("capability-map"))
IMAGE_ASPECT = rule(
    "legacy.aspect_ratio",
    "an image model makes the aspect_ratio asked",
    LIMIT,
    rg("image-generation"),
)
IMAGE_4K = rule(
    "legacy.resolution_4k", 'resolution="4k" only on models that make 4k images', LIMIT, IMAGE_MAP
)
CFG_SCALE = rule(
    "legacy.cfg_scale",
    "cfg_scale has no effect on Kling's 2.x video models",
    IGNORED,
    rg("text-to-video"),
    why="Kling's 2.x models ignore it",
)
SOUND = rule("legacy.sound", "sound and voice_list need a model that makes sound", LIMIT, VIDEO_MAP)
SOUND_PRO = rule(
    "legacy.sound_pro", 'kling-v2-6 renders sound in mode="pro" only', LIMIT, VIDEO_MAP
)
MULTI_SHOT = rule("legacy.multi_shot", "multi_shot needs a kling-v3 model", LIMIT, VIDEO_MAP)
ELEMENTS = rule(
    "legacy.element_list", "element_list needs a model that takes elements", LIMIT, VIDEO_MAP
)
MAX_ELEMENTS = rule(
    "legacy.max_elements", "no more elements than the model takes", LIMIT, rg("image-to-video")
)
NEEDS_IMAGE = rule(
    "legacy.needs_image",
    "kling-v2-new restyles an input image: image is required",
    LIMIT,
    IMAGE_MAP,
)
IMAGE_REFERENCE = rule(
    "legacy.image_reference",
    "image_reference needs a model that takes it",
    LIMIT,
    rg("image-generation"),
)
SERIES = rule("legacy.series", 'result_type="series" needs kling-v3-omni', LIMIT, IMAGE_MAP)
CAMERA = rule(
    "legacy.camera_control",
    "camera_control needs a model, mode and duration that render it",
    LIMIT,
    rg("capability-map"),
)
TAIL = rule(
    "legacy.image_tail",
    "a last frame (image_tail) needs a model and mode that render it",
    LIMIT,
    rg("capability-map"),
    VIDEO_MAP,
)
OMNI_FEATURE_SHOTS = rule(
    "legacy.omni_feature_shots",
    'multi-shot video of a feature video takes shot_type="intelligence" only',
    LIMIT,
    rg("omni-video-o1"),
)
PLAIN_DURATIONS = rule(
    "legacy.plain_durations",
    "kling-video-o1 makes 5 or 10 s videos from a prompt or a first frame alone",
    LIMIT,
    VIDEO_MAP,
)

# -- cross-field rules of the legacy families (_rules, _video, _image, ...) ------------------------

ONE_INPUT = rule(
    "inputs.one_of",
    "exactly one of the alternative inputs the page names (video_id or video_url...)",
    LIMIT,
    rg("lip-sync"),
    rg("video-to-audio"),
)
CAMERA_CONFIG = rule(
    "camera_control.config",
    'type="simple" takes a config with exactly one non-zero axis; other types take none',
    LIMIT,
    rg("text-to-video"),
)
SHOTS = rule(
    "multi_shot.fields",
    "multi_shot, shot_type and multi_prompt agree, and the shots fill duration",
    LIMIT,
    page("kling-omni-3.0-t2v.md"),
)
PROMPT = rule(
    "prompt.required", "prompt is required unless each shot has its own", LIMIT, rg("text-to-video")
)
VOICES_SOUND = rule("voice_list.sound", 'voice_list needs sound="on"', LIMIT, rg("text-to-video"))
I2V_INPUTS = rule(
    "image_to_video.inputs",
    "image or image_tail, and at most one of image_tail, masks, camera_control",
    LIMIT,
    rg("image-to-video"),
)
OMNI_REFERENCES = rule(
    "omni_video.references",
    "reference counts, frame types and what a video_list rules out",
    LIMIT,
    rg("omni-video-o1"),
)
OMNI_ASPECT = rule(
    "omni_video.aspect_ratio",
    "aspect_ratio without a first frame or a video to edit",
    LIMIT,
    rg("omni-video-o1"),
)
IMAGE_INPUTS = rule(
    "images.inputs",
    "image_reference needs an image; negative_prompt is for text-to-image",
    LIMIT,
    rg("image-generation"),
)
HUMAN_FIDELITY = rule(
    "images.human_fidelity",
    'human_fidelity only takes effect with image_reference="subject"',
    IGNORED,
    rg("image-generation"),
    why='it only takes effect with image_reference="subject"',
)
OMNI_IMAGE = rule(
    "omni_image.options",
    'series_amount needs result_type="series"; aspect_ratio="auto" needs references',
    LIMIT,
    page("kling-image-omni-3.0-image-omni.md"),
)
IMAGE_REFERENCES = rule(
    "images.references",
    "at most 10 reference images and elements together",
    LIMIT,
    page("kling-image-omni-3.0-generation.md"),
)
EXPANSION = rule(
    "image_expand.area",
    "the expanded image is at most 3x the original area",
    LIMIT,
    page("kling-image-common-outpainting.md"),
)
LIP_SYNC = rule(
    "lip_sync.inputs",
    "one video, and the fields of the chosen mode and audio_type only",
    LIMIT,
    page("kling-lip-sync.md"),
)
FACE_CLIPS = rule(
    "lip_sync.face_clips",
    "each face speaks one audio of at least 2 s",
    LIMIT,
    page("kling-lip-sync.md"),
)
ELEMENT_REFERENCES = rule(
    "elements.references",
    "images or videos, matching reference_type",
    LIMIT,
    page("kling-omni-3.0-element-mgt.md"),
)

VOICE_SPEED = rule(
    "tts.voice_speed",
    "voice_speed outside [0.8, 2.0] is rounded into range",
    IGNORED,
    rg("tts"),
    page("kling-text-to-speech.md"),
    why="Kling rounds it into that range",
)

# -- the new standard's capability table (_standard_models) ----------------------------------------

V2_PROMPT = rule(
    "standard.prompt_length",
    "no longer a prompt than the model takes",
    LIMIT,
    page("kling-3.0-turbo-t2v.md"),
)
V2_RESOLUTION = rule("standard.resolution", "a resolution the model renders", LIMIT, VIDEO_MAP)
V2_DURATION = rule("standard.duration", "a duration the model makes", LIMIT, VIDEO_MAP)
V2_AUDIO = rule("standard.audio", "an audio setting the model has", LIMIT, VIDEO_MAP)
V2_MULTI_SHOT = rule("standard.multi_shot", "multi_shot on a model that has it", LIMIT, VIDEO_MAP)
V2_CONTENTS = rule(
    "standard.contents", "content items the model takes, no more than it takes", LIMIT, VIDEO_MAP
)
V2_COMBINATIONS = rule(
    "standard.combinations",
    "a last frame needs a first; 1080p and silence where the model renders them only",
    LIMIT,
    VIDEO_MAP,
)
V2_OMNI = rule(
    "standard.omni",
    "omni-video references, videos, audio and multi-shot combine as the pages say",
    LIMIT,
    page("kling-omni-3.0-ovg.md"),
    page("kling-o1-video.md"),
)

#: Every rule above, by id.
RULES: dict[str, Rule] = {
    value.id: value for value in dict(globals()).values() if isinstance(value, Rule)
}
