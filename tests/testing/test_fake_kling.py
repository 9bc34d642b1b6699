"""Behaviour of kling.testing.FakeKling: the fake Kling server the SDK is tested against."""

from __future__ import annotations

import base64
import hashlib
import hmac
import inspect
import json
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import SimpleNamespace
from typing import Any
from unittest.mock import AsyncMock, call

import httpx
import pytest

from kling.testing import (
    DEFAULT_ACCESS_KEY,
    DEFAULT_API_KEY,
    DEFAULT_SECRET_KEY,
    FAMILIES,
    FakeKling,
    FakeKlingOptions,
    FakeKlingServer,
    Family,
    Fault,
    Timing,
    _asgi,
    sign_webhook,
)
from kling.testing._families import FAMILIES_BY_NAME

from .conftest import ManualClock, mint

API_KEY_HEADERS = {"Authorization": f"Bearer {DEFAULT_API_KEY}"}
T2V = "/v1/videos/text2video"
WEBHOOK_SECRET = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI="


@asynccontextmanager
async def client(
    fake: FakeKling, headers: dict[str, str] | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client wired to ``fake`` in-process, authenticated with the default API key."""
    transport = httpx.ASGITransport(app=fake)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://fake.test",
        headers=API_KEY_HEADERS if headers is None else headers,
    ) as http:
        yield http


async def create(http: httpx.AsyncClient, path: str = T2V, **body: Any) -> dict[str, Any]:
    body.setdefault("prompt", "a corgi surfing at sunset")
    response = await http.post(path, json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def assert_error(response: httpx.Response, status: int, code: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert "data" not in body
    assert body["request_id"]
    return body


def verify_signature(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Standard Webhooks verification, written out independently of the fake's signer."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(entry, f"v1,{expected}")
        for entry in headers["webhook-signature"].split()
    )


# ------------------------------------------------------------------------------- construction


def test_defaults_are_documented_credentials() -> None:
    fake = FakeKling()
    assert (fake.access_key, fake.secret_key, fake.api_key) == (
        DEFAULT_ACCESS_KEY,
        DEFAULT_SECRET_KEY,
        DEFAULT_API_KEY,
    )
    assert len(DEFAULT_SECRET_KEY.encode()) >= 32  # no PyJWT short-key warning when minting
    assert fake.app is fake


def test_options_typed_dict_matches_constructor() -> None:
    parameters = set(inspect.signature(FakeKling.__init__).parameters) - {"self"}
    assert parameters == set(FakeKlingOptions.__annotations__)


def test_api_keys_must_not_be_a_bare_string() -> None:
    with pytest.raises(TypeError):
        FakeKling(api_keys="fake-api-key")


# -------------------------------------------------------------------------------------- auth


async def test_missing_authorization_is_1001() -> None:
    async with client(FakeKling(), headers={}) as http:
        body = assert_error(await http.get(T2V), 401, 1001)
    assert body["message"] == "Authorization is empty"


async def test_unknown_api_key_is_1002_api_key_not_found() -> None:
    async with client(FakeKling(), headers={"Authorization": "Bearer nope"}) as http:
        body = assert_error(await http.get(T2V), 401, 1002)
    assert body["message"] == "api key not found"


async def test_static_api_key_authenticates() -> None:
    fake = FakeKling()
    async with client(fake) as http:
        assert (await http.get(T2V)).status_code == 200
    assert fake.requests[-1].auth == "api_key"


async def test_valid_jwt_authenticates() -> None:
    fake = FakeKling()
    async with client(fake, headers={"Authorization": f"Bearer {mint(fake)}"}) as http:
        assert (await http.get(T2V)).status_code == 200
    assert fake.requests[-1].auth == "jwt"


@pytest.mark.parametrize(
    "token_kind", ["bad_signature", "wrong_issuer", "garbage", "not_bearer", "alg_none"]
)
async def test_bad_tokens_are_1002(token_kind: str) -> None:
    fake = FakeKling()
    header = {
        "bad_signature": f"Bearer {mint(fake, key='another-secret-key-0123456789abcdef')}",
        "wrong_issuer": f"Bearer {mint(fake, iss='someone-else')}",
        "garbage": "Bearer aaaa.bbbb.cccc",
        "not_bearer": f"Basic {DEFAULT_API_KEY}",
        "alg_none": "Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJmYWtlLWFjY2Vzcy1rZXkifQ.x",
    }[token_kind]
    async with client(fake, headers={"Authorization": header}) as http:
        assert_error(await http.get(T2V), 401, 1002)


async def test_jwt_not_yet_valid_is_1003_and_expired_is_1004() -> None:
    wall = ManualClock(1_800_000_000.0)
    fake = FakeKling(wall_clock=wall)
    early = mint(fake, now=wall.now, nbf_in=60)
    expired = mint(fake, now=wall.now - 3600, exp_in=1800)
    at_expiry = mint(fake, now=wall.now, exp_in=0, nbf_in=-5)  # exp == now: already expired
    async with client(fake, headers={}) as http:
        assert_error(await http.get(T2V, headers={"Authorization": f"Bearer {early}"}), 401, 1003)
        assert_error(await http.get(T2V, headers={"Authorization": f"Bearer {expired}"}), 401, 1004)
        response = await http.get(T2V, headers={"Authorization": f"Bearer {at_expiry}"})
        assert_error(response, 401, 1004)
        wall.advance(61)  # the early token becomes valid
        assert (
            await http.get(T2V, headers={"Authorization": f"Bearer {early}"})
        ).status_code == 200


async def test_short_secret_key_works_without_warnings() -> None:
    fake = FakeKling(secret_key="short")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # minting with a short key warns in PyJWT: not our code
        token = mint(fake, key="short")
    async with client(fake, headers={"Authorization": f"Bearer {token}"}) as http:
        assert (await http.get(T2V)).status_code == 200  # and verifying it warns nothing


async def test_x_api_key_pair_authenticates_when_accepted() -> None:
    fake = FakeKling(accept_key_headers=True)
    pair = {"X-Api-Key": DEFAULT_ACCESS_KEY, "X-Api-Secret": DEFAULT_SECRET_KEY}
    async with client(fake, headers=pair) as http:
        assert (await http.get(T2V)).status_code == 200
    assert fake.requests[-1].auth == "headers"


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Api-Key": DEFAULT_ACCESS_KEY, "X-Api-Secret": "wrong"},
        {"X-Api-Key": "wrong", "X-Api-Secret": DEFAULT_SECRET_KEY},
        {"X-Api-Key": DEFAULT_ACCESS_KEY},
    ],
)
async def test_wrong_or_partial_x_api_key_pair_is_1002(headers: dict[str, str]) -> None:
    async with client(FakeKling(accept_key_headers=True), headers=headers) as http:
        assert_error(await http.get(T2V), 401, 1002)


async def test_bearer_token_decides_when_both_schemes_are_sent() -> None:
    headers = {
        "Authorization": "Bearer unknown-key",
        "X-Api-Key": DEFAULT_ACCESS_KEY,
        "X-Api-Secret": DEFAULT_SECRET_KEY,
    }
    async with client(FakeKling(), headers=headers) as http:
        assert_error(await http.get(T2V), 401, 1002)


# ------------------------------------------------------------------------ requests and routing


async def test_envelope_has_uuid_request_id_and_header() -> None:
    async with client(FakeKling()) as http:
        response = await http.get(T2V)
    body = response.json()
    assert body["code"] == 0
    assert body["message"] == "SUCCEED"
    assert body["request_id"] == response.headers["x-request-id"]
    assert len(body["request_id"]) == 36


async def test_unknown_path_is_404_1203_and_wrong_method_is_404_1202() -> None:
    async with client(FakeKling()) as http:
        assert_error(await http.get("/v1/videos/nonexistent"), 404, 1203)
        assert_error(await http.delete(T2V), 404, 1202)
        assert_error(await http.post(f"{T2V}/123", json={}), 404, 1202)
        assert_error(await http.get("/v1/audio/tts"), 404, 1202)


async def test_non_json_body_and_wrong_content_type_are_1200() -> None:
    async with client(FakeKling()) as http:
        response = await http.post(
            T2V, content=b"{not json", headers={"Content-Type": "application/json"}
        )
        assert_error(response, 400, 1200)
        response = await http.post(T2V, content=b"prompt=x", headers={"Content-Type": "text/plain"})
        assert_error(response, 400, 1200)
        assert_error(await http.post(T2V, json=["a", "list"]), 400, 1200)


async def test_missing_required_field_is_1201_naming_it() -> None:
    async with client(FakeKling()) as http:
        body = assert_error(await http.post(T2V, json={"negative_prompt": "x"}), 400, 1201)
        assert "prompt" in body["message"]
        lip_sync = {"input": {"video_id": "v1"}}
        body = assert_error(await http.post("/v1/videos/lip-sync", json=lip_sync), 400, 1201)
        assert "input.mode" in body["message"]
        body = assert_error(await http.post("/v1/videos/image2video", json={}), 400, 1201)
        assert body["message"] == "Invalid parameter: image is required"


async def test_image_count_out_of_range_is_1201() -> None:
    async with client(FakeKling()) as http:
        response = await http.post("/v1/images/generations", json={"prompt": "x", "n": 10})
        assert_error(response, 400, 1201)


async def test_create_answers_submitted_with_equal_timestamps() -> None:
    async with client(FakeKling()) as http:
        data = await create(http, external_task_id="ext-1")
    assert set(data) == {"task_id", "task_status", "task_info", "created_at", "updated_at"}
    assert data["task_status"] == "submitted"
    assert data["task_info"] == {"external_task_id": "ext-1"}
    assert data["created_at"] == data["updated_at"]
    assert len(data["task_id"]) == 18
    assert data["task_id"].isdigit()


async def test_get_by_task_id_and_by_external_task_id() -> None:
    async with client(FakeKling()) as http:
        created = await create(http, external_task_id="ext-1")
        by_id = (await http.get(f"{T2V}/{created['task_id']}")).json()["data"]
        by_external = (await http.get(f"{T2V}/ext-1")).json()["data"]
    assert by_id["task_id"] == by_external["task_id"] == created["task_id"]
    assert by_id["task_status"] == "succeed"  # instant timing: done at the first query
    assert by_id["task_status_msg"] == ""
    # kling-v1 (the default model) has no published price: the fake charges nothing for it.
    assert by_id["final_unit_deduction"] == "0"
    video = by_id["task_result"]["videos"][0]
    assert video["url"] == f"http://fake.test/files/{created['task_id']}-0.mp4"
    assert video["duration"] == "5"


async def test_unknown_task_id_is_400_1201_task_not_found() -> None:
    async with client(FakeKling()) as http:
        body = assert_error(await http.get(f"{T2V}/123456789012345678"), 400, 1201)
    assert body["message"] == "Task not found: task 123456789012345678 does not exist"


async def test_task_of_another_family_is_not_found() -> None:
    async with client(FakeKling()) as http:
        created = await create(http)
        assert_error(await http.get(f"/v1/videos/image2video/{created['task_id']}"), 400, 1201)


async def test_list_is_newest_first_and_paginated() -> None:
    async with client(FakeKling()) as http:
        ids = [(await create(http, prompt=f"p{i}"))["task_id"] for i in range(5)]
        first = (await http.get(T2V, params={"pageNum": 1, "pageSize": 2})).json()["data"]
        third = (await http.get(T2V, params={"pageNum": 3, "pageSize": 2})).json()["data"]
        beyond = (await http.get(T2V, params={"pageNum": 4, "pageSize": 2})).json()["data"]
        default = (await http.get(T2V)).json()["data"]
    assert [task["task_id"] for task in first] == [ids[4], ids[3]]
    assert [task["task_id"] for task in third] == [ids[0]]
    assert beyond == []
    assert len(default) == 5


@pytest.mark.parametrize(
    "params",
    [{"pageNum": 0}, {"pageNum": 1001}, {"pageSize": 0}, {"pageSize": 501}, {"pageSize": "x"}],
)
async def test_list_paging_out_of_range_is_1201(params: dict[str, Any]) -> None:
    async with client(FakeKling()) as http:
        assert_error(await http.get(T2V, params=params), 400, 1201)


async def test_voice_list_allows_page_size_1000() -> None:
    async with client(FakeKling()) as http:
        response = await http.get("/v1/general/custom-voices", params={"pageSize": 1000})
    assert response.status_code == 200


async def test_duplicate_external_task_id_is_1201_per_family() -> None:
    fake = FakeKling()
    async with client(fake) as http:
        await create(http, external_task_id="dup")
        body = assert_error(
            await http.post(T2V, json={"prompt": "again", "external_task_id": "dup"}), 400, 1201
        )
        assert body["message"] == "external_task_id already exists"
        other_family = await http.post(
            "/v1/images/generations", json={"prompt": "x", "external_task_id": "dup"}
        )
        assert other_family.status_code == 200
    assert len(fake.tasks) == 2


IMG = "https://example.com/a.png"
VID = "https://example.com/a.mp4"


def _minimal_body(family: Family) -> dict[str, Any]:
    """The required fields of ``family`` with valid samples, plus what they need beside them."""
    samples: dict[str, Any] = {
        "input": {"image": IMG},
        "image_list": [{"image": IMG}],
        "subject_image_list": [{"subject_image": IMG}],
        "face_choose": [
            {
                "face_id": "0",
                "audio_id": "a",
                "sound_start_time": 0,
                "sound_end_time": 3000,
                "sound_insert_time": 0,
            }
        ],
        "duration": 5.0,
        "character_orientation": "image",
        "mode": "std",
        "voice_url": "https://example.com/a.mp3",
        "reference_type": "image_refer",
    }
    extras: dict[str, dict[str, Any]] = {
        "lip_sync": {
            "input": {"video_url": VID, "mode": "text2video", "text": "hi", "voice_id": "v"}
        },
        "omni_video": {"prompt": "a walk", "aspect_ratio": "16:9"},
        "omni_image": {"image_list": [{"image": IMG}]},
        "multi_elements": {"edit_mode": "addition", "image_list": [{"image": IMG}]},
        "elements": {
            "element_image_list": {"frontal_image": IMG, "refer_images": [{"image_url": IMG}]}
        },
    }
    body: dict[str, Any] = {}
    for options in family.required:
        *parents, leaf = options[0].split(".")
        target = body
        for parent in parents:
            target = target.setdefault(parent, {})
        if leaf in ("image", "image_url", "human_image", "cloth_image", "element_frontal_image"):
            target[leaf] = IMG
        elif leaf in ("video_url",):
            target[leaf] = VID
        else:
            target[leaf] = samples.get(leaf, f"sample-{leaf}")
    return {**body, **extras.get(family.name, {})}


async def _prepare(http: httpx.AsyncClient, family: Family, body: dict[str, Any]) -> None:
    """Make the things a body refers to: a video to extend, a face or selection session."""
    if family.name == "video_extend":
        body["video_id"] = await _video_id(http)
    elif family.name == "advanced_lip_sync":
        faces = await http.post("/v1/videos/identify-face", json={"video_url": VID})
        body["session_id"] = faces.json()["data"]["session_id"]
    elif family.name == "multi_elements":
        started = await http.post(f"{family.path}/init-selection", json={"video_url": VID})
        body["session_id"] = started.json()["data"]["session_id"]


async def _video_id(http: httpx.AsyncClient, **body: Any) -> str:
    created = await create(http, **body)
    task = (await http.get(f"{T2V}/{created['task_id']}")).json()["data"]
    video_id: str = task["task_result"]["videos"][0]["id"]
    return video_id


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.name)
async def test_every_family_creates_and_succeeds(family: Family) -> None:
    expected_keys = {
        "videos": {"videos"},
        "images": {"images"},
        "audios": {"audios"},
        "video_audios": {"videos", "audios"},
        "voices": {"voices"},
        "elements": {"elements"},
    }[family.result]
    if family.name == "omni_image":
        expected_keys = {"result_type", "images"}
    async with client(FakeKling()) as http:
        body = _minimal_body(family)
        await _prepare(http, family, body)
        response = await http.post(family.path, json=body)
        assert response.status_code == 200, response.text
        task_id = response.json()["data"]["task_id"]
        task = (await http.get(f"{family.path}/{task_id}")).json()["data"]
        listed = (await http.get(family.path)).json()["data"]
    assert task["task_status"] == "succeed"
    assert set(task["task_result"]) == expected_keys
    assert ("parent_video" in task["task_info"]) == family.parent_video
    assert listed[0]["task_id"] == task_id


async def test_image_tasks_return_n_images() -> None:
    async with client(FakeKling()) as http:
        created = await create(http, "/v1/images/generations", n=3)
        task = (await http.get(f"/v1/images/generations/{created['task_id']}")).json()["data"]
    images = task["task_result"]["images"]
    assert [image["index"] for image in images] == [0, 1, 2]
    assert all(image["url"].endswith(".png") for image in images)


async def test_audio_results_have_mp3_and_wav() -> None:
    async with client(FakeKling()) as http:
        created = await create(http, "/v1/audio/text-to-audio", duration=3.5)
        task = (await http.get(f"/v1/audio/text-to-audio/{created['task_id']}")).json()["data"]
    (audio,) = task["task_result"]["audios"]
    assert audio["url_mp3"].endswith(".mp3")
    assert audio["url_wav"].endswith(".wav")
    assert audio["duration_mp3"] == audio["duration_wav"] == "3.5"


async def test_video_extend_sets_parent_video() -> None:
    async with client(FakeKling()) as http:
        video_id = await _video_id(http)
        created = await create(http, "/v1/videos/video-extend", video_id=video_id)
        task = (await http.get(f"/v1/videos/video-extend/{created['task_id']}")).json()["data"]
    assert task["task_info"]["parent_video"]["id"] == video_id


async def test_watermark_info_is_echoed_with_watermark_urls() -> None:
    async with client(FakeKling()) as http:
        created = await create(http, watermark_info={"enabled": True})
        task = (await http.get(f"{T2V}/{created['task_id']}")).json()["data"]
    assert task["watermark_info"] == {"enabled": True}
    assert task["task_result"]["videos"][0]["watermark_url"].endswith("-watermark.mp4")


async def test_advanced_lip_sync_answers_by_task_id_only() -> None:
    path = "/v1/videos/advanced-lip-sync"
    body = _minimal_body(FAMILIES_BY_NAME["advanced_lip_sync"])
    async with client(FakeKling()) as http:
        await _prepare(http, FAMILIES_BY_NAME["advanced_lip_sync"], body)
        created = await create(http, path, **body, external_task_id="als")
        task = (await http.get(f"{path}/{created['task_id']}")).json()["data"]
        assert_error(await http.get(f"{path}/als"), 400, 1201)
    assert "external_task_id" not in task["task_info"]


# ---------------------------------------------------------------------------------- lifecycle


async def test_lifecycle_follows_elapsed_time(clock: ManualClock) -> None:
    fake = FakeKling(timing=Timing.seconds(submitted=1.0, processing=2.0), clock=clock)
    async with client(fake) as http:
        created = await create(http)

        async def current() -> dict[str, Any]:
            data: dict[str, Any] = (await http.get(f"{T2V}/{created['task_id']}")).json()["data"]
            return data

        assert (await current())["task_status"] == "submitted"
        clock.advance(1.5)
        processing = await current()
        assert processing["task_status"] == "processing"
        assert processing["task_result"] == {}
        assert processing["updated_at"] == created["created_at"] + 1000
        clock.advance(1.5)
        done = await current()
    assert done["task_status"] == "succeed"
    assert done["updated_at"] == created["created_at"] + 3000


async def test_lifecycle_can_be_driven_by_polls() -> None:
    fake = FakeKling(timing=Timing.polls(submitted=1, processing=2))
    async with client(fake) as http:
        created = await create(http)
        seen = [
            (await http.get(f"{T2V}/{created['task_id']}")).json()["data"]["task_status"]
            for _ in range(5)
        ]
    assert seen == ["submitted", "processing", "processing", "succeed", "succeed"]


async def test_prompt_with_fail_marker_ends_failed_with_message() -> None:
    async with client(FakeKling()) as http:
        created = await create(http, prompt="please FAIL this one")
        task = (await http.get(f"{T2V}/{created['task_id']}")).json()["data"]
    assert task["task_status"] == "failed"
    assert task["task_status_msg"] == "Content risk control"
    assert task["task_result"] == {}
    assert task["final_unit_deduction"] == "0"


async def test_fail_marker_and_message_are_configurable() -> None:
    fake = FakeKling(fail_marker="[boom]", fail_message="Image pixel is invalid")
    async with client(fake) as http:
        ok = await create(http, prompt="FAIL is fine now")
        bad = await create(http, "/v1/images/generations", prompt="x [boom]")
        ok_task = (await http.get(f"{T2V}/{ok['task_id']}")).json()["data"]
        bad_task = (await http.get(f"/v1/images/generations/{bad['task_id']}")).json()["data"]
    assert ok_task["task_status"] == "succeed"
    assert (bad_task["task_status"], bad_task["task_status_msg"]) == (
        "failed",
        "Image pixel is invalid",
    )


async def test_set_task_status_forces_a_state(clock: ManualClock) -> None:
    fake = FakeKling(timing=Timing.seconds(), clock=clock)
    async with client(fake) as http:
        created = await create(http)
        fake.set_task_status(created["task_id"], "failed", "Manual failure")
        task = (await http.get(f"{T2V}/{created['task_id']}")).json()["data"]
    assert (task["task_status"], task["task_status_msg"]) == ("failed", "Manual failure")


async def test_tasks_and_reset() -> None:
    fake = FakeKling()
    async with client(fake) as http:
        created = await create(http, external_task_id="x")
    assert list(fake.tasks) == [created["task_id"]]
    assert fake.task("x").task_id == created["task_id"]
    assert fake.task(created["task_id"]).task_status == "succeed"
    fake.fail_next()
    fake.reset()
    assert fake.tasks == {}
    assert fake.requests == []
    assert fake.faults.pending == []
    with pytest.raises(KeyError):
        fake.task("x")


# -------------------------------------------------------------------------------- concurrency


async def test_concurrency_limit_answers_429_1303_until_a_slot_frees(clock: ManualClock) -> None:
    fake = FakeKling(
        timing=Timing.seconds(submitted=1, processing=1), clock=clock, concurrency_limit=1
    )
    async with client(fake) as http:
        await create(http)
        response = await http.post(T2V, json={"prompt": "second"})
        body = assert_error(response, 429, 1303)
        assert body["message"] == "parallel task over resource pack limit"
        clock.advance(2.0)  # the first task finishes, freeing its slot
        assert (await http.post(T2V, json={"prompt": "third"})).status_code == 200
    assert len(fake.tasks) == 2


async def test_image_tasks_hold_n_slots(clock: ManualClock) -> None:
    fake = FakeKling(timing=Timing.seconds(), clock=clock, concurrency_limit=3)
    async with client(fake) as http:
        await create(http, "/v1/images/generations", n=2)
        response = await http.post("/v1/images/generations", json={"prompt": "x", "n": 2})
        assert_error(response, 429, 1303)
        assert (await http.post(T2V, json={"prompt": "one slot"})).status_code == 200


# ------------------------------------------------------------------------------------- faults


async def test_rate_limited_fault_with_retry_after_then_normal() -> None:
    fake = FakeKling()
    fault = fake.faults.rate_limited("POST", T2V, code=1302, retry_after=2)
    async with client(fake) as http:
        first = await http.post(T2V, json={"prompt": "x"})
        assert_error(first, 429, 1302)
        assert first.headers["retry-after"] == "2"
        assert (await http.post(T2V, json={"prompt": "x"})).status_code == 200
    assert fault.hits == 1
    assert fault.exhausted
    assert len(fake.tasks) == 1


@pytest.mark.parametrize(
    ("code", "status"), [(1102, 429), (1100, 429), (1303, 429), (1301, 400), (1103, 403)]
)
async def test_error_fault_takes_kling_status_for_code(code: int, status: int) -> None:
    fake = FakeKling()
    fake.fail_next("POST", T2V, code=code)
    async with client(fake) as http:
        assert_error(await http.post(T2V, json={"prompt": "x"}), status, code)
    assert fake.tasks == {}  # an error fault without process=True creates nothing


@pytest.mark.parametrize(("code", "status"), [(5000, 500), (5001, 503), (5002, 504)])
async def test_server_error_fault(code: int, status: int) -> None:
    fake = FakeKling()
    fake.faults.server_error("GET", T2V, code=code)
    async with client(fake) as http:
        assert_error(await http.get(T2V), status, code)


async def test_gateway_error_is_an_html_page() -> None:
    fake = FakeKling()
    fake.faults.gateway_error(status=504)
    async with client(fake) as http:
        response = await http.get(T2V)
    assert response.status_code == 504
    assert response.headers["content-type"].startswith("text/html")
    assert b"504 Gateway Timeout" in response.content
    assert fake.requests[-1].code is None


async def test_created_then_error_leaves_exactly_one_task_findable_by_external_id() -> None:
    fake = FakeKling()
    fake.faults.created_then_error("POST", T2V)
    async with client(fake) as http:
        response = await http.post(T2V, json={"prompt": "x", "external_task_id": "retry-me"})
        assert_error(response, 500, 5000)
        found = await http.get(f"{T2V}/retry-me")
        assert found.status_code == 200
        again = await http.post(T2V, json={"prompt": "x", "external_task_id": "retry-me"})
        assert_error(again, 400, 1201)
    assert len(fake.tasks) == 1
    assert found.json()["data"]["task_id"] in fake.tasks


async def test_gateway_error_after_processing_also_creates() -> None:
    fake = FakeKling()
    fake.faults.gateway_error("POST", T2V, status=502, process=True)
    async with client(fake) as http:
        assert (await http.post(T2V, json={"prompt": "x"})).status_code == 502
    assert len(fake.tasks) == 1


async def test_slow_fault_delays_the_normal_answer() -> None:
    fake = FakeKling()
    fake.faults.slow("GET", T2V, delay=0.2)
    async with client(fake) as http:
        started = time.monotonic()
        response = await http.get(T2V)
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.2


async def test_truncated_fault_processes_then_cuts_the_json() -> None:
    fake = FakeKling()
    fake.faults.truncated("POST", T2V)
    async with client(fake) as http:
        response = await http.post(T2V, json={"prompt": "x"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert len(fake.tasks) == 1


async def test_garbage_fault_is_not_json() -> None:
    fake = FakeKling()
    fake.faults.garbage("GET")
    async with client(fake) as http:
        response = await http.get(T2V)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        json.loads(response.content)


async def test_disconnect_fault_raises_remote_protocol_error_in_process() -> None:
    fake = FakeKling()
    fake.faults.disconnect("POST", T2V, process=True)
    async with client(fake) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.post(T2V, json={"prompt": "x"})
        assert (await http.get(T2V)).status_code == 200
    assert len(fake.tasks) == 1  # process=True: created before the line dropped


async def test_token_expired_fault_hits_once() -> None:
    fake = FakeKling()
    fake.faults.token_expired()
    async with client(fake, headers={"Authorization": f"Bearer {mint(fake)}"}) as http:
        assert_error(await http.get(T2V), 401, 1004)
        assert (await http.get(T2V)).status_code == 200


async def test_fault_matching_by_method_path_skip_and_times() -> None:
    fake = FakeKling()
    fault = fake.fail_next("GET", f"{T2V}/", code=5000, skip=1, times=2)
    async with client(fake) as http:
        created = await create(http)  # POST: not matched
        url = f"{T2V}/{created['task_id']}"
        statuses = [(await http.get(url)).status_code for _ in range(4)]
        assert (await http.get(T2V)).status_code == 200  # the list path lacks the trailing "/"
    assert statuses == [200, 500, 500, 200]
    assert (fault.seen, fault.hits) == (3, 2)


async def test_faults_without_path_spare_result_files() -> None:
    fake = FakeKling()
    fake.faults.add(Fault(code=5000, times=None))
    async with client(fake) as http:
        assert (await http.get("/files/a.png")).status_code == 200
        assert_error(await http.get(T2V), 500, 5000)
    fake.faults.clear()
    fake.faults.add(Fault(kind="html", path="/files/", status=503))
    async with client(fake) as http:
        assert (await http.get("/files/a.png")).status_code == 503


# ------------------------------------------------------------------------------------ latency


@pytest.fixture
def layer_sleep(monkeypatch: pytest.MonkeyPatch) -> AsyncMock:
    """The sleep FakeKling's ASGI layer waits with, replaced by a mock: nothing really waits."""
    sleep = AsyncMock()
    monkeypatch.setattr(_asgi, "anyio", SimpleNamespace(sleep=sleep))
    return sleep


async def test_latency_holds_back_every_api_request(layer_sleep: AsyncMock) -> None:
    fake = FakeKling(latency=0.05)
    async with client(fake) as http:
        created = await create(http)
        layer_sleep.assert_awaited_once_with(0.05)
        assert (await http.get(f"{T2V}/{created['task_id']}")).status_code == 200
        assert (await http.get("/tasks", params={"task_ids": created["task_id"]})).is_success
        assert (await http.get("/files/a.png")).status_code == 200
        assert_error(await http.get(T2V, headers={"Authorization": "Bearer wrong"}), 401, 1002)
    assert layer_sleep.await_args_list == [call(0.05)] * 5


async def test_latency_spares_the_control_routes(layer_sleep: AsyncMock) -> None:
    fake = FakeKling(latency=0.05)
    async with client(fake) as http:
        assert (await http.get("/_fake/callbacks")).status_code == 200
        assert (await http.post("/_fake/callbacks", json={"x": 1})).status_code == 200
    layer_sleep.assert_not_awaited()


async def test_latency_is_configuration_kept_through_reset(layer_sleep: AsyncMock) -> None:
    fake = FakeKling()
    async with client(fake) as http:
        await create(http)
        layer_sleep.assert_not_awaited()  # none by default
        fake.latency = 0.05
        fake.reset()
        await create(http)
    layer_sleep.assert_awaited_once_with(0.05)
    assert fake.requests[0].fault is None  # not a fault rule: the record is a normal one


async def test_latency_adds_to_a_slow_fault(layer_sleep: AsyncMock) -> None:
    fake = FakeKling(latency=0.05)
    fake.faults.slow("GET", T2V, delay=2)
    async with client(fake) as http:
        assert (await http.get(T2V)).status_code == 200
    assert layer_sleep.await_args_list == [call(0.05), call(2)]


@pytest.mark.parametrize("latency", [-0.01, float("nan")])
def test_latency_must_not_be_negative(latency: float) -> None:
    with pytest.raises(ValueError, match="latency"):
        FakeKling(latency=latency)


# -------------------------------------------------------------------------------- request log


async def test_request_log_records_everything_a_test_needs() -> None:
    fake = FakeKling()
    async with client(fake) as http:
        await http.post(T2V, params={"x": "1"}, json={"prompt": "logged"})
        await http.get(f"{T2V}/missing")
    post, get = fake.requests
    assert (post.method, post.path, post.query) == ("POST", T2V, {"x": "1"})
    assert post.headers["authorization"] == f"Bearer {DEFAULT_API_KEY}"
    assert post.json == {"prompt": "logged"}
    assert (post.auth, post.status, post.code) == ("api_key", 200, 0)
    assert (get.status, get.code, get.fault) == (400, 1201, None)
    assert get.request_id


# --------------------------------------------------------------------------------- callbacks


def test_webhook_signature_matches_the_official_test_vector() -> None:
    body = (
        b'{"id":"1234567890","status":"succeeded","message":"",'
        b'"create_time":1781080778802,"update_time":1781080794151}'
    )
    signature = sign_webhook(WEBHOOK_SECRET, "9876543210", 1781080794, body)
    assert signature == "v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4="


async def test_callbacks_post_each_status_change_signed() -> None:
    fake = FakeKling(webhook_secret=WEBHOOK_SECRET)
    # Deliver into the fake's own sink through an in-process transport.
    fake.callback_transport = httpx.ASGITransport(app=fake)
    async with client(fake) as http:
        created = await create(
            http, external_task_id="cb", callback_url="http://fake.test/_fake/callbacks"
        )
        sent = await fake.await_callbacks()
    assert [delivery.payload["task_status"] for delivery in sent] == [
        "submitted",
        "processing",
        "succeed",
    ]
    assert all(delivery.ok for delivery in sent)
    received = fake.callbacks_received
    assert len(received) == 3
    final = received[-1]
    assert final.headers["content-type"] == "application/json; charset=utf-8"
    assert final.json["task_id"] == created["task_id"]  # the bare task object, no envelope
    assert final.json["task_info"]["external_task_id"] == "cb"
    assert final.json["task_result"]["videos"]
    for callback in received:
        assert verify_signature(WEBHOOK_SECRET, callback.headers, callback.body)
    assert not any(request.path.startswith("/_fake/") for request in fake.requests)


async def test_callbacks_follow_the_clock(clock: ManualClock) -> None:
    fake = FakeKling(timing=Timing.seconds(submitted=1, processing=1), clock=clock)
    fake.callback_transport = httpx.ASGITransport(app=fake)
    async with client(fake) as http:
        await create(http, callback_url="http://fake.test/_fake/callbacks")
        await fake.await_callbacks(1)
        assert [c.json["task_status"] for c in fake.callbacks_received] == ["submitted"]
        clock.advance(1.0)
        await fake.await_callbacks(2)
        clock.advance(1.0)
        await fake.await_callbacks()
    assert [c.json["task_status"] for c in fake.callbacks_received] == [
        "submitted",
        "processing",
        "succeed",
    ]


async def test_unsigned_callbacks_without_secret() -> None:
    fake = FakeKling()
    fake.callback_transport = httpx.ASGITransport(app=fake)
    async with client(fake) as http:
        await create(http, callback_url="http://fake.test/_fake/callbacks")
        await fake.await_callbacks()
    assert all("webhook-signature" not in c.headers for c in fake.callbacks_received)


async def test_callback_delivery_errors_are_recorded_not_raised() -> None:
    fake = FakeKling(callback_timeout=2.0)
    async with client(fake) as http:
        await create(http, callback_url="http://127.0.0.1:9/unreachable")
        sent = await fake.await_callbacks()
        assert (await http.get(T2V)).status_code == 200
    assert len(sent) == 3
    assert all(delivery.status_code is None and delivery.error for delivery in sent)


def test_invalid_webhook_secret_fails_at_construction() -> None:
    with pytest.raises(ValueError):
        FakeKling(webhook_secret="whsec_***not base64***")


# ------------------------------------------------------------------------------------- media


async def test_result_files_are_valid_media() -> None:
    async with client(FakeKling()) as http:
        png = await http.get("/files/x.png")
        mp4 = await http.get("/files/x.mp4")
        mp3 = await http.get("/files/x.mp3")
        wav = await http.get("/files/x.wav")
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png.content[16:24])
    assert width >= 300
    assert height >= 300
    assert mp4.headers["content-type"] == "video/mp4"
    assert mp4.content[4:8] == b"ftyp"
    assert b"moov" in mp4.content
    assert b"mdat" in mp4.content
    assert mp3.headers["content-type"] == "audio/mpeg"
    assert mp3.content[0] == 0xFF
    assert mp3.content[1] & 0xE0 == 0xE0
    assert wav.content[:4] == b"RIFF"
    assert wav.content[8:12] == b"WAVE"
    for response in (png, mp4, mp3, wav):
        assert int(response.headers["content-length"]) == len(response.content)
        assert response.headers["accept-ranges"] == "bytes"


