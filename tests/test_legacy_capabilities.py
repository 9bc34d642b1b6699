"""The SDK's legacy capability table and FakeKling's agree, but for a short list of known
differences: any new disagreement fails a test naming the request.

Both tables were written from Kling's pages (each module lists them), independently: the SDK's
(``kling._params._legacy_models``) keeps the reading that refuses less where the documentation
is unclear, FakeKling's (``kling.testing.legacy.models``) the stricter one. For a grid of
requests per (family, model_name) -- every model either table lists, and no model_name at all --
the SDK either refuses before sending or builds a body, and:

1. whatever the SDK refuses, FakeKling refuses too (sent raw, as a client without the SDK's
   checks would send it): the SDK is never stricter than the strict reading;
2. whatever FakeKling refuses, the SDK refuses too, except the requests :data:`KNOWN` lists,
   each a point Kling's pages leave open (the SDK lets Kling decide);
3. every body the SDK builds that FakeKling accepts creates a task (200, code 0).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from kling import InvalidParameterError
from kling._families import FAMILIES
from kling._params._legacy_models import DEFAULT_MODELS as SDK_DEFAULTS
from kling._params._legacy_models import LEGACY_MODELS as SDK_MODELS
from kling.testing import DEFAULT_API_KEY, FakeKling
from kling.testing._presets import PRESET_ELEMENT_IDS, PRESET_VOICE_IDS
from kling.testing.legacy.models import LEGACY_DEFAULT_MODELS as FAKE_DEFAULTS
from kling.testing.legacy.models import LEGACY_MODELS as FAKE_MODELS
from tests._helpers import prepare_body

IMG = "https://cdn.example/in.png"
VID = "https://cdn.example/in.mp4"
EL = {"element_id": PRESET_ELEMENT_IDS[0]}
VOICE = {"voice_id": PRESET_VOICE_IDS[0]}
SHOTS = object()
"""Stands for a ``multi_prompt`` whose shots add up to the request's duration (default 5)."""

FIRST = {"image_url": IMG, "type": "first_frame"}
END = {"image_url": IMG, "type": "end_frame"}
REF = {"image_url": IMG}
FEATURE = {"video_url": VID, "refer_type": "feature"}
BASE = {"video_url": VID, "refer_type": "base"}
SIMPLE = {"type": "simple", "config": {"zoom": 5}}
MASK = {"static_mask": IMG}
CUSTOM = {"multi_shot": True, "shot_type": "customize", "multi_prompt": SHOTS}
SMART = {"multi_shot": True, "shot_type": "intelligence"}
REFERENCES = {"element_list", "video_list"}

# Durations on both sides of every documented limit ("5"/"10"; "3"-"10"; "3"-"15"), each mode.
_MODES = (None, "std", "pro", "4k")
_DURATIONS = (None, "3", "10", "15")

