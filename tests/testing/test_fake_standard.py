"""FakeKling's new-standard (API 2.0) surface: path-per-model creates, /tasks, callbacks.

Each test checks one behaviour against Kling's pages for the new standard, through plain httpx
(in-process with ``httpx.ASGITransport`` unless it needs real sockets). The pages, as copied:
https://github.com/aself101/kling-api/tree/main/docs/api
"""

from __future__ import annotations

import base64
import urllib.parse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from kling import webhooks
from kling.testing import (
    DEFAULT_API_KEY,
    MODELS,
    FakeKling,
    StandardModel,
    StandardTask,
    Timing,
)
from kling.testing._files import make_png
from kling.testing.standard.media import MAX_IMAGE_BYTES, image_problem

from .conftest import ManualClock, mint

API_KEY_HEADERS = {"Authorization": f"Bearer {DEFAULT_API_KEY}"}
WEBHOOK_SECRET = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI="
AKSK_TEXT = (
    "Authentication error. The current API does not support AK/SK; please go to the console "
    "(https://kling.ai/dev/api-key) to create API key."
)
SINK = "http://fake.test/_fake/callbacks"
IMG = "https://cdn.example/frame.png"
VID = "https://cdn.example/clip.mp4"
PRESET_ELEMENTS = ("700000000000000100", "700000000000000101")  # multi-image presets
PRESET_VOICE = "genshin_vindi2"
DAY_MS = 86_400_000


@asynccontextmanager
async def client(
    fake: FakeKling, headers: dict[str, str] | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client wired to ``fake`` in-process, authenticated with the default API key."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=fake),
        base_url="http://fake.test",
        headers=API_KEY_HEADERS if headers is None else headers,
    ) as http:
        yield http


def prompt(text: str = "a corgi surfing at sunset") -> dict[str, Any]:
    return {"type": "prompt", "text": text}


def item(kind: str, url: str | None = None, **extra: Any) -> dict[str, Any]:
    default = VID if kind in ("feature_video", "base_video", "video") else IMG
    return {"type": kind, "url": url or default, **extra}


def element(element_id: str = PRESET_ELEMENTS[0], alias: str = "element_1") -> dict[str, Any]:
    return {"type": "element", "element_id": element_id, "id": alias}


def minimal(product: str) -> dict[str, Any]:
    """The smallest body each product accepts."""
    if product == "text-to-video":
        return {"prompt": "a corgi surfing at sunset"}
    if product == "motion-control":
        return {
            "contents": [item("image"), item("video")],
            "settings": {"character_orientation": "image"},
        }
    return {"contents": [prompt(), item("first_frame")]}


