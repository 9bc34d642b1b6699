"""Parameters of the new-standard products, and their bodies.

Sources: Kling's page for each product and model, copied in
https://github.com/aself101/kling-api/tree/main/docs/api (``kling-3.0-turbo-t2v``,
``kling-omni-3.0-ovg``, ``kling-o1-video``, ``kling-motion-control-3.0``, ...); for example
image-to-video on kling-3.0: https://github.com/aself101/kling-api/blob/main/docs/api/kling-omni-3.0-i2v.md

The new standard takes a three-layer body: ``prompt`` (text-to-video) or ``contents[]``, then
``settings{}`` and ``options{}``. The SDK takes all of it as flat keyword arguments named as the
API names them (``resolution``, ``duration``, ``first_frame``, ``elements``...) and builds the
layers in :func:`standard_body`. Media items accept what legacy media inputs accept (a URL, a
``Path``, ``bytes``, a ``data:`` URI or Base64); images may be up to 50 MB.

What each *model* accepts (durations, 4k, audio modes, content counts) is not in these types
but in the capability table, ``_standard_models``: an unknown model skips it.
"""

from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from typing_extensions import Required, TypedDict

from .._files import MediaError, MediaInput, encode_https_url, encode_standard_image
from ._common import (
    MEDIA_KEY,
    After,
    Identifier,
    JsonSchema,
    Plain,
    TaskOptions,
    at_least,
    items,
    max_chars,
    params_config,
    reject,
)

# Known path ids, listed for editors; any string is accepted, so tomorrow's model works today.
TextToVideoV2Model = Literal["kling-3.0-turbo", "kling-3.0", "kling-2.6", "kling-2.5-turbo"]
ImageToVideoV2Model = Literal["kling-3.0-turbo", "kling-3.0", "kling-2.6", "kling-2.5-turbo"]
OmniVideoV2Model = Literal["kling-3.0-omni", "kling-o1"]
MotionControlV2Model = Literal["kling-3.0", "kling-2.6"]

Resolution = Literal["720p", "1080p", "4k"]
AspectRatio = Literal["16:9", "9:16", "1:1"]
#: Whole seconds; which ones a model takes is in the capability table.
Seconds = Annotated[int, at_least(1)]


def _non_blank(value: str) -> str:
    if not value.strip():
        reject("must not be blank")
    return value


