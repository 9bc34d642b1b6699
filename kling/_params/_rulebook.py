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

# Quotes from Kling's Chinese pages keep their full-width punctuation, verbatim.
# ruff: noqa: RUF001

from __future__ import annotations

from .._evidence import Kind, Rule, Source, page, rule

__all__ = ["RULES"]

LIMIT, IGNORED, UNSETTLED = Kind.LIMIT, Kind.IGNORED, Kind.UNSETTLED

_RG = "https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/"


def rg(name: str, quote: str = "") -> Source:
    """A page of Kling's legacy docs as copied (in Chinese) early in 2026."""
    return Source(f"{_RG}{name}.md", "2026-02-03", quote)


VIDEO_MAP = page("kling-guide-capability-map-video", date="2026-05-19")
IMAGE_MAP = page("kling-guide-capability-map-image", date="2026-05-19")
RG_MAP = rg("capability-map")
#: Kuaishou's own client (its ComfyUI nodes): what Kling's makers send, as read on 2026-09-20.
KWAI = Source("https://github.com/KwaiVGI/ComfyUI-KLingAI-API/blob/main/py/nodes.py", "2026-09-20")


def changelog(date: str, quote: str) -> Source:
    """An entry of Kling's API changelog."""
    return page("kling-updates-api", quote, date=date)


# -- the legacy capability table (_legacy_models) --------------------------------------------------

