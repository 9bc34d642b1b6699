"""AI multi-shot, the billing details and the older element library, against FakeKling over
loopback (and respx where Kling's answer must be one FakeKling would never give)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import respx

from kling import AsyncKlingClient, InvalidParameterError, KlingError, NotFoundError
from kling.testing import FakeKlingServer, Timing
from tests._fake_helpers import IMAGE_PACK, VIDEO_PACK, calls, is_png, packs, serve

from .conftest import ACCESS_KEY, SECRET_KEY, FakeClock

FRONT = "https://cdn.example/front.png"
SIDE = "https://cdn.example/side.png"


@pytest.fixture(scope="module")
def shared_server() -> Iterator[FakeKlingServer]:
    with serve(timing=Timing.polls(1, 1)) as running:
        yield running


@pytest.fixture
def server(shared_server: FakeKlingServer) -> Iterator[FakeKlingServer]:
    shared_server.fake.reset()
    yield shared_server
    shared_server.fake.reset()


@pytest.fixture
async def client(server: FakeKlingServer, clock: FakeClock) -> AsyncIterator[AsyncKlingClient]:
    async with AsyncKlingClient(server.access_key, server.secret_key, base_url=server.url) as kling:
        yield kling


def bodies(server: FakeKlingServer, method: str, path: str) -> list[Any]:
    return [request.json for request in calls(server.fake, method, path)]


# -- AI multi-shot --------------------------------------------------------------------------------


async def test_ai_multi_shot_sends_the_frontal_image_and_gets_three_sets_of_three_views(
    client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    done = await client.ai_multi_shot.create_and_wait(element_frontal_image=FRONT)
    (sent,) = bodies(server, "POST", "/v1/general/ai-multi-shot")
    assert sent["element_frontal_image"] == FRONT
    assert [image.index for image in done.images] == [0, 1, 2]
    assert all(image.url is None for image in done.images)
    assert [len(image.urls) for image in done.images] == [3, 3, 3]
    assert done.result_urls() == [url for image in done.images for url in image.urls]
    # The family's own get and list read it back.
    assert (await client.ai_multi_shot.get(done.task_id)).images == done.images
    listed = [task.task_id async for task in client.ai_multi_shot.list()]
    assert listed == [done.task_id]


async def test_ai_multi_shot_download_saves_every_view_of_every_set(
    client: AsyncKlingClient, tmp_path: Path
) -> None:
    done = await client.ai_multi_shot.create_and_wait(element_frontal_image=FRONT)
    paths = await done.download(tmp_path)
    assert [path.name for path in paths] == [f"{done.task_id}-{n}.png" for n in range(9)]
    assert all(is_png(path.read_bytes()) for path in paths)


async def test_ai_multi_shot_without_a_frontal_image_is_refused_before_sending(
    client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    with pytest.raises(InvalidParameterError, match="element_frontal_image"):
        await client.ai_multi_shot.create()  # type: ignore[call-arg]
    assert server.fake.requests == []


# -- billing details ------------------------------------------------------------------------------

START_MS = 1_700_000_000_000
FAR_END_MS = 4_000_000_000_000


async def test_unit_deductions_list_each_paid_task_with_the_window_and_filters_sent(
    client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    server.fake.resource_packs = packs()
    # 8 units an image (Kling Image 3.0), 0.5 units a second at 1080p (Kling 2.5 Turbo):
    # https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-image.md
    first = await client.images.create_and_wait(prompt="a fox", model_name="kling-v3")
    second = await client.text_to_video.create_and_wait(
        prompt="a corgi", model_name="kling-v2-5-turbo", mode="pro", duration="5"
    )
    rows = [
        row
        async for row in client.account.unit_deductions(
            START_MS, FAR_END_MS, product_type=["video", "image"], api_key_name="default"
        )
    ]
    assert [row.task_id for row in rows] == [first.task_id, second.task_id]
    assert [row.unit_before_deduction for row in rows] == [100.0, 100.0]
    assert [row.deduction_amount for row in rows] == [8.0, 2.5]
    assert [row.unit_after_deduction for row in rows] == [92.0, 97.5]
    assert [row.product_type for row in rows] == ["image", "video"]
    assert rows[1].resolution == "1080p"
    assert [row.package_id for row in rows] == [IMAGE_PACK, VIDEO_PACK]
    assert rows[0].deduction_time is not None
    (sent,) = bodies(server, "POST", "/account/billing/package")
    assert sent == {
        "start_time": START_MS,
        "end_time": FAR_END_MS,
        "limit": 500,
        "filters": [
            {"key": "api_key_name", "values": ["default"]},
            {"key": "product_type", "values": ["video", "image"]},
        ],
    }


async def test_unit_deductions_follow_the_cursor_page_by_page_up_to_the_limit(
    client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    server.fake.resource_packs = packs()
    made = [
        (await client.images.create_and_wait(prompt=f"fox {n}", model_name="kling-v3")).task_id
        for n in range(3)
    ]
    pages = client.account.unit_deductions(START_MS, FAR_END_MS, page_size=1)
    assert [row.task_id async for row in pages] == made
    sent = bodies(server, "POST", "/account/billing/package")
    assert len(sent) == 3
    assert "cursor" not in sent[0]
    assert sent[1]["cursor"]
    assert sent[2]["cursor"] != sent[1]["cursor"]
    # The filters go again with the cursor, as the changelog asks.
    assert all(body["start_time"] == START_MS for body in sent)
    limited = client.account.unit_deductions(START_MS, FAR_END_MS, page_size=1, limit=2)
    assert [row.task_id async for row in limited] == made[:2]


async def test_an_account_without_packs_pays_from_its_balance(
    client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    packs = server.fake.resource_packs
    server.fake.resource_packs = []
    try:
        done = await client.images.create_and_wait(prompt="a fox")
        rows = [row async for row in client.account.balance_deductions(START_MS, FAR_END_MS)]
        units = [row async for row in client.account.unit_deductions(START_MS, FAR_END_MS)]
    finally:
        server.fake.resource_packs = packs
    assert [row.task_id for row in rows] == [done.task_id]
    assert rows[0].cash_type == "balance"
    assert rows[0].currency == "USD"
    assert rows[0].balance_before_deduction == 1000.0
    assert units == []


async def test_a_window_outside_the_tasks_lists_nothing(client: AsyncKlingClient) -> None:
    await client.images.create_and_wait(prompt="a fox")
    rows = client.account.unit_deductions(START_MS, START_MS + 1000)
    assert [row async for row in rows] == []


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"package_name": "Trial", "package_id": "p1"}, "package_id"),
        ({"product_type": "audio"}, "product_type"),
        ({"page_size": 501}, "page_size"),
        ({"limit": -1}, "limit"),
        ({"end_time": START_MS}, "start_time"),
    ],
)
async def test_bad_billing_filters_are_refused_before_sending(
    client: AsyncKlingClient, server: FakeKlingServer, options: dict[str, Any], field: str
) -> None:
    window = {"start_time": START_MS, "end_time": FAR_END_MS}
    rest = {key: value for key, value in options.items() if key not in window}
    window.update({key: value for key, value in options.items() if key in window})
    with pytest.raises(InvalidParameterError) as caught:
        client.account.unit_deductions(**window, **rest)
    assert caught.value.field == field
    assert server.fake.requests == []


async def test_a_cursor_kling_repeats_stops_the_listing_with_an_error_naming_it(
    api: respx.MockRouter, clock: FakeClock
) -> None:
    page = {
        "code": 0,
        "message": "SUCCEED",
        "data": {
            "result": {"detail": [{"task_id": "t1", "deduction_amount": 5.0}], "count": 1},
            "next_cursor": "again",
            "has_more": True,
        },
    }
    route = api.post("/account/billing/balance").respond(json=page)
    seen = []

    async def read_all() -> None:
        async with AsyncKlingClient(ACCESS_KEY, SECRET_KEY) as kling:
            async for row in kling.account.balance_deductions(START_MS, FAR_END_MS):
                seen.append(row.task_id)

    with pytest.raises(KlingError, match="'again'"):
        await read_all()
    assert seen == ["t1", "t1"]
    assert route.call_count == 2
    assert json.loads(route.calls[1].request.content)["cursor"] == "again"


# -- the older element library --------------------------------------------------------------------


async def test_a_custom_element_is_created_at_once_listed_and_deleted(
    client: AsyncKlingClient, server: FakeKlingServer
) -> None:
    element = await client.custom_elements.create(
        element_name="Mochi",
        element_description="a white cat",
        element_frontal_image=FRONT,
        element_refer_list=[{"image_url": SIDE}],
        tag_list=[{"tag_id": "o_103"}],
    )
    (sent,) = bodies(server, "POST", "/v1/general/custom-elements")
    assert sent == {
        "element_name": "Mochi",
        "element_description": "a white cat",
        "element_frontal_image": FRONT,
        "element_refer_list": [{"image_url": SIDE}],
        "tag_list": [{"tag_id": "o_103"}],
    }
    assert element.element_id
    assert element.element_name == "Mochi"
    assert [tag.name for tag in element.tag_list] == ["Animal"]
    assert [item.image_url for item in element.element_refer_list] == [SIDE]
    listed = [item async for item in client.custom_elements.list()]
    assert [item.element_id for item in listed] == [element.element_id]
    # Usable by id where a video takes elements, like an element of the newer library.
    await client.omni_video.create(
        prompt="<<<element_1>>> sleeps",
        element_list=[{"element_id": element.element_id}],
        aspect_ratio="16:9",
    )
    found = await client.custom_elements.get(element.element_id)
    assert (found.element_id, found.element_name) == (element.element_id, "Mochi")
    await client.custom_elements.delete(element.element_id)
    with pytest.raises(NotFoundError, match=f"no element '{element.element_id}' in your older"):
        await client.custom_elements.get(element.element_id)
    assert bodies(server, "POST", "/v1/general/delete-elements") == [
        {"element_id": element.element_id}
    ]
    assert [item async for item in client.custom_elements.list()] == []


async def test_custom_element_presets_are_kling_s(client: AsyncKlingClient) -> None:
    presets = [item async for item in client.custom_elements.presets(page_size=1)]
    assert [item.element_name for item in presets] == ["Corgi", "Robot"]
    assert {item.owned_by for item in presets} == {"kling"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"element_refer_list": []}, "element_refer_list"),
        ({"element_name": "x" * 21}, "element_name"),
        ({"element_description": None}, "element_description"),
    ],
)
async def test_a_custom_element_breaking_the_page_s_rules_is_refused_before_sending(
    client: AsyncKlingClient, server: FakeKlingServer, params: dict[str, Any], field: str
) -> None:
    good: dict[str, Any] = {
        "element_name": "Mochi",
        "element_description": "a white cat",
        "element_frontal_image": FRONT,
        "element_refer_list": [{"image_url": SIDE}],
    }
    sent = {key: value for key, value in {**good, **params}.items() if value is not None}
    with pytest.raises(InvalidParameterError) as caught:
        await client.custom_elements.create(**sent)
    assert (caught.value.field or "").startswith(field)
    assert server.fake.requests == []


async def test_deleting_an_unknown_custom_element_is_kling_s_error(
    client: AsyncKlingClient,
) -> None:
    with pytest.raises(KlingError, match="not found"):
        await client.custom_elements.delete("123")
    with pytest.raises(InvalidParameterError):
        await client.custom_elements.delete(" ")
