"""FakeKling's billing details and older element library: what the pages document it refuses,
and the state it keeps (raw HTTP, no SDK in between)."""

from __future__ import annotations

from typing import Any

import pytest

from kling.testing import FakeKling, Timing
from tests._fake_helpers import packs

from .test_fake_kling import assert_error, client

PNG_URL = "https://cdn.example/front.png"
WINDOW = {"start_time": 1_700_000_000_000, "end_time": 4_000_000_000_000}


@pytest.mark.parametrize(
    ("path", "body", "says"),
    [
        ("package", {"end_time": 1}, "start_time is required"),
        ("package", {**WINDOW, "start_time": WINDOW["end_time"]}, "earlier than end_time"),
        ("package", {**WINDOW, "limit": 501}, "at most 500"),
        ("balance", {**WINDOW, "filters": [{"key": "package_id", "values": []}]}, "key"),
        (
            "package",
            {
                **WINDOW,
                "filters": [
                    {"key": "package_name", "values": ["a"]},
                    {"key": "package_id", "values": ["b"]},
                ],
            },
            "same time",
        ),
        (
            "package",
            {**WINDOW, "filters": [{"key": "product_type", "values": ["audio"]}]},
            "try-on",
        ),
        ("balance", {"cursor": "not-one-of-ours"}, "cursor"),
    ],
)
async def test_billing_refuses_what_the_pages_rule_out(
    path: str, body: dict[str, Any], says: str
) -> None:
    async with client(FakeKling()) as http:
        response = await http.post(f"/account/billing/{path}", json=body)
    assert says in assert_error(response, 400, 1201)["message"]


async def test_billing_pages_by_cursor_and_the_cursor_keeps_the_query() -> None:
    async with client(FakeKling(timing=Timing.instant(), resource_packs=packs())) as http:
        for n in range(3):
            created = await http.post(
                "/v1/images/generations", json={"prompt": f"fox {n}", "model_name": "kling-v3"}
            )
            assert created.status_code == 200
        first = (await http.post("/account/billing/package", json={**WINDOW, "limit": 2})).json()
        page = first["data"]
        assert page["result"]["count"] == 2
        assert page["has_more"] is True
        # The cursor alone carries on where the first page stopped.
        second = await http.post("/account/billing/package", json={"cursor": page["next_cursor"]})
        rest = second.json()["data"]
    assert rest["result"]["count"] == 1
    assert rest["has_more"] is False
    assert rest["next_cursor"] == ""
    units = [row["unit_after_deduction"] for row in page["result"]["detail"]]
    # 8 units an image of Kling Image 3.0:
    # https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-image.md
    assert [*units, rest["result"]["detail"][0]["unit_after_deduction"]] == [92.0, 84.0, 76.0]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"element_refer_list": []}, "element_refer_list needs at least 1"),
        ({"element_refer_list": [{"image_url": PNG_URL}] * 4}, "at most 3"),
        ({"element_description": None}, "element_description"),
        ({"tag_list": [{"tag_id": "o_999"}]}, "tag_id"),
        ({"element_name": "x" * 21}, "element_name"),
    ],
)
async def test_the_older_element_library_refuses_what_its_page_rules_out(
    change: dict[str, Any], says: str
) -> None:
    body = {
        "element_name": "Mochi",
        "element_description": "a white cat",
        "element_frontal_image": PNG_URL,
        "element_refer_list": [{"image_url": PNG_URL}],
        **change,
    }
    body = {key: value for key, value in body.items() if value is not None}
    async with client(FakeKling()) as http:
        response = await http.post("/v1/general/custom-elements", json=body)
    assert says in assert_error(response, 400, 1201)["message"]


async def test_delete_elements_deletes_from_the_older_library_or_the_advanced_one() -> None:
    fake = FakeKling(timing=Timing.instant())
    async with client(fake) as http:
        old = await http.post(
            "/v1/general/custom-elements",
            json={
                "element_name": "Mochi",
                "element_description": "a white cat",
                "element_frontal_image": PNG_URL,
                "element_refer_list": [{"image_url": PNG_URL}],
            },
        )
        old_id = old.json()["data"]["element_id"]
        deleted = await http.post("/v1/general/delete-elements", json={"element_id": str(old_id)})
        assert deleted.status_code == 200
        listed = await http.get("/v1/general/custom-elements")
        assert listed.json()["data"] == []
        again = await http.post("/v1/general/delete-elements", json={"element_id": str(old_id)})
    assert_error(again, 400, 1201)
