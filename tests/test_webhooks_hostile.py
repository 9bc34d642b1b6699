"""Hostile callbacks: whatever a stranger POSTs, the webhooks module answers with an SDK error.

``verify`` refuses what it cannot verify with ``WebhookVerificationError``; ``parse`` (and
``unwrap``, once a body verified) refuses what is not a task with ``InvalidParameterError``.
Never an ``OverflowError``, ``RecursionError``, ``UnicodeEncodeError`` or ``AttributeError``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kling import webhooks
from kling._errors import InvalidParameterError, KlingError
from kling._models import TaskBase
from kling._models_v2 import V2TaskBase
from kling.webhooks import MAX_BODY_SIZE, MAX_DEPTH, WebhookVerificationError
from tests.test_webhooks import MSG_ID, OTHER_SECRET, SECRET, SECRET_B64, TIMESTAMP

# A float clock, as time.time() returns: float arithmetic is what overflowed on huge timestamps.
NOW = TIMESTAMP + 5.0
TASK = b'{"task_id":"1"}'
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def signed(body: bytes, *, timestamp: str = str(TIMESTAMP), msg_id: str = MSG_ID) -> dict[str, str]:
    """Headers carrying a valid v1 signature over any timestamp text, computed independently."""
    key = base64.b64decode(SECRET_B64)
    content = f"{msg_id}.{timestamp}.".encode("utf-8", "surrogatepass") + body
    digest = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": f"v1,{digest}",
    }


def padded(size: int) -> bytes:
    """A valid task body of exactly ``size`` bytes."""
    head, tail = b'{"task_id":"1","pad":"', b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


def nested(depth: int) -> bytes:
    """A task body whose deepest value sits ``depth`` levels down (the object itself is 1)."""
    return b'{"task_id":"1","x":' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"


# -- timestamps -----------------------------------------------------------------------------------

ABSURD_TIMESTAMPS = [
    "1" + "0" * 400,
    "-" + "9" * 400,
    "9" * 5000,
    "-5",
    "nan",
    "inf",
    "-inf",
    "1e999",
    "1781080794.0",
    "\u0661\u0667\u0668\u0661\u0660\u0668\u0660\u0667\u0669\u0664",  # Arabic-Indic digits
    "+1781080794",
    "1_781_080_794",
    "0" * 20 + str(TIMESTAMP),
]


@pytest.mark.parametrize("value", ABSURD_TIMESTAMPS, ids=lambda value: value[:16])
def test_absurd_timestamp_is_a_verification_error(value: str) -> None:
    # Validly signed over the absurd text, so only the timestamp check can refuse it.
    with pytest.raises(WebhookVerificationError, match="invalid webhook-timestamp header"):
        webhooks.verify(TASK, signed(TASK, timestamp=value), SECRET, now=NOW)


def test_absurd_timestamp_is_refused_before_the_signature_is_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def hashed(*args: object, **kwargs: object) -> None:
        raise AssertionError("the signature was computed")

    headers = signed(TASK, timestamp="1" + "0" * 400)
    monkeypatch.setattr(hmac, "new", hashed)
    with pytest.raises(WebhookVerificationError, match="invalid webhook-timestamp header"):
        webhooks.verify(TASK, headers, SECRET, now=NOW)


def test_absurd_timestamp_message_is_short() -> None:
    headers = signed(TASK, timestamp="1" + "0" * 400)
    with pytest.raises(WebhookVerificationError) as info:
        webhooks.verify(TASK, headers, SECRET, now=int(NOW))  # an int clock never overflowed
    assert len(str(info.value)) < 200


@pytest.mark.parametrize("now", [float("nan"), float("inf"), -float("inf"), 10**400])
def test_non_finite_now_is_a_parameter_error(now: float) -> None:
    with pytest.raises(InvalidParameterError) as info:
        webhooks.verify(TASK, signed(TASK), SECRET, now=now)
    assert info.value.field == "now"


@pytest.mark.parametrize("tolerance", ["300", None, [300]])
def test_tolerance_that_is_not_a_number_is_a_parameter_error(tolerance: Any) -> None:
    with pytest.raises(InvalidParameterError) as info:
        webhooks.verify(TASK, signed(TASK), SECRET, tolerance=tolerance, now=NOW)
    assert info.value.field == "tolerance"


def test_infinite_tolerance_still_verifies_the_signature() -> None:
    webhooks.verify(TASK, signed(TASK), SECRET, tolerance=float("inf"), now=NOW * 1000)
    with pytest.raises(WebhookVerificationError, match="no signature matched"):
        webhooks.verify(TASK + b" ", signed(TASK), SECRET, tolerance=float("inf"), now=NOW)


# -- body size ------------------------------------------------------------------------------------


def test_body_over_the_size_limit_is_a_verification_error() -> None:
    body = padded(MAX_BODY_SIZE + 1)
    with pytest.raises(WebhookVerificationError, match="over the 1,048,576-byte limit"):
        webhooks.verify(body, signed(body), SECRET, now=NOW)


def test_oversized_body_is_refused_before_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    def hashed(*args: object, **kwargs: object) -> None:
        raise AssertionError("the oversized body was hashed")

    body = padded(MAX_BODY_SIZE + 1)
    headers = signed(body)
    monkeypatch.setattr(hmac, "new", hashed)
    with pytest.raises(WebhookVerificationError, match="byte limit"):
        webhooks.verify(body, headers, SECRET, now=NOW)


def test_oversized_body_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def parsed(*args: object, **kwargs: object) -> None:
        raise AssertionError("the oversized body was parsed")

    monkeypatch.setattr(json, "loads", parsed)
    with pytest.raises(InvalidParameterError, match="byte limit") as info:
        webhooks.parse(padded(MAX_BODY_SIZE + 1))
    assert info.value.field == "body"


def test_body_of_exactly_the_size_limit_verifies() -> None:
    body = padded(MAX_BODY_SIZE)
    task = webhooks.unwrap(body, signed(body), SECRET, now=NOW)
    assert task.task_id == "1"


def test_str_body_is_measured_in_utf8_bytes() -> None:
    # Fewer characters than the limit, more bytes: the limit is on what went over the wire.
    body = '{"task_id":"1","pad":"' + "é" * (MAX_BODY_SIZE // 2) + '"}'
    assert len(body) < MAX_BODY_SIZE < len(body.encode())
    with pytest.raises(WebhookVerificationError, match="byte limit"):
        webhooks.verify(body, signed(body.encode()), SECRET, now=NOW)


@pytest.mark.parametrize("limit", [MAX_BODY_SIZE + 1, None], ids=["raised", "none"])
def test_max_body_size_raises_or_lifts_the_limit(limit: int | None) -> None:
    body = padded(MAX_BODY_SIZE + 1)
    task = webhooks.unwrap(body, signed(body), SECRET, now=NOW, max_body_size=limit)
    assert task.task_id == "1"
    assert webhooks.parse(body, max_body_size=limit).task_id == "1"


def test_max_body_size_can_be_lowered() -> None:
    with pytest.raises(WebhookVerificationError, match="over the 10-byte limit"):
        webhooks.verify(TASK, signed(TASK), SECRET, now=NOW, max_body_size=10)


@pytest.mark.parametrize("limit", [0, -1, True, 1.5, "1024"])
def test_invalid_max_body_size_is_a_parameter_error(limit: Any) -> None:
    with pytest.raises(InvalidParameterError) as info:
        webhooks.verify(TASK, signed(TASK), SECRET, now=NOW, max_body_size=limit)
    assert info.value.field == "max_body_size"
    with pytest.raises(InvalidParameterError):
        webhooks.parse(TASK, max_body_size=limit)


def test_unwrap_refuses_an_oversized_body_as_unverifiable() -> None:
    body = padded(MAX_BODY_SIZE + 1)
    with pytest.raises(WebhookVerificationError, match="byte limit"):
        webhooks.unwrap(body, signed(body), SECRET, now=NOW)


# -- nesting and numbers --------------------------------------------------------------------------


def test_deeply_nested_body_is_a_parse_error() -> None:
    with pytest.raises(InvalidParameterError, match="nested more than 64 levels") as info:
        webhooks.parse(b"[" * 100_000 + b"]" * 100_000)
    assert info.value.field == "body"


def test_deeply_nested_signed_body_fails_unwrap_as_not_a_task() -> None:
    body = nested(100_000)
    with pytest.raises(InvalidParameterError, match="nested more than 64 levels"):
        webhooks.unwrap(body, signed(body), SECRET, now=NOW)


def test_nesting_up_to_max_depth_parses() -> None:
    assert webhooks.parse(nested(MAX_DEPTH)).task_id == "1"


def test_nesting_just_over_max_depth_is_refused() -> None:
    with pytest.raises(InvalidParameterError, match="nested more than"):
        webhooks.parse(nested(MAX_DEPTH + 1))


def test_deeply_nested_mapping_is_refused() -> None:
    body: dict[str, Any] = {"task_id": "1"}
    level = body
    for _ in range(100_000):
        level["x"] = {}
        level = level["x"]
    with pytest.raises(InvalidParameterError, match="nested more than"):
        webhooks.parse(body)


def test_self_referencing_mapping_is_refused() -> None:
    body: dict[str, Any] = {"task_id": "1"}
    body["self"] = body
    with pytest.raises(InvalidParameterError, match="nested more than"):
        webhooks.parse(body)


def test_huge_integer_is_a_parse_error_whatever_the_interpreter_allows() -> None:
    if not hasattr(sys, "set_int_max_str_digits"):  # pragma: no cover - CPython < 3.10.7
        pytest.skip("no int_max_str_digits")
    previous = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # unlimited, as some applications configure it
    try:
        with pytest.raises(InvalidParameterError, match="a number of 5,000 digits"):
            webhooks.parse(b'{"task_id":' + b"9" * 5000 + b"}")
    finally:
        sys.set_int_max_str_digits(previous)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(literal: str) -> None:
    with pytest.raises(InvalidParameterError, match=f"not valid JSON.*{literal} is not"):
        webhooks.parse(f'{{"task_id": "1", "score": {literal}}}')


@pytest.mark.parametrize(
    "body",
    [
        {"task_id": "1", "created_at": 10**4000},
        {"x" * 10_000: 1},
        {"task_id": "1", "task_result": {"videos": [{"y" * 10_000: 1, "url": [1]}]}},
    ],
    ids=["huge-timestamp", "long-key", "long-nested-key"],
)
def test_parse_error_message_is_bounded(body: dict[str, Any]) -> None:
    with pytest.raises(InvalidParameterError) as info:
        webhooks.parse(body)
    assert len(str(info.value)) < 600


@pytest.mark.parametrize(
    "fields",
    [
        {"task_id": "1", "created_at": 10**30},
        {"task_id": "1", "created_at": -(10**30)},
        {"task_id": "1", "updated_at": 1e308},
        {"task_id": [["1"]]},
        {"task_id": {"id": "1"}},
        {"task_id": "1", "task_info": []},
        {"task_id": "1", "task_result": "done"},
        {"task_id": "1", "task_result": {"videos": {"url": 1}}},
        {"id": [[1]], "status": "succeeded"},
        {"id": "1", "external_id": {"a": [1]}},
    ],
)
def test_absurd_task_field_types_are_a_parse_error(fields: dict[str, Any]) -> None:
    body = json.dumps(fields).encode()
    with pytest.raises(InvalidParameterError, match="not a valid task") as info:
        webhooks.unwrap(body, signed(body), SECRET, now=NOW)
    assert info.value.field == "body"


def test_output_type_of_any_shape_is_ignored() -> None:
    outputs = [{"type": [["video"]]}, {"type": {"video": 1}}, {"type": None}, "video"]
    task = webhooks.parse({"id": "1", "status": "succeeded", "outputs": outputs})
    assert task.videos == []


# -- argument types and encodings -----------------------------------------------------------------


def test_str_body_with_lone_surrogates_is_a_verification_error() -> None:
    with pytest.raises(WebhookVerificationError, match="pass the raw request bytes"):
        webhooks.verify('{"task_id":"\ud800"}', signed(TASK), SECRET, now=NOW)


def test_parse_refuses_a_str_with_lone_surrogates() -> None:
    with pytest.raises(InvalidParameterError, match="lone surrogates"):
        webhooks.parse('{"task_id":"\ud800"}')


def test_webhook_id_with_lone_surrogates_is_a_verification_error() -> None:
    headers = signed(TASK, msg_id="\udcff")
    with pytest.raises(WebhookVerificationError, match="invalid webhook-id header"):
        webhooks.verify(TASK, headers, SECRET, now=NOW)


@pytest.mark.parametrize("body", [42, None, [1, 2], {"task_id": "1"}], ids=repr)
def test_body_of_the_wrong_type_is_a_parameter_error(body: Any) -> None:
    with pytest.raises(InvalidParameterError, match="must be bytes or str") as info:
        webhooks.verify(body, signed(TASK), SECRET, now=NOW)
    assert info.value.field == "body"


@pytest.mark.parametrize("headers", [None, "webhook-id: 1", 42], ids=repr)
def test_headers_that_are_not_a_mapping_are_a_parameter_error(headers: Any) -> None:
    with pytest.raises(InvalidParameterError) as info:
        webhooks.verify(TASK, headers, SECRET, now=NOW)
    assert info.value.field == "headers"


def test_long_signature_header_gives_a_short_message() -> None:
    headers = signed(TASK)
    headers["webhook-signature"] = " ".join(f"v{n},x" for n in range(2, 10_000))
    with pytest.raises(WebhookVerificationError, match="no v1 entry") as info:
        webhooks.verify(TASK, headers, SECRET, now=NOW)
    assert len(str(info.value)) < 300


def test_bytearray_and_memoryview_bodies_verify() -> None:
    headers = signed(TASK)
    buffers: list[Any] = [bytearray(TASK), memoryview(TASK)]  # typed bytes | str, taken too
    for body in buffers:
        assert webhooks.unwrap(body, headers, SECRET, now=NOW).task_id == "1"


# -- secrets --------------------------------------------------------------------------------------


def hostile_failures(secret: str) -> list[KlingError]:
    """One exception per hostile request above, each raised while holding ``secret``."""
    big = padded(MAX_BODY_SIZE + 1)
    deep = nested(100_000)
    requests: list[tuple[Any, Any]] = [
        (TASK, signed(TASK, timestamp="1" + "0" * 400)),
        (TASK, signed(TASK, timestamp="nan")),
        (big, signed(big)),
        (deep, signed(deep)),
        ('{"task_id":"\ud800"}', signed(TASK)),
        (TASK, signed(TASK, msg_id="\udcff")),
        (42, signed(TASK)),
        (TASK, None),
        (b'{"task_id": [[1]]}', signed(b'{"task_id": [[1]]}')),
    ]
    errors: list[KlingError] = []
    for body, headers in requests:
        with pytest.raises(KlingError) as info:
            webhooks.unwrap(body, headers, secret, now=NOW)
        errors.append(info.value)
    return errors


def assert_no_secret(error: BaseException) -> None:
    """Neither secret, in any spelling, appears in the error's message, args or repr."""
    forbidden = []
    for used in (SECRET_B64, OTHER_SECRET.removeprefix("whsec_")):
        forbidden += [used, used.rstrip("="), base64.b64decode(used).decode()]
    for text in (str(error), repr(error), *map(str, error.args)):
        for secret_text in forbidden:
            assert secret_text not in text


