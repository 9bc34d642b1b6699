"""What Kling charged, held against the quote: one WARNING per model and feature when the price
table is stale, and the batch manifest's quoted and charged units.

FakeKling charges by its own copy of the pricing pages; a test that needs Kling to charge
something else changes one row of that copy, as a price change at Kling would.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

import kling._charges
import kling.testing._prices as fake_prices
from kling import AsyncKlingClient
from kling.testing import FakeKlingServer
from tests._fake_helpers import serve

from .conftest import FakeClock

STALE = "the price table may be stale"


@pytest.fixture(scope="module")
def shared_server() -> Iterator[FakeKlingServer]:
    with serve() as running:
        yield running


@pytest.fixture
def server(shared_server: FakeKlingServer) -> Iterator[FakeKlingServer]:
    shared_server.fake.reset()
    yield shared_server
    shared_server.fake.reset()


@pytest.fixture
async def client(server: FakeKlingServer, clock: FakeClock) -> AsyncIterator[AsyncKlingClient]:
    async with AsyncKlingClient(
        server.access_key, server.secret_key, api_key=server.api_key, base_url=server.url
    ) as kling:
        yield kling


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a new process would: nothing warned yet."""
    monkeypatch.setattr(kling._charges, "_warned", set())


@pytest.fixture
def kling_raised_prices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Kling 3.0 goes up: silent 0.8 units a second at 720p (the page: 0.6), with native
    audio 1.0 (the page: 0.9)."""
    rates = dict(fake_prices.RATES)
    for feature, units in (
        ("No Native Audio", "0.8"),
        ("With Native Audio x No Voice Control", "1.0"),
    ):
        rate = rates[("Kling 3.0", feature)]
        rates[("Kling 3.0", feature)] = rate._replace(units={"720p": Decimal(units)})
    monkeypatch.setattr(fake_prices, "RATES", rates)


def stale_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.levelno == logging.WARNING and STALE in record.getMessage()
    ]


@pytest.mark.usefixtures("kling_raised_prices")
async def test_a_charge_unlike_the_quote_warns_once_per_model_and_feature(
    client: AsyncKlingClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kling"):
        for prompt in ("a fox", "a corgi", "a cat"):  # 5 s at 720p: 4 units, the table says 3
            await client.text_to_video.create_and_wait(
                prompt=prompt, model_name="kling-v3", mode="std", duration="5"
            )
        done = await client.text_to_video.create_and_wait(
            prompt="a song", model_name="kling-v3", mode="std", duration="5", sound="on"
        )
    assert done.final_unit_deduction == "5"
    first, second = stale_warnings(caplog)
    assert first.startswith("Kling charged 4 units where the table says 3 (Kling 3.0, No Native")
    assert second.startswith("Kling charged 5 units where the table says 4.5 (Kling 3.0, With")


async def test_a_charge_as_quoted_says_nothing(
    client: AsyncKlingClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kling"):
        done = await client.text_to_video.create_and_wait(
            prompt="a fox", model_name="kling-v3", mode="pro", duration="10"
        )
        standard = await client.v2.text_to_video.create_and_wait(
            model="kling-3.0", prompt="a fox", duration=5
        )
    assert done.final_unit_deduction == "8"  # 0.8 units a second at 1080p, the page's price
    assert standard.units_charged is not None
    assert standard.units_charged > 0
    assert stale_warnings(caplog) == []


@pytest.mark.usefixtures("kling_raised_prices")
async def test_a_task_only_read_by_id_has_no_quote_to_compare(
    client: AsyncKlingClient, server: FakeKlingServer, caplog: pytest.LogCaptureFixture
) -> None:
    created = await client.text_to_video.create(prompt="a fox", model_name="kling-v3")
    with caplog.at_level(logging.WARNING, logger="kling"):
        done = await client.text_to_video.wait(created.task_id)
    assert done.final_unit_deduction == "4"
    assert stale_warnings(caplog) == []


async def test_the_manifest_records_quoted_and_charged_units_and_the_report_totals_them(
    client: AsyncKlingClient, tmp_path: Path
) -> None:
    jobs = [
        # 0.3 units a second at 720p for 5 s, and 4 units an image for 2 images (the pages).
        {"family": "text_to_video", "prompt": "a fox", "model_name": "kling-v2-5-turbo"},
        {"family": "images", "prompt": "a fox", "model_name": "kling-v2-1", "n": 2},
        {"family": "text_to_video", "prompt": "a corgi"},  # kling-v1: unpriced
    ]
    report = await client.batch.run(jobs, output_dir=tmp_path)
    lines = [json.loads(line) for line in (tmp_path / "manifest.jsonl").read_text().splitlines()]
    by_line = {line["line"]: line for line in lines}
    assert [(by_line[n]["units_quoted"], by_line[n]["units_charged"]) for n in (1, 2, 3)] == [
        (1.5, 1.5),
        (8.0, 8.0),
        (None, 0.0),
    ]
    assert (report.units_quoted, report.units_charged, report.unpriced) == (9.5, 9.5, 1)
    assert report.summary()["units_quoted"] == 9.5
    again = client.batch.read_manifest(tmp_path)
    assert sorted(r.units_quoted or 0 for r in again) == [0, 1.5, 8.0]