#: Per family: the content variants, and the settings (all combinations) to combine them with.
GRID: dict[str, tuple[list[dict[str, Any]], dict[str, tuple[Any, ...]]]] = {
    "text_to_video": (
        [
            {"prompt": "x"},
            {"prompt": "x", "aspect_ratio": "9:16"},
            {"prompt": "x", "cfg_scale": 0.5},
            {"prompt": "x", "sound": "on"},
            {"prompt": "x", "sound": "off"},
            {"prompt": "x", "sound": "on", "voice_list": [VOICE, VOICE]},
            {"prompt": "x", "camera_control": SIMPLE},
            {"prompt": "x", "camera_control": {"type": "down_back"}},
            {"prompt": "x", **SMART},
            {**CUSTOM},
            {"prompt": "x", "multi_shot": False},
        ],
        {"mode": (None, "pro", "4k"), "duration": _DURATIONS},  # no mode is "std" here
    ),
    "image_to_video": (
        [
            {"image": IMG},
            {"image": IMG, "image_tail": IMG},
            {"image_tail": IMG},
            {"image": IMG, "camera_control": SIMPLE},
            {"image": IMG, "camera_control": {"type": "forward_up"}},
            {"image": IMG, **MASK},
            {"image": IMG, "cfg_scale": 0.5},
            {"image": IMG, "sound": "on"},
            {"image": IMG, "sound": "off"},
            {"image": IMG, "sound": "on", "voice_list": [VOICE]},
            {"image": IMG, "image_tail": IMG, "sound": "on"},
            {"image": IMG, "element_list": [EL]},
            {"image": IMG, "element_list": [EL] * 3},
            {"image": IMG, "element_list": [EL] * 4},
            {"image": IMG, "prompt": "x", **SMART},
            {"image": IMG, "image_tail": IMG, **CUSTOM},
            {"image": IMG, "multi_shot": False},
        ],
        {"mode": (None, "pro", "4k"), "duration": (None, "3", "10")},
    ),
    "multi_image_to_video": (
        [
            {"prompt": "x", "image_list": [{"image": IMG}]},
            {"prompt": "x", "image_list": [{"image": IMG}] * 4, "aspect_ratio": "9:16"},
            {"prompt": "x", "image_list": [{"image": IMG}] * 5},
        ],
        {"mode": _MODES, "duration": (None, "3", "10")},
    ),
    "omni_video": (
        [
            {"prompt": "x", "aspect_ratio": "16:9"},
            {"prompt": "x"},
            {"prompt": "x", "image_list": [FIRST]},
            {"prompt": "x", "image_list": [FIRST, END]},
            {"prompt": "x", "image_list": [END], "aspect_ratio": "1:1"},
            {"prompt": "x", "image_list": [REF] * 7, "aspect_ratio": "1:1"},
            {
                "prompt": "x",
                "image_list": [REF] * 4,
                "element_list": [EL] * 4,
                "aspect_ratio": "1:1",
            },
            {"prompt": "x", "element_list": [EL], "aspect_ratio": "1:1"},
            {"prompt": "x", "video_list": [FEATURE], "aspect_ratio": "1:1"},
            {
                "prompt": "x",
                "video_list": [FEATURE],
                "image_list": [REF] * 5,
                "aspect_ratio": "1:1",
            },
            {"prompt": "x", "video_list": [BASE]},
            {"prompt": "x", "video_list": [BASE], "image_list": [FIRST]},
            {"prompt": "x", "aspect_ratio": "16:9", "sound": "on"},
            {"prompt": "x", "aspect_ratio": "16:9", "sound": "off"},
            {"prompt": "x", "video_list": [FEATURE], "aspect_ratio": "1:1", "sound": "on"},
            {"prompt": "x", "aspect_ratio": "16:9", **SMART},
            {"aspect_ratio": "16:9", **CUSTOM},
            {"image_list": [FIRST, END], **CUSTOM},
            {"prompt": "x", "aspect_ratio": "16:9", "multi_shot": False},
            {"video_list": [FEATURE], "aspect_ratio": "1:1", **CUSTOM},
            {"prompt": "x", "video_list": [FEATURE], "aspect_ratio": "1:1", **SMART},
            {"prompt": "x", "video_list": [BASE], **SMART},
        ],
        {"mode": _MODES, "duration": _DURATIONS},
    ),
    "motion_control": (
        [
            {"image_url": IMG, "video_url": VID, "character_orientation": "video"},
            {"image_url": IMG, "video_url": VID, "character_orientation": "image"},
            {
                "image_url": IMG,
                "video_url": VID,
                "character_orientation": "video",
                "keep_original_sound": "no",
                "prompt": "x",
            },
            {
                "image_url": IMG,
                "video_url": VID,
                "character_orientation": "video",
                "element_list": [EL],
            },
            {
                "image_url": IMG,
                "video_url": VID,
                "character_orientation": "image",
                "element_list": [EL],
            },
            {
                "image_url": IMG,
                "video_url": VID,
                "character_orientation": "video",
                "element_list": [EL] * 2,
            },
        ],
        {"mode": _MODES},
    ),
    "images": (
        [
            {"prompt": "x"},
            {"prompt": "x", "negative_prompt": "y", "n": 9},
            {"prompt": "x", "image": IMG},
            {"prompt": "x", "image": IMG, "negative_prompt": "y"},
            {"prompt": "x", "image": IMG, "image_reference": "subject", "human_fidelity": 0.4},
            {"prompt": "x", "image": IMG, "image_reference": "face", "image_fidelity": 0.7},
            {"prompt": "x", "image_reference": "subject"},
            {"prompt": "x", "element_list": [EL]},
            {"prompt": "x", "image": IMG, "element_list": [EL] * 9},
            {"prompt": "x", "image": IMG, "element_list": [EL] * 10},
        ],
        {"resolution": (None, "1k", "2k", "4k"), "aspect_ratio": (None, "21:9")},
    ),
    "omni_image": (
        [
            {"prompt": "x"},
            {"prompt": "x", "image_list": [{"image": IMG}]},
            {"prompt": "x", "element_list": [EL]},
            {"prompt": "x", "image_list": [{"image": IMG}] * 5, "element_list": [EL] * 5},
            {"prompt": "x", "image_list": [{"image": IMG}] * 6, "element_list": [EL] * 5},
            {"prompt": "x", "image_list": [{"image": IMG}], "n": 9},
            {"prompt": "x", "image_list": [{"image": IMG}], "result_type": "single"},
            {"prompt": "x", "image_list": [{"image": IMG}], "series_amount": 3},
            {
                "prompt": "x",
                "image_list": [{"image": IMG}],
                "result_type": "series",
                "series_amount": 2,
            },
            {"prompt": "x", "result_type": "series", "series_amount": 9},
            {"prompt": "x", "result_type": "series", "series_amount": "auto"},
            {"prompt": "x", "result_type": "series", "series_amount": "auto", "n": 2},
        ],
        {"resolution": (None, "1k", "2k", "4k"), "aspect_ratio": (None, "1:1", "auto")},
    ),
    "multi_image_to_image": (
        [
            {"subject_image_list": [{"subject_image": IMG}]},
            {
                "prompt": "x",
                "subject_image_list": [{"subject_image": IMG}] * 4,
                "scene_image": IMG,
                "style_image": IMG,
                "n": 9,
            },
            {"prompt": "x", "subject_image_list": [{"subject_image": IMG}] * 5},
        ],
        {"aspect_ratio": (None, "21:9")},
    ),
    "virtual_try_on": ([{"human_image": IMG, "cloth_image": IMG}], {}),
}


