"""FakeKling charges what Kling's pricing pages say, from its packs, and refuses when they run out.

Every expected charge below is worked out by hand from the pages, not from any table in the code:

* https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-video.md
* https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-image.md

(units per second x seconds for videos, with the legacy ``mode`` std = 720p, pro = 1080p; units
per image x images; units per call.)
"""

from __future__ import annotations

from typing import Any

import pytest

from kling import AccountError, KlingClient
from kling.testing import FakeKling
from tests._fake_helpers import IMAGE_PACK, VIDEO_PACK, packs

from .test_fake_kling import IMG, assert_error, client, create

WINDOW = {"start_time": 1, "end_time": 4_000_000_000_000}
COSTS = {"start_time": "1", "end_time": "4000000000000"}

CHARGES = [
    # Kling 3.0, no native audio: 0.6 units/s at 720p; 5 s.
    ("/v1/videos/text2video", {"model_name": "kling-v3", "mode": "std", "duration": "5"}, "3"),
    # Kling 3.0 with native audio, no voice control: 1.2 units/s at 1080p; 10 s.
    (
        "/v1/videos/text2video",
        {"model_name": "kling-v3", "mode": "pro", "duration": "10", "sound": "on"},
        "12",
    ),
    # Kling 3.0 at 4k: 3.0 units/s; 5 s.
    ("/v1/videos/text2video", {"model_name": "kling-v3", "mode": "4k", "duration": "5"}, "15"),
    # Kling 2.5 Turbo at 720p: 0.3 units/s; 5 s (the changelog: "Deduct 1.5 units").
    ("/v1/videos/text2video", {"model_name": "kling-v2-5-turbo", "duration": "5"}, "1.5"),
    # Kling 2.6, no native audio, 1080p: 0.5 units/s; 10 s.
    (
        "/v1/videos/image2video",
        {"model_name": "kling-v2-6", "mode": "pro", "duration": "10", "image": IMG},
        "5",
    ),
    # Kling O1, no video input, 1080p (omni video's default mode is pro): 0.8 units/s; 5 s.
    (
        "/v1/videos/omni-video",
        {"model_name": "kling-video-o1", "duration": "5", "aspect_ratio": "16:9"},
        "4",
    ),
    # Kling 3.0 Omni, no video input with native audio, 720p: 0.8 units/s; 5 s.
    (
        "/v1/videos/omni-video",
        {
            "model_name": "kling-v3-omni",
            "mode": "std",
            "duration": "5",
            "sound": "on",
            "aspect_ratio": "16:9",
        },
        "4",
    ),
    # Kling Image 3.0: 8 units an image; 3 images.
    ("/v1/images/generations", {"model_name": "kling-v3", "n": 3}, "24"),
    # Kling Image 2.1 text to image: 4 units an image; 2 images.
    ("/v1/images/generations", {"model_name": "kling-v2-1", "n": 2}, "8"),
    # Kling Image 3.0 Omni at 4K: 16 units an image.
    ("/v1/images/omni-image", {"model_name": "kling-v3-omni", "resolution": "4k"}, "16"),
    # Audio generation, text to audio: 0.25 units a call.
    ("/v1/audio/text-to-audio", {"duration": 5}, "0.25"),
    # kling-v1 is on no pricing page: the fake charges nothing rather than guess.
    ("/v1/videos/text2video", {}, "0"),
]


@pytest.mark.parametrize(("path", "body", "units"), CHARGES)
async def test_a_finished_task_carries_the_charge_of_the_pricing_pages(
    path: str, body: dict[str, Any], units: str
) -> None:
    async with client(FakeKling()) as http:
        created = await create(http, path, **body)
        task = (await http.get(f"{path}/{created['task_id']}")).json()["data"]
        listed = (await http.get("/tasks", params={"task_ids": created["task_id"]})).json()
    assert task["task_status"] == "succeed"
    assert task["final_unit_deduction"] == units
    (record,) = listed["data"]
    assert record["billing"][0]["amount"] == units


async def test_a_failed_task_costs_nothing() -> None:
    async with client(FakeKling(resource_packs=packs())) as http:
        created = await create(http, prompt="this one FAILs", model_name="kling-v3")
        task = (await http.get(f"/v1/videos/text2video/{created['task_id']}")).json()["data"]
        costs = (await http.get("/account/costs", params=COSTS)).json()["data"]
    assert task["task_status"] == "failed"
    assert task["final_unit_deduction"] == "0"
    assert [p["remaining_quantity"] for p in costs["resource_pack_subscribe_infos"]] == [100, 100]


