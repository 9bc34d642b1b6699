"""Parameters of the image families, and of image recognition.

Sources, Kling's pages for each endpoint:

* image generation: https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-2.1-generation.md
  (models before kling-v2-1: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/image-generation.md)
* omni image: https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-o1-generation.md
* multi-image to image: https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-2.1-multi-image-to-image.md
* expansion: https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-common-outpainting.md
* virtual try-on: https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/virtual-try-on.md
* image recognition: https://github.com/aself101/kling-api/blob/main/docs/api/kling-img-recog.md
"""

from typing import Annotated, Literal

from typing_extensions import Required, TypedDict

from . import _rulebook as R
from ._common import (
    ElementListItem,
    Fidelity,
    ImageAspectRatio,
    ImageCount,
    ImageInput,
    ImageListItem,
    JsonSchema,
    NegativePrompt,
    OpenString,
    Plain,
    Prompt,
    TaskOptions,
    between,
    items,
    params_config,
    reject,
)
from ._rules import Params, fail

ImageModel = Literal["kling-v1", "kling-v1-5", "kling-v2", "kling-v2-new", "kling-v2-1", "kling-v3"]
OmniImageModel = Literal["kling-image-o1", "kling-v3-omni"]
TryOnModel = Literal["kolors-virtual-try-on-v1", "kolors-virtual-try-on-v1-5"]
# ImageAspectRatio plus "auto", spelled out so pydantic sees one Literal, not a union of two.
OmniImageAspectRatio = Literal["16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9", "auto"]
ExpansionRatio = Annotated[float, between(0, 2)]

# Reference images plus elements, per image request.
_MAX_REFERENCES = 10


def _series_amount(value: object) -> int | str:
    if value == "auto":
        return "auto"
    if isinstance(value, bool) or not isinstance(value, int):
        reject(f'must be an int from 2 to 9 or "auto" (got {type(value).__name__} {value!r:.20})')
    if not 2 <= value <= 9:
        reject(f'must be from 2 to 9 or "auto" (got {value})')
    return value


_SERIES_AMOUNT: JsonSchema = {
    "anyOf": [{"type": "integer", "minimum": 2, "maximum": 9}, {"const": "auto"}]
}


@params_config
class ImageGenerationParams(TaskOptions, total=False):
    """``POST /v1/images/generations``; with ``image`` it is image-to-image."""

    model_name: Annotated[ImageModel | str, OpenString]
    prompt: Required[Prompt]
    negative_prompt: NegativePrompt
    image: ImageInput
    image_reference: Literal["subject", "face"]
    image_fidelity: Fidelity
    human_fidelity: Fidelity
    element_list: list[ElementListItem]
    resolution: Literal["1k", "2k"]
    n: ImageCount
    aspect_ratio: ImageAspectRatio


@params_config
class OmniImageParams(TaskOptions, total=False):
    """``POST /v1/images/omni-image``. Reference images in the prompt as ``<<<image_1>>>``."""

    model_name: Annotated[OmniImageModel | str, OpenString]
    prompt: Required[Prompt]
    image_list: list[ImageListItem]
    element_list: list[ElementListItem]
    resolution: Literal["1k", "2k", "4k"]
    result_type: Literal["single", "series"]
    series_amount: Annotated[int | Literal["auto"], Plain(_series_amount, _SERIES_AMOUNT)]
    n: ImageCount
    aspect_ratio: OmniImageAspectRatio


@params_config
class SubjectImageItem(TypedDict, total=False):
    """A subject image for multi-image-to-image."""

    subject_image: Required[ImageInput]


@params_config
class MultiImageToImageParams(TaskOptions, total=False):
    """``POST /v1/images/multi-image2image``: 1-4 subjects, optional scene and style images."""

    model_name: Annotated[Literal["kling-v2", "kling-v2-1"] | str, OpenString]
    prompt: Prompt
    subject_image_list: Required[Annotated[list[SubjectImageItem], items(1, 4)]]
    scene_image: ImageInput
    style_image: ImageInput
    n: ImageCount
    aspect_ratio: ImageAspectRatio


@params_config
class ImageExpandParams(TaskOptions, total=False):
    """``POST /v1/images/editing/expand``: ratios are relative to the original's height/width."""

    image: Required[ImageInput]
    up_expansion_ratio: ExpansionRatio
    down_expansion_ratio: ExpansionRatio
    left_expansion_ratio: ExpansionRatio
    right_expansion_ratio: ExpansionRatio
    prompt: Prompt
    n: ImageCount


@params_config
class VirtualTryOnParams(TaskOptions, total=False):
    """``POST /v1/images/kolors-virtual-try-on``: dress ``human_image`` in ``cloth_image``."""

    model_name: Annotated[TryOnModel | str, OpenString]
    human_image: Required[ImageInput]
    cloth_image: Required[ImageInput]


@params_config
class ImageRecognizeParams(TypedDict, total=False):
    """``POST /v1/videos/image-recognize`` (synchronous): segment an image."""

    image: Required[ImageInput]


def image_generation_inputs(params: Params) -> None:
    """``image_reference`` against ``image``; what has no effect in image-to-image; references."""
    if "image_reference" in params and "image" not in params:
        fail(R.IMAGE_NEEDS_IMAGE, "image", "required when image_reference is set")
    if "human_fidelity" in params and params.get("image_reference") != "subject":
        fail(R.HUMAN_FIDELITY, "human_fidelity", 'only used with image_reference="subject"')
    # Kling's own example sends an empty negative_prompt with an image.
    if params.get("negative_prompt") and "image" in params:
        fail(R.NEGATIVE_I2I, "negative_prompt", "not used in image-to-image (when image is set)")
    _references(params, images=1 if "image" in params else 0)


def omni_image_options(params: Params) -> None:
    """Reference count; ``series_amount`` and ``n`` against ``result_type``."""
    _references(params, images=len(params.get("image_list", [])))
    series = params.get("result_type") == "series"
    if "series_amount" in params and not series:
        fail(R.SERIES_ONLY, "series_amount", 'only used with result_type="series"')
    if "n" in params and series:
        fail(R.SERIES_ONLY, "n", 'not used with result_type="series" (series_amount is)')


def _references(params: Params, *, images: int) -> None:
    total = images + len(params.get("element_list", []))
    if total > _MAX_REFERENCES:
        fail(
            R.IMAGE_REFERENCES,
            "element_list",
            f"at most {_MAX_REFERENCES} reference images and elements together (got {total})",
        )


_SIDES = ("up", "down", "left", "right")
# The expanded canvas may be at most 3x the original area.
_MAX_AREA = 3


def expansion_area(params: Params) -> None:
    """The expanded canvas is at most three times the original area."""
    up, down, left, right = (params.get(f"{side}_expansion_ratio", 0) for side in _SIDES)
    area = (1 + up + down) * (1 + left + right)
    if area > _MAX_AREA + 1e-9:  # tolerance: 0.5 + 0.5 style inputs are exact in binary anyway
        field = next(f"{s}_expansion_ratio" for s in _SIDES if params.get(f"{s}_expansion_ratio"))
        fail(
            R.EXPANSION,
            field,
            f"the expanded image may be at most {_MAX_AREA}x the original area, but "
            f"(1+up+down)*(1+left+right) = (1+{up:g}+{down:g})*(1+{left:g}+{right:g}) = {area:g}",
            subject="expansion ratios",
        )