async def test_files_support_range_requests() -> None:
    async with client(FakeKling()) as http:
        whole = (await http.get("/files/x.mp4")).content
        size = len(whole)
        first = await http.get("/files/x.mp4", headers={"Range": "bytes=0-99"})
        rest = await http.get("/files/x.mp4", headers={"Range": "bytes=100-"})
        tail = await http.get("/files/x.mp4", headers={"Range": "bytes=-10"})
        beyond = await http.get("/files/x.mp4", headers={"Range": f"bytes={size}-"})
        stale = await http.get(
            "/files/x.mp4", headers={"Range": "bytes=0-9", "If-Range": '"other-etag"'}
        )
        head = await http.head("/files/x.mp4")
    assert first.status_code == 206
    assert first.content == whole[:100]
    assert first.headers["content-range"] == f"bytes 0-99/{size}"
    assert rest.status_code == 206
    assert first.content + rest.content == whole
    assert tail.content == whole[-10:]
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{size}"
    assert stale.status_code == 200
    assert stale.content == whole
    assert head.status_code == 200
    assert head.content == b""
    assert int(head.headers["content-length"]) == size


async def test_unknown_file_type_is_404() -> None:
    async with client(FakeKling()) as http:
        assert_error(await http.get("/files/x.exe"), 404, 1203)


