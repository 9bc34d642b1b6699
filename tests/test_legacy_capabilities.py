"""The SDK's legacy capability table and FakeKling's agree, but for a short list of known
differences: any new disagreement fails a test naming the request.

Both tables were written from Kling's pages (each module lists them), independently, and both
follow the same rule kinds: a documented limit is refused, what the pages document as having no
effect or leave open is sent (SDK) and accepted (FakeKling). For a grid of requests per
(family, model_name) -- every model either table lists, and no model_name at all -- the SDK
either refuses before sending or builds a body, and:

1. whatever the SDK refuses, FakeKling refuses too (sent raw, as a client without the SDK's
   checks would send it): the SDK is never stricter than Kling;
2. whatever FakeKling refuses, the SDK refuses too, except the requests :data:`KNOWN` lists,
   each naming its sources and the rule rows that decide it;
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
from kling._evidence import Source, page
from kling._families import FAMILIES
from kling._params._legacy_models import DEFAULT_MODELS as SDK_DEFAULTS
from kling._params._legacy_models import LEGACY_MODELS as SDK_MODELS
from kling._params._rulebook import RULES as SDK_RULES
from kling.testing import DEFAULT_API_KEY, FakeKling
from kling.testing._presets import PRESET_ELEMENT_IDS, PRESET_VOICE_IDS
from kling.testing._rulebook import RULES as FAKE_RULES
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
    """A disagreement left: FakeKling refuses, the SDK lets Kling decide."""

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
    """Why the two sides read the pages differently."""
    sources: tuple[Source | str, ...]
    """The pages behind it, and the rule ids of either rulebook that decide it."""
    example: tuple[str, dict[str, Any]]
    """(family, request) showing it: the SDK sends the request, FakeKling refuses it."""


def _videos(params: Mapping[str, Any], kind: str) -> bool:
    return any(video.get("refer_type", "base") == kind for video in params.get("video_list", ()))


KNOWN: list[Known] = [
    Known(
        "images",
        ("*",),
        "image_reference without model_name",
        lambda p: "model_name" not in p and "image_reference" in p,
        r"image_reference is not supported by kling-v1",
        "image generation without model_name: the page's table says kling-v3 is the default, its "
        "text kling-v1; FakeKling takes what either would take, and neither takes "
        "image_reference, while the SDK skips the per-model checks when model_name is omitted.",
        (
            "fake.images.default_model",
            "fake.images.image_reference",
            page(
                "kling-image-2.1-generation",
                "model_name Default kling-v3; vs: call the V1 model",
            ),
            page(
                "kling-guide-capability-map-image",
                "Character/Face Feature Reference: Kling Image 2.1 Supported",
                date="2026-05-19",
            ),
        ),
        ("images", {"prompt": "x", "image": IMG, "image_reference": "face"}),
    ),
]
"""Where the tables still disagree: FakeKling refuses, the SDK sends and lets Kling decide."""


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
    models = {named} if named else {SDK_DEFAULTS.get(family), FAKE_DEFAULTS[family]} - {None}
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
    differing = {f for f in FAKE_DEFAULTS if FAKE_DEFAULTS[f] != SDK_DEFAULTS.get(f)}
    # Multi-image to image: kling-v2 is the default in the early-2026 copy of the page, kling-v2-1
    # the only model in the current one. Image generation: the page's table says kling-v3, its
    # text kling-v1; the SDK checks a request without model_name against no model, FakeKling
    # against what either would take (fake.images.default_model).
    assert differing == {"multi_image_to_image", "images"}
    fake = {(family, model) for family, models in FAKE_MODELS.items() for model in models}
    assert set(SDK_MODELS) == fake


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
def test_each_known_difference_names_its_sources(known: Known) -> None:
    rows = [source for source in known.sources if isinstance(source, str)]
    pages = [source for source in known.sources if isinstance(source, Source)]
    assert pages, "a known difference names the pages behind it"
    assert [row for row in rows if row not in FAKE_RULES and row not in SDK_RULES] == []


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