async def test_packs_go_down_by_each_charge_and_the_billing_details_list_them() -> None:
    async with client(FakeKling(resource_packs=packs(video=20, image=100))) as http:
        video = await create(http, model_name="kling-v3", duration="5")  # 0.6 x 5 = 3
        image = await create(http, "/v1/images/generations", model_name="kling-v3", n=2)  # 16
        costs = (await http.get("/account/costs", params=COSTS)).json()["data"]
        rows = (await http.post("/account/billing/package", json=WINDOW)).json()["data"]
        balance = (await http.post("/account/billing/balance", json=WINDOW)).json()["data"]
    left = {
        p["resource_pack_id"]: p["remaining_quantity"]
        for p in costs["resource_pack_subscribe_infos"]
    }
    assert left == {VIDEO_PACK: 17.0, IMAGE_PACK: 84.0}
    assert "product_type" not in costs["resource_pack_subscribe_infos"][0]  # not Kling's field
    charged = [
        (r["task_id"], r["package_id"], r["deduction_amount"], r["unit_after_deduction"])
        for r in rows["result"]["detail"]
    ]
    assert charged == [
        (video["task_id"], VIDEO_PACK, 3.0, 17.0),
        (image["task_id"], IMAGE_PACK, 16.0, 84.0),
    ]
    assert balance["result"]["detail"] == []  # a pack paid for everything


async def test_an_account_without_packs_pays_list_price_from_its_balance() -> None:
    async with client(FakeKling(resource_packs=[])) as http:
        await create(http, model_name="kling-v3", duration="5")  # 3 units at $0.14
        rows = (await http.post("/account/billing/balance", json=WINDOW)).json()["data"]
    (row,) = rows["result"]["detail"]
    assert row["deduction_amount"] == pytest.approx(0.42)
    assert row["balance_before_deduction"] - row["balance_after_deduction"] == pytest.approx(0.42)


async def test_a_pack_that_runs_out_refuses_creates_of_its_type_with_1102() -> None:
    fake = FakeKling(resource_packs=packs(video=4, image=100))
    async with client(fake) as http:
        await create(http, model_name="kling-v3", duration="5")  # 3 of the 4 units
        await create(http, model_name="kling-v3", duration="5")  # Kling charges on completion
        costs = (await http.get("/account/costs", params=COSTS)).json()["data"]
        refused = await http.post("/v1/videos/text2video", json={"prompt": "one more"})
        standard = await http.post("/text-to-video/kling-3.0", json={"prompt": "one more"})
        image = await http.post(
            "/v1/images/generations", json={"prompt": "a fox", "model_name": "kling-v3"}
        )
    video_pack = costs["resource_pack_subscribe_infos"][0]
    assert (video_pack["remaining_quantity"], video_pack["status"]) == (0, "runOut")
    assert "exhausted" in assert_error(refused, 429, 1102)["message"]
    assert assert_error(standard, 429, 1102)["message"] == "Account balance not enough"
    assert image.status_code == 200  # the image pack still has units
    assert len(fake.tasks) == 3


async def test_the_default_account_pays_from_its_balance_once_the_trial_pack_is_used_up() -> None:
    async with client(FakeKling()) as http:
        # 45 units each (Kling 3.0 at 4k, 15 s): the third takes the pack's last 10, and what
        # no pack can take comes from the balance, at the page's $0.14 a unit.
        for _ in range(4):
            await create(http, model_name="kling-v3", mode="4k", duration="15")
        costs = (await http.get("/account/costs", params=COSTS)).json()["data"]
        balance = (await http.post("/account/billing/balance", json=WINDOW)).json()["data"]
    assert costs["resource_pack_subscribe_infos"][0]["remaining_quantity"] == 0
    assert [row["deduction_amount"] for row in balance["result"]["detail"]] == [pytest.approx(6.3)]


def test_reset_gives_the_packs_their_units_back() -> None:
    fake = FakeKling(resource_packs=packs(video=4))
    with (
        fake.serve() as server,
        KlingClient(server.access_key, server.secret_key, base_url=server.url) as kling,
    ):
        kling.text_to_video.create_and_wait(prompt="a fox", model_name="kling-v3", duration="5")
        assert fake.resource_packs[0]["remaining_quantity"] == 1.0
        fake.reset()
        assert fake.resource_packs[0]["remaining_quantity"] == 4


def test_the_sdk_raises_account_error_for_1102_and_does_not_retry() -> None:
    fake = FakeKling(resource_packs=packs(video=0))
    with (
        fake.serve() as server,
        KlingClient(server.access_key, server.secret_key, base_url=server.url) as kling,
        pytest.raises(AccountError) as raised,
    ):
        kling.text_to_video.create(prompt="a fox", model_name="kling-v3")
    assert (raised.value.code, raised.value.api_code) == (429, 1102)
    creates = [r for r in fake.requests if r.path == "/v1/videos/text2video"]
    assert len(creates) == 1  # an account problem: retrying cannot help
    assert fake.tasks == {}