async def test_result_urls_download() -> None:
    async with client(FakeKling()) as http:
        created = await create(http)
        task = (await http.get(f"{T2V}/{created['task_id']}")).json()["data"]
        video = await http.get(task["task_result"]["videos"][0]["url"], headers={})
    assert video.status_code == 200
    assert video.content[4:8] == b"ftyp"


# --------------------------------------------------------------------- synchronous endpoints


async def test_tts_answers_immediately_with_audio() -> None:
    async with client(FakeKling()) as http:
        body = {"text": "hello", "voice_id": "oversea_male1", "voice_language": "en"}
        data = (await http.post("/v1/audio/tts", json=body)).json()["data"]
        assert_error(await http.post("/v1/audio/tts", json={"text": "x"}), 400, 1201)
    assert data["task_status"] == "succeed"
    (audio,) = data["task_result"]["audios"]
    assert set(audio) == {"id", "url", "duration"}
    assert audio["url"].endswith(".mp3")


async def test_identify_face_and_image_recognize() -> None:
    async with client(FakeKling()) as http:
        faces = (await http.post("/v1/videos/identify-face", json={"video_id": "v"})).json()
        recognized = await http.post("/v1/videos/image-recognize", json={"image": "https://x"})
    assert faces["data"]["session_id"]
    assert faces["data"]["face_data"][0]["face_id"] == "0"
    kinds = {image["type"] for image in recognized.json()["data"]["task_result"]["images"]}
    assert kinds == {"object_seg", "head_seg", "face_seg", "cloth_seg"}


