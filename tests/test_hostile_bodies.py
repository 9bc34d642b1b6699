"""Whatever a hostile or broken server answers, both clients return or raise a ``KlingError``.

Never a ``RecursionError``, ``OverflowError``, pydantic ``ValidationError``, ``TypeError`` or
``KeyError``: arbitrary bytes, JSON of any shape (with numbers Python's ``json`` would never
write), envelopes with anything in them and nesting far past the recursion limit all end in an
SDK error a caller can catch.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import anyio
import httpx
import pytest
import respx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kling import (
    AsyncKlingClient,
    AuthenticationError,
    KlingClient,
    KlingError,
    ServerError,
    _compat_async,
    _compat_sync,
)
from tests._helpers import ok, sent_json, task

BASE_URL = "https://api-singapore.klingai.com"
T2V = "/v1/videos/text2video"
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STATUSES = [200, 201, 204, 301, 400, 404, 429, 500, 502]
DEPTH = 100_000
DEEP_ARRAY = "[" * DEPTH + "]" * DEPTH
DEEP_DATA = '{"code":0,"data":' + "[" * 50_000 + "]" * 50_000 + "}"
DEEP_BODIES = [
    DEEP_ARRAY,
    DEEP_DATA,
    "[" * DEPTH,
    '{"code":0,"data":{"task_id":"t1","task_info":' + '{"a":' * 50_000 + "1" + "}" * 50_002,
    '{"code":0,"data":' + '{"task_result":' * 50_000 + "null" + "}" * 50_001,
]


# -- the calls, for either client ------------------------------------------------------------------

DAY = datetime(2026, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Call:
    name: str
    sync: Callable[[KlingClient], Any]
    async_: Callable[[AsyncKlingClient], Awaitable[Any]]


async def _list_async(client: AsyncKlingClient) -> list[Any]:
    # limit: a hostile server answering full pages forever would otherwise be asked 1000 times.
    return [t async for t in client.text_to_video.list(page_size=5, limit=50)]


CALLS = [
    Call("get", lambda c: c.text_to_video.get("t1"), lambda c: c.text_to_video.get("t1")),
    Call(
        "create",
        lambda c: c.text_to_video.create(prompt="x"),
        lambda c: c.text_to_video.create(prompt="x"),
    ),
    Call("list", lambda c: list(c.text_to_video.list(page_size=5, limit=50)), _list_async),
    Call(
        "costs",
        lambda c: c.account.costs(start_time=DAY, end_time=DAY + timedelta(days=1)),
        lambda c: c.account.costs(start_time=DAY, end_time=DAY + timedelta(days=1)),
    ),
    Call(
        "tts",
        lambda c: c.tts.create(text="hi", voice_id="v", voice_language="en"),
        lambda c: c.tts.create(text="hi", voice_id="v", voice_language="en"),
    ),
]
GET, CREATE = CALLS[0], CALLS[1]


@dataclass
class Runner:
    """Runs a ``Call`` on a sync client, or on an async one through ``anyio.run``."""

    kind: str
    client: Any

    def __call__(self, call: Call) -> Any:
        if self.kind == "sync":
            return call.sync(self.client)

        async def run() -> Any:
            return await call.async_(self.client)

        return anyio.run(run)


async def _no_sleep(seconds: float) -> None:
    pass


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_compat_sync, "sleep", lambda seconds: None)
    monkeypatch.setattr(_compat_async, "sleep", _no_sleep)


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest, no_sleep: None) -> Iterator[Runner]:
    """One client for the whole test (hypothesis examples included), closed at the end."""
    if request.param == "sync":
        sync_client = KlingClient("ak-x", "sk-y", max_retries=1)
        yield Runner("sync", sync_client)
        sync_client.close()
    else:
        async_client = AsyncKlingClient("ak-x", "sk-y", max_retries=1)
        yield Runner("async", async_client)
        anyio.run(async_client.close)


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


# -- hostile answers -------------------------------------------------------------------------------


class Raw(str):
    """JSON text spliced in verbatim: ``1e999``, 5000-digit integers, ``NaN`` and the like."""


def dump(value: Any) -> str:
    """JSON text for ``value``, with ``Raw`` leaves copied as they are."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{dump(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dump(item) for item in value) + "]"
    return json.dumps(value)  # NaN and infinities come out as NaN / Infinity