@dataclass(frozen=True)
class Known:
    """A disagreement Kling's pages leave open: FakeKling refuses, the SDK lets Kling decide."""

    family: str
    """The family it concerns; ``"*"``: every family with the fields."""
    models: tuple[str, ...]
    """The models it concerns; ``("*",)``: every model of the family."""
    what: str
    applies: Callable[[Mapping[str, Any]], bool]
    """Whether a request (its parameters, with its model_name if any) shows it..."""
    fake_says: str
    """...and a regular expression FakeKling's refusal matches (another refusal is not it)."""
    reason: str
    """Why the documentation leaves it open, naming the page (cited in ``kling/_params``)."""
    example: tuple[str, dict[str, Any]]
    """(family, request) showing it: the SDK sends the request, FakeKling refuses it."""


def _videos(params: Mapping[str, Any], kind: str) -> bool:
    return any(video.get("refer_type", "base") == kind for video in params.get("video_list", ()))


def _frames(params: Mapping[str, Any]) -> list[str | None]:
    return [image.get("type") for image in params.get("image_list", ())]


KNOWN: list[Known] = [
    Known(
        "*",
        ("*",),
        'the "off" value (sound="off", multi_shot=False) on a model without the feature',
        lambda p: p.get("sound") == "off" or p.get("multi_shot") is False,
        r"(sound|multi_shot) is not supported by",
        'text-to-video: sound defaults to "off" and is "only kling-v2-6 (pro) and later", '
        'multi_shot defaults to false and is "v3 only" (image-to-video and omni video alike); '
        "whether Kling refuses the default value on another model or ignores it is not said.",
        ("text_to_video", {"prompt": "x", "sound": "off", "multi_shot": False}),
    ),
    Known(
        "*",
        ("kling-v2-master", "kling-v2-1-master"),
        "mode on the kling-v2 master models",
        lambda p: "mode" in p,
        r"mode is not supported by kling-v2(-1)?-master",
        'text-to-video: "kling-v2-master rejects/ignores mode" -- which of the two is not '
        "settled; FakeKling reads a refusal, and extends it to the other single-mode master "
        "model, kling-v2-1-master (on which the text- and image-to-video pages say nothing).",
        ("image_to_video", {"image": IMG, "mode": "pro", "model_name": "kling-v2-1-master"}),
    ),
    Known(
        "*",
        ("kling-v3",),
        "cfg_scale on kling-v3",
        lambda p: "cfg_scale" in p,
        r"cfg_scale is not supported by kling-v3",
        'text- and image-to-video: cfg_scale is "not supported by kling-v2.x"; nothing is said '
        "of kling-v3, to which FakeKling extends the rule.",
        ("text_to_video", {"prompt": "x", "cfg_scale": 0.5, "model_name": "kling-v3"}),
    ),
    Known(
        "image_to_video",
        ("kling-v1-5", "kling-v1-6"),
        "image_tail without image (a last frame alone)",
        lambda p: "image_tail" in p and "image" not in p,
        r"image is required",
        "image-to-video, two copies of the page disagree: the 2025 one takes either of "
        "image/image_tail (a last frame alone on kling-v1-5 and kling-v1-6 in pro, per the "
        "capability map), the 2026 one marks image required.",
        ("image_to_video", {"image_tail": IMG, "mode": "pro", "model_name": "kling-v1-6"}),
    ),
    Known(
        "image_to_video",
        ("*",),
        "static_mask/dynamic_masks (motion brush) beyond kling-v1 and kling-v1-5 in 5 s",
        lambda p: "static_mask" in p or "dynamic_masks" in p,
        r"static_mask and dynamic_masks are not supported by",
        "image-to-video gives static_mask and dynamic_masks no per-model limits (only "
        'dynamic_masks\' "2-77 points (for 5 s)"); FakeKling allows them on kling-v1 (std/pro, '
        "5 s) and kling-v1-5 (pro, 5 s) only, after the capability map.",
        ("image_to_video", {"image": IMG, "static_mask": IMG, "model_name": "kling-v2-6"}),
    ),
    Known(
        "images",
        ("kling-v1", "kling-v1-5", "kling-v2-1", "kling-v3"),
        'resolution="2k" on image models other than kling-v2',
        lambda p: p.get("resolution") == "2k",
        r"resolution '2k' is not supported by",
        'image generation: resolution is "1k", "2k" "(model-dependent)", without saying which '
        "model makes 2k; FakeKling gives it to kling-v2 only.",
        ("images", {"prompt": "x", "resolution": "2k", "model_name": "kling-v3"}),
    ),
    Known(
        "images",
        ("kling-v2-new",),
        "resolution or aspect_ratio on kling-v2-new",
        lambda p: "resolution" in p or "aspect_ratio" in p,
        r"(resolution|aspect_ratio) is not supported by kling-v2-new",
        "image generation: kling-v2-new restyles an image and its output resolution = input; "
        "whether Kling refuses resolution/aspect_ratio there or ignores them is not said.",
        ("images", {"prompt": "x", "image": IMG, "resolution": "1k", "model_name": "kling-v2-new"}),
    ),
    Known(
        "images",
        ("kling-v1-5",),
        "image_reference on kling-v1-5",
        lambda p: "image_reference" in p,
        r"image_reference is not supported by kling-v1-5",
        "image generation, two copies of the page disagree: the early-2026 one gives "
        "image_reference to kling-v1-5 only, the current one its fidelity fields to kling-v2-1 "
        "only; the SDK takes both, FakeKling the current reading.",
        (
            "images",
            {"prompt": "x", "image": IMG, "image_reference": "face", "model_name": "kling-v1-5"},
        ),
    ),
    Known(
        "motion_control",
        ("kling-v3",),
        'element_list with character_orientation="image", or more than one element',
        lambda p: (
            bool(p.get("element_list"))
            and (p.get("character_orientation") == "image" or len(p["element_list"]) > 1)
        ),
        r"element_list (needs character_orientation 'video'|can hold at most 1 )",
        'motion control: element_list (v3) "binds orientation to video" -- Kling may refuse '
        "another orientation or use the video's itself -- and no count is given; FakeKling "
        'refuses orientation "image" and a second element.',
        (
            "motion_control",
            {
                "image_url": IMG,
                "video_url": VID,
                "character_orientation": "image",
                "mode": "std",
                "element_list": [EL],
                "model_name": "kling-v3",
            },
        ),
    ),
    Known(
        "multi_image_to_image",
        ("kling-v2",),
        "model_name kling-v2 on multi-image to image",
        lambda p: p.get("model_name") == "kling-v2",
        r"model_name 'kling-v2' is not a model of",
        "multi-image to image, two copies of the page disagree: kling-v2 is the default in the "
        "early-2026 one, kling-v2-1 the only value in the current one; FakeKling knows "
        "kling-v2-1 only (404/1203).",
        (
            "multi_image_to_image",
            {"subject_image_list": [{"subject_image": IMG}], "model_name": "kling-v2"},
        ),
    ),
    Known(
        "omni_image",
        ("*",),
        'aspect_ratio "auto" (given, or by default) without image_list',
        lambda p: not p.get("image_list") and p.get("aspect_ratio", "auto") == "auto",
        r"aspect_ratio 'auto' \(the default\) needs images",
        'omni image: aspect_ratio defaults to "auto" and "T2I without images cannot use auto"; the '
        'SDK refuses an explicit "auto" with neither image_list nor element_list, but whether '
        "Kling fails an omitted aspect_ratio (or picks another default) and whether elements "
        "count as images is not said.",
        ("omni_image", {"prompt": "x"}),
    ),
    Known(
        "omni_image",
        ("kling-v3-omni",),
        'n beside result_type="series"',
        lambda p: p.get("result_type") == "series" and p.get("n", 1) != 1,
        r"n cannot be used with result_type 'series'",
        'omni image lists n [1,9] and result_type="series" with series_amount, not how the two '
        "combine; FakeKling refuses n beside series_amount.",
        (
            "omni_image",
            {
                "prompt": "x",
                "aspect_ratio": "1:1",
                "result_type": "series",
                "series_amount": 3,
                "n": 2,
                "model_name": "kling-v3-omni",
            },
        ),
    ),
    Known(
        "omni_video",
        ("kling-video-o1",),
        'first and end frames only, at durations other than "5"/"10"',
        lambda p: (
            "end_frame" in _frames(p) and None not in _frames(p) and not p.keys() & REFERENCES
        ),
        r"is not supported by kling-video-o1 without reference images",
        'omni video: kling-video-o1 makes "3"-"10" s videos "but pure T2V and first-frame I2V '
        'only 5/10"; whether first + end frames count as first-frame I2V is not said (the SDK '
        "holds a prompt or a first frame alone to 5/10).",
        (
            "omni_video",
            {"prompt": "x", "image_list": [FIRST, END], "duration": "7"},
        ),
    ),
    Known(
        "omni_video",
        ("*",),
        "duration or multi_shot beside a base video",
        lambda p: _videos(p, "base") and ("duration" in p or bool(p.get("multi_shot"))),
        r"(duration cannot be set|multi_shot cannot be used) with a base video",
        'omni video: "base editing follows input" (its duration) and a base video takes no frames; '
        "whether Kling refuses a duration or multi_shot beside one, or ignores them, is not said.",
        ("omni_video", {"prompt": "x", "video_list": [BASE], "duration": "5"}),
    ),
]
"""Where the tables may disagree: FakeKling refuses, the SDK sends and lets Kling decide."""