async def test_presets_lists() -> None:
    async with client(FakeKling()) as http:
        voices = (await http.get("/v1/general/presets-voices")).json()["data"]
        elements = (await http.get("/v1/general/advanced-presets-elements")).json()["data"]
        page = (await http.get("/v1/general/presets-voices", params={"pageSize": 1})).json()
    assert all(item["task_result"]["voices"][0]["owned_by"] == "kling" for item in voices)
    assert all(item["task_result"]["elements"][0]["owned_by"] == "kling" for item in elements)
    assert len(page["data"]) == 1


async def test_delete_voice_and_element() -> None:
    async with client(FakeKling()) as http:
        voice_url = "https://example.com/v.mp3"
        voice = await create(http, "/v1/general/custom-voices", voice_name="v", voice_url=voice_url)
        voice_task = (await http.get(f"/v1/general/custom-voices/{voice['task_id']}")).json()
        voice_id = voice_task["data"]["task_result"]["voices"][0]["voice_id"]
        deleted = await http.post("/v1/general/delete-voices", json={"voice_id": voice_id})
        assert deleted.json()["data"] == {"task_id": voice["task_id"], "task_status": "succeed"}
        again = await http.post("/v1/general/delete-voices", json={"voice_id": voice_id})
        assert_error(again, 400, 1201)

        path = "/v1/general/advanced-custom-elements"
        images = {"frontal_image": IMG, "refer_images": [{"image_url": IMG}]}
        element = await create(
            http,
            path,
            element_name="hero",
            element_description="the hero",
            reference_type="image_refer",
            element_image_list=images,
        )
        element_task = (await http.get(f"{path}/{element['task_id']}")).json()["data"]
        element_id = element_task["task_result"]["elements"][0]["element_id"]
        assert isinstance(element_id, int)
        response = await http.post(
            "/v1/general/delete-advanced-elements", json={"element_id": element_id}
        )
        assert response.status_code == 200
        after = (await http.get(f"{path}/{element['task_id']}")).json()["data"]
    assert after["task_result"]["elements"][0]["status"] == "deleted"


