# ruff: noqa: RUF001 -- quotes keep the pages' own words, full-width punctuation and all
"""Every refusal FakeKling makes, with its kind and its sources: one row each.

A check names its row (``refuse(R.LEGACY_MODE, message)``) and the row's kind decides
(:mod:`kling._evidence`): a ``limit`` is refused with Kling's code, as Kling refuses it; an
``ignored`` or ``unsettled`` value is accepted, as Kling documents it has no effect or as nobody
can say Kling refuses it. A rule's kind changes in its row and nowhere else. ``docs/rules.md``
lists these rows (``python scripts/rules_doc.py``), and ``tests/test_rule_sources.py`` and
``tests/testing/test_fake_rule_rows.py`` fail on a row without a dated source or a refusal that
names no row.

Written from Kling's pages independently of the SDK's rulebook (``kling._params._rulebook``), so
that a wrong rule on either side fails the agreement tests instead of agreeing with itself. The
per-model values a rule reads have sources of their own, in the model tables
(``legacy/models.py``, ``standard/models.py``).
"""

from __future__ import annotations

from typing import NoReturn

from .._evidence import Kind, Rule, Source, page, rule
from ._envelope import ApiError

__all__ = ["RULES", "enforce", "kwai", "rg"]

LIMIT, IGNORED, UNSETTLED = Kind.LIMIT, Kind.IGNORED, Kind.UNSETTLED

_RG = "https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/"
_KWAI = "https://github.com/KwaiVGI/ComfyUI-KLingAI-API/blob/main/py/"


def rg(name: str, quote: str = "") -> Source:
    """A page of Kling's legacy docs as copied (in Chinese) early in 2026."""
    return Source(f"{_RG}{name}.md", "2026-02-03", quote)


def kwai(quote: str, name: str = "nodes.py") -> Source:
    """Kuaishou's own client (ComfyUI nodes), whose ``quote`` names the nodes that send the
    field: what the vendor itself sends."""
    return Source(f"{_KWAI}{name}", "2026-09-20", quote)


def enforce(rule: Rule, error: ApiError) -> None:
    """Raise ``error`` when ``rule`` is a ``limit``; otherwise return: Kling takes the request.

    Returns only when the request may go on: a caller checks nothing that assumed the rule held.
    """
    if rule.kind is Kind.LIMIT:
        raise error


def reject(rule: Rule, error: ApiError) -> NoReturn:
    """Raise ``error`` whatever ``rule``'s kind: for what a page defines and nothing after it could
    do without (an unknown session, a window without its times). A test checks each row used so
    is a ``limit``."""
    raise error


VIDEO_MAP = page("kling-guide-capability-map-video", date="2026-05-19")
IMAGE_MAP = page("kling-guide-capability-map-image", date="2026-05-19")
CAPABILITY_MAP = rg("capability-map")
ERROR_CODES = page("kling-get-started-error-codes", '1203 "Requested resource does not exist"')

# -- legacy: fields as each family's page documents them ------------------------------------------

LEGACY_FIELDS = rule(
    "fake.legacy.fields",
    "each field has the JSON type, values, length and range its family's page gives it, and "
    "required fields are sent",
    LIMIT,
    rg("text-to-video"),
    rg("image-to-video"),
    rg("multi-image-to-video"),
    rg("omni-video-o1"),
    rg("motion-control"),
    page("kling-image-2.1-generation"),
    page("kling-image-o1-generation"),
    page("kling-image-2.1-multi-image-to-image"),
    page("kling-lip-sync"),
    page("kling-effects-video-effects"),
    page("kling-avatar"),
    page("kling-text-to-audio"),
    page("kling-video-to-audio"),
    page("kling-text-to-speech"),
    page("kling-2.6-voice-mgt"),
    page("kling-face-recog"),
)
LEGACY_MEDIA = rule(
    "fake.legacy.media",
    "an image is a URL or raw Base64 JPG/PNG of at most 10 MB, sides at least 300 px, aspect "
    "1:2.5 to 2.5:1; audio a URL or Base64 of at most 5 MB; a video an http(s) URL",
    LIMIT,
    page(
        "kling-image-2.1-generation",
        'do NOT add any prefix like "data:image/png;base64,"; 10MB; at least 300px; 1:2.5 ~ 2.5:1',
    ),
    page("kling-lip-sync"),
)
URL_SUFFIX = rule(
    "fake.legacy.url_suffix",
    "an audio or video URL's name ends in the file type the page names",
    UNSETTLED,
    page("kling-lip-sync"),
    page("kling-omni-3.0-ovg"),
    why="the pages give the file's format, not a rule on the URL's name: signed and CDN URLs "
    "often have no suffix, and Kling fetches the file later",
)