async def post(http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> httpx.Response:
    return await http.post(path, json=body)


async def create(http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await post(http, path, body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def record(http: httpx.AsyncClient, task_id: str) -> dict[str, Any]:
    response = await http.get("/tasks", params={"task_ids": task_id})
    assert response.status_code == 200, response.text
    (data,) = response.json()["data"]
    return dict(data)


def assert_error(response: httpx.Response, status: int, code: int, message: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert (body["code"], body["message"]) == (code, message)
    assert "data" not in body
    assert body["request_id"]


async def refused(
    path: str, body: dict[str, Any], message: str, fake: FakeKling | None = None
) -> None:
    """``body`` on ``path`` is refused 400/1201 with exactly ``message``; no task is created."""
    fake = fake or FakeKling()
    async with client(fake) as http:
        assert_error(await post(http, path, body), 400, 1201, message)
    assert fake.tasks == {}


async def accepted(path: str, body: dict[str, Any], fake: FakeKling | None = None) -> None:
    async with client(fake or FakeKling()) as http:
        await create(http, path, body)


def b64_png(width: int = 320, height: int = 320) -> str:
    return base64.b64encode(make_png(width, height)).decode()


async def legacy_element(http: httpx.AsyncClient, reference_type: str) -> str:
    """Create an element on the legacy route and return its ``element_id`` (as a string)."""
    path = "/v1/general/advanced-custom-elements"
    body: dict[str, Any] = {
        "element_name": "Ann",
        "element_description": "a woman",
        "reference_type": reference_type,
    }
    if reference_type == "video_refer":
        body["element_video_list"] = {"refer_videos": [{"video_url": VID}]}
    else:
        body["element_image_list"] = {"frontal_image": IMG, "refer_images": [{"image_url": IMG}]}
    response = await http.post(path, json=body)
    task_id = response.json()["data"]["task_id"]
    found = (await http.get(f"{path}/{task_id}")).json()["data"]
    return str(found["task_result"]["elements"][0]["element_id"])


# ------------------------------------------------------------------------------ model table


def test_models_table_lists_every_documented_product_and_model() -> None:
    assert {(m.product, m.model) for m in MODELS} == {
        *(
            (product, model)
            for product in ("text-to-video", "image-to-video")
            for model in ("kling-3.0-turbo", "kling-3.0", "kling-2.6", "kling-2.5-turbo")
        ),
        ("omni-video", "kling-3.0-omni"),
        ("omni-video", "kling-o1"),
        ("omni-video", "kling-v3-omni"),
        ("motion-control", "kling-3.0"),
        ("motion-control", "kling-2.6"),
    }


def test_kling_v3_omni_is_an_alias_of_kling_3_0_omni() -> None:
    by_model = {m.model: m for m in MODELS if m.product == "omni-video"}
    alias = by_model["kling-v3-omni"]
    assert alias.canonical == "kling-3.0-omni"
    assert alias.resolutions == by_model["kling-3.0-omni"].resolutions


@pytest.mark.parametrize("model", MODELS, ids=lambda m: f"{m.product}/{m.model}")
async def test_every_documented_model_creates_a_submitted_task(model: StandardModel) -> None:
    async with client(FakeKling()) as http:
        response = await post(http, f"/{model.product}/{model.model}", minimal(model.product))
    assert response.status_code == 200, response.text
    envelope = response.json()
    assert (envelope["code"], envelope["message"]) == (0, "SUCCEED")
    assert envelope["request_id"]
    data = envelope["data"]
    assert set(data) == {"id", "status", "message", "create_time", "update_time"}
    assert data["id"].isdigit()
    assert len(data["id"]) == 18
    assert (data["status"], data["message"]) == ("submitted", "")
    assert data["create_time"] == data["update_time"]


def serves(product: str) -> str:
    """The models the fake's table serves on ``product``, as its refusals list them."""
    return ", ".join(model.model for model in MODELS if model.product == product)


@pytest.mark.parametrize(
    ("path", "example"),
    [
        ("/omni-video/kling-v3-1-omni", "kling-3.0-omni"),
        ("/omni-video/elements", "kling-o1"),
        ("/text-to-video/kling-v3", "kling-3.0"),
    ],
)
async def test_unknown_model_on_a_known_product_is_not_supported_naming_the_known_ones(
    path: str, example: str
) -> None:
    product = path.split("/")[1]
    assert example in serves(product)
    await refused(
        path, {"prompt": "x"}, f"model is not supported; {product} serves {serves(product)}"
    )


async def test_a_model_of_another_product_is_not_supported() -> None:
    assert "kling-3.0-turbo" not in serves("motion-control")
    await refused(
        "/motion-control/kling-3.0-turbo",
        minimal("motion-control"),
        f"model is not supported; motion-control serves {serves('motion-control')}",
    )


# -------------------------------------------------------------------------------------- auth


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/text-to-video/kling-3.0"), ("GET", "/tasks?task_ids=1"), ("POST", "/tasks")],
)
async def test_a_jwt_is_refused_with_the_aksk_text(method: str, path: str) -> None:
    fake = FakeKling()
    async with client(fake, headers={"Authorization": f"Bearer {mint(fake)}"}) as http:
        response = await http.request(method, path, json={"prompt": "x"})
    assert_error(response, 401, 1002, AKSK_TEXT)
    assert fake.tasks == {}


@pytest.mark.parametrize("value", ["Bearer garbage", "Bearer aaaa.bbbb.cccc", "Basic fake-api-key"])
async def test_any_string_that_is_not_a_key_gets_the_aksk_text(value: str) -> None:
    async with client(FakeKling(), headers={"Authorization": value}) as http:
        response = await post(http, "/text-to-video/kling-3.0", minimal("text-to-video"))
    assert_error(response, 401, 1002, AKSK_TEXT)


async def test_an_unknown_kling_shaped_key_is_api_key_not_found() -> None:
    headers = {"Authorization": "Bearer api-key-kling-0123456789abcdef0123456789abcdef0123456"}
    async with client(FakeKling(), headers=headers) as http:
        assert_error(await http.get("/tasks?task_ids=1"), 401, 1002, "api key not found")


@pytest.mark.parametrize(
    "headers", [{}, {"X-Api-Key": "fake-access-key", "X-Api-Secret": "fake-secret-key"}]
)
async def test_no_authorization_header_is_1001(headers: dict[str, str]) -> None:
    async with client(FakeKling(), headers=headers) as http:
        assert_error(await http.get("/tasks?task_ids=1"), 401, 1001, "Authorization is empty")


async def test_configured_api_keys_are_accepted() -> None:
    key = "api-key-kling-mine"
    fake = FakeKling(api_keys=("other", key))
    async with client(fake, headers={"Authorization": f"Bearer {key}"}) as http:
        await create(http, "/text-to-video/kling-3.0", minimal("text-to-video"))
    assert fake.requests[-1].auth == "api_key"


async def test_legacy_routes_still_accept_a_jwt() -> None:
    fake = FakeKling()
    async with client(fake, headers={"Authorization": f"Bearer {mint(fake)}"}) as http:
        assert (await http.get("/v1/videos/text2video")).status_code == 200


# ------------------------------------------------------------------------- body: common rules


async def test_unknown_keys_are_silently_ignored_everywhere() -> None:
    fake = FakeKling()
    body = {
        "prompt": "x",
        "duration": "10",
        "mode": "pro",
        "negative_prompt": "blur",
        "settings": {"duration": 8, "mode": "pro", "cfg_scale": 0.5, "negative_prompt": "x"},
        "options": {"retries": 3},
    }
    async with client(fake) as http:
        created = await create(http, "/text-to-video/kling-3.0", body)
    task = fake.task(created["id"])
    assert isinstance(task, StandardTask)
    assert task.settings == {
        "resolution": "720p",
        "aspect_ratio": "16:9",
        "duration": 8,
        "audio": "off",
        "multi_shot": True,
    }


async def test_unknown_keys_in_a_content_item_are_ignored() -> None:
    contents = [prompt(), item("first_frame", shade="blue")]
    await accepted("/image-to-video/kling-3.0", {"contents": contents})


async def test_a_top_level_callback_url_never_fires() -> None:
    fake = FakeKling()
    fake.callback_transport = httpx.ASGITransport(app=fake)
    async with client(fake) as http:
        created = await create(
            http, "/text-to-video/kling-3.0", {"prompt": "x", "callback_url": SINK}
        )
        assert (await record(http, created["id"]))["status"] == "succeeded"
        await fake.await_callbacks()
    assert fake.callbacks_sent == []


async def test_missing_contents_cannot_be_empty() -> None:
    await refused("/image-to-video/kling-3.0", {"prompt": "x"}, "contents cannot be empty")


async def test_empty_contents_cannot_be_empty() -> None:
    await refused("/omni-video/kling-o1", {"contents": []}, "contents cannot be empty")


async def test_contents_that_is_not_an_array_is_refused() -> None:
    await refused(
        "/image-to-video/kling-3.0",
        {"contents": {"type": "prompt"}},
        "contents value type is invalid, expected array",
    )


async def test_an_unknown_content_type_names_its_index() -> None:
    body = {"contents": [prompt(), {"type": "x", "url": IMG}]}
    await refused("/image-to-video/kling-3.0", body, "contents[1].type value 'x' is invalid")


async def test_a_content_type_the_model_does_not_take_is_not_supported() -> None:
    body = {"contents": [prompt(), item("first_frame"), item("last_frame")]}
    await refused(
        "/image-to-video/kling-3.0-turbo",
        body,
        "content item of type 'last_frame' is not supported by the current model",
    )


async def test_a_first_frame_without_url_is_refused() -> None:
    body = {"contents": [prompt(), {"type": "first_frame", "url": "  "}]}
    await refused(
        "/image-to-video/kling-3.0",
        body,
        "content item of type 'first_frame' must have a non-blank url",
    )


async def test_a_prompt_item_without_text_is_refused() -> None:
    body = {"contents": [{"type": "prompt"}, item("first_frame")]}
    await refused(
        "/image-to-video/kling-3.0", body, "content item of type 'prompt' must have non-blank text"
    )


async def test_image_to_video_needs_a_first_frame() -> None:
    body = {"contents": [prompt()]}
    await refused(
        "/image-to-video/kling-2.6", body, "content item of type 'first_frame' is required"
    )


async def test_text_to_video_needs_a_prompt() -> None:
    await refused("/text-to-video/kling-3.0", {"contents": [prompt()]}, "prompt cannot be empty")


async def test_settings_that_is_not_an_object_is_refused() -> None:
    await refused(
        "/text-to-video/kling-3.0",
        {"prompt": "x", "settings": ["1080p"]},
        "settings value type is invalid, expected object",
    )


async def test_watermark_enabled_must_be_a_boolean() -> None:
    body = {"prompt": "x", "options": {"watermark_info": {"enabled": "yes"}}}
    await refused(
        "/text-to-video/kling-3.0", body, "options.watermark_info.enabled value 'yes' is invalid"
    )


# ------------------------------------------------------------------------------ media inputs


async def test_a_raw_base64_png_is_an_accepted_image() -> None:
    body = {"contents": [prompt(), item("first_frame", b64_png())]}
    await accepted("/image-to-video/kling-3.0", body)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        (f"data:image/png;base64,{b64_png()}", "expected an https URL or raw Base64"),
        ("http://cdn.example/frame.png", "expected an https URL or raw Base64"),
        ("not base64 at all!", "expected an https URL or raw Base64"),
        (base64.b64encode(b"GIF89a" + bytes(64)).decode(), "image must be a JPG or PNG"),
        (b64_png(200, 320), "image sides must be at least 300 px, got 200x320"),
        (b64_png(900, 320), "image aspect ratio must be between 1:2.5 and 2.5:1, got 900x320"),
    ],
    ids=["data-uri", "http", "garbage", "gif", "small", "aspect"],
)
async def test_a_bad_image_input_is_refused_naming_the_field(url: str, why: str) -> None:
    body = {"contents": [prompt(), item("first_frame", url)]}
    async with client(FakeKling()) as http:
        response = await post(http, "/image-to-video/kling-3.0", body)
    assert response.status_code == 400
    message = response.json()["message"]
    assert message.startswith("contents[1].url value '")
    assert message.endswith(f"' is invalid, {why}")


def test_an_image_over_50_mb_is_refused_before_it_is_decoded() -> None:
    too_big = "A" * ((MAX_IMAGE_BYTES // 3 + 2) * 4)
    assert image_problem(too_big) == "image is over 50 MB"


async def test_a_video_must_be_an_https_url() -> None:
    body = {"contents": [item("image"), item("video", b64_png())]}
    body["settings"] = {"character_orientation": "video"}
    await refused("/motion-control/kling-3.0", body, "Video URL is invalid")


# --------------------------------------------------------------------------- settings rules


async def test_an_invalid_resolution_is_refused() -> None:
    body = {"prompt": "x", "settings": {"resolution": "9000p"}}
    await refused("/text-to-video/kling-3.0", body, "settings.resolution value '9000p' is invalid")


async def test_enum_values_are_case_sensitive() -> None:
    body = {"prompt": "x", "settings": {"resolution": "720P"}}
    await refused("/text-to-video/kling-3.0", body, "settings.resolution value '720P' is invalid")


async def test_an_invalid_aspect_ratio_is_refused() -> None:
    body = {"prompt": "x", "settings": {"aspect_ratio": "7:3"}}
    await refused(
        "/text-to-video/kling-2.5-turbo", body, "settings.aspect_ratio value '7:3' is invalid"
    )


@pytest.mark.parametrize(
    "path", ["/text-to-video/kling-3.0", "/image-to-video/kling-3.0", "/omni-video/kling-3.0-omni"]
)
async def test_4k_renders_on_3_0_and_3_0_omni(path: str) -> None:
    product = path.split("/")[1]
    body = {**minimal(product), "settings": {"resolution": "4k"}}
    await accepted(path, body)


@pytest.mark.parametrize(
    "path",
    ["/text-to-video/kling-3.0-turbo", "/text-to-video/kling-2.6", "/omni-video/kling-o1"],
)
async def test_4k_is_refused_elsewhere(path: str) -> None:
    body = {**minimal(path.split("/")[1]), "settings": {"resolution": "4k"}}
    await refused(path, body, "settings.resolution value '4k' is invalid")


@pytest.mark.parametrize(
    ("path", "duration"),
    [
        ("/text-to-video/kling-2.6", 7),
        ("/image-to-video/kling-2.5-turbo", 3),
        ("/text-to-video/kling-3.0", 16),
        ("/text-to-video/kling-3.0-turbo", 2),
        ("/omni-video/kling-3.0-omni", 99),
    ],
)
async def test_a_duration_outside_the_model_range_is_refused(path: str, duration: int) -> None:
    body = {**minimal(path.split("/")[1]), "settings": {"duration": duration}}
    await refused(path, body, f"settings.duration value '{duration}' is invalid")


async def test_every_integer_from_3_to_15_is_a_3_0_duration() -> None:
    async with client(FakeKling()) as http:
        for duration in range(3, 16):
            body = {"prompt": "x", "settings": {"duration": duration}}
            await create(http, "/text-to-video/kling-3.0", body)


async def test_a_duration_must_be_an_integer() -> None:
    body = {"prompt": "x", "settings": {"duration": "5"}}
    await refused("/text-to-video/kling-3.0", body, "settings.duration value '5' is invalid")


async def test_o1_takes_durations_up_to_10_with_a_refer_image() -> None:
    contents = [prompt(), item("refer_image")]
    settings = {"duration": 11, "aspect_ratio": "16:9"}
    body = {"contents": contents, "settings": settings}
    await refused("/omni-video/kling-o1", body, "settings.duration value '11' is invalid")
    settings["duration"] = 7
    await accepted("/omni-video/kling-o1", {"contents": contents, "settings": settings})


async def test_o1_with_only_a_first_frame_renders_5_or_10_seconds() -> None:
    body = {"contents": [prompt(), item("first_frame")], "settings": {"duration": 7}}
    await refused(
        "/omni-video/kling-o1",
        body,
        "settings.duration value '7' is invalid, 5 or 10 with a prompt or a first_frame alone",
    )


async def test_an_unknown_audio_mode_is_invalid() -> None:
    body = {"prompt": "x", "settings": {"audio": "bogus"}}
    await refused("/text-to-video/kling-3.0", body, "settings.audio value 'bogus' is invalid")


async def test_o1_has_no_native_audio() -> None:
    body = {**minimal("omni-video"), "settings": {"audio": "native"}}
    await refused(
        "/omni-video/kling-o1", body, "audio mode 'native' is not supported by the current model"
    )


async def test_original_audio_needs_a_reference_video() -> None:
    body = {**minimal("omni-video"), "settings": {"audio": "original"}}
    await refused(
        "/omni-video/kling-3.0-omni",
        body,
        "audio mode 'original' is not supported by the current model",
    )


async def test_motion_control_takes_original_or_off_audio() -> None:
    body = minimal("motion-control")
    body["settings"]["audio"] = "native"
    await refused(
        "/motion-control/kling-2.6",
        body,
        "audio mode 'native' is not supported by the current model",
    )


async def test_fields_the_product_lacks_are_ignored_like_unknown_keys() -> None:
    body = minimal("motion-control")
    body["settings"].update(multi_shot=True, duration=99, aspect_ratio="7:3")
    await accepted("/motion-control/kling-3.0", body)


def test_model_entries_are_hashable() -> None:
    assert len(set(MODELS)) == len(MODELS)


async def test_multi_shot_must_be_a_boolean() -> None:
    body = {"prompt": "x", "settings": {"multi_shot": "no"}}
    await refused("/text-to-video/kling-3.0", body, "settings.multi_shot value 'no' is invalid")


async def test_2_6_native_audio_renders_only_at_1080p() -> None:
    body = {"prompt": "x", "settings": {"audio": "native"}}
    await refused(
        "/text-to-video/kling-2.6",
        body,
        "settings.resolution value '720p' is invalid, native audio needs 1080p",
    )
    body["settings"]["resolution"] = "1080p"
    await accepted("/text-to-video/kling-2.6", body)


@pytest.mark.parametrize("model", ["kling-2.6", "kling-2.5-turbo"])
async def test_2x_first_and_last_frames_render_only_at_1080p(model: str) -> None:
    body = {"contents": [prompt(), item("first_frame"), item("last_frame")]}
    await refused(
        f"/image-to-video/{model}",
        body,
        "settings.resolution value '720p' is invalid, first and last frames need 1080p",
    )
    await accepted(f"/image-to-video/{model}", {**body, "settings": {"resolution": "1080p"}})


async def test_2_6_first_and_last_frames_render_only_silent() -> None:
    body = {
        "contents": [prompt(), item("first_frame"), item("last_frame")],
        "settings": {"resolution": "1080p", "audio": "native"},
    }
    await refused(
        "/image-to-video/kling-2.6",
        body,
        "settings.audio value 'native' is invalid, first and last frames need a silent video",
    )


async def test_prompt_length_is_capped_at_3072_on_3_0() -> None:
    await accepted("/text-to-video/kling-3.0", {"prompt": "x" * 3072})
    await refused(
        "/text-to-video/kling-3.0", {"prompt": "x" * 3073}, "prompt length cannot exceed 3072"
    )


async def test_prompt_length_is_capped_at_2500_on_2_6() -> None:
    await refused(
        "/text-to-video/kling-2.6", {"prompt": "x" * 2501}, "prompt length cannot exceed 2500"
    )


async def test_image_to_video_3_0_turbo_prompt_is_capped_at_3072() -> None:
    body = {"contents": [prompt("x" * 3073), item("first_frame")]}
    await refused(
        "/image-to-video/kling-3.0-turbo",
        body,
        "content item of type 'prompt' text length cannot exceed 3072",
    )


# ------------------------------------------------------------------------- elements, voices


async def test_an_unknown_element_is_not_found() -> None:
    body = {"contents": [prompt(), item("first_frame"), element("163")]}
    await refused("/image-to-video/kling-3.0", body, "Element id not found: 163")


async def test_an_empty_element_id_is_invalid() -> None:
    body = {"contents": [prompt(), item("first_frame"), element("")]}
    await refused("/image-to-video/kling-3.0", body, "Invalid element id: ")


async def test_an_element_needs_an_alias() -> None:
    body = {"contents": [prompt(), item("first_frame"), element(alias="")]}
    await refused(
        "/image-to-video/kling-3.0", body, "content item of type 'element' must have a non-blank id"
    )


async def test_aliases_are_unique_within_a_task() -> None:
    items = [element(PRESET_ELEMENTS[0], "a"), element(PRESET_ELEMENTS[1], "a")]
    body = {"contents": [prompt(), item("first_frame"), *items]}
    await refused(
        "/image-to-video/kling-3.0",
        body,
        "contents[3].id value 'a' is invalid, ids must be unique within a task",
    )


async def test_an_element_created_on_the_legacy_route_can_be_used() -> None:
    async with client(FakeKling()) as http:
        element_id = await legacy_element(http, "image_refer")
        body = {"contents": [prompt("@ann waves"), item("first_frame"), element(element_id, "ann")]}
        await create(http, "/image-to-video/kling-3.0", body)


async def test_image_to_video_3_0_takes_at_most_3_elements() -> None:
    fake = FakeKling()
    async with client(fake) as http:
        ids = [await legacy_element(http, "image_refer") for _ in range(4)]
    items = [element(e, f"e{n}") for n, e in enumerate(ids)]
    body = {"contents": [prompt(), item("first_frame"), *items]}
    before = len(fake.tasks)
    async with client(fake) as http:
        response = await post(http, "/image-to-video/kling-3.0", body)
    assert_error(response, 400, 1201, "contents can hold at most 3 item(s) of type 'element'")
    assert len(fake.tasks) == before


async def test_voices_need_audio_on() -> None:
    voice = {"type": "voice", "voice_id": PRESET_VOICE, "id": "1"}
    body = {"contents": [prompt("@1 whispers"), item("first_frame"), voice]}
    body["settings"] = {"resolution": "1080p", "audio": "off"}
    await refused(
        "/image-to-video/kling-2.6",
        body,
        "content item of type 'voice' needs settings.audio 'native'",
    )
    body["settings"]["audio"] = "native"
    await accepted("/image-to-video/kling-2.6", body)


async def test_an_unknown_voice_is_not_found() -> None:
    voice = {"type": "voice", "voice_id": "891495440020668439", "id": "1"}
    body = {"contents": [prompt(), item("first_frame"), voice]}
    body["settings"] = {"resolution": "1080p", "audio": "native"}
    await refused("/image-to-video/kling-2.6", body, "Voice id not found: 891495440020668439")


async def test_image_to_video_2_6_takes_at_most_2_voices() -> None:
    voices = [{"type": "voice", "voice_id": PRESET_VOICE, "id": str(n)} for n in range(3)]
    body = {"contents": [prompt(), item("first_frame"), *voices]}
    body["settings"] = {"resolution": "1080p", "audio": "native"}
    await refused(
        "/image-to-video/kling-2.6", body, "contents can hold at most 2 item(s) of type 'voice'"
    )


# ------------------------------------------------------------------------------ omni rules


async def test_a_last_frame_needs_a_first_frame() -> None:
    body = {"contents": [prompt(), item("last_frame")], "settings": {"aspect_ratio": "1:1"}}
    await refused(
        "/omni-video/kling-3.0-omni",
        body,
        "content item of type 'last_frame' requires a first_frame",
    )


async def test_omni_needs_an_aspect_ratio_without_a_first_frame_or_video() -> None:
    await refused(
        "/omni-video/kling-3.0-omni",
        {"contents": [prompt()]},
        "settings.aspect_ratio cannot be empty without a first_frame or a reference video",
    )
    await accepted(
        "/omni-video/kling-3.0-omni", {"contents": [prompt()], "settings": {"aspect_ratio": "9:16"}}
    )


async def test_omni_takes_at_most_one_reference_video() -> None:
    body = {"contents": [prompt(), item("feature_video"), item("base_video")]}
    await refused("/omni-video/kling-3.0-omni", body, "contents can hold at most one video")


async def test_omni_refer_images_and_elements_total_at_most_7() -> None:
    refs = [item("refer_image", id=f"image_{n}") for n in range(6)]
    body = {
        "contents": [
            prompt(),
            *refs,
            element(PRESET_ELEMENTS[0]),
            element(PRESET_ELEMENTS[1], "e2"),
        ]
    }
    body["settings"] = {"aspect_ratio": "16:9"}
    await refused(
        "/omni-video/kling-3.0-omni",
        body,
        "contents can hold at most 7 refer_image and element items",
    )


async def test_omni_with_a_reference_video_takes_at_most_4_refer_images_and_elements() -> None:
    refs = [item("refer_image", id=f"image_{n}") for n in range(5)]
    body = {"contents": [prompt(), item("feature_video"), *refs]}
    await refused(
        "/omni-video/kling-3.0-omni",
        body,
        "contents can hold at most 4 refer_image and element items with a reference video",
    )


async def test_omni_with_a_first_frame_takes_at_most_3_elements() -> None:
    fake = FakeKling()
    async with client(fake) as http:
        ids = [await legacy_element(http, "image_refer") for _ in range(4)]
        body = {
            "contents": [
                prompt(),
                item("first_frame"),
                *(element(e, f"e{n}") for n, e in enumerate(ids)),
            ]
        }
        assert_error(
            await post(http, "/omni-video/kling-3.0-omni", body),
            400,
            1201,
            "contents can hold at most 3 elements with a first_frame",
        )


async def test_omni_video_characters_cannot_mix_with_refer_images_beside_a_video() -> None:
    async with client(FakeKling()) as http:
        character = await legacy_element(http, "video_refer")
        body = {
            "contents": [prompt(), item("feature_video"), item("refer_image"), element(character)]
        }
        assert_error(
            await post(http, "/omni-video/kling-3.0-omni", body),
            400,
            1201,
            "video character elements cannot be mixed with refer_image or multi-image elements "
            "with a reference video",
        )


async def test_o1_refuses_video_character_elements() -> None:
    async with client(FakeKling()) as http:
        character = await legacy_element(http, "video_refer")
        body = {"contents": [prompt(), item("first_frame"), element(character)]}
        assert_error(
            await post(http, "/omni-video/kling-o1", body),
            400,
            1201,
            f"Element id {character} is a video character element, which the current model "
            "does not support",
        )


async def test_o1_first_and_last_frames_take_no_refer_images() -> None:
    body = {"contents": [prompt(), item("first_frame"), item("last_frame"), item("refer_image")]}
    await refused(
        "/omni-video/kling-o1",
        body,
        "content items of type 'refer_image' and 'element' cannot be used with "
        "first and last frames",
    )


async def test_a_base_video_takes_no_frames() -> None:
    body = {"contents": [prompt(), item("base_video"), item("first_frame")]}
    body["settings"] = {"multi_shot": False, "audio": "original"}
    await refused(
        "/omni-video/kling-3.0-omni",
        body,
        "content item of type 'first_frame' cannot be used with a base_video",
    )


async def test_a_base_video_needs_multi_shot_off() -> None:
    body = {
        "contents": [prompt(), item("base_video", id="video_1")],
        "settings": {"audio": "original"},
    }
    await refused(
        "/omni-video/kling-3.0-omni",
        body,
        "settings.multi_shot value 'true' is invalid, a base_video needs false",
    )
    body["settings"]["multi_shot"] = False
    await accepted("/omni-video/kling-3.0-omni", body)


async def test_a_base_video_refuses_native_audio() -> None:
    body = {
        "contents": [prompt(), item("base_video")],
        "settings": {"audio": "native", "multi_shot": False},
    }
    await refused(
        "/omni-video/kling-3.0-omni",
        body,
        "settings.audio value 'native' is invalid, not with a base_video",
    )


async def test_a_3_0_omni_feature_video_needs_audio_off() -> None:
    body = {"contents": [prompt(), item("feature_video")], "settings": {"audio": "native"}}
    await refused(
        "/omni-video/kling-3.0-omni",
        body,
        "settings.audio value 'native' is invalid, a feature_video needs 'off'",
    )


async def test_an_o1_feature_video_takes_no_last_frame() -> None:
    body = {"contents": [prompt(), item("feature_video"), item("first_frame"), item("last_frame")]}
    await refused(
        "/omni-video/kling-o1",
        body,
        "content item of type 'last_frame' cannot be used with a feature_video",
    )


# --------------------------------------------------------------------------- motion control


async def test_motion_control_needs_a_character_orientation() -> None:
    body = {"contents": [item("image"), item("video")]}
    await refused(
        "/motion-control/kling-3.0", body, "settings.character_orientation cannot be empty"
    )


async def test_motion_control_orientation_is_image_or_video() -> None:
    body = {
        "contents": [item("image"), item("video")],
        "settings": {"character_orientation": "left"},
    }
    await refused(
        "/motion-control/kling-3.0", body, "settings.character_orientation value 'left' is invalid"
    )


async def test_motion_control_needs_a_motion_video() -> None:
    body = {"contents": [item("image")], "settings": {"character_orientation": "image"}}
    await refused("/motion-control/kling-2.6", body, "content item of type 'video' is required")


async def test_motion_control_2_6_takes_no_element() -> None:
    body = minimal("motion-control")
    body["contents"].append(element())
    await refused(
        "/motion-control/kling-2.6",
        body,
        "content item of type 'element' is not supported by the current model",
    )
    await accepted("/motion-control/kling-3.0", body)


# ----------------------------------------------------------------------- create and records


async def test_create_echoes_external_id_only_when_one_was_sent() -> None:
    async with client(FakeKling()) as http:
        with_id = await create(
            http,
            "/text-to-video/kling-3.0",
            {"prompt": "x", "options": {"external_task_id": "job-42"}},
        )
        empty = await create(
            http, "/text-to-video/kling-3.0", {"prompt": "x", "options": {"external_task_id": ""}}
        )
    assert with_id["external_id"] == "job-42"
    assert "external_id" not in empty


async def test_a_duplicate_external_task_id_is_refused() -> None:
    fake = FakeKling()
    body = {"prompt": "x", "options": {"external_task_id": "job-1"}}
    async with client(fake) as http:
        await create(http, "/text-to-video/kling-3.0", body)
        response = await post(
            http, "/image-to-video/kling-3.0", {**minimal("image-to-video"), **body}
        )
    assert_error(response, 400, 1201, "External_task_id job-1 already exists")
    assert len(fake.tasks) == 1


async def test_a_finished_record_has_a_video_output_and_billing() -> None:
    async with client(FakeKling()) as http:
        created = await create(
            http,
            "/text-to-video/kling-3.0",
            {"prompt": "x", "settings": {"duration": 10, "resolution": "1080p", "audio": "native"}},
        )
        task = await record(http, created["id"])
    assert set(task) == {
        "id",
        "status",
        "message",
        "create_time",
        "update_time",
        "outputs",
        "billing",
    }
    assert (task["id"], task["status"], task["message"]) == (created["id"], "succeeded", "")
    (video,) = task["outputs"]
    assert set(video) == {"type", "id", "url", "duration"}  # no watermark_url unless asked
    assert (video["type"], video["duration"]) == ("video", "10.041")
    assert task["billing"] == [{"charge_type": "unit", "amount": "12", "package_type": "video"}]


async def test_watermark_url_is_added_when_watermark_was_enabled() -> None:
    body = {"prompt": "x", "options": {"watermark_info": {"enabled": True}}}
    async with client(FakeKling()) as http:
        created = await create(http, "/text-to-video/kling-3.0-turbo", body)
        (video,) = (await record(http, created["id"]))["outputs"]
    assert video["watermark_url"].endswith(f"/files/{created['id']}-0-watermark.mp4")


@pytest.mark.parametrize(
    ("path", "body", "amount"),
    [
        ("/text-to-video/kling-3.0-turbo", {"prompt": "x", "settings": {"duration": 3}}, "2.4"),
        (
            "/omni-video/kling-3.0-omni",
            {"contents": [prompt(), item("first_frame")], "settings": {"duration": 3}},
            "1.8",
        ),
        (
            "/omni-video/kling-v3-omni",
            {"contents": [prompt()], "settings": {"aspect_ratio": "16:9"}},
            "3",
        ),
        (
            "/text-to-video/kling-3.0",
            {"prompt": "x", "settings": {"resolution": "4k", "duration": 10}},
            "30",
        ),
        (
            "/image-to-video/kling-2.6",
            {
                "contents": [
                    prompt(),
                    item("first_frame"),
                    {"type": "voice", "voice_id": PRESET_VOICE, "id": "1"},
                ],
                "settings": {"resolution": "1080p", "audio": "native"},
            },
            "6",
        ),
        ("/motion-control/kling-3.0", minimal("motion-control"), "4.5"),
        (
            "/omni-video/kling-o1",
            {"contents": [prompt(), item("feature_video")], "settings": {"resolution": "1080p"}},
            "6",
        ),
    ],
    ids=[
        "turbo-3s",
        "omni-frame-3s",
        "v3-omni-5s",
        "3.0-4k-10s",
        "2.6-voice",
        "motion",
        "o1-video",
    ],
)
async def test_billing_follows_the_unit_prices(
    path: str, body: dict[str, Any], amount: str
) -> None:
    async with client(FakeKling()) as http:
        created = await create(http, path, body)
        task = await record(http, created["id"])
    assert task["billing"] == [{"charge_type": "unit", "amount": amount, "package_type": "video"}]


async def test_a_task_with_the_fail_marker_fails_and_bills_zero() -> None:
    async with client(FakeKling()) as http:
        created = await create(
            http, "/omni-video/kling-o1", {"contents": [prompt("please FAIL"), item("first_frame")]}
        )
        task = await record(http, created["id"])
    assert (task["status"], task["message"], task["outputs"]) == (
        "failed",
        "Content risk control",
        [],
    )
    assert task["billing"] == [{"charge_type": "unit", "amount": "0", "package_type": "video"}]


async def test_an_unfinished_record_has_no_outputs_and_no_billing() -> None:
    async with client(FakeKling(timing=Timing.polls(1, 1))) as http:
        created = await create(http, "/text-to-video/kling-3.0", {"prompt": "x"})
        task = await record(http, created["id"])
    assert (task["status"], task["outputs"]) == ("submitted", [])
    assert "billing" not in task


async def test_the_lifecycle_follows_polls_like_legacy_tasks() -> None:
    async with client(FakeKling(timing=Timing.polls(submitted=1, processing=2))) as http:
        created = await create(http, "/text-to-video/kling-3.0", {"prompt": "x"})
        seen = [(await record(http, created["id"]))["status"] for _ in range(5)]
    assert seen == ["submitted", "processing", "processing", "succeeded", "succeeded"]


async def test_the_lifecycle_follows_elapsed_time(clock: ManualClock) -> None:
    fake = FakeKling(timing=Timing.seconds(submitted=1, processing=2), clock=clock)
    async with client(fake) as http:
        created = await create(http, "/text-to-video/kling-3.0", {"prompt": "x"})
        clock.advance(1.5)
        processing = await record(http, created["id"])
        clock.advance(1.5)
        done = await record(http, created["id"])
    assert processing["status"] == "processing"
    assert processing["update_time"] == created["create_time"] + 1000
    assert (done["status"], done["update_time"]) == ("succeeded", created["create_time"] + 3000)


async def test_the_result_video_downloads_as_an_mp4() -> None:
    async with client(FakeKling()) as http:
        created = await create(http, "/text-to-video/kling-3.0", {"prompt": "x"})
        (video,) = (await record(http, created["id"]))["outputs"]
        response = await http.get(video["url"])
    assert response.headers["content-type"] == "video/mp4"
    assert response.content[4:8] == b"ftyp"


# ------------------------------------------------------------------------------- GET /tasks


async def test_get_tasks_needs_task_ids_or_external_task_ids() -> None:
    async with client(FakeKling()) as http:
        response = await http.get("/tasks", params={"ids": "1"})
    assert_error(response, 400, 1201, "task_ids or external_task_ids is required")


async def test_get_tasks_answers_20_ids_and_refuses_21() -> None:
    async with client(FakeKling()) as http:
        twenty = await http.get("/tasks", params={"task_ids": ",".join(map(str, range(20)))})
        twenty_one = await http.get("/tasks", params={"task_ids": ",".join(map(str, range(21)))})
    assert twenty.status_code == 200
    assert_error(twenty_one, 400, 1201, "task_ids and external_task_ids cannot exceed 20 in total")


async def test_task_ids_and_external_task_ids_share_the_cap() -> None:
    params = {"task_ids": ",".join(map(str, range(10))), "external_task_ids": ",".join("x" * 11)}
    async with client(FakeKling()) as http:
        response = await http.get("/tasks", params=params)
    assert_error(response, 400, 1201, "task_ids and external_task_ids cannot exceed 20 in total")


async def test_unknown_ids_are_silently_omitted() -> None:
    async with client(FakeKling()) as http:
        created = await create(http, "/text-to-video/kling-3.0", {"prompt": "x"})
        response = await http.get("/tasks", params={"task_ids": f"0,{created['id']},1"})
        nothing = await http.get("/tasks", params={"external_task_ids": "nobody"})
    assert [task["id"] for task in response.json()["data"]] == [created["id"]]
    assert (nothing.status_code, nothing.json()["data"]) == (200, [])


async def test_get_tasks_finds_tasks_by_external_ids() -> None:
    async with client(FakeKling()) as http:
        a = await create(
            http, "/text-to-video/kling-3.0", {"prompt": "a", "options": {"external_task_id": "a"}}
        )
        b = await create(
            http, "/text-to-video/kling-3.0", {"prompt": "b", "options": {"external_task_id": "b"}}
        )
        found = (await http.get("/tasks", params={"external_task_ids": "b,a"})).json()["data"]
    assert [(t["id"], t["external_id"]) for t in found] == [(b["id"], "b"), (a["id"], "a")]


async def test_get_tasks_accepts_a_percent_encoded_comma() -> None:
    async with client(FakeKling()) as http:
        a = await create(http, "/text-to-video/kling-3.0", {"prompt": "a"})
        b = await create(http, "/text-to-video/kling-3.0", {"prompt": "b"})
        query = urllib.parse.urlencode({"task_ids": f"{a['id']},{b['id']}"})
        assert "%2C" in query
        found = (await http.get(f"/tasks?{query}")).json()["data"]
    assert [t["id"] for t in found] == [a["id"], b["id"]]


async def test_legacy_tasks_are_visible_through_get_tasks_in_the_new_shape() -> None:
    async with client(FakeKling()) as http:
        video = await http.post(
            "/v1/videos/text2video", json={"prompt": "x", "external_task_id": "L"}
        )
        image = await http.post("/v1/images/generations", json={"prompt": "x", "n": 2})
        ids = f"{video.json()['data']['task_id']},{image.json()['data']['task_id']}"
        video_task, image_task = (await http.get("/tasks", params={"task_ids": ids})).json()["data"]
    assert (video_task["status"], video_task["external_id"]) == ("succeeded", "L")
    assert [o["type"] for o in video_task["outputs"]] == ["video"]
    assert video_task["billing"] == [  # kling-v1: no published price, nothing charged
        {"charge_type": "unit", "amount": "0", "package_type": "video"}
    ]
    assert [set(o) for o in image_task["outputs"]] == [{"type", "url"}] * 2  # no id, no index
    assert image_task["billing"][0]["package_type"] == "image"


async def test_legacy_voice_tasks_show_a_voice_output() -> None:
    async with client(FakeKling()) as http:
        created = await http.post(
            "/v1/general/custom-voices", json={"voice_name": "Ann", "voice_url": VID}
        )
        task = await record(http, created.json()["data"]["task_id"])
    (voice,) = task["outputs"]
    assert (voice["type"], voice["name"], voice["status"]) == ("voice", "Ann", "succeeded")
    assert task["billing"][0]["package_type"] == "video"


async def test_legacy_routes_do_not_see_new_standard_tasks() -> None:
    async with client(FakeKling()) as http:
        created = await create(http, "/text-to-video/kling-3.0", {"prompt": "x"})
        response = await http.get(f"/v1/videos/text2video/{created['id']}")
    assert_error(response, 400, 1201, f"Task not found: task {created['id']} does not exist")


# ------------------------------------------------------------------------------ POST /tasks


async def test_listing_is_newest_first_and_includes_legacy_tasks() -> None:
    async with client(FakeKling()) as http:
        first = await create(http, "/text-to-video/kling-3.0", {"prompt": "x"})
        legacy = (await http.post("/v1/videos/text2video", json={"prompt": "x"})).json()["data"]
        last = await create(http, "/omni-video/kling-o1", minimal("omni-video"))
        data = (await http.post("/tasks", json={})).json()["data"]
    assert [t["id"] for t in data["result"]] == [last["id"], legacy["task_id"], first["id"]]
    assert (data["count"], data["has_more"]) == (3, False)
    assert "next_cursor" not in data


async def test_a_cursor_pages_through_every_task_once() -> None:
    async with client(FakeKling()) as http:
        made = [
            (await create(http, "/text-to-video/kling-3.0", {"prompt": str(n)}))["id"]
            for n in range(5)
        ]
        seen, cursor, pages = [], None, 0
        while True:
            body: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            data = (await http.post("/tasks", json=body)).json()["data"]
            seen += [t["id"] for t in data["result"]]
            pages += 1
            if not data["has_more"]:
                break
            cursor = data["next_cursor"]
    assert seen == made[::-1]
    assert pages == 3


async def test_an_empty_page_has_only_count_and_has_more() -> None:
    async with client(FakeKling()) as http:
        response = await http.post("/tasks", json={"limit": 20})
    assert response.json()["data"] == {"count": 0, "has_more": False}


async def test_times_are_accepted_as_numbers_and_as_strings(clock: ManualClock) -> None:
    fake = FakeKling(wall_clock=clock)
    now_ms = int(clock.now * 1000)
    async with client(fake) as http:
        await create(http, "/text-to-video/kling-3.0", {"prompt": "x"})
        numbers = await http.post("/tasks", json={"start_time": now_ms - 1, "end_time": now_ms})
        strings = await http.post(
            "/tasks", json={"start_time": str(now_ms - 1), "end_time": str(now_ms)}
        )
    assert numbers.json()["data"]["count"] == strings.json()["data"]["count"] == 1


async def test_the_default_window_is_the_last_30_days(clock: ManualClock) -> None:
    fake = FakeKling(wall_clock=clock)
    async with client(fake) as http:
        old = await create(http, "/text-to-video/kling-3.0", {"prompt": "old"})
        clock.advance(31 * 86_400)
        new = await create(http, "/text-to-video/kling-3.0", {"prompt": "new"})
        data = (await http.post("/tasks", json={})).json()["data"]
        window = {"start_time": old["create_time"], "end_time": new["create_time"]}
        both = (await http.post("/tasks", json=window)).json()["data"]
    assert [t["id"] for t in data["result"]] == [new["id"]]
    assert both["count"] == 2


async def test_a_cursor_overrides_the_time_window() -> None:
    async with client(FakeKling()) as http:
        for n in range(3):
            await create(http, "/text-to-video/kling-3.0", {"prompt": str(n)})
        first = (await http.post("/tasks", json={"limit": 1})).json()["data"]
        body = {"limit": 5, "cursor": first["next_cursor"], "start_time": 0, "end_time": 1}
        rest = (await http.post("/tasks", json=body)).json()["data"]
    assert rest["count"] == 2


@pytest.mark.parametrize("limit", [0, 501, "10", 2.5])
async def test_a_limit_outside_1_to_500_is_refused(limit: Any) -> None:
    async with client(FakeKling()) as http:
        response = await http.post("/tasks", json={"limit": limit})
    assert_error(response, 400, 1201, f"limit value '{limit}' is invalid")


async def test_filters_by_status_and_product_type() -> None:
    async with client(FakeKling()) as http:
        ok = await create(http, "/text-to-video/kling-3.0", {"prompt": "x"})
        bad = await create(http, "/text-to-video/kling-3.0", {"prompt": "FAIL"})
        image = (await http.post("/v1/images/generations", json={"prompt": "x"})).json()["data"]

        async def listed(*filters: dict[str, Any]) -> list[str]:
            data = (await http.post("/tasks", json={"filters": list(filters)})).json()["data"]
            return [t["id"] for t in data.get("result", [])]

        assert await listed({"key": "status", "values": ["failed"]}) == [bad["id"]]
        assert await listed({"key": "product_type", "values": ["image"]}) == [image["task_id"]]
        assert await listed(
            {"key": "product_type", "values": ["video"]}, {"key": "status", "values": ["succeeded"]}
        ) == [ok["id"]]
        assert await listed({"key": "product_type", "values": ["try_on"]}) == []


async def test_an_unknown_filter_key_is_refused() -> None:
    async with client(FakeKling()) as http:
        response = await http.post("/tasks", json={"filters": [{"key": "model", "values": ["x"]}]})
    assert_error(response, 400, 1201, "filters[0].key value 'model' is invalid")


async def test_an_unknown_filter_value_is_refused() -> None:
    async with client(FakeKling()) as http:
        response = await http.post(
            "/tasks", json={"filters": [{"key": "status", "values": ["succeed"]}]}
        )
    assert_error(response, 400, 1201, "filters[0].values[0] value 'succeed' is invalid")


# -------------------------------------------------------------------------------- callbacks


async def test_callbacks_carry_the_bare_new_record_signed() -> None:
    fake = FakeKling(webhook_secret=WEBHOOK_SECRET)
    fake.callback_transport = httpx.ASGITransport(app=fake)
    body = {"prompt": "x", "options": {"callback_url": SINK, "external_task_id": "cb"}}
    async with client(fake) as http:
        created = await create(http, "/text-to-video/kling-3.0", body)
        await fake.await_callbacks()
        final = await record(http, created["id"])
    received = fake.callbacks_received
    assert [c.json["status"] for c in received] == ["submitted", "processing", "succeeded"]
    for callback in received:
        webhooks.verify(callback.body, callback.headers, WEBHOOK_SECRET)  # raises if wrong
        assert callback.headers["content-type"] == "application/json; charset=utf-8"
        assert "code" not in callback.json  # the bare record, no envelope
    assert received[-1].json == final


async def test_callbacks_to_a_non_loopback_host_are_blocked() -> None:
    fake = FakeKling()
    body = {"prompt": "x", "options": {"callback_url": "https://hooks.example/kling"}}
    async with client(fake) as http:
        await create(http, "/text-to-video/kling-3.0", body)
        sent = await fake.await_callbacks()
    assert len(sent) == 3
    assert all(delivery.blocked for delivery in sent)


def test_new_standard_over_real_sockets(no_leaked_server_threads: None) -> None:
    with FakeKling.serve(webhook_secret=WEBHOOK_SECRET) as server:
        options = {"callback_url": f"{server.url}/_fake/callbacks"}
        with httpx.Client(base_url=server.url, headers=API_KEY_HEADERS) as http:
            created = http.post(
                "/text-to-video/kling-2.6", json={"prompt": "x", "options": options}
            )
            task_id = created.json()["data"]["id"]
            server.fake.wait_for_callbacks()
            (task,) = http.get("/tasks", params={"task_ids": task_id}).json()["data"]
        received = server.fake.callbacks_received
    assert task["status"] == "succeeded"
    assert [c.json["status"] for c in received] == ["submitted", "processing", "succeeded"]
    for callback in received:
        webhooks.verify(callback.body, callback.headers, WEBHOOK_SECRET)


# ---------------------------------------------------- faults, concurrency, records, inspection


async def test_faults_apply_to_new_standard_routes() -> None:
    fake = FakeKling()
    fake.faults.rate_limited("POST", "/text-to-video/", code=1303, retry_after=2)
    async with client(fake) as http:
        limited = await post(http, "/text-to-video/kling-3.0", {"prompt": "x"})
        normal = await post(http, "/text-to-video/kling-3.0", {"prompt": "x"})
    assert_error(limited, 429, 1303, "parallel task over resource pack limit")
    assert limited.headers["retry-after"] == "2"
    assert normal.status_code == 200


async def test_created_then_error_leaves_a_task_findable_by_external_id() -> None:
    fake = FakeKling()
    fake.faults.created_then_error("POST", "/omni-video/")
    body = {**minimal("omni-video"), "options": {"external_task_id": "lost"}}
    async with client(fake) as http:
        response = await post(http, "/omni-video/kling-3.0-omni", body)
        found = (await http.get("/tasks", params={"external_task_ids": "lost"})).json()["data"]
    assert response.status_code == 500
    assert [task["external_id"] for task in found] == ["lost"]


async def test_the_concurrency_limit_counts_both_standards(clock: ManualClock) -> None:
    fake = FakeKling(
        timing=Timing.seconds(submitted=1, processing=1), clock=clock, concurrency_limit=2
    )
    async with client(fake) as http:
        await create(http, "/text-to-video/kling-3.0", {"prompt": "x"})
        await http.post("/v1/videos/text2video", json={"prompt": "legacy"})
        response = await post(http, "/image-to-video/kling-3.0", minimal("image-to-video"))
        assert_error(response, 429, 1303, "parallel task over resource pack limit")
        clock.advance(2.0)
        await create(http, "/image-to-video/kling-3.0", minimal("image-to-video"))


async def test_requests_are_recorded() -> None:
    fake = FakeKling()
    async with client(fake) as http:
        await post(http, "/motion-control/kling-3.0", minimal("motion-control"))
        await http.get("/tasks", params={"task_ids": "1"})
    create_request, query = fake.requests
    assert (create_request.method, create_request.path) == ("POST", "/motion-control/kling-3.0")
    assert create_request.json == minimal("motion-control")
    assert (create_request.auth, create_request.status, create_request.code) == ("api_key", 200, 0)
    assert (query.path, query.query) == ("/tasks", {"task_ids": "1"})


async def test_fake_task_finds_new_standard_tasks() -> None:
    fake = FakeKling()
    body = {**minimal("image-to-video"), "options": {"external_task_id": "mine"}}
    async with client(fake) as http:
        created = await create(http, "/image-to-video/kling-2.5-turbo", body)
    task = fake.task("mine")
    assert isinstance(task, StandardTask)
    assert task is fake.task(created["id"])
    assert task in fake.tasks.values()
    assert (task.standard, task.product, task.model) == ("new", "image-to-video", "kling-2.5-turbo")
    assert task.settings == {"resolution": "720p", "duration": 5}
    assert task.status == "succeeded"
    assert task.contents == body["contents"]


async def test_set_task_status_takes_the_new_spelling(clock: ManualClock) -> None:
    fake = FakeKling(timing=Timing.seconds(), clock=clock)
    async with client(fake) as http:
        created = await create(http, "/text-to-video/kling-3.0", {"prompt": "x"})
        fake.set_task_status(created["id"], "succeeded")
        task = await record(http, created["id"])
    assert task["status"] == "succeeded"
    assert task["outputs"]