async def test_account_costs_is_double_wrapped() -> None:
    async with client(FakeKling()) as http:
        params = {"start_time": 1, "end_time": 2}
        data = (await http.get("/account/costs", params=params)).json()["data"]
        filtered = await http.get(
            "/account/costs", params={**params, "resource_pack_name": "no such pack"}
        )
        assert_error(await http.get("/account/costs", params={"start_time": 1}), 400, 1201)
        assert_error(await http.get("/v1/account/costs", params=params), 404, 1203)
    assert (data["code"], data["msg"]) == (0, "success")
    (pack,) = data["resource_pack_subscribe_infos"]
    assert pack["status"] == "online"
    assert pack["remaining_quantity"] == 100.0
    assert filtered.json()["data"] == {"code": 0, "msg": "success"}


async def test_account_costs_lists_configured_packs() -> None:
    packs = [{"resource_pack_name": "Pack-A", "remaining_quantity": 3.0}]
    async with client(FakeKling(resource_packs=packs)) as http:
        params: dict[str, str | int] = {
            "start_time": 1,
            "end_time": 2,
            "resource_pack_name": "Pack-A",
        }
        data = (await http.get("/account/costs", params=params)).json()["data"]
    assert data["resource_pack_subscribe_infos"] == packs


# ------------------------------------------------------------------------------- real sockets