# -- legacy: models and their capabilities (legacy/models.py) -------------------------------------

LEGACY_MODEL = rule(
    "fake.legacy.model_name",
    "model_name is a model of the family (404/1203 otherwise)",
    LIMIT,
    ERROR_CODES,
    page("kling-updates-api"),
)
LEGACY_MODE = rule(
    "fake.legacy.mode",
    "mode is one the model renders (4k on kling-v3 and kling-v3-omni only)",
    LIMIT,
    page(
        "kling-updates-api",
        "4k only kling-v3 T2V/I2V and kling-v3-omni",
        date="2026-04-23",
    ),
    CAPABILITY_MAP,
)
LEGACY_DURATION = rule(
    "fake.legacy.duration",
    "duration is one the model makes",
    LIMIT,
    rg("text-to-video", "5, 10"),
    page("kling-guide-capability-map-video", "3~15s; 3~10s", date="2026-05-19"),
)
LEGACY_ASPECT_RATIO = rule(
    "fake.legacy.aspect_ratio",
    "aspect_ratio is one the model makes (kling-v1 images: no 21:9)",
    LIMIT,
    rg("capability-map", 'kling-v1 21:9 "-"'),
    rg("text-to-video", "16:9, 9:16, 1:1"),
)
FOLLOWS_INPUT = rule(
    "fake.legacy.follows_input",
    "aspect_ratio or resolution where the output follows the input image (image-to-video, "
    "kling-v2-new)",
    UNSETTLED,
    rg("image-to-video"),
    rg("capability-map", "生成图片分辨率与入参图相同，不支持单独设置分辨率"),
    kwai("ImageGeneratorNode"),
    why="undocumented there, or documented as following the input; Kling's own client sends it",
)
LEGACY_CFG_SCALE = rule(
    "fake.legacy.cfg_scale",
    "cfg_scale on the kling-v2.x models and kling-v3",
    UNSETTLED,
    rg("text-to-video", "kling-v2.x模型不支持"),
    rg("image-to-video", "kling-v2.x模型不支持"),
    kwai("Text2VideoNode, Image2VideoNode"),
    why="'not supported' says no error, Kuaishou's own client sends it, and no page covers "
    "kling-v3",
)
OFF_VALUES = rule(
    "fake.legacy.off_values",
    'the off value of a feature (sound "off", multi_shot false) on a model without it',
    UNSETTLED,
    rg("text-to-video", "仅V2.6及后续版本模型支持"),
    kwai("Text2VideoNode"),
    why="it is the default; Kuaishou's own client sends it to every model",
)
LEGACY_SOUND = rule(
    "fake.legacy.sound",
    'sound "on" and voice_list where the model, mode and duration render sound',
    LIMIT,
    rg("capability-map", "v2-6 std (仅无声视频); 声音控制 pro"),
    page("kling-guide-capability-map-video", "O1 Native Audio Not Supported", date="2026-05-19"),
)
LEGACY_VOICES = rule(
    "fake.legacy.voices",
    'voice_list needs sound "on", holds at most 2 voices, each one the account has',
    LIMIT,
    rg("image-to-video", "最多2个; 指定音色时 sound 必须为 on"),
)
LEGACY_CAMERA = rule(
    "fake.legacy.camera_control",
    "camera_control where the model, mode and duration render it, of a type it takes",
    LIMIT,
    rg("capability-map", "运镜控制 v1 std 5s; v1-5 pro 5s (仅simple)"),
    page(
        "kling-updates-api",
        "Currently does not support ... camera control [V1.6]",
        date="2025-01-07",
    ),
)
CAMERA_CONFIG = rule(
    "fake.legacy.camera_config",
    'type "simple" takes a config with exactly one non-zero axis in [-10, 10]; others none',
    LIMIT,
    rg("text-to-video", "config 6选1, [-10, 10]"),
)
UNDOCUMENTED_FEATURE = rule(
    "fake.legacy.undocumented_feature",
    "camera_control and motion brush on kling-v3",
    UNSETTLED,
    page(
        "kling-guide-capability-map-video",
        "no camera-control or motion-brush row",
        date="2026-05-19",
    ),
    CAPABILITY_MAP,
    why="no page covers them: the legacy capability map predates kling-v3, the 2026 one has no "
    "such row",
)
LEGACY_ELEMENTS = rule(
    "fake.legacy.element_list",
    "element_list on models that take it, no longer than they take, of the account's elements",
    LIMIT,
    page("kling-omni-3.0-i2v", "Up to 3 Elements"),
    page("kling-motion-control-3.0", "At most 1 element can be specified."),
    page("kling-image-2.1-generation", "shall not exceed 10; element_id long"),
)
LEGACY_MULTI_SHOT = rule(
    "fake.legacy.multi_shot",
    "multi_shot on kling-v3 models; shot_type required; customize: 1-6 shots of at least 1 s, "
    "prompts up to 512, adding up to duration",
    LIMIT,
    page("kling-omni-3.0-t2v", "shots 1–6, ≥1 s, sum equals total, words ≤512"),
)
STRAY_SHOT_FIELDS = rule(
    "fake.legacy.stray_shot_fields",
    "shot_type or multi_prompt without multi_shot true",
    UNSETTLED,
    page("kling-omni-3.0-t2v"),
    why="no source says they are refused: without multi_shot they are unused",
)
PROMPT = rule(
    "fake.legacy.prompt",
    "prompt is required unless each shot has its own (and with intelligence shots)",
    LIMIT,
    rg("text-to-video"),
    page(
        "kling-updates-api",
        "include multi-shot scene descriptions in the prompt",
        date="2026-06-17",
    ),
)
I2V_INPUTS = rule(
    "fake.legacy.image_to_video_inputs",
    "image is required, but for a last frame alone; image_tail, motion brush and camera_control "
    "are exclusive",
    LIMIT,
    rg("image-to-video", "三选一，不能同时使用"),
)
TAIL_ONLY = rule(
    "fake.legacy.tail_only",
    "a last frame alone (image_tail without image) on kling-v1-5 and kling-v1-6 in pro only",
    LIMIT,
    rg("capability-map", "仅尾帧 pro ✅ for kling-v1-5 and kling-v1-6"),
    page(
        "kling-updates-api",
        "V1.6 model supports generating videos from end frame",
        date="2025-03-31",
    ),
)
IMAGE_TAIL = rule(
    "fake.legacy.image_tail",
    "a last frame where the model, mode and duration render it (silent on kling-v2-6)",
    LIMIT,
    rg("capability-map", "首尾帧; v2-6 仅无声视频"),
    page("kling-updates-api", "V2.1/V2.5-turbo PRO only", date="2025-11-17"),
)
MOTION_BRUSH = rule(
    "fake.legacy.motion_brush",
    "static_mask and dynamic_masks on kling-v1 (std/pro, 5 s) and kling-v1-5 (pro, 5 s); at "
    "most 6 groups of 2-77 points",
    LIMIT,
    rg("capability-map", "运动笔刷 v1 std 5s/pro 5s; v1-5 pro 5s"),
    rg("image-to-video", "最多6组; [2, 77]"),
    page(
        "kling-updates-api",
        "Motion Brush ... only supported in Standard Mode 5s and Professional Mode 5s for the "
        "V1.0 model",
        date="2024-11-29",
    ),
)
MULTI_IMAGE = rule(
    "fake.legacy.multi_image_to_video",
    "1 to 4 images and a prompt",
    LIMIT,
    rg("multi-image-to-video", "image_list 最多4张; prompt 必须"),
)
VIDEO_EXTEND = rule(
    "fake.legacy.video_extend",
    "a video of the account, younger than 30 days, made by kling-v1.x, at most 3 minutes long "
    "once extended",
    LIMIT,
    page(
        "kling-updates-api",
        "Videos generated based on V1.5 and V1.6 models can be continued",
        date="2025-03-31",
    ),
    rg("video-extend"),
)

