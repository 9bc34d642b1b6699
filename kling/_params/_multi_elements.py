"""Parameters of multi-element video editing: the selection session's steps and the edit task.

Source, Kling's page:
https://github.com/aself101/kling-api/blob/main/docs/api/kling-multi-element-video-editing.md
"""

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from typing_extensions import Required, TypedDict

from . import _rulebook as R
from ._common import (
    ImageListItem,
    NegativePrompt,
    Prompt,
    TaskOptions,
    Url,
    describe,
    items,
    params_config,
)
from ._rules import Params, fail, one_of, require

__all__ = [
    "MAX_FRAMES",
    "MAX_POINTS",
    "EditMode",
    "InitSelectionParams",
    "MultiElementsParams",
    "Point",
    "edit_mode_images",
    "selection_points",
    "selection_video",
]

#: "up to 10 points can be marked on a single frame" (add-selection, ``points``).
MAX_POINTS = 10
#: "A maximum of 10 frames can be marked" (add-selection, ``frame_index``).
MAX_FRAMES = 10

EditMode = Literal["addition", "swap", "removal"]


class Point(TypedDict):
    """A click on a frame: ``x`` and ``y`` from 0 to 1, as fractions of the frame's width and
    height."""

    x: float
    y: float


@params_config
class MultiElementsParams(TaskOptions, total=False):
    """``POST /v1/videos/multi-elements``: edit the video of a selection session.

    ``edit_mode="addition"`` adds what 1-2 ``image_list`` images show, ``"swap"`` replaces the
    selected element with what one image shows, ``"removal"`` removes it. The prompt refers to
    the video and images as ``<<<video_1>>>`` and ``<<<image_1>>>``. ``duration`` ``"5"`` needs
    an input video of 2-5 s, ``"10"`` one of 7-10 s.
    """

    session_id: Required[str]
    """From ``multi_elements.init_selection`` (valid 24 hours)."""
    edit_mode: Required[EditMode]
    image_list: Annotated[list[ImageListItem], items(0, 2)]
    """Cropped images of the element: 1-2 to add, one to swap in, none to remove."""
    prompt: Required[Prompt]
    negative_prompt: NegativePrompt
    mode: Literal["std", "pro"]
    duration: Literal["5", "10"]


# "For adding video elements: This parameter is required; upload 1-2 images / For editing
# (swapping) video elements: This parameter is required; upload 1 image only / For deleting
# video elements: This parameter is not required" (the page's image_list notes).
_IMAGES: dict[str, tuple[int, int]] = {"addition": (1, 2), "swap": (1, 1)}


def edit_mode_images(params: Params) -> None:
    """``addition`` takes 1-2 images and ``swap`` exactly one (removal needs none)."""
    wanted = _IMAGES.get(params["edit_mode"])
    if wanted is None:
        return
    require(R.EDIT_IMAGES, params, "image_list", f'when edit_mode is "{params["edit_mode"]}"')
    low, high = wanted
    count = len(params["image_list"])
    if not low <= count <= high:
        takes = "exactly 1 image" if low == high else f"{low} to {high} images"
        fail(
            R.EDIT_IMAGES,
            "image_list",
            f'edit_mode "{params["edit_mode"]}" takes {takes}, got {count}',
        )


def selection_points(frame_index: object, points: object) -> list[dict[str, float]]:
    """The body's ``points`` for a frame, checked as the add-selection page documents: an int
    ``frame_index`` >= 0, and 1 to 10 points whose ``x`` and ``y`` are each in [0, 1].

    Points are ``{"x": .., "y": ..}`` mappings or ``(x, y)`` pairs.
    """
    if not isinstance(frame_index, int) or isinstance(frame_index, bool) or frame_index < 0:
        R.SELECTION_POINTS.refuse(
            "frame_index", f"must be an int >= 0, got {describe(frame_index)}"
        )
    if isinstance(points, (str, bytes, Mapping)) or not isinstance(points, Sequence):
        R.SELECTION_POINTS.refuse(
            "points", f"must be a list of (x, y) points, got {describe(points)}"
        )
    if not points:
        R.SELECTION_POINTS.refuse("points", "give at least one point")
    if len(points) > MAX_POINTS:
        R.SELECTION_POINTS.refuse(
            "points", f"at most {MAX_POINTS} points can be marked on a frame, got {len(points)}"
        )
    return [_point(point, index) for index, point in enumerate(points)]


def _point(point: Any, index: int) -> dict[str, float]:
    field = f"points[{index}]"
    if isinstance(point, Mapping):
        if set(point) != {"x", "y"}:
            R.SELECTION_POINTS.refuse(
                field, f"a point is {{'x': .., 'y': ..}}, got keys {sorted(map(str, point))}"
            )
        pair: tuple[Any, ...] = (point["x"], point["y"])
    elif isinstance(point, Sequence) and not isinstance(point, (str, bytes)) and len(point) == 2:
        pair = tuple(point)
    else:
        R.SELECTION_POINTS.refuse(
            field, f"a point is (x, y) or {{'x': .., 'y': ..}}, got {describe(point)}"
        )
    checked: dict[str, float] = {}
    for axis, value in zip(("x", "y"), pair, strict=True):
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not number or not 0 <= value <= 1:
            R.SELECTION_POINTS.refuse(
                f"{field}.{axis}",
                f"must be a number from 0 to 1 (a fraction of the frame's "
                f"{'width' if axis == 'x' else 'height'}), got {describe(value)}",
            )
        checked[axis] = float(value)
    return checked


@params_config
class InitSelectionParams(TypedDict, total=False):
    """``POST /v1/videos/multi-elements/init-selection``: ``video_id`` (a Kling video of the
    last 30 days) or ``video_url`` (.mp4/.mov); 2-5 s or 7-10 s, 720-2160 px, 24/30/60 fps."""

    video_id: str
    video_url: Url


selection_video = one_of("video_id", "video_url")