@pytest.mark.parametrize("secret", [SECRET, SECRET_B64])
def test_secret_never_appears_in_hostile_input_errors(secret: str) -> None:
    errors = hostile_failures(secret)
    assert len(errors) == 9
    for error in errors:
        assert_no_secret(error)


# -- properties -----------------------------------------------------------------------------------

# Any text, lone surrogates included (the default alphabet leaves them out).
any_text = st.text(st.characters() | st.characters(categories=["Cs"]), max_size=40)
ARABIC_DIGITS = str.maketrans("0123456789", "".join(map(chr, range(0x660, 0x66A))))
numbers_as_text = (
    st.integers().map(str)
    | st.floats().map(repr)
    | st.from_regex(r"[+-]?[0-9]{0,600}(\.[0-9]*)?([eE][+-]?[0-9]+)?", fullmatch=True)
    | st.sampled_from(["", " ", "nan", "inf", "1_0", "0x10", "1" + "0" * 400])
    # Spellings of the right moment that int() would take but Standard Webhooks does not.
    | st.sampled_from(
        [
            f"+{TIMESTAMP}",
            f"{TIMESTAMP:_}",
            f" {TIMESTAMP}",
            str(TIMESTAMP).translate(ARABIC_DIGITS),
        ]
    )
)
header_names = st.sampled_from(
    ["webhook-id", "webhook-timestamp", "webhook-signature", "Webhook-Signature", "x-other"]
)
header_values = any_text | numbers_as_text | st.binary(max_size=40) | st.integers()
# Usually all three signature headers (so the timestamp and signature checks run), any values.
any_headers = st.fixed_dictionaries(
    {
        "webhook-id": header_values,
        "webhook-timestamp": numbers_as_text | header_values,
        "webhook-signature": header_values | any_text.map("v1,{}".format),
    }
) | st.dictionaries(header_names | any_text, header_values, max_size=5)
clocks = (
    st.just(NOW)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.none()
)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.floats()  # NaN and infinities serialize as the non-JSON NaN / Infinity
    | any_text
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=20,
)
task_keys = st.sampled_from(
    [
        "task_id",
        "task_status",
        "task_status_msg",
        "task_info",
        "task_result",
        "created_at",
        "updated_at",
        "id",
        "status",
        "message",
        "create_time",
        "external_id",
        "outputs",
        "code",
        "data",
    ]
)
# Task-shaped objects whose fields hold anything at all, sometimes inside an envelope.
tasks = st.dictionaries(task_keys, json_values, max_size=6)
task_like = tasks | tasks.map(lambda task: {"code": 0, "message": "SUCCEED", "data": task})


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