# -- legacy omni video ----------------------------------------------------------------------------

OMNI_REFERENCES = rule(
    "fake.omni_video.references",
    "at most 7 images and elements (4 with a video); one first and one end frame, an end frame "
    "after a first one and with at most 2 images; a base video takes no frames; one video",
    LIMIT,
    rg("omni-video-o1", "≤4 / ≤7; 超过2张图片时，不支持设置尾帧"),
)
OMNI_O1_FRAMES = rule(
    "fake.omni_video.o1_frames",
    "kling-video-o1: no element_list with first and end frames; no end frame with a feature video",
    LIMIT,
    page(
        "kling-updates-api",
        "When generating the start & end frames of a video using the kling-video-o1 model, "
        "referencing a element is not supported",
        date="2026-03-11",
    ),
    page(
        "kling-o1-video",
        "Using first+last frames: Elements are not supported; [feature video] Only supports "
        "defining the first frame of the video, not the last frame",
    ),
)
OMNI_VIDEO_MODE = rule(
    "fake.omni_video.video_mode",
    "with a video_list, the modes the model renders there (kling-v3-omni: no 4k)",
    LIMIT,
    page(
        "kling-updates-api",
        "4k: all functions except for reference video",
        date="2026-04-23",
    ),
)
OMNI_ASPECT_RATIO = rule(
    "fake.omni_video.aspect_ratio",
    "aspect_ratio is required without a first frame or a video",
    LIMIT,
    page(
        "kling-o1-video",
        "When there is no first frame or reference video, the current parameter is required",
    ),
    rg("omni-video-o1", "视频延长（生成下一个镜头）: refer_type feature, no aspect_ratio"),
)
OMNI_BASE_DURATION = rule(
    "fake.omni_video.base_duration",
    "duration beside a base video",
    IGNORED,
    rg("omni-video-o1", "有视频输入且使用视频编辑功能（类型=base）：不可指定时长，跟视频对齐"),
    kwai("Image2VideoO1Node"),
    why="the result follows the video's duration",
)
OMNI_PLAIN_DURATIONS = rule(
    "fake.omni_video.plain_durations",
    "kling-video-o1 makes 5 or 10 s videos from a prompt or a first frame alone (an end frame, "
    "reference image, element or video allows 3-10 s)",
    LIMIT,
    rg("omni-video-o1", "文生/图生（不含首尾帧）：可选 5s/10s; 其他情况：可选 3-10s"),
)
OMNI_SOUND = rule(
    "fake.omni_video.sound",
    'sound "on" on kling-v3-omni without a video only',
    LIMIT,
    page("kling-guide-capability-map-video", "O1 Native Audio Not Supported", date="2026-05-19"),
    page("kling-omni-3.0-ovg"),
)
OMNI_MULTI_SHOT = rule(
    "fake.omni_video.multi_shot",
    'no multi-shot with a base video; with a feature video, shot_type "intelligence" only',
    LIMIT,
    page("kling-omni-3.0-ovg", "base video does not support generating multi-shot videos"),
    page(
        "kling-updates-api",
        "set multi_shot to true, set shot_type to intelligence",
        date="2026-06-17",
    ),
)