DURATION = rule(
    "legacy.duration",
    "duration is one the model makes",
    LIMIT,
    VIDEO_MAP,
    rg("text-to-video", "duration 枚举值：5, 10"),
)
MODE = rule(
    "legacy.mode",
    "mode is one the model renders (4k on kling-v3 and kling-v3-omni only)",
    LIMIT,
    changelog("2026-04-23", "kling-v3 model [4k support scope]"),
    RG_MAP,
)
IMAGE_ASPECT = rule(
    "legacy.aspect_ratio",
    "kling-v1 makes no 21:9 images",
    LIMIT,
    RG_MAP,
    changelog("2025-03-12", "V1.5 adds 21:9"),
)
IMAGE_RESOLUTION = rule(
    "legacy.image_resolution",
    "resolution is one the image model makes",
    LIMIT,
    IMAGE_MAP,
    rg("capability-map", "清晰度支持"),
)
CFG_SCALE = rule(
    "legacy.cfg_scale",
    "cfg_scale on Kling's 2.x video models: the page says they do not support it, Kuaishou's "
    "own client sends it with them",
    UNSETTLED,
    rg("text-to-video", "kling-v2.x模型不支持"),
    rg("image-to-video", "kling-v2.x模型不支持"),
    KWAI,
    why="the sources disagree; Kling decides",
)
SOUND = rule(
    "legacy.sound",
    'sound="on" and voice_list need a model that makes sound (kling-v2-6 and later)',
    LIMIT,
    rg("text-to-video", "仅V2.6及后续版本模型支持"),
    VIDEO_MAP,
)
SOUND_PRO = rule(
    "legacy.sound_pro",
    'kling-v2-6 renders sound in mode="pro" only',
    LIMIT,
    VIDEO_MAP,
    RG_MAP,
)
MULTI_SHOT = rule(
    "legacy.multi_shot",
    "multi_shot needs a kling-v3 model",
    LIMIT,
    VIDEO_MAP,
    changelog("2026-05-07", "Supported model ranges: kling-v3-omni, kling-v3"),
)
ELEMENTS = rule(
    "legacy.element_list",
    "element_list needs a model that takes elements",
    LIMIT,
    VIDEO_MAP,
    IMAGE_MAP,
)
MAX_ELEMENTS = rule(
    "legacy.max_elements",
    "no more elements than the model takes",
    LIMIT,
    page("kling-omni-3.0-i2v", "Up to 3 Elements can be specified"),
    page("kling-motion-control-3.0", "At most 1 element can be specified."),
)
NEEDS_IMAGE = rule(
    "legacy.needs_image",
    "kling-v2-new restyles an input image: image is required",
    LIMIT,
    RG_MAP,
    changelog("2025-08-15", "kling-v2-new"),
)
IMAGE_REFERENCE = rule(
    "legacy.image_reference",
    "image_reference needs a model that takes it",
    LIMIT,
    RG_MAP,
    changelog("2025-03-25", "V1.5 model supports character feature reference"),
)
SERIES = rule(
    "legacy.series",
    'result_type="series" needs kling-v3-omni',
    LIMIT,
    IMAGE_MAP,
)
AUTO_RATIO = rule(
    "legacy.auto_ratio",
    'kling-v3-omni makes aspect_ratio="auto" images from reference images or elements only',
    LIMIT,
    page("kling-guide-capability-map-image", "Auto ratio is not supported", date="2026-05-19"),
)
CAMERA = rule(
    "legacy.camera_control",
    "camera_control needs a model, mode and duration that render it",
    LIMIT,
    RG_MAP,
    changelog("2025-01-07", "Currently does not support ... camera control"),
)
MOTION_BRUSH = rule(
    "legacy.motion_brush",
    "static_mask and dynamic_masks (motion brush) on kling-v1 (std or pro) and kling-v1-5 "
    "(pro), 5 s videos only",
    LIMIT,
    changelog(
        "2024-11-29",
        "Motion Brush ... only supported in Standard Mode 5s and Professional Mode 5s for the "
        "V1.0 model",
    ),
    RG_MAP,
)
TAIL = rule(
    "legacy.image_tail",
    "a last frame (image_tail) needs a model and mode that render it; alone only on "
    "kling-v1-5 and kling-v1-6",
    LIMIT,
    RG_MAP,
    VIDEO_MAP,
)
OMNI_FEATURE_SHOTS = rule(
    "legacy.omni_feature_shots",
    'multi-shot video of a feature video takes shot_type="intelligence" only',
    LIMIT,
    changelog("2026-06-17", "set multi_shot to true, set shot_type to intelligence"),
)
PLAIN_DURATIONS = rule(
    "legacy.plain_durations",
    "kling-video-o1 makes 5 or 10 s videos from a prompt or a first frame alone",
    LIMIT,
    rg("omni-video-o1", "文生/图生（不含首尾帧）：可选 5s/10s"),
    VIDEO_MAP,
)
O1_FRAMES = rule(
    "legacy.o1_frames",
    "kling-video-o1 takes no element_list with a first and end frame, and no end frame with a "
    "feature video",
    LIMIT,
    changelog(
        "2026-03-11",
        "When generating the start & end frames of a video using the kling-video-o1 model, "
        "referencing a element is not supported",
    ),
    page(
        "kling-o1-video",
        "Only supports defining the first frame of the video, not the last frame",
    ),
)

# -- cross-field rules of the legacy families (_rules, _video, _image, ...) ------------------------

