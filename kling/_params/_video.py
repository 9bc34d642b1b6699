"""Parameters of the video families.

Sources, Kling's pages for each endpoint (the legacy video pages as copied in early 2026):

* text-to-video, with ``camera_control``: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/text-to-video.md
* image-to-video: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/image-to-video.md
  (a 2025 copy: https://github.com/enso-ai/kling-api-wrapper/blob/47d40e9ff22b/api-docs/kling-image-to-video-api.md)
* multi-image to video: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/multi-image-to-video.md
* video extension: https://github.com/enso-ai/kling-api-wrapper/blob/c666e8d1ac2c/api-docs/kling_video_extension_docs.md
* effects: https://github.com/aself101/kling-api/blob/main/docs/api/kling-effects-video-effects.md
* avatar: https://github.com/aself101/kling-api/blob/main/docs/api/kling-avatar.md
* motion control: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/motion-control.md
* omni video: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/omni-video-o1.md
"""

from typing import Annotated, Literal

from typing_extensions import Required, TypedDict

from . import _rulebook as R
from ._common import (
    AudioInput,
    CfgScale,
    ElementListItem,
    ImageInput,
    ImageListItem,
    Mode,
    NegativePrompt,
    OnOff,
    OpenString,
    Prompt,
    ShortVideoDuration,
    TaskOptions,
    Url,
    VideoAspectRatio,
    VideoDuration,
    VoiceListItem,
    YesNo,
    between,
    items,
    max_chars,
    params_config,
    seconds,
)
from ._rules import (
    Params,
    fail,
    one_of,
)

# The rows of kling._families name their rules in this module (kling._rows.Endpoint.checks):
# the shared ones are here too.
from ._rules import camera_control as camera_control
from ._rules import multi_shot as multi_shot
from ._rules import prompt_unless_custom_shots as prompt_unless_custom_shots
from ._rules import voices_need_sound as voices_need_sound

# Known model names, listed for editors; any string is accepted (see OpenString).
TextToVideoModel = Literal[
    "kling-v1",
    "kling-v1-6",
    "kling-v2-master",
    "kling-v2-1-master",
    "kling-v2-5-turbo",
    "kling-v2-6",
    "kling-v3",
]
ImageToVideoModel = Literal[
    "kling-v1",
    "kling-v1-5",
    "kling-v1-6",
    "kling-v2-master",
    "kling-v2-1",
    "kling-v2-1-master",
    "kling-v2-5-turbo",
    "kling-v2-6",
    "kling-v3",
]
OmniVideoModel = Literal["kling-video-o1", "kling-v3-omni"]
MotionControlModel = Literal["kling-v2-6", "kling-v3"]
EffectsModel = Literal["kling-v1", "kling-v1-5", "kling-v1-6"]

#: "4k" exists for kling-v3 / kling-v3-omni only.
VideoMode = Literal["std", "pro", "4k"]
Axis = Annotated[float, between(-10, 10)]
CameraControlType = Literal[
    "simple", "down_back", "forward_up", "right_turn_forward", "left_turn_forward"
]
ShotType = Literal["customize", "intelligence"]
ShotDuration = Annotated[
    Literal["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"] | int,
    seconds(1, 15),
]


@params_config
class CameraConfig(TypedDict, total=False):
    """Movement for ``type="simple"``: exactly one axis non-zero, each in [-10, 10]."""

    horizontal: Axis
    vertical: Axis
    pan: Axis
    tilt: Axis
    roll: Axis
    zoom: Axis


@params_config
class CameraControl(TypedDict, total=False):
    """Camera movement preset; only ``"simple"`` takes a ``config``."""

    type: Required[CameraControlType]
    config: CameraConfig


@params_config
class MultiPromptItem(TypedDict, total=False):
    """One shot of a ``shot_type="customize"`` multi-shot video."""

    index: Required[int]
    prompt: Required[Annotated[str, max_chars(512)]]
    duration: Required[ShotDuration]


@params_config
class TrajectoryPoint(TypedDict, total=False):
    """A pixel position; the origin is the image's bottom-left corner."""

    x: Required[int]
    y: Required[int]