# -- legacy motion control ------------------------------------------------------------------------

MOTION_ORIENTATION = rule(
    "fake.motion_control.element_orientation",
    'element_list with character_orientation "image"',
    IGNORED,
    page(
        "kling-motion-control-3.0",
        "When using an Element, the generated video always follows the character orientation "
        "from the reference video",
    ),
    why="the video follows the reference video's orientation",
)

# -- legacy images --------------------------------------------------------------------------------

DEFAULT_IMAGE_MODEL = rule(
    "fake.images.default_model",
    "which model an image generation without model_name is checked against",
    UNSETTLED,
    page(
        "kling-image-2.1-generation",
        "model_name Default kling-v3; vs: default behavior when model_name is empty (i.e., call "
        "the V1 model)",
    ),
    why="the page's table and text disagree (kling-v3 or kling-v1): FakeKling takes what either "
    "would take",
)
IMAGE_RESOLUTION = rule(
    "fake.images.resolution",
    "resolution is one the model makes (2k: kling-v2, kling-v2-1, kling-v3; 4k: kling-v3-omni)",
    LIMIT,
    IMAGE_MAP,
    rg("capability-map", "清晰度: kling-v1 1K; kling-v1-5 1K; kling-2 1K/2K"),
)
NEEDS_IMAGE = rule(
    "fake.images.needs_image",
    "kling-v2-new restyles an input image: image is required",
    LIMIT,
    rg("capability-map", 'kling-v2-new 文生图 "-"'),
)
IMAGE_REFERENCE = rule(
    "fake.images.image_reference",
    "image_reference on kling-v1-5 and kling-v2-1, with an image",
    LIMIT,
    page(
        "kling-updates-api",
        "V1.5 model supports character feature reference and character appearance reference",
        date="2025-03-25",
    ),
    page(
        "kling-guide-capability-map-image",
        "Character/Face Feature Reference: Kling Image 2.1 Supported",
        date="2026-05-19",
    ),
    page("kling-image-2.1-generation", "Required when image_reference parameter is not empty"),
)
HUMAN_FIDELITY = rule(
    "fake.images.human_fidelity",
    'human_fidelity without image_reference "subject"',
    IGNORED,
    page(
        "kling-image-2.1-generation",
        "Only takes effect when the image_reference parameter is subject",
    ),
    kwai("ImageGeneratorNode"),
    why='it only takes effect with image_reference "subject"',
)
NEGATIVE_WITH_IMAGE = rule(
    "fake.images.negative_prompt",
    "negative_prompt with an image (image-to-image)",
    UNSETTLED,
    page(
        "kling-image-2.1-generation",
        'negative prompts are not supported; vs the request example: "negative_prompt": "", '
        '"image": "https://…/dog.png"',
    ),
    why="the page's own example sends it with an image",
)
IMAGE_REFERENCES = rule(
    "fake.images.references",
    "at most 10 reference images and elements together",
    LIMIT,
    page("kling-image-2.1-generation", "shall not exceed 10"),
    page("kling-image-o1-generation", "must not exceed 10"),
)
OMNI_IMAGE_SERIES = rule(
    "fake.omni_image.series",
    'result_type "series" on kling-v3-omni, with series_amount 2-9 or "auto" (default 4)',
    LIMIT,
    IMAGE_MAP,
    page("kling-image-o1-generation", "series_amount Default 4"),
)
OMNI_IMAGE_AUTO = rule(
    "fake.omni_image.auto_ratio",
    'aspect_ratio "auto" on kling-v3-omni needs reference images or elements',
    LIMIT,
    page(
        "kling-guide-capability-map-image",
        "Text to Image, Kling Image 3.0 Omni: Auto ratio is not supported",
        date="2026-05-19",
    ),
)
OMNI_IMAGE_UNUSED = rule(
    "fake.omni_image.unused",
    'series_amount with result_type "single", and n with "series"',
    IGNORED,
    page(
        "kling-image-o1-generation",
        "When result_type is single, this parameter is invalid; n: When result_type is series, "
        "this parameter is invalid",
    ),
    why="the page calls it invalid (no effect) with that result_type",
)
IMAGE_EXPAND = rule(
    "fake.image_expand.area",
    "the expanded image is at most 3x the original's area",
    LIMIT,
    page("kling-image-common-outpainting", "area ≤ 3×"),
)