RAW_NUMBERS = [
    "1e999",
    "-1e999",
    "1E400",
    "NaN",
    "Infinity",
    "-Infinity",
    "-0",
    "0.0",
    "0e0",
    "1" + "0" * 5000,  # past Python's int-from-text limit
    "9" * 4300,
]
FIELD_NAMES = [
    "audios", "code", "created_at", "data", "duration", "duration_mp3", "duration_wav",
    "effective_time", "elements", "end_time", "external_task_id", "final_unit_deduction",
    "id", "images", "index", "invalid_time", "message", "msg", "purchase_time",
    "remaining_quantity", "request_id", "resource_pack_id", "resource_pack_name",
    "resource_pack_subscribe_infos", "resource_pack_type", "start_time", "status", "task_id",
    "task_info", "task_result", "task_status", "task_status_msg", "total_quantity",
    "updated_at", "url", "url_mp3", "url_wav", "videos", "voice_id", "voices",
    "watermark_info", "watermark_url",
]  # fmt: skip
TASK_FIELDS = [
    "task_status", "task_status_msg", "task_info", "task_result", "created_at", "updated_at",
    "watermark_info", "final_unit_deduction",
]  # fmt: skip
KEYS = st.sampled_from(FIELD_NAMES) | st.text(max_size=6)


# Huge values are built by named functions from small draws: hypothesis prints its strategies,
# and a strategy holding a 4000-digit number or a 200 kB body would print as one.
def raw_number(index: int) -> Raw:
    return Raw(RAW_NUMBERS[index])


def huge(exponent: int, offset: int, negative: bool) -> int:
    """Up to ``10**4000``: below the 4300 digits Python's ``json`` will write or read."""
    return (-1 if negative else 1) * (10**exponent + offset)


def deep_body(index: int) -> bytes:
    return DEEP_BODIES[index].encode()


LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.builds(huge, st.integers(18, 4000) | st.just(4000), st.integers(), st.booleans())
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(range(len(RAW_NUMBERS))).map(raw_number)
)
JSON = st.recursive(
    LEAVES,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=6),
    max_leaves=20,
)
CODES = st.just(0) | st.sampled_from([1000, 1102, 1103, 1201, 1301, 1302, 1303, 5000, -1]) | JSON


def shaped(fields: list[str], values: st.SearchStrategy[Any] = LEAVES) -> st.SearchStrategy[Any]:
    """Objects with some of a model's fields, each holding anything: the parsers' real test."""
    return st.fixed_dictionaries({}, optional=dict.fromkeys(fields, values | JSON))


MEDIA = shaped(["id", "url", "watermark_url", "duration", "index", "url_mp3", "url_wav"])
RESULTS = shaped(["videos", "images", "audios"], st.lists(MEDIA, max_size=2))
TASKS = st.fixed_dictionaries(
    {"task_id": st.text(max_size=5) | LEAVES},
    optional={
        **dict.fromkeys(TASK_FIELDS, LEAVES | JSON),
        "task_info": shaped(["external_task_id"]),
        "task_result": RESULTS,
    },
)
PACKS = shaped(
    [
        "resource_pack_name", "resource_pack_id", "resource_pack_type", "total_quantity",
        "remaining_quantity", "purchase_time", "effective_time", "invalid_time", "status",
    ]
)  # fmt: skip
COSTS = st.fixed_dictionaries(
    {},
    optional={
        "code": CODES,
        "msg": LEAVES,
        "resource_pack_subscribe_infos": st.lists(PACKS, max_size=3) | JSON,
    },
)
DATA = JSON | TASKS | st.lists(TASKS, max_size=6) | COSTS
ENVELOPES = st.fixed_dictionaries(
    {}, optional={"code": CODES, "message": JSON, "request_id": JSON, "data": DATA}
)
SUCCESSES = st.fixed_dictionaries(
    {"code": st.just(0), "data": DATA}, optional={"message": JSON, "request_id": JSON}
)
BODIES = (
    st.binary(max_size=200)
    | JSON.map(dump).map(str.encode)
    | ENVELOPES.map(dump).map(str.encode)
    | SUCCESSES.map(dump).map(str.encode)
    | st.sampled_from(range(len(DEEP_BODIES))).map(deep_body)
)
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30)
WAITS = HEADER_TEXT | st.sampled_from(
    [
        "1e999",
        "nan",
        "inf",
        "-5",
        "0",
        "99999999999999999999",
        "Wed, 21 Oct 2015 07:28:00 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Mon, 01 Jan 0001 00:00:00 GMT",
    ]
)
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "Retry-After": WAITS,
        "retry-after-ms": WAITS,
        "Location": st.sampled_from(["https://evil.example/x", f"{T2V}/t1", "http://[::1"]),
        "Content-Type": st.sampled_from(["application/json", "text/html"]),
        "X-Request-Id": HEADER_TEXT,
    },
)


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(self.status, content=self.body, headers=self.headers)


ANSWERS = st.builds(Answer, st.just(200) | st.sampled_from(STATUSES), BODIES, HEADERS)