def _non_blank_id(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        reject("must be a non-empty string, used as @<id> in the prompt")
    return value


_NON_BLANK: JsonSchema = {"minLength": 1, "pattern": r"\S"}
#: Kling allows 3072 characters at most (2500 advised; some models cap at 2500).
StandardPrompt = Annotated[str, max_chars(3072), After(_non_blank, _NON_BLANK)]
_ID_SCHEMA: JsonSchema = {
    "type": "string",
    **_NON_BLANK,
    "description": "Refers to the item in the prompt as @<id>.",
}
#: The id of a content item, used as ``@<id>`` in the prompt.
ContentId = Annotated[str, Plain(_non_blank_id, _ID_SCHEMA)]

_IMAGE_SCHEMA: JsonSchema = {
    "type": "string",
    "description": "An image: an https URL, or the file itself as a data: URI or raw Base64 "
    "(JPEG or PNG, up to 50 MB).",
    MEDIA_KEY: "image",
}
_VIDEO_SCHEMA: JsonSchema = {"type": "string", "format": "uri", "description": "An https URL."}


def _with_id(item: JsonSchema) -> JsonSchema:
    """``item``, or ``{"url": item, "id": ...}`` to refer to it in the prompt."""
    ref = {
        "type": "object",
        "properties": {"url": item, "id": _ID_SCHEMA},
        "required": ["url"],
        "additionalProperties": False,
    }
    return {"anyOf": [item, ref]}


def _media_item(encode: Callable[[object], str], ids: bool, item: JsonSchema) -> Plain:
    """A media content item: the media itself, or (with ``ids``) ``{"url": media, "id": ...}``.

    Validated to ``{"url": <URL or Base64>, "id"?: ...}`` whichever form was given.
    """

    def check(value: object) -> dict[str, Any]:
        if ids and isinstance(value, Mapping):
            unknown = sorted(set(value) - {"url", "id"})
            if unknown:
                reject(f"unknown key {unknown[0]!r}; an item takes 'url' and 'id'")
            if "url" not in value:
                reject("'url' is required")
            item: dict[str, Any] = {"url": _encoded(encode, value["url"])}
            if "id" in value:
                if not isinstance(value["id"], str) or not value["id"].strip():
                    reject("'id' must be a non-empty string")
                item["id"] = value["id"]
            return item
        return {"url": _encoded(encode, value)}

    return Plain(check, _with_id(item) if ids else item)


def _encoded(encode: Callable[[object], str], value: object) -> str:
    try:
        return encode(value)
    except MediaError as exc:
        reject(str(exc))


@params_config
class MediaRef(TypedDict, total=False):
    """A media item with an id to refer to it in the prompt as ``@<id>`` (``image_1``)."""

    url: Required[MediaInput]
    id: str


#: An image given as itself (URL, Path, bytes, data: URI, Base64).
StandardImage = Annotated[
    MediaInput, _media_item(encode_standard_image, ids=False, item=_IMAGE_SCHEMA)
]
#: An image given as itself or as ``{"url": ..., "id": "image_1"}`` (omni-video).
StandardImageRef = Annotated[
    MediaInput | MediaRef, _media_item(encode_standard_image, ids=True, item=_IMAGE_SCHEMA)
]
#: A video URL (``https``), as itself or as ``{"url": ..., "id": "video_1"}``.
StandardVideoRef = Annotated[
    str | MediaRef, _media_item(encode_https_url, ids=True, item=_VIDEO_SCHEMA)
]
#: A video URL (``https``).
StandardVideo = Annotated[str, _media_item(encode_https_url, ids=False, item=_VIDEO_SCHEMA)]


@params_config
class ElementRef(TypedDict, total=False):
    """An element from your library (or a preset), referred to in the prompt as ``@<id>``."""

    element_id: Required[Identifier]
    id: Required[ContentId]


@params_config
class VoiceRef(TypedDict, total=False):
    """A voice (custom or preset), referred to in the prompt as ``@<id>``."""

    voice_id: Required[str]
    id: Required[ContentId]


@params_config
class TextToVideoV2Params(TaskOptions, total=False):
    """``POST /text-to-video/{model}``: a video from ``prompt`` alone."""

    prompt: Required[StandardPrompt]
    resolution: Resolution
    aspect_ratio: AspectRatio
    duration: Seconds
    audio: Literal["native", "off"]
    multi_shot: bool


@params_config
class ImageToVideoV2Params(TaskOptions, total=False):
    """``POST /image-to-video/{model}``: animate ``first_frame`` (to ``last_frame``).

    The frame decides the aspect ratio; ``elements`` (kling-3.0) and ``voices`` (kling-2.6)
    are referred to in the prompt as ``@<id>``.
    """

    prompt: Required[StandardPrompt]
    first_frame: Required[StandardImage]
    last_frame: StandardImage
    elements: Annotated[list[ElementRef], items(1)]
    voices: Annotated[list[VoiceRef], items(1)]
    resolution: Resolution
    duration: Seconds
    audio: Literal["native", "off"]
    multi_shot: bool


@params_config
class OmniVideoV2Params(TaskOptions, total=False):
    """``POST /omni-video/{model}``: frames, reference images, a reference or base video.

    Give images and videos an ``id`` (``{"url": ..., "id": "image_1"}``) to refer to them in the
    prompt as ``@image_1``. ``feature_video`` is a style/motion reference, ``base_video`` a video
    to edit; at most one of them.
    """

    prompt: Required[StandardPrompt]
    first_frame: StandardImageRef
    last_frame: StandardImageRef
    refer_images: Annotated[list[StandardImageRef], items(1)]
    feature_video: StandardVideoRef
    base_video: StandardVideoRef
    elements: Annotated[list[ElementRef], items(1)]
    resolution: Resolution
    aspect_ratio: AspectRatio
    duration: Seconds
    audio: Literal["native", "original", "off"]
    multi_shot: bool


@params_config
class MotionControlV2Params(TaskOptions, total=False):
    """``POST /motion-control/{model}``: the person in ``image`` moves as in ``video``."""

    image: Required[StandardImage]
    video: Required[StandardVideo]
    prompt: Annotated[str, max_chars(2500), After(_non_blank, _NON_BLANK)]
    elements: Annotated[list[ElementRef], items(1)]
    character_orientation: Required[Literal["image", "video"]]
    audio: Literal["original", "off"]
    resolution: Literal["720p", "1080p"]


# -- from flat keywords to the three layers -------------------------------------------------------

#: Keyword -> content type, in the order the contents are sent.
_CONTENTS = (
    ("prompt", "prompt"),
    ("first_frame", "first_frame"),
    ("last_frame", "last_frame"),
    ("refer_images", "refer_image"),
    ("feature_video", "feature_video"),
    ("base_video", "base_video"),
    ("image", "image"),
    ("video", "video"),
    ("elements", "element"),
    ("voices", "voice"),
)
_SETTINGS = (
    "resolution",
    "aspect_ratio",
    "duration",
    "audio",
    "multi_shot",
    "character_orientation",
)
_OPTIONS = ("callback_url", "external_task_id", "watermark_info")


def standard_body(checked: Mapping[str, Any], *, prompt_in_contents: bool) -> dict[str, Any]:
    """The JSON body for validated keyword arguments: prompt/contents, settings, options."""
    body: dict[str, Any] = {}
    contents: list[dict[str, Any]] = []
    for key, kind in _CONTENTS:
        if key not in checked:
            continue
        value = checked[key]
        if key == "prompt":
            if prompt_in_contents:
                contents.append({"type": "prompt", "text": value})
            else:
                body["prompt"] = value
        elif isinstance(value, list):
            contents += [_content(kind, item) for item in value]
        else:
            contents.append(_content(kind, value))
    if contents:
        body["contents"] = contents
    settings = {key: checked[key] for key in _SETTINGS if key in checked}
    if settings:
        body["settings"] = settings
    options = {key: checked[key] for key in _OPTIONS if key in checked}
    if options:
        body["options"] = options
    return body


def _content(kind: str, item: Mapping[str, Any]) -> dict[str, Any]:
    if kind == "element":
        # Kling types element ids as strings; its own ids are 15-18 digit numbers.
        return {"type": kind, "element_id": str(item["element_id"]), "id": item["id"]}
    return {"type": kind, **item}


def merge_extra(body: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``extra_body`` merged into ``body``: ``settings`` and ``options`` key by key, ``contents``
    appended, anything else set at the top."""
    for key, value in extra.items():
        if key in ("settings", "options") and isinstance(value, Mapping):
            body[key] = {**body.get(key, {}), **value}
        elif key == "contents" and isinstance(value, list):
            body["contents"] = [*body.get("contents", []), *value]
        else:
            body[key] = value
    return body