# -- legacy families without model_name -----------------------------------------------------------

LIP_SYNC_VOICE_SPEED = rule(
    "fake.lip_sync.voice_speed",
    "the original lip-sync's input.voice_speed outside [0.8, 2.0]",
    UNSETTLED,
    page(
        "kling-text-to-speech",
        "values outside this range will be automatically rounded [the same voices]",
    ),
    kwai("input.voice_speed", "api/lip_sync.py"),
    why="only mirrors give the range; TTS, with the same voices, rounds into it",
)
ADVANCED_LIP_SYNC = rule(
    "fake.lip_sync.advanced",
    "a live identify-face session, exactly one face of it, one audio of at least 2 s inside the "
    "video, overlapping the face by at least 2 s",
    LIMIT,
    page(
        "kling-lip-sync",
        "Currently only supports one person; not shorter than 2 seconds; overlap … for at least 2 "
        "seconds",
    ),
    page("kling-face-recog"),
)
EFFECT_RETIRED = rule(
    "fake.effects.retired",
    "an effect_scene Kling's changelog retired",
    LIMIT,
    page(
        "kling-updates-api",
        "kiss, fight, hug, thumbs_up, tiger_hug, pet_lion, 3d_cartoon_1 will be discontinued on "
        "January 30, 2026",
        date="2025-12-18",
    ),
)
EFFECT_STILL_LISTED = rule(
    "fake.effects.still_listed",
    "magic_match_tree, announced as discontinued but still listed",
    UNSETTLED,
    page(
        "kling-updates-api",
        "magic_match_tree will be discontinued on July 3rd, 2026",
        date="2026-07-03",
    ),
    page("kling-effects-video-effects", "magic_match_tree"),
    why="the 2026-09 effects page still lists it",
)
EFFECT_INPUTS = rule(
    "fake.effects.inputs",
    "dual-image scenes take 2 images in input.images, 5 s; single-image scenes input.image",
    LIMIT,
    page(
        "kling-effects-video-effects",
        'input.images "Array length must be 2"; input.image "(for single-image effects)"',
    ),
    rg("video-effects"),
)
TEXT_TO_AUDIO = rule(
    "fake.text_to_audio.duration",
    "duration 3.0-10.0 s with one decimal",
    LIMIT,
    page("kling-text-to-audio", "duration [3.0, 10.0], one decimal"),
)
ELEMENT_REQUIRED = rule(
    "fake.elements.required",
    "element creation: element_description and reference_type are required",
    LIMIT,
    page(
        "kling-omni-3.0-element-mgt",
        "element_description | string | Required Yes; reference_type | string | Required Yes",
    ),
)
ELEMENT_REFERENCES = rule(
    "fake.elements.references",
    "image_refer: a frontal image and 1-3 reference images; video_refer: one video; a voice of "
    "the account; tag ids o_101 … o_108",
    LIMIT,
    page(
        "kling-omni-3.0-element-mgt",
        'When reference_type is image_refer, this parameter is required; "At most 1 video"; '
        "Tag ID and name: o_101 … o_108",
    ),
)
TTS_LANGUAGE = rule(
    "fake.tts.voice_language",
    "voice_language is required",
    UNSETTLED,
    page("kling-text-to-speech", "voice_language Required: Yes, Default zh"),
    why="required yet with a default: FakeKling uses zh",
)
TTS_VOICE_SPEED = rule(
    "fake.tts.voice_speed",
    "voice_speed outside [0.8, 2.0]",
    IGNORED,
    page(
        "kling-text-to-speech",
        "Valid range: [0.8, 2.0]; values outside this range will be automatically rounded",
    ),
    why="Kling rounds it into [0.8, 2.0]",
)