ONE_INPUT = rule(
    "inputs.one_of",
    "exactly one of the alternative inputs the page names (video_id or video_url...)",
    LIMIT,
    page("kling-avatar"),
    page("kling-video-to-audio"),
    page("kling-face-recog"),
    page("kling-2.6-voice-mgt"),
)
CAMERA_CONFIG = rule(
    "camera_control.config",
    'type="simple" takes a config with exactly one non-zero axis; other types take none',
    LIMIT,
    rg("text-to-video", "simple 简单运镜，可在config中六选一"),
)
SHOTS = rule(
    "multi_shot.fields",
    "with multi_shot: shot_type, and multi_prompt or prompt as it says; the shots fill duration",
    LIMIT,
    page("kling-omni-3.0-t2v", "sum of all shot durations must equal the total video duration"),
    rg("text-to-video"),
)
SHOTS_UNUSED = rule(
    "multi_shot.unused",
    "shot_type and multi_prompt without multi_shot=True",
    UNSETTLED,
    page("kling-omni-3.0-t2v"),
    why="no page says Kling refuses them; they are unused",
)
PROMPT = rule(
    "prompt.required",
    "prompt is required unless each shot has its own",
    LIMIT,
    rg("text-to-video", "prompt 必须"),
)
VOICES_SOUND = rule(
    "voice_list.sound",
    'voice_list needs sound="on"',
    LIMIT,
    rg("image-to-video", "指定音色时 sound 必须为 on"),
)
I2V_INPUTS = rule(
    "image_to_video.inputs",
    "image or image_tail, and at most one of image_tail, masks, camera_control",
    LIMIT,
    rg("image-to-video", "以下三组参数三选一，不能同时使用"),
)
OMNI_REFERENCES = rule(
    "omni_video.references",
    "reference counts, frame types and what a video_list rules out",
    LIMIT,
    rg("omni-video-o1", "有参考视频时：参考图片数量 + 参考主体数量 ≤ 4"),
    page("kling-o1-video"),
    page("kling-omni-3.0-ovg"),
)
OMNI_BASE_SHOTS = rule(
    "omni_video.base_video_shots",
    "a base video (video editing) makes no multi-shot video",
    LIMIT,
    page("kling-omni-3.0-ovg", "base video does not support generating multi-shot videos"),
)
OMNI_ASPECT = rule(
    "omni_video.aspect_ratio",
    "aspect_ratio is required without a first frame or a reference video",
    LIMIT,
    page(
        "kling-o1-video",
        "When there is no first frame or reference video, the current parameter is required",
    ),
    rg("omni-video-o1", "视频延长（生成下一个镜头）"),
)
IMAGE_NEEDS_IMAGE = rule(
    "images.image_reference",
    "image_reference needs an image",
    LIMIT,
    page("kling-image-2.1-generation", "Required when image_reference parameter is not empty"),
)
NEGATIVE_I2I = rule(
    "images.negative_prompt",
    "negative_prompt has no effect in image-to-image",
    IGNORED,
    page(
        "kling-image-2.1-generation",
        "In the Image-to-Image scenario ... negative prompts are not supported",
    ),
    why="Kling does not use negative prompts in image-to-image (an empty one is fine)",
)
HUMAN_FIDELITY = rule(
    "images.human_fidelity",
    'human_fidelity only takes effect with image_reference="subject"',
    IGNORED,
    page(
        "kling-image-2.1-generation",
        "Only takes effect when the image_reference parameter is subject",
    ),
    KWAI,
    why='it only takes effect with image_reference="subject"',
)
SERIES_ONLY = rule(
    "omni_image.series_fields",
    'series_amount has no effect without result_type="series", n none with it',
    IGNORED,
    page(
        "kling-image-o1-generation",
        "When result_type is single, this parameter is invalid",
    ),
    why="Kling documents it as invalid in that case",
)
IMAGE_REFERENCES = rule(
    "images.references",
    "at most 10 reference images and elements together",
    LIMIT,
    page(
        "kling-image-2.1-generation",
        "the sum of the amount of reference element and the amount of reference image shall "
        "not exceed 10",
    ),
)
EXPANSION = rule(
    "image_expand.area",
    "the expanded image is at most 3x the original area",
    LIMIT,
    page("kling-image-common-outpainting"),
)
LIP_SYNC = rule(
    "lip_sync.inputs",
    "one video; text and voice_id for text2video, audio_type and its audio for audio2video",
    LIMIT,
    Source(
        "https://github.com/KwaiVGI/ComfyUI-KLingAI-API/blob/main/py/api/lip_sync.py", "2026-09-20"
    ),
)
LIP_SYNC_UNUSED = rule(
    "lip_sync.unused",
    "the other mode's fields (text fields with audio2video, audio fields with text2video)",
    UNSETTLED,
    Source(
        "https://github.com/KwaiVGI/ComfyUI-KLingAI-API/blob/main/py/api/lip_sync.py", "2026-09-20"
    ),
    why="no source says Kling refuses them; they are unused",
)
LIP_SYNC_SPEED = rule(
    "lip_sync.voice_speed",
    "voice_speed outside [0.8, 2.0] on the original lip-sync",
    UNSETTLED,
    page("kling-text-to-speech", "values outside this range will be automatically rounded"),
    why="only copies of the retired page give the range; TTS, with the same voices, rounds",
)
FACE_CLIPS = rule(
    "lip_sync.face_clips",
    "each face speaks one audio (audio_id or sound_file) of at least 2 s",
    LIMIT,
    page("kling-lip-sync", "cropped sound must not be shorter than 2 seconds"),
)
ELEMENT_REFERENCES = rule(
    "elements.references",
    "the list of the reference_type is given",
    LIMIT,
    page("kling-omni-3.0-element-mgt", "Required when referencing videos"),
)
ELEMENT_VIDEOS_UNUSED = rule(
    "elements.unused_videos",
    'element_video_list has no effect with reference_type="image_refer"',
    IGNORED,
    page("kling-omni-3.0-element-mgt", "invalid when referencing images"),
    why="Kling documents it as invalid when referencing images",
)
ELEMENT_IMAGES_UNUSED = rule(
    "elements.unused_images",
    'element_image_list with reference_type="video_refer"',
    UNSETTLED,
    page("kling-omni-3.0-element-mgt"),
    why="the page does not say",
)
VOICE_SPEED = rule(
    "tts.voice_speed",
    "voice_speed outside [0.8, 2.0] is rounded into range",
    IGNORED,
    page(
        "kling-text-to-speech",
        "values outside this range will be automatically rounded",
    ),
    why="Kling rounds it into that range",
)