def test_serve_classmethod_over_real_sockets(no_leaked_server_threads: None) -> None:
    with FakeKling.serve(concurrency_limit=5) as server:
        assert isinstance(server, FakeKlingServer)
        assert server.url.startswith("http://127.0.0.1:")
        assert not server.url.endswith("/")
        assert server.fake.concurrency_limit == 5
        token = mint(server.fake)
        with httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {token}"}
        ) as http:
            created = http.post(T2V, json={"prompt": "x", "external_task_id": "sock"}).json()
            task = http.get(f"{T2V}/sock").json()["data"]
            video = http.get(task["task_result"]["videos"][0]["url"])
    assert task["task_id"] == created["data"]["task_id"]
    assert task["task_result"]["videos"][0]["url"].startswith(server.url + "/files/")
    assert video.content[4:8] == b"ftyp"
    assert not server.running


def test_serve_an_existing_instance(no_leaked_server_threads: None) -> None:
    fake = FakeKling(api_keys=("k1", "k2"))
    with fake.serve() as server, httpx.Client(base_url=server.url) as http:
        assert server.fake is fake
        assert server.api_key == "k1"
        assert http.get(T2V, headers={"Authorization": "Bearer k2"}).status_code == 200
    assert fake.requests[-1].auth == "api_key"