bodies = (
    st.binary(max_size=200)
    | task_like.map(dumps)
    | json_values.map(dumps)
    | st.integers(0, 3000).map(lambda depth: b"[" * depth + b"]" * depth)
    | st.integers(1, 3000).map(nested)
    | st.integers(1, 6000).map(lambda digits: b'{"task_id":' + b"9" * digits + b"}")
    | st.text(alphabet='[]{}":,0123456789.-eE ', max_size=300).map(str.encode)
)


def assert_well_formed(error: KlingError) -> None:
    assert_no_secret(error)
    assert len(str(error)) < 1000


def returns_a_task_or_an_sdk_error(call: Any, *args: Any, **kwargs: Any) -> None:
    try:
        result = call(*args, **kwargs)
    except KlingError as error:
        assert_well_formed(error)
        return
    assert result is None or isinstance(result, (TaskBase, V2TaskBase))


@SETTINGS
@given(body=bodies | any_text, headers=any_headers, now=clocks)
def test_verify_of_any_request_raises_only_sdk_errors(body: Any, headers: Any, now: Any) -> None:
    returns_a_task_or_an_sdk_error(webhooks.verify, body, headers, SECRET, now=now)
    returns_a_task_or_an_sdk_error(webhooks.unwrap, body, headers, SECRET, now=now)


