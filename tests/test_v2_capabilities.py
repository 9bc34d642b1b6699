"""The SDK's capability table and FakeKling's agree: they can differ only in a failing test.

Both were written from the same documentation, independently. For a grid of requests per
(product, model), the SDK either refuses before sending or builds a body; every body it builds
must be accepted by FakeKling, and every request it refuses must be refused by FakeKling when
sent anyway. A disagreement names the request.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kling import InvalidParameterError
from kling._families import PRODUCTS
from kling._params._standard import standard_body
from kling._params._standard_models import MODEL_RULES
from kling.testing import DEFAULT_API_KEY, MODELS, FakeKling
from kling.testing._presets import PRESET_ELEMENT_IDS, PRESET_VOICE_IDS
from tests._helpers import prepare_standard_body

IMAGE = "https://cdn.example/in.png"
VIDEO = "https://cdn.example/in.mp4"
ELEMENT = {"element_id": PRESET_ELEMENT_IDS[0], "id": "el"}
VOICE = {"voice_id": PRESET_VOICE_IDS[0], "id": "1"}

# Values on both sides of every documented boundary (durations 3-15 / 5 or 10 / 3-10, 4k,
# each audio mode, multi_shot on and off).
SETTINGS = {
    "resolution": (None, "1080p", "4k"),
    "duration": (None, 3, 7, 15),
    "audio": (None, "native", "original", "off"),
    "multi_shot": (None, True, False),
}

#: Per product, the content variants to combine with the settings.
CONTENTS: dict[str, list[dict[str, Any]]] = {
    "text_to_video": [{"prompt": "a corgi"}, {"prompt": "a corgi", "aspect_ratio": "9:16"}],
    "image_to_video": [
        {"prompt": "x", "first_frame": IMAGE},
        {"prompt": "x", "first_frame": IMAGE, "last_frame": IMAGE},
        {"prompt": "@el x", "first_frame": IMAGE, "elements": [ELEMENT]},
        {"prompt": "@1 x", "first_frame": IMAGE, "voices": [VOICE]},
    ],
    "omni_video": [
        {"prompt": "x", "aspect_ratio": "16:9"},
        {"prompt": "x"},
        {"prompt": "x", "first_frame": IMAGE},
        {"prompt": "x", "first_frame": IMAGE, "last_frame": IMAGE},
        {"prompt": "x", "refer_images": [IMAGE], "aspect_ratio": "1:1"},
        {"prompt": "x", "feature_video": VIDEO},
        {"prompt": "x", "base_video": VIDEO},
        {"prompt": "@el x", "elements": [ELEMENT], "aspect_ratio": "1:1"},
        {"prompt": "x", "first_frame": IMAGE, "last_frame": IMAGE, "refer_images": [IMAGE]},
    ],
    "motion_control": [
        {"image": IMAGE, "video": VIDEO, "character_orientation": "video"},
        {"image": IMAGE, "video": VIDEO, "character_orientation": "image", "elements": [ELEMENT]},
    ],
}
#: Settings a product has at all (the others are not in its keyword arguments).
PRODUCT_SETTINGS = {
    "text_to_video": ("resolution", "duration", "audio", "multi_shot"),
    "image_to_video": ("resolution", "duration", "audio", "multi_shot"),
    "omni_video": ("resolution", "duration", "audio", "multi_shot"),
    "motion_control": ("resolution", "audio"),
}


_MEDIA = (
    "first_frame",
    "last_frame",
    "refer_images",
    "feature_video",
    "base_video",
    "image",
    "video",
)


def as_sent(params: dict[str, Any]) -> dict[str, Any]:
    """``params`` as the SDK's types would pass them on (media URLs as items), unchecked."""
    sent = dict(params)
    for key in _MEDIA:
        if key in sent:
            value = sent[key]
            sent[key] = [{"url": v} for v in value] if isinstance(value, list) else {"url": value}
    return sent


def cases(product: str) -> Iterator[dict[str, Any]]:
    names = PRODUCT_SETTINGS[product]
    for contents in CONTENTS[product]:
        for values in itertools.product(*(SETTINGS[name] for name in names)):
            settings = {n: v for n, v in zip(names, values, strict=True) if v is not None}
            yield {**contents, **settings}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # one backend is enough to compare two tables


@pytest.fixture(scope="module")
def fake() -> FakeKling:
    return FakeKling()


def test_both_tables_know_the_same_models() -> None:
    sdk = {(product, model) for product, model in MODEL_RULES}
    fake = {(m.product.replace("-", "_"), m.model) for m in MODELS}
    assert sdk == fake


@pytest.mark.parametrize(("product", "model"), sorted(MODEL_RULES))
async def test_the_sdk_refuses_exactly_what_fake_kling_refuses(
    fake: FakeKling, product: str, model: str
) -> None:
    row = PRODUCTS[product]
    disagreements: list[str] = []
    headers = {"Authorization": f"Bearer {DEFAULT_API_KEY}"}
    transport = httpx.ASGITransport(app=fake)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://fake.test", headers=headers
    ) as http:
        for params in cases(product):
            try:
                body = prepare_standard_body(row, model, params)
                refused_by_sdk: str | None = None
            except InvalidParameterError as exc:
                refused_by_sdk = str(exc)
                # Sent anyway, as a client without the SDK's checks would send it.
                body = standard_body(as_sent(params), prompt_in_contents=row.prompt_in_contents)
            answer = await http.post(f"{row.path}/{model}", json=body)
            if (answer.status_code != 200) != (refused_by_sdk is not None):
                sdk = f"refuses ({refused_by_sdk})" if refused_by_sdk else "sends"
                fake_says = f"{answer.status_code} {answer.json().get('message')!r}"
                disagreements.append(f"{params}: SDK {sdk}, FakeKling answers {fake_says}")
    shown = "\n".join(disagreements[:15])
    assert disagreements == [], f"{len(disagreements)} disagreements:\n{shown}"