def test_disconnect_over_sockets_is_a_protocol_error(no_leaked_server_threads: None) -> None:
    with FakeKling.serve() as server, httpx.Client(base_url=server.url) as http:
        server.fake.faults.disconnect("GET", T2V)
        with pytest.raises(httpx.RemoteProtocolError):
            http.get(T2V, headers=API_KEY_HEADERS)
        assert http.get(T2V, headers=API_KEY_HEADERS).status_code == 200


def test_slow_fault_over_sockets_trips_a_read_timeout(no_leaked_server_threads: None) -> None:
    with FakeKling.serve() as server:
        server.fake.faults.slow("GET", T2V, delay=0.5)
        with (
            httpx.Client(base_url=server.url, timeout=0.1) as http,
            pytest.raises(httpx.ReadTimeout),
        ):
            http.get(T2V, headers=API_KEY_HEADERS)


def test_callbacks_over_sockets_are_signed(no_leaked_server_threads: None) -> None:
    with FakeKling.serve(webhook_secret=WEBHOOK_SECRET) as server:
        with httpx.Client(base_url=server.url, headers=API_KEY_HEADERS) as http:
            http.post(T2V, json={"prompt": "x", "callback_url": f"{server.url}/_fake/callbacks"})
        sent = server.fake.wait_for_callbacks()
        received = server.fake.callbacks_received
    assert [d.status_code for d in sent] == [200, 200, 200]
    assert [c.json["task_status"] for c in received] == ["submitted", "processing", "succeed"]
    assert all(verify_signature(WEBHOOK_SECRET, c.headers, c.body) for c in received)