@params_config
class DynamicMask(TypedDict, total=False):
    """A motion-brush area (``mask`` image) and the path it moves along (2-77 points)."""

    mask: Required[ImageInput]
    trajectories: Required[Annotated[list[TrajectoryPoint], items(2, 77)]]


@params_config
class TextToVideoParams(TaskOptions, total=False):
    """``POST /v1/videos/text2video``. ``prompt`` is required unless multi-shot ``customize``."""

    model_name: Annotated[TextToVideoModel | str, OpenString]
    prompt: Prompt
    negative_prompt: NegativePrompt
    cfg_scale: CfgScale
    mode: VideoMode
    camera_control: CameraControl
    aspect_ratio: VideoAspectRatio
    duration: VideoDuration
    sound: OnOff
    voice_list: Annotated[list[VoiceListItem], items(1, 2)]
    multi_shot: bool
    shot_type: ShotType
    multi_prompt: Annotated[list[MultiPromptItem], items(1, 6)]


@params_config
class ImageToVideoParams(TaskOptions, total=False):
    """``POST /v1/videos/image2video``. Needs ``image`` and/or ``image_tail``.

    ``image`` combines with at most one of: ``image_tail``; ``static_mask``/``dynamic_masks``;
    ``camera_control``.
    """

    model_name: Annotated[ImageToVideoModel | str, OpenString]
    image: ImageInput
    image_tail: ImageInput
    prompt: Prompt
    negative_prompt: NegativePrompt
    cfg_scale: CfgScale
    mode: VideoMode
    duration: VideoDuration
    static_mask: ImageInput
    dynamic_masks: Annotated[list[DynamicMask], items(1, 6)]
    camera_control: CameraControl
    sound: OnOff
    voice_list: Annotated[list[VoiceListItem], items(1, 2)]
    element_list: list[ElementListItem]
    multi_shot: bool
    shot_type: ShotType
    multi_prompt: Annotated[list[MultiPromptItem], items(1, 6)]


@params_config
class MultiImageToVideoParams(TaskOptions, total=False):
    """``POST /v1/videos/multi-image2video``: 1-4 reference images and a prompt."""

    model_name: Annotated[Literal["kling-v1-6"] | str, OpenString]
    image_list: Required[Annotated[list[ImageListItem], items(1, 4)]]
    prompt: Required[Prompt]
    negative_prompt: NegativePrompt
    mode: Mode
    duration: ShortVideoDuration
    aspect_ratio: VideoAspectRatio


@params_config
class VideoExtendParams(TaskOptions, total=False):
    """``POST /v1/videos/video-extend``: adds 4-5 s to a Kling video (model and mode inherited)."""

    video_id: Required[str]
    prompt: Prompt
    negative_prompt: NegativePrompt
    cfg_scale: CfgScale


@params_config
class VideoEffectsParams(TaskOptions, total=False):
    """``POST /v1/videos/effects``: ``effect_scene`` plus ``image`` (single) or ``images`` (dual).

    Passed flat; the SDK nests everything but ``effect_scene`` and the task options in ``input``.
    ``model_name``/``mode`` only apply to the original dual effects (hug, kiss, ...).
    """

    effect_scene: Required[str]
    image: ImageInput
    images: Annotated[list[ImageInput], items(2, 2)]
    duration: ShortVideoDuration
    model_name: Annotated[EffectsModel | str, OpenString]
    mode: Mode


effect_image = one_of("image", "images")


@params_config
class AvatarParams(TaskOptions, total=False):
    """``POST /v1/videos/avatar/image2video``: a photo speaks ``audio_id`` or ``sound_file``."""

    image: Required[ImageInput]
    audio_id: str
    sound_file: AudioInput
    prompt: Prompt
    mode: Mode


avatar_audio = one_of("audio_id", "sound_file")


@params_config
class MotionControlParams(TaskOptions, total=False):
    """``POST /v1/videos/motion-control``: the person in ``image_url`` moves like ``video_url``."""

    model_name: Annotated[MotionControlModel | str, OpenString]
    prompt: Prompt
    image_url: Required[ImageInput]
    video_url: Required[Url]
    keep_original_sound: YesNo
    character_orientation: Required[Literal["image", "video"]]
    mode: Required[Mode]
    element_list: list[ElementListItem]