# -- the new standard -----------------------------------------------------------------------------

STANDARD_FIELDS = rule(
    "fake.standard.fields",
    "each field has the JSON type and values the model's page gives it, and required fields "
    "(contents, prompt, ids) are sent",
    LIMIT,
    page("kling-omni-3.0-t2v"),
    page("kling-omni-3.0-i2v"),
    page("kling-omni-3.0-ovg"),
    page("kling-o1-video"),
    page("kling-2.6-i2v"),
    page("kling-motion-control-3.0", "settings.character_orientation Required: Yes"),
)
STANDARD_MODEL = rule(
    "fake.standard.model",
    "the path names a model of the product",
    LIMIT,
    page("kling-get-started-error-codes", "1201 Invalid parameter"),
    VIDEO_MAP,
)
STANDARD_MEDIA = rule(
    "fake.standard.media",
    "an image is an https URL or raw Base64 JPG/PNG of at most 50 MB, sides at least 300 px, "
    "aspect 1:2.5 to 2.5:1; a video an https URL",
    LIMIT,
    page("kling-omni-3.0-i2v", '".jpg/.jpeg/.png"; "cannot exceed 50MB"; ≥300px'),
)
STANDARD_SETTINGS = rule(
    "fake.standard.settings",
    "resolution, duration, aspect_ratio and audio take the values the model's page lists",
    LIMIT,
    page("kling-omni-3.0-t2v"),
    page("kling-2.6-i2v"),
    page("kling-o1-video", "audio enum original, off"),
)
UNDOCUMENTED_SETTING = rule(
    "fake.standard.undocumented_setting",
    "settings.audio or settings.multi_shot on a model whose page has no such field "
    "(audio: kling-3.0-turbo, kling-2.5-turbo; multi_shot: 3.0-turbo, 2.6, 2.5-turbo, o1)",
    UNSETTLED,
    page("kling-3.0-turbo-t2v"),
    page("kling-2.6-t2v"),
    why="an undocumented field, which Kling ignores",
)
STANDARD_PROMPT = rule(
    "fake.standard.prompt",
    "a prompt no longer than the model takes (2500 or 3072 characters)",
    LIMIT,
    page("kling-o1-video", "prompt ≤2500"),
    page("kling-3.0-turbo-t2v", "3072 (recommended: ≤ 2500)"),
    page("kling-omni-3.0-ovg", "3072"),
)
STANDARD_CONTENTS = rule(
    "fake.standard.contents",
    "content items of the types the model takes, no more of each than it takes, the required "
    "ones; a last frame needs a first",
    LIMIT,
    page("kling-omni-3.0-i2v", "Up to 3 Elements"),
    page("kling-2.6-i2v", '"At most 2 voices"; "last-frame-only … not supported"'),
)
STANDARD_REFERENCES = rule(
    "fake.standard.references",
    "elements and voices of the account, ids unique in the task; kling-o1 takes multi-image "
    "elements only",
    LIMIT,
    page("kling-o1-video", "video elements are not yet supported"),
    page("kling-omni-3.0-ovg", "cannot be duplicated in the same task"),
)
STANDARD_COMBINATIONS = rule(
    "fake.standard.combinations",
    "kling-2.6 native audio at 1080p; first and last frames at 1080p (2.6, 2.5-turbo) and silent "
    "(2.6); a voice needs native audio",
    LIMIT,
    page("kling-2.6-i2v", '"only 1080p"; "1080P silent videos"; "audio cannot be off"'),
    VIDEO_MAP,
)
STANDARD_OMNI_ASPECT = rule(
    "fake.standard.omni_aspect_ratio",
    "settings.aspect_ratio without a first frame or a reference video",
    LIMIT,
    page(
        "kling-omni-3.0-ovg",
        "When there is no first frame or reference video, the current parameter is required",
    ),
)
STANDARD_OMNI_VIDEOS = rule(
    "fake.standard.omni_videos",
    'one video; audio "original" needs one; a base video takes no frames, no multi-shot, no '
    'native audio; a feature video takes audio "off" (3.0-omni) and no last frame (o1)',
    LIMIT,
    page(
        "kling-omni-3.0-ovg",
        'Maximum 1 reference video; "the audio parameter can only be off in this case"',
    ),
    page("kling-o1-video", "Only supports defining the first frame of the video, not the last"),
)
FEATURE_MULTI_SHOT = rule(
    "fake.standard.feature_multi_shot",
    "a feature video without settings.multi_shot true (kling-3.0-omni)",
    UNSETTLED,
    page(
        "kling-omni-3.0-ovg",
        "Supports multi-shot videos, in which case the multi_shot parameter can only be true",
    ),
    page(
        "kling-updates-api",
        "set multi_shot to true, set shot_type to intelligence",
        date="2026-06-17",
    ),
    why="the page governs multi-shot output only; multi-shot with a feature video is an option",
)
STANDARD_O1_DURATIONS = rule(
    "fake.standard.o1_plain_durations",
    "kling-o1 makes 5 or 10 s videos from a prompt or a first frame alone",
    LIMIT,
    page(
        "kling-o1-video",
        "the first frame … without any other reference images … or videos",
    ),
    rg("omni-video-o1", "文生/图生（不含首尾帧）：可选 5s/10s; 其他情况：可选 3-10s"),
)
STANDARD_OMNI_COUNTS = rule(
    "fake.standard.omni_counts",
    "omni reference counts: 7 (4 with a video or video characters); at most 3 video characters, "
    "1 with a video and alone; 3 elements with a first frame; o1: none with first and last frames",
    LIMIT,
    page("kling-omni-3.0-ovg", "the seven count bullets under contents[].type.element"),
    page("kling-o1-video", "Using first+last frames: Elements are not supported"),
)

BILLING = rule(
    "fake.account.billing",
    "the billing detail bodies as the pages define them: a time window (start before end, in "
    "ms), limit at most 500, filters by the documented keys, package_name or package_id",
    LIMIT,
    page("kling-assets-balance"),
    page("kling-assets-package"),
)
SELECTION = rule(
    "fake.multi_elements.selection",
    "a selection session on a video of 2-5 s or 7-10 s under 30 days old; at most 10 frames and "
    "10 points a frame; swap and removal need a marked element",
    LIMIT,
    page("kling-multi-element-video-editing"),
)

#: Every rule above, by id.
RULES: dict[str, Rule] = {
    value.id: value for value in dict(globals()).values() if isinstance(value, Rule)
}