@SETTINGS
@given(timestamp=numbers_as_text | any_text, now=clocks)
def test_verify_with_any_timestamp_header_raises_only_sdk_errors(timestamp: str, now: Any) -> None:
    headers = signed(TASK, timestamp=timestamp)
    returns_a_task_or_an_sdk_error(webhooks.verify, TASK, headers, SECRET, now=now)


@SETTINGS
@given(body=bodies)
def test_unwrap_of_any_signed_body_returns_a_task_or_an_sdk_error(body: bytes) -> None:
    returns_a_task_or_an_sdk_error(webhooks.unwrap, body, signed(body), SECRET, now=NOW)


@SETTINGS
@given(body=bodies | any_text | task_like)
def test_parse_of_any_body_returns_a_task_or_an_sdk_error(body: Any) -> None:
    returns_a_task_or_an_sdk_error(webhooks.parse, body)


@SETTINGS
@given(timestamp=numbers_as_text | any_text)
def test_only_ascii_seconds_within_tolerance_verify(timestamp: str) -> None:
    headers = signed(TASK, timestamp=timestamp)
    try:
        webhooks.verify(TASK, headers, SECRET, now=NOW)
    except WebhookVerificationError:
        return
    stripped = timestamp.strip()  # surrounding whitespace is dropped like any header's
    assert stripped.isascii()
    assert stripped.isdigit()
    assert abs(NOW - int(stripped)) <= 300