EDIT_IMAGES = rule(
    "multi_elements.images",
    'edit_mode "addition" takes 1 or 2 images, "swap" exactly 1',
    LIMIT,
    page("kling-multi-element-video-editing"),
)
SELECTION_POINTS = rule(
    "multi_elements.points",
    "a frame_index >= 0 and 1 to 10 points a frame, each (x, y) in [0, 1]",
    LIMIT,
    page("kling-multi-element-video-editing"),
)

# -- the new standard's capability table (_standard_models) ----------------------------------------

V2_PROMPT = rule(
    "standard.prompt_length",
    "no longer a prompt than the model takes",
    LIMIT,
    page("kling-3.0-turbo-t2v", "Maximum length: 3072 characters"),
    page("kling-o1-video", "content not exceeding 2500 characters"),
)
V2_RESOLUTION = rule("standard.resolution", "a resolution the model renders", LIMIT, VIDEO_MAP)
V2_DURATION = rule("standard.duration", "a duration the model makes", LIMIT, VIDEO_MAP)
V2_AUDIO = rule(
    "standard.audio",
    "an audio value the model takes",
    LIMIT,
    page("kling-omni-3.0-t2v"),
    page("kling-2.6-t2v"),
)
V2_NO_SETTING = rule(
    "standard.no_setting",
    "settings.audio or settings.multi_shot on a model whose page has no such setting",
    UNSETTLED,
    page("kling-3.0-turbo-t2v"),
    page("kling-2.5-turbo-t2v"),
    why="whether Kling ignores or refuses a setting a model's page lacks is not documented",
)
V2_CONTENTS = rule(
    "standard.contents",
    "content items the model takes, no more than it takes",
    LIMIT,
    VIDEO_MAP,
    page("kling-omni-3.0-i2v", "Up to 3 Elements can be specified"),
)
V2_COMBINATIONS = rule(
    "standard.combinations",
    "a last frame needs a first; 1080p and silence where the model renders them only; voices "
    "need audio",
    LIMIT,
    VIDEO_MAP,
    page("kling-2.6-i2v", "When audio=native, only 1080P videos are supported."),
)
V2_OMNI = rule(
    "standard.omni",
    "omni-video references, videos, audio and multi-shot combine as the pages say",
    LIMIT,
    page("kling-omni-3.0-ovg", "Maximum 1 reference video"),
    page("kling-o1-video"),
)

#: Every rule above, by id.
RULES: dict[str, Rule] = {
    value.id: value for value in dict(globals()).values() if isinstance(value, Rule)
}
