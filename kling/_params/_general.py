"""Parameters of the element and voice libraries, and of AI multi-shot.

Sources, Kling's pages:

* elements: https://github.com/aself101/kling-api/blob/main/docs/api/kling-o1-element-mgt.md
* the older element library (``/v1/general/custom-elements``, still served per the changelog of
  2026-02-25, https://github.com/aself101/kling-api/blob/main/docs/api/kling-updates-api.md):
  https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/custom-elements.md
* voices: https://github.com/aself101/kling-api/blob/main/docs/api/kling-2.6-voice-mgt.md
* AI multi-shot: https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-common-subject-completion.md
"""

from typing import Annotated, Literal

from typing_extensions import Required, TypedDict

from . import _rulebook as R
from ._common import CallbackOptions, ImageInput, Url, items, max_chars, params_config
from ._rules import Params, fail, one_of

_LISTS = {"image_refer": "element_image_list", "video_refer": "element_video_list"}


@params_config
class ReferImage(TypedDict, total=False):
    """Another view of the element."""

    image_url: Required[ImageInput]


@params_config
class ElementImageList(TypedDict, total=False):
    """An image element: a frontal view and 1-3 more views."""

    frontal_image: Required[ImageInput]
    refer_images: Required[Annotated[list[ReferImage], items(1, 3)]]


@params_config
class ReferVideo(TypedDict, total=False):
    """A 3-8 s reference video (URL)."""

    video_url: Required[Url]


@params_config
class ElementVideoList(TypedDict, total=False):
    """A video element: one reference video."""

    refer_videos: Required[Annotated[list[ReferVideo], items(1, 1)]]


@params_config
class ElementTag(TypedDict, total=False):
    """A tag id such as ``"o_101"``."""

    tag_id: Required[str]


@params_config
class ElementCreateParams(CallbackOptions, total=False):
    """``POST /v1/general/advanced-custom-elements``: an element from images or a video."""

    element_name: Required[Annotated[str, max_chars(20)]]
    element_description: Required[Annotated[str, max_chars(100)]]
    reference_type: Required[Literal["image_refer", "video_refer"]]
    element_image_list: ElementImageList
    element_video_list: ElementVideoList
    element_voice_id: str
    tag_list: list[ElementTag]


@params_config
class CustomElementCreateParams(TypedDict, total=False):
    """``POST /v1/general/custom-elements`` (the older library): an element from a frontal
    image and 1-3 more views; Kling answers with the element at once."""

    element_name: Required[Annotated[str, max_chars(20)]]
    element_description: Required[Annotated[str, max_chars(100)]]
    element_frontal_image: Required[ImageInput]
    element_refer_list: Required[Annotated[list[ReferImage], items(1, 3)]]
    tag_list: list[ElementTag]


@params_config
class AiMultiShotParams(CallbackOptions, total=False):
    """``POST /v1/general/ai-multi-shot``: other views of an element inferred from its frontal
    image; three candidate sets of three views each (``url_1``..``url_3``)."""

    element_frontal_image: Required[ImageInput]


@params_config
class VoiceCreateParams(CallbackOptions, total=False):
    """``POST /v1/general/custom-voices``: clone a voice from ``voice_url`` or ``video_id``."""

    voice_name: Required[Annotated[str, max_chars(20)]]
    voice_url: Url
    video_id: str


voice_source = one_of("voice_url", "video_id")


def element_references(params: Params) -> None:
    """The list of ``reference_type``; the other one has no effect (or is unsettled)."""
    kind = params["reference_type"]
    wanted = _LISTS[kind]
    if wanted not in params:
        fail(R.ELEMENT_REFERENCES, wanted, f'required when reference_type is "{kind}"')
    if kind == "image_refer" and "element_video_list" in params:
        fail(
            R.ELEMENT_VIDEOS_UNUSED,
            "element_video_list",
            'not used with reference_type="image_refer"',
        )
    if kind == "video_refer" and "element_image_list" in params:
        fail(
            R.ELEMENT_IMAGES_UNUSED,
            "element_image_list",
            'not used with reference_type="video_refer"',
        )