def _shots(total: int) -> list[dict[str, Any]]:
    first = total - total // 2
    shots = [{"index": 1, "prompt": "a", "duration": str(first)}]
    if total // 2:
        shots.append({"index": 2, "prompt": "b", "duration": str(total // 2)})
    return shots


def cases(family: str, model: str | None) -> Iterator[dict[str, Any]]:
    contents, settings = GRID[family]
    names = tuple(settings)
    for content in contents:
        for values in itertools.product(*(settings[name] for name in names)):
            params = dict(content)
            params.update({n: v for n, v in zip(names, values, strict=True) if v is not None})
            if params.get("multi_prompt") is SHOTS:
                params["multi_prompt"] = _shots(int(params.get("duration", "5")))
            if model is not None:
                params["model_name"] = model
            yield params


def models_of(family: str) -> list[str | None]:
    sdk = {model for fam, model in SDK_MODELS if fam == family}
    fake = set(FAKE_MODELS[family])
    return [None, *sorted(sdk | fake)]


MODEL_CASES = [
    pytest.param(family, model, id=f"{family}-{model or 'default'}")
    for family in GRID
    for model in models_of(family)
]


def known_for(family: str, params: Mapping[str, Any], refusal: str) -> Known | None:
    """The known difference a request and FakeKling's ``refusal`` of it show, if any."""
    named = params.get("model_name")
    models = {named} if named else {SDK_DEFAULTS[family], FAKE_DEFAULTS[family]}
    for known in KNOWN:
        if known.family not in ("*", family) or not re.search(known.fake_says, refusal):
            continue
        if ("*" in known.models or models & set(known.models)) and known.applies(params):
            return known
    return None


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # one backend is enough to compare two tables


@pytest.fixture(scope="module")
def fake() -> FakeKling:
    return FakeKling()


def _client(fake: FakeKling) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=fake),
        base_url="http://fake.test",
        headers={"Authorization": f"Bearer {DEFAULT_API_KEY}"},
    )


def _sdk(family: str, params: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The body sent, and the SDK's refusal (the raw parameters are sent anyway)."""
    try:
        return prepare_body(family, params), None
    except InvalidParameterError as exc:
        return dict(params), str(exc)


def test_the_tables_list_the_same_families_and_defaults() -> None:
    assert set(FAKE_MODELS) == {family for family, _ in SDK_MODELS} == set(GRID)
    differing = {f for f in FAKE_DEFAULTS if FAKE_DEFAULTS[f] != SDK_DEFAULTS[f]}
    # Multi-image to image: kling-v2 is the default in the early-2026 copy of the page, kling-v2-1
    # the only model in the current one.
    assert differing == {"multi_image_to_image"}
    fake = {(family, model) for family, models in FAKE_MODELS.items() for model in models}
    assert set(SDK_MODELS) ^ fake == {("multi_image_to_image", "kling-v2")}


@pytest.mark.parametrize(("family", "model"), MODEL_CASES)
async def test_the_sdk_refuses_what_fake_kling_refuses_but_the_known_differences(
    fake: FakeKling, family: str, model: str | None
) -> None:
    path = FAMILIES[family].path
    disagreements: list[str] = []
    async with _client(fake) as http:
        for params in cases(family, model):
            body, refused = _sdk(family, params)
            fake.reset()
            answer = await http.post(path, json=body)
            envelope = answer.json()
            said = f"{answer.status_code} {envelope.get('code')} {envelope.get('message')!r}"
            accepted = answer.status_code == 200
            if answer.status_code >= 500:
                disagreements.append(f"{params}: FakeKling failed: {said}")
            elif refused is not None and accepted:
                disagreements.append(f"{params}: SDK refuses ({refused}), FakeKling accepts")
            elif refused is None and not accepted and not known_for(family, params, said):
                disagreements.append(f"{params}: SDK sends, FakeKling answers {said}")
            elif (
                refused is None
                and accepted
                and (envelope.get("code") != 0 or not envelope["data"].get("task_id"))
            ):
                disagreements.append(f"{params}: SDK sends, FakeKling made no task: {said}")
    shown = "\n".join(disagreements[:25])
    assert disagreements == [], f"{len(disagreements)} disagreements:\n{shown}"


@pytest.mark.parametrize("known", KNOWN, ids=[f"{k.family}: {k.what}" for k in KNOWN])
async def test_each_known_difference_still_is_one(fake: FakeKling, known: Known) -> None:
    """A difference that is gone (both sides now agree) leaves the list."""
    family, params = known.example
    body, refused = _sdk(family, params)
    assert refused is None, f"the SDK refuses it now: {refused}"
    fake.reset()
    async with _client(fake) as http:
        answer = await http.post(FAMILIES[family].path, json=body)
    assert answer.status_code in (400, 404), f"FakeKling accepts it now: {answer.text}"
    assert known_for(family, params, answer.json()["message"]) is known, answer.text