@dataclass
class Server:
    """Serves whatever ``answer`` currently holds to every request to the API."""

    answer: Answer = field(default_factory=lambda: Answer(200, b""))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        return self.answer(request)


@pytest.fixture
def server(api: respx.MockRouter) -> Server:
    hostile = Server()
    api.route().mock(side_effect=hostile)
    return hostile


def returns_or_raises_a_kling_error(run: Runner, call: Call) -> None:
    with contextlib.suppress(KlingError):
        run(call)


# -- the property ----------------------------------------------------------------------------------


@pytest.mark.parametrize("call", CALLS, ids=lambda call: call.name)
@SETTINGS
@given(answer=ANSWERS)
def test_any_answer_ends_in_a_result_or_a_kling_error(
    run: Runner, server: Server, call: Call, answer: Answer
) -> None:
    server.answer = answer
    returns_or_raises_a_kling_error(run, call)


# -- the cases the issue names ---------------------------------------------------------------------


def envelope(body: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(status, content=dump(body).encode())


def test_a_200_envelope_without_a_code_is_a_server_error(
    run: Runner, api: respx.MockRouter
) -> None:
    api.get(f"{T2V}/t1").mock(
        return_value=envelope({"message": "SUCCEED", "request_id": "r1", "data": task("t1")})
    )
    with pytest.raises(ServerError, match="malformed response"):
        run(GET)


def test_a_200_envelope_whose_code_is_the_string_zero_is_a_server_error(
    run: Runner, api: respx.MockRouter
) -> None:
    api.get(f"{T2V}/t1").mock(return_value=envelope({"code": "0", "data": task("t1")}))
    with pytest.raises(ServerError, match="code is '0'"):
        run(GET)


def test_a_success_envelope_without_data_on_a_get_is_a_malformed_response(
    run: Runner, api: respx.MockRouter
) -> None:
    api.get(f"{T2V}/t1").mock(return_value=envelope({"code": 0, "message": "SUCCEED"}))
    with pytest.raises(ServerError, match=f"malformed response to GET {T2V}/t1"):
        run(GET)


def test_a_create_answered_with_null_data_looks_itself_up_by_its_external_id(
    run: Runner, api: respx.MockRouter
) -> None:
    create = api.post(T2V).mock(return_value=envelope({"code": 0, "data": None}))
    lookup = api.get(url__regex=rf"{T2V}/[^/]+$").mock(
        return_value=httpx.Response(404, json={"code": 1203, "message": "task not found"})
    )
    with pytest.raises(ServerError, match="malformed response to POST") as info:
        run(CREATE)
    sent_id = sent_json(create.calls[0].request)["external_task_id"]
    assert lookup.called
    assert {call.request.url.path for call in lookup.calls} == {f"{T2V}/{sent_id}"}
    assert info.value.external_task_id == sent_id


def test_a_create_answered_with_null_data_returns_the_task_its_lookup_finds(
    run: Runner, api: respx.MockRouter
) -> None:
    create = api.post(T2V).mock(return_value=envelope({"code": 0, "data": None}))

    def found(request: httpx.Request) -> httpx.Response:
        external_id = request.url.path.rpartition("/")[2]
        return ok(task("t-found", external_task_id=external_id))

    api.get(url__regex=rf"{T2V}/[^/]+$").mock(side_effect=found)
    created = run(CREATE)
    assert created.task_id == "t-found"
    assert created.external_task_id == sent_json(create.calls[0].request)["external_task_id"]
    assert create.call_count == 1


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_DATA], ids=["array", "data"])
def test_nesting_100000_deep_is_a_server_error(
    run: Runner, api: respx.MockRouter, body: str
) -> None:
    api.get(f"{T2V}/t1").mock(return_value=httpx.Response(200, content=body.encode()))
    with pytest.raises(ServerError):
        run(GET)


def test_a_created_at_of_10_to_the_30_is_a_server_error(run: Runner, api: respx.MockRouter) -> None:
    api.get(f"{T2V}/t1").mock(
        return_value=envelope({"code": 0, "data": {"task_id": "t1", "created_at": 10**30}})
    )
    with pytest.raises(ServerError, match=re.escape(f"malformed response to GET {T2V}/t1")):
        run(GET)


@pytest.mark.parametrize("body", [DEEP_ARRAY, '{"code":' + "[" * DEPTH + "]" * DEPTH + "}"])
def test_a_401_nested_100000_deep_is_an_authentication_error(
    run: Runner, api: respx.MockRouter, body: str
) -> None:
    # The auth flow reads a 401's code itself (to re-mint an expired JWT): the same safe parser.
    route = api.get(f"{T2V}/t1").mock(return_value=httpx.Response(401, content=body.encode()))
    with pytest.raises(AuthenticationError, match="Authentication failed"):
        run(GET)
    assert route.call_count == 1
