"""What each kind of rule does to a call, end to end: sent or refused, with or without a WARNING.

Every case here was refused before the rules were checked against Kling's pages (docs/rules.md):
a call Kling documents as having no effect is sent with one WARNING on the ``kling`` logger; a call
the sources disagree on, or say nothing about, is sent without a word; both reach FakeKling, which
takes them as Kling would. The documented limits the audit found unchecked are refused before
anything is sent.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from kling import AsyncKlingClient, InvalidParameterError
from kling.testing import DEFAULT_API_KEY, FakeKling
from kling.testing._presets import PRESET_ELEMENT_IDS

IMG = "https://cdn.example/in.png"
VID = "https://cdn.example/in.mp4"
EL = {"element_id": PRESET_ELEMENT_IDS[0]}
FIRST = {"image_url": IMG, "type": "first_frame"}
END = {"image_url": IMG, "type": "end_frame"}
FEATURE = {"video_url": VID, "refer_type": "feature"}
IMAGES = {"frontal_image": IMG, "refer_images": [{"image_url": IMG}]}
VIDEOS = {"refer_videos": [{"video_url": VID}]}
V2_FIRST = IMG

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def fake() -> FakeKling:
    return FakeKling()


@pytest.fixture
async def client(fake: FakeKling) -> AsyncIterator[AsyncKlingClient]:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake), base_url="https://fake.test")
    async with (
        http,
        AsyncKlingClient(
            api_key=DEFAULT_API_KEY, base_url="https://fake.test", http_client=http
        ) as kling,
    ):
        yield kling


Send = Callable[[AsyncKlingClient], Any]


def legacy(family: str, **params: Any) -> Send:
    return lambda client: getattr(client, family).create(**params)


def v2(product: str, model: str, **params: Any) -> Send:
    return lambda client: getattr(client.v2, product).create(model=model, **params)


#: (what, the call, the field sent, a WARNING's words or None for none)
SENT: list[Any] = [
    # -- ignored: Kling documents that the value has no effect -------------------------------------
    pytest.param(
        lambda client: client.tts.create(text="hi", voice_id="oversea_male1", voice_speed=2.5),
        "voice_speed",
        "voice_speed: must be between 0.8 and 2 (got 2.5); sent anyway: Kling rounds it into "
        "that range",
        id="tts-voice-speed-is-rounded",
    ),
    pytest.param(
        legacy(
            "images",
            prompt="x",
            image=IMG,
            image_reference="face",
            human_fidelity=0.45,
            model_name="kling-v1-5",
        ),
        "human_fidelity",
        'human_fidelity: only used with image_reference="subject"; sent anyway: it only takes '
        'effect with image_reference="subject"',
        id="human-fidelity-without-subject",
    ),
    pytest.param(
        legacy("images", prompt="x", image=IMG, negative_prompt="blurry"),
        "negative_prompt",
        "negative_prompt: not used in image-to-image (when image is set); sent anyway",
        id="negative-prompt-in-image-to-image",
    ),
    pytest.param(
        legacy("omni_image", prompt="x", series_amount=3),
        "series_amount",
        'series_amount: only used with result_type="series"; sent anyway',
        id="series-amount-without-series",
    ),
    pytest.param(
        legacy(
            "omni_image",
            prompt="x",
            result_type="series",
            series_amount=2,
            n=2,
            model_name="kling-v3-omni",
        ),
        "n",
        'n: not used with result_type="series" (series_amount is); sent anyway',
        id="n-with-series",
    ),
    pytest.param(
        legacy(
            "elements",
            element_name="Mochi",
            element_description="a cat",
            reference_type="image_refer",
            element_image_list=IMAGES,
            element_video_list=VIDEOS,
        ),
        "element_video_list",
        'element_video_list: not used with reference_type="image_refer"; sent anyway',
        id="element-videos-with-image-reference",
    ),
    # -- unsettled: the sources disagree or say nothing --------------------------------------------
    pytest.param(
        legacy("text_to_video", prompt="x", model_name="kling-v2-master", cfg_scale=0.5),
        "cfg_scale",
        None,
        id="cfg-scale-on-v2-as-kuaishou-sends-it",
    ),
    pytest.param(
        legacy("image_to_video", image=IMG, model_name="kling-v2-1", cfg_scale=0.5, mode="pro"),
        "cfg_scale",
        None,
        id="cfg-scale-on-v2-image-to-video",
    ),
    pytest.param(
        legacy("text_to_video", prompt="x", model_name="kling-v2-master", mode="pro"),
        "mode",
        None,
        id="mode-on-kling-v2-master-as-three-clients-send-it",
    ),
    pytest.param(
        lambda client: client.image_to_video.create(image=IMG, extra_body={"aspect_ratio": "16:9"}),
        "aspect_ratio",
        None,
        id="an-undocumented-field-is-ignored-as-klingai-api-sends-it",
    ),
    pytest.param(
        legacy("omni_video", prompt="the next shot", video_list=[FEATURE]),
        "video_list",
        None,
        id="the-vendors-next-shot-example",
    ),
    pytest.param(
        legacy("text_to_video", prompt="x", shot_type="customize"),
        "shot_type",
        None,
        id="shot-type-without-multi-shot",
    ),
    pytest.param(
        legacy("images", prompt="x", element_list=[EL]),
        "element_list",
        None,
        id="image-without-model-name-is-not-checked-as-kling-v1",
    ),
    pytest.param(
        legacy("images", prompt="x", resolution="2k", model_name="kling-v3"),
        "resolution",
        None,
        id="2k-images-on-kling-v3",
    ),
    pytest.param(
        legacy(
            "text_to_video",
            prompt="x",
            model_name="kling-v3",
            camera_control={"type": "simple", "config": {"zoom": 5}},
        ),
        "camera_control",
        None,
        id="camera-control-on-kling-v3-no-page-covers",
    ),
    pytest.param(
        v2("text_to_video", "kling-3.0-turbo", prompt="x", audio="native"),
        "settings",
        None,
        id="audio-setting-on-3-0-turbo",
    ),
    pytest.param(
        v2("image_to_video", "kling-3.0-turbo", prompt="p" * 3000, first_frame=V2_FIRST),
        "contents",
        None,
        id="3-0-turbo-image-to-video-takes-3072-characters",
    ),
    pytest.param(
        v2(
            "omni_video",
            "kling-o1",
            prompt="x",
            first_frame=V2_FIRST,
            last_frame=V2_FIRST,
            duration=7,
        ),
        "settings",
        None,
        id="kling-o1-first-and-last-frame-is-not-plain",
    ),
]


@pytest.mark.parametrize(("send", "field", "warning"), SENT)
async def test_a_call_kling_takes_is_sent_and_fake_kling_creates_its_task(
    client: AsyncKlingClient,
    fake: FakeKling,
    caplog: pytest.LogCaptureFixture,
    send: Send,
    field: str,
    warning: str | None,
) -> None:
    caplog.set_level(logging.WARNING, logger="kling")
    await send(client)
    [create] = [r for r in fake.requests if r.method == "POST"]
    sent = create.json if isinstance(create.json, dict) else {}
    assert field in sent or field in sent.get("input", {}), sent
    assert create.status == 200, create.json
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    if warning is None:
        assert warnings == []
    else:
        assert len(warnings) == 1, warnings
        assert warnings[0].startswith(warning), warnings[0]
        assert "https://github.com/aself101/kling-api/blob/main/docs/api/" in warnings[0]


#: (call, field, message): documented limits, refused before anything is sent.
REFUSED: list[Any] = [
    pytest.param(
        legacy(
            "motion_control",
            image_url=IMG,
            video_url=VID,
            character_orientation="video",
            mode="std",
            model_name="kling-v3",
            element_list=[EL, EL],
        ),
        "element_list",
        "element_list: kling-v3 takes at most 1 element in motion-control (got 2)",
        id="motion-control-v3-one-element",
    ),
    pytest.param(
        legacy(
            "elements",
            element_name="Mochi",
            reference_type="image_refer",
            element_image_list=IMAGES,
        ),
        "element_description",
        "element_description: required",
        id="element-needs-a-description",
    ),
    pytest.param(
        legacy("image_to_video", image=IMG, static_mask=IMG, model_name="kling-v2-6"),
        "static_mask",
        "static_mask: kling-v2-6 takes no motion brush (kling-v1 and kling-v1-5 do, in 5 s videos)",
        id="motion-brush-on-kling-v2-6",
    ),
    pytest.param(
        legacy("image_to_video", image=IMG, static_mask=IMG, model_name="kling-v1", duration=10),
        "static_mask",
        'static_mask: kling-v1 renders a motion brush in mode "std" or "pro", 5 s videos only',
        id="motion-brush-in-10-s",
    ),
    pytest.param(
        legacy("omni_video", prompt="x", image_list=[FIRST, END], element_list=[EL]),
        "element_list",
        "element_list: kling-video-o1 takes no element_list with a first and end frame",
        id="o1-no-elements-with-first-and-end-frame",
    ),
    pytest.param(
        legacy("omni_video", prompt="x", image_list=[FIRST, END], video_list=[FEATURE]),
        "image_list",
        'image_list: kling-video-o1 takes no "end_frame" with a feature video (a first frame only)',
        id="o1-no-end-frame-with-feature-video",
    ),
    pytest.param(
        legacy(
            "omni_video",
            prompt="x",
            model_name="kling-v3-omni",
            video_list=[{"video_url": VID, "refer_type": "base"}],
            multi_shot=True,
            shot_type="intelligence",
        ),
        "multi_shot",
        'multi_shot: not with a video_list of refer_type "base"',
        id="no-multi-shot-editing-a-base-video",
    ),
    pytest.param(
        legacy("images", prompt="x", resolution="2k", model_name="kling-v1-5"),
        "resolution",
        'resolution: kling-v1-5 makes "1k" images (got "2k")',
        id="no-2k-on-kling-v1-5",
    ),
]


@pytest.mark.parametrize(("send", "field", "message"), REFUSED)
async def test_a_documented_limit_is_refused_before_sending(
    client: AsyncKlingClient, fake: FakeKling, send: Send, field: str, message: str
) -> None:
    with pytest.raises(InvalidParameterError) as info:
        await send(client)
    assert (info.value.field, str(info.value)) == (field, message)
    assert fake.requests == []