@params_config
class OmniVideoImageItem(TypedDict, total=False):
    """A reference image, or the first/end frame when ``type`` is set."""

    image_url: Required[ImageInput]
    type: Literal["first_frame", "end_frame"]


@params_config
class VideoListItem(TypedDict, total=False):
    """A reference video (``feature``) or a video to edit (``base``, the default)."""

    video_url: Required[Url]
    refer_type: Literal["feature", "base"]
    keep_original_sound: YesNo


@params_config
class OmniVideoParams(TaskOptions, total=False):
    """``POST /v1/videos/omni-video``. Reference items in the prompt as ``<<<image_1>>>``."""

    model_name: Annotated[OmniVideoModel | str, OpenString]
    prompt: Prompt
    image_list: list[OmniVideoImageItem]
    element_list: list[ElementListItem]
    video_list: Annotated[list[VideoListItem], items(1, 1)]
    mode: VideoMode
    aspect_ratio: VideoAspectRatio
    duration: VideoDuration
    sound: OnOff
    multi_shot: bool
    shot_type: ShotType
    multi_prompt: Annotated[list[MultiPromptItem], items(1, 6)]


# -- cross-field rules -----------------------------------------------------------------------------

_I2V_GROUPS = (("image_tail",), ("static_mask", "dynamic_masks"), ("camera_control",))


def image_to_video_inputs(params: Params) -> None:
    """``image`` and/or ``image_tail``, with at most one of the combinable extras."""
    if "image" not in params and "image_tail" not in params:
        fail(R.I2V_INPUTS, "image", "one of image or image_tail is required")
    used = [[name for name in group if name in params] for group in _I2V_GROUPS]
    used = [names for names in used if names]
    if len(used) > 1:
        fail(
            R.I2V_INPUTS,
            used[1][0],
            f"cannot be combined with {used[0][0]}; image_to_video takes at most one of "
            "image_tail, static_mask/dynamic_masks, camera_control",
        )


def omni_video_references(params: Params) -> None:
    """How many references, which frames, and what a ``video_list`` rules out."""
    images = params.get("image_list", [])
    videos = params.get("video_list", [])
    frames = [image.get("type") for image in images]
    references = len(images) + len(params.get("element_list", []))
    limit = 4 if videos else 7
    if references > limit:
        fail(
            R.OMNI_REFERENCES,
            "image_list" if images else "element_list",
            f"at most {limit} images and elements together {'with' if videos else 'without'} "
            f"video_list (got {references})",
            subject="image_list + element_list",
        )
    for frame in ("first_frame", "end_frame"):
        if frames.count(frame) > 1:
            fail(
                R.OMNI_REFERENCES,
                "image_list",
                f'at most one image of type "{frame}" (got {frames.count(frame)})',
            )
    if "end_frame" in frames:
        if "first_frame" not in frames:
            fail(
                R.OMNI_REFERENCES, "image_list", 'an "end_frame" image needs a "first_frame" image'
            )
        if len(images) > 2:
            fail(
                R.OMNI_REFERENCES,
                "image_list",
                f'an "end_frame" allows at most 2 images (got {len(images)})',
            )
    base_video = any(video.get("refer_type", "base") == "base" for video in videos)
    if base_video and any(frames):
        fail(
            R.OMNI_REFERENCES,
            "image_list",
            'first/end frames cannot be used with a video_list of refer_type "base"',
        )
    if base_video and params.get("multi_shot"):
        fail(R.OMNI_BASE_SHOTS, "multi_shot", 'not with a video_list of refer_type "base"')
    if videos and params.get("sound") == "on":
        fail(R.OMNI_REFERENCES, "sound", 'must be "off" when video_list is given')
    if videos and params.get("mode") == "4k":
        fail(R.OMNI_REFERENCES, "mode", '"4k" cannot be used with video_list')
    # The page's own "next shot" example sends a feature video without aspect_ratio.
    if "aspect_ratio" not in params and "first_frame" not in frames and not videos:
        fail(
            R.OMNI_ASPECT,
            "aspect_ratio",
            'required unless image_list has a "first_frame" or a video_list is given',
        )