def test_pytest_plugin_fixtures(fake_kling: FakeKling, fake_kling_server: FakeKlingServer) -> None:
    assert fake_kling_server.fake is fake_kling
    with httpx.Client(base_url=fake_kling_server.url) as http:
        headers = {"Authorization": f"Bearer {mint(fake_kling)}"}
        assert http.get(T2V, headers=headers).status_code == 200


def test_pytest_plugin_imports_without_heavy_dependencies() -> None:
    code = (
        "import sys, kling.testing.pytest_plugin, kling.testing; "
        "heavy = {'starlette', 'uvicorn', 'kling.testing._app'} & set(sys.modules); "
        "sys.exit(sorted(heavy) or 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.slow
def test_run_serves_in_the_foreground_until_interrupted() -> None:
    port = _free_port()
    code = f"from kling.testing import run; run(port={port}, log_level='warning')"
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 15
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                status = httpx.get(
                    f"http://127.0.0.1:{port}{T2V}", headers=API_KEY_HEADERS
                ).status_code
            except httpx.TransportError:
                time.sleep(0.05)
        assert status == 200
        process.send_signal(signal.SIGINT)
        stdout, _ = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert DEFAULT_ACCESS_KEY in stdout
    assert DEFAULT_SECRET_KEY in stdout


def test_server_thread_is_named_and_stops() -> None:
    server = FakeKling.serve()
    server.start()
    try:
        assert any(t.name == "fake-kling" for t in threading.enumerate())
        with pytest.raises(RuntimeError):
            server.start()
    finally:
        server.stop()
    server.stop()  # idempotent
    assert not server.running
