"""Quotes: what a create will cost, against Kling's own pricing pages.

Every expected value below is worked out by hand from the pages' tables, copied here, not
from the SDK's table:

https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-video.md (per second)

    | Kling 3.0 Turbo | With Native Audio                      | 0.8 ($0.112) | 1.0 ($0.14)  | -   |
    | Kling 3.0       | No Native Audio                        | 0.6 ($0.084) | 0.8 ($0.112) | 3.0 |
    | Kling 3.0       | With Native Audio x No Voice Control   | 0.9 ($0.126) | 1.2 ($0.168) | 3.0 |
    | Kling 3.0       | Motion Control                         | 0.9          | 1.2          | -   |
    | Kling 3.0 Omni  | No Video Input x No Native Audio       | 0.6          | 0.8          | 3.0 |
    | Kling 3.0 Omni  | No Video Input x With Native Audio     | 0.8          | 1.0          | 3.0 |
    | Kling 3.0 Omni  | With Video Input x No Native Audio     | 0.9          | 1.2          | 3.0 |
    | Kling O1        | No Video Input                         | 0.6          | 0.8          | -   |
    | Kling O1        | With Video Input                       | 0.9          | 1.2          | -   |
    | Kling 2.6       | No Native Audio                        | 0.3          | 0.5          | -   |
    | Kling 2.6       | With Native Audio x No Voice Control   | -            | 1.0          | -   |
    | Kling 2.6       | With Native Audio x With Voice Control | -            | 1.2          | -   |
    | Kling 2.6       | Motion Control                         | 0.5          | 0.8          | -   |
    | Kling 2.5 Turbo | No Native Audio                        | 0.3          | 0.5          | -   |
    Lip Sync 0.5 /5s; Text to Audio 0.25 ($0.035) /call; Video to Audio 0.25 /call;
    Custom Voice 0.05 ($0.007) /call; TTS 0.05 /call; Image Recognition 0.1 /call.

https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-image.md (per image)

    Image 3.0 8 ($0.028); Image 3.0 Omni 8 (1K, 2K), 16 ($0.056) at 4K; Image O1 8;
    Image 2.1 text-to-image 4 ($0.014), image-to-image 8, multi-image 16;
    AI Multi-Shot 20 ($0.07) /call; Outpainting 8.

A legacy ``mode`` is a resolution: std = 720p, pro = 1080p (the billing detail pages).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from kling import InvalidParameterError, KlingClient, Price, Quote
from kling._families import ENDPOINTS, FAMILIES, PRODUCTS
from kling._prices import PRICES, USD_PER_UNIT
from kling._quote import quote_for
from kling.testing import FakeKling, FakeKlingServer

D = Decimal
VIDEO_PAGE_URL = "https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-video.md"
IMAGE_PAGE_URL = "https://github.com/aself101/kling-api/blob/main/docs/api/kling-pricing-image.md"
IMAGE = "https://example.com/a.png"
VIDEO = "https://example.com/a.mp4"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeKlingServer]:
    with FakeKling.serve() as running:
        yield running


@pytest.fixture
def client(server: FakeKlingServer) -> Iterator[KlingClient]:
    server.fake.requests.clear()
    with KlingClient(
        server.access_key, server.secret_key, api_key=server.api_key, base_url=server.url
    ) as client:
        yield client
    # Whatever a test quoted, nothing went over the wire.
    assert server.fake.requests == []


def v2(product: str, **params: Any) -> Quote:
    return quote_for(PRODUCTS[product], params)


def legacy(family: str, **params: Any) -> Quote:
    return quote_for(ENDPOINTS[family], params)


def priced(quote: Quote, units: str, package: str, usd: str) -> None:
    assert quote.priced, quote.reason
    assert (quote.units, quote.package, quote.usd) == (D(units), package, D(usd))


# -- the live observations -----------------------------------------------------------------------


def test_the_charges_seen_on_live_accounts_are_reproduced(client: KlingClient) -> None:
    # Charged on live accounts: 3.0 Turbo, 3 s at 720p without an audio key, 2.4 video units;
    # kling-v3-omni, a prompt alone at 720p for 5 s, 3 units; a first frame at 720p, 3 s, 1.8.
    turbo = client.v2.text_to_video.quote(model="kling-3.0-turbo", prompt="a fox", duration=3)
    omni = client.v2.omni_video.quote(
        model="kling-v3-omni", prompt="a fox", aspect_ratio="16:9", resolution="720p", duration=5
    )
    frame = client.v2.omni_video.quote(
        model="kling-3.0-omni", prompt="a fox", first_frame=IMAGE, resolution="720p", duration=3
    )

    priced(turbo, "2.4", "video", "0.336")  # 3 x 0.8; 2.4 x $0.14
    priced(omni, "3", "video", "0.42")  # 5 x 0.6
    priced(frame, "1.8", "video", "0.252")  # 3 x 0.6


# -- video, by feature ---------------------------------------------------------------------------


def test_a_video_without_native_audio_is_priced_per_second_at_its_resolution() -> None:
    priced(
        v2("text_to_video", model="kling-3.0", prompt="p", resolution="1080p", duration=10),
        "8",
        "video",
        "1.12",
    )  # 10 x 0.8
    priced(
        v2("text_to_video", model="kling-3.0", prompt="p", resolution="4k", duration=5),
        "15",
        "video",
        "2.1",
    )  # 5 x 3.0
    priced(
        v2("text_to_video", model="kling-2.5-turbo", prompt="p", duration=10), "3", "video", "0.42"
    )  # 10 x 0.3 at the default 720p
    priced(
        v2("image_to_video", model="kling-2.6", prompt="p", first_frame=IMAGE),
        "1.5",
        "video",
        "0.21",
    )  # 5 s (the default) x 0.3


def test_native_audio_and_voice_control_have_their_own_rows() -> None:
    priced(
        v2("text_to_video", model="kling-3.0", prompt="p", audio="native", duration=5),
        "4.5",
        "video",
        "0.63",
    )  # 5 x 0.9
    priced(
        v2(
            "text_to_video",
            model="kling-2.6",
            prompt="p",
            audio="native",
            resolution="1080p",
            duration=10,
        ),
        "10",
        "video",
        "1.4",
    )  # 10 x 1.0
    voices = [{"voice_id": "v1", "id": "voice_1"}]
    priced(
        v2(
            "image_to_video",
            model="kling-2.6",
            prompt="@voice_1 says hi",
            first_frame=IMAGE,
            voices=voices,
            audio="native",
            resolution="1080p",
            duration=5,
        ),
        "6",
        "video",
        "0.84",
    )  # 5 x 1.2
    # 3.0 Turbo always has sound: its only row is "With Native Audio".
    priced(
        v2("text_to_video", model="kling-3.0-turbo", prompt="p", resolution="1080p"),
        "5",
        "video",
        "0.7",
    )  # 5 x 1.0


def test_a_video_input_has_its_own_rows() -> None:
    priced(
        v2(
            "omni_video",
            model="kling-3.0-omni",
            prompt="like @video_1",
            feature_video=VIDEO,
            audio="off",
            duration=5,
        ),
        "4.5",
        "video",
        "0.63",
    )  # 5 x 0.9
    priced(
        v2(
            "omni_video",
            model="kling-o1",
            prompt="p",
            feature_video=VIDEO,
            resolution="1080p",
            duration=6,
        ),
        "7.2",
        "video",
        "1.008",
    )  # 6 x 1.2
    priced(
        v2("omni_video", model="kling-o1", prompt="p", aspect_ratio="1:1"), "3", "video", "0.42"
    )  # 5 x 0.6
    priced(
        v2(
            "omni_video",
            model="kling-3.0-omni",
            prompt="p",
            aspect_ratio="1:1",
            audio="native",
            resolution="1080p",
            duration=8,
        ),
        "8",
        "video",
        "1.12",
    )  # 8 x 1.0


def test_motion_control_is_billed_on_the_output_so_it_is_unpriced_with_its_rates() -> None:
    quote = v2("motion_control", model="kling-3.0", image=IMAGE, video=VIDEO)

    assert not quote.priced
    assert "as long as its motion" in (quote.reason or "")
    assert {(row.resolution, row.units) for row in quote.rows} == {
        ("720p", D("0.9")),
        ("1080p", D("1.2")),
    }
    legacy_26 = legacy(
        "motion_control",
        image_url=IMAGE,
        video_url=VIDEO,
        character_orientation="image",
        mode="std",
    )
    assert {(row.resolution, row.units) for row in legacy_26.rows} == {
        ("720p", D("0.5")),
        ("1080p", D("0.8")),
    }
    assert legacy_26.units == 0


def test_a_legacy_mode_is_a_resolution_std_720p_pro_1080p() -> None:
    priced(
        legacy("text_to_video", prompt="p", model_name="kling-v3", mode="std"), "3", "video", "0.42"
    )  # 5 x 0.6
    priced(
        legacy("text_to_video", prompt="p", model_name="kling-v3", mode="pro", duration="10"),
        "8",
        "video",
        "1.12",
    )  # 10 x 0.8
    priced(
        legacy("image_to_video", image=IMAGE, model_name="kling-v3", mode="4k", sound="on"),
        "15",
        "video",
        "2.1",
    )  # 5 x 3.0
    # The changelog's own figures: 2.5 Turbo std, 1.5 units for 5 s; 2.6 with voices, 12 for 10 s.
    priced(
        legacy("text_to_video", prompt="p", model_name="kling-v2-5-turbo"), "1.5", "video", "0.21"
    )
    priced(
        legacy(
            "text_to_video",
            prompt="p",
            model_name="kling-v2-6",
            mode="pro",
            sound="on",
            duration="10",
            voice_list=[{"voice_id": "v"}],
        ),
        "12",
        "video",
        "1.68",
    )


def test_legacy_omni_video_renders_in_pro_unless_told() -> None:
    # The omni-video page's default mode is pro: 1080p.
    priced(legacy("omni_video", prompt="p", aspect_ratio="1:1"), "4", "video", "0.56")  # 5 x 0.8
    priced(
        legacy(
            "omni_video",
            prompt="p",
            aspect_ratio="1:1",
            mode="std",
            model_name="kling-v3-omni",
            sound="on",
            duration="10",
        ),
        "8",
        "video",
        "1.12",
    )  # 10 x 0.8 (no video input, native audio)
    priced(
        legacy(
            "omni_video",
            prompt="p",
            model_name="kling-v3-omni",
            mode="std",
            video_list=[{"video_url": VIDEO, "refer_type": "feature"}],
        ),
        "4.5",
        "video",
        "0.63",
    )  # 5 x 0.9


# -- per call, and images ------------------------------------------------------------------------


def test_audio_and_recognition_are_priced_per_call() -> None:
    priced(legacy("text_to_audio", prompt="rain", duration=5), "0.25", "video", "0.035")
    priced(legacy("video_to_audio", video_url=VIDEO), "0.25", "video", "0.035")
    priced(legacy("voices", voice_name="me", voice_url=VIDEO), "0.05", "video", "0.007")
    priced(legacy("tts", text="hi", voice_id="v"), "0.05", "video", "0.007")
    priced(legacy("identify_face", video_url=VIDEO), "0.05", "video", "0.007")
    priced(legacy("image_recognize", image=IMAGE), "0.1", "video", "0.014")


def test_images_are_priced_per_image() -> None:
    priced(
        legacy("images", prompt="p", model_name="kling-v2-1", n=3), "12", "image", "0.042"
    )  # 3 x 4 (text-to-image)
    priced(
        legacy("images", prompt="p", model_name="kling-v2-1", image=IMAGE), "8", "image", "0.028"
    )  # image-to-image
    priced(
        legacy("images", prompt="p", model_name="kling-v3", resolution="2k"), "8", "image", "0.028"
    )
    priced(legacy("omni_image", prompt="p"), "8", "image", "0.028")  # kling-image-o1
    priced(
        legacy("omni_image", prompt="p", model_name="kling-v3-omni", resolution="4k", n=2),
        "32",
        "image",
        "0.112",
    )  # 2 x 16
    # A series is series_amount images (4 by default, on the omni-image page).
    priced(
        legacy("omni_image", prompt="p", model_name="kling-v3-omni", result_type="series"),
        "32",
        "image",
        "0.112",
    )
    priced(
        legacy(
            "multi_image_to_image",
            prompt="p",
            model_name="kling-v2-1",
            n=2,
            subject_image_list=[{"subject_image": IMAGE}],
        ),
        "32",
        "image",
        "0.112",
    )  # 2 x 16
    priced(legacy("image_expand", image=IMAGE, n=2), "16", "image", "0.056")
    priced(legacy("ai_multi_shot", element_frontal_image=IMAGE), "20", "image", "0.07")


# -- unpriced ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "params", "reason"),
    [
        # Text-to-video's default model is kling-v1: not on the page.
        ("text_to_video", {"prompt": "p"}, "kling-v1: Kling's pricing pages give no price"),
        ("video_extend", {"video_id": "1"}, "video-extend: Kling's pricing pages give no price"),
        ("virtual_try_on", {}, "virtual-try-on: Kling's pricing pages give no price"),
        ("video_effects", {"effect_scene": "hug"}, "video-effects: Kling's pricing pages"),
        ("multi_image_to_video", {"prompt": "p"}, "multi-image-to-video: Kling's pricing"),
        ("elements", {}, "elements: Kling's pricing pages give no price"),
        ("lip_sync", {}, "as long as its audio or text, unknown here; Kling bills it at 0.5"),
        ("avatar", {"image": IMAGE}, "as long as its audio, unknown here; Kling bills it at 0.4"),
        ("images", {"prompt": "p"}, "two defaults (kling-v3 and the V1 model); pass model_name"),
        ("multi_image_to_image", {"prompt": "p"}, "kling-v2 multi-image to image: Kling's"),
        (
            "omni_image",
            {"model_name": "kling-v3-omni", "result_type": "series", "series_amount": "auto"},
            'series_amount="auto" lets Kling choose',
        ),
        (
            "omni_video",
            {"video_list": [{"video_url": VIDEO}]},
            "editing a video (refer_type base): the result is as long as that video",
        ),
        (
            "text_to_video",
            {"model_name": "kling-v3", "sound": "on", "voice_list": [{"voice_id": "v"}]},
            "kling-v3 (Kling 3.0, with native audio x with voice control) at 720p",
        ),
    ],
)
def test_what_the_pages_do_not_price_is_unpriced_with_the_reason(
    row: str, params: dict[str, Any], reason: str
) -> None:
    quote = legacy(row, **params)

    assert not quote.priced
    assert quote.units == 0
    assert quote.usd == 0
    assert reason in (quote.reason or "")
    assert str(quote).startswith("unpriced: ")


def test_an_unknown_or_edited_new_standard_model_is_unpriced() -> None:
    assert v2("text_to_video", model="kling-9", prompt="p").reason == (
        "kling-9: Kling's pricing pages give no price for it"
    )
    edit = v2("omni_video", model="kling-3.0-omni", prompt="p", base_video=VIDEO)
    assert "editing a base_video: the result is as long as that video" in (edit.reason or "")


# -- quotes add up -------------------------------------------------------------------------------


def test_quotes_add_up_per_package() -> None:
    video = v2("text_to_video", model="kling-3.0", prompt="p", duration=5)  # 3 units
    image = legacy("images", prompt="p", model_name="kling-v2-1")  # 4 units
    unpriced = legacy("video_extend", video_id="1")

    total = sum([video, video, image, unpriced])

    assert isinstance(total, Quote)
    assert total.packages == {"video": D(6), "image": D(4)}
    assert total.usd == D("0.854")  # 6 x $0.14 + 4 x $0.0035
    assert total.creates == 4
    assert not total.priced
    assert "video-extend" in (total.reason or "")
    assert (video + video).units == D(6)
    with pytest.raises(ValueError, match="spans several packages"):
        _ = total.units
    assert str(video + image) == "3 video units + 4 image units ($0.434)"


def test_a_thousand_ten_second_1080p_videos_with_audio() -> None:
    one = v2(
        "text_to_video",
        model="kling-3.0",
        prompt="p",
        audio="native",
        resolution="1080p",
        duration=10,
    )

    batch = sum([one] * 1000)

    assert isinstance(batch, Quote)
    assert (batch.units, batch.usd) == (D(12000), D(1680))  # 1000 x 10 x 1.2; 12000 x $0.14


def test_a_quote_as_json_names_its_rows_and_their_page() -> None:
    data = v2("text_to_video", model="kling-3.0-turbo", prompt="p", duration=3).to_json()

    assert data == {
        "priced": True,
        "units": {"video": 2.4},
        "usd": 0.336,
        "creates": 1,
        "rows": [
            {
                "model": "Kling 3.0 Turbo",
                "feature": "With Native Audio",
                "resolution": "720p",
                "units": 0.8,
                "per": "second",
                "package": "video",
                "source": VIDEO_PAGE_URL,
            }
        ],
    }


# -- the table ------------------------------------------------------------------------------------


def test_every_row_says_its_page_and_its_dollars_are_its_units_at_the_unit_price() -> None:
    assert {"video": D("0.14"), "image": D("0.0035")} == USD_PER_UNIT
    for row in PRICES:
        assert isinstance(row, Price)
        url = VIDEO_PAGE_URL if row.package == "video" else IMAGE_PAGE_URL
        assert row.source.url == url
        assert row.source.date
        assert str(row.units) in row.source.quote, row
        assert row.units * USD_PER_UNIT[row.package] == row.usd, row


def test_the_table_holds_every_priced_cell_of_both_pages() -> None:
    # The video page has 40 priced cells (33 per second, 7 per call or per 5 s); the image page
    # 9 rows, of which 6 price both 1K and 2K.
    assert len([r for r in PRICES if r.package == "video"]) == 40
    assert len([r for r in PRICES if r.package == "image"]) == 15


# -- the clients ---------------------------------------------------------------------------------


def test_quote_checks_as_create_does_and_sends_nothing(client: KlingClient) -> None:
    with pytest.raises(InvalidParameterError, match=r"kling-3\.0-turbo makes videos of 3 to 15 s"):
        client.v2.text_to_video.quote(model="kling-3.0-turbo", prompt="p", duration=99)
    with pytest.raises(InvalidParameterError, match="unknown parameter 'promt'"):
        client.text_to_video.quote(promt="p")  # type: ignore[call-arg]

    quote = client.text_to_video.quote(prompt="p", model_name="kling-v3", mode="pro")

    priced(quote, "4", "video", "0.56")  # 5 x 0.8


def test_every_family_and_product_can_be_quoted(client: KlingClient) -> None:
    for family in FAMILIES.values():
        assert callable(getattr(client, family.name).quote), family.name
    for product in PRODUCTS.values():
        assert callable(getattr(client.v2, product.name).quote), product.name


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_the_async_client_quotes_too(server: FakeKlingServer) -> None:
    from kling import AsyncKlingClient

    server.fake.requests.clear()
    async with AsyncKlingClient(api_key=server.api_key, base_url=server.url) as client:
        quote = await client.v2.image_to_video.quote(
            model="kling-3.0", prompt="p", first_frame=IMAGE, duration=4
        )

    priced(quote, "2.4", "video", "0.336")  # 4 x 0.6
    assert server.fake.requests == []
