"""Properties over inputs the server controls: task JSON, error responses, Retry-After headers.

Whatever Kling (or a proxy in front of it) sends, parsing either succeeds or fails in the one
documented way: a task becomes a ``TaskBase`` or a ``pydantic.ValidationError``; an error response
becomes a ``KlingAPIError`` carrying the HTTP status; a ``Retry-After`` becomes ``None`` or a
finite number of seconds >= 0. Never a ``TypeError``, ``OverflowError`` or ``OSError``.
"""

from __future__ import annotations

import json
import math
import pickle
from email.utils import formatdate
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from kling import KlingAPIError, TaskBase
from kling._errors import error_from_response, parse_retry_after

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- building blocks ------------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)

# Unix milliseconds as Kling sends them, and the odd shapes seen in the wild. The range stops
# short of values whose seconds overflow the C library's time functions (tested apart below).
in_range_ms = st.integers(min_value=-(2**62), max_value=2**62)
timestamps = (
    st.none()
    | in_range_ms
    | in_range_ms.map(str)
    | st.floats(min_value=-1e17, max_value=1e17, allow_nan=False)
    | st.sampled_from(["", " ", "0", "-", "2024-08-04T10:12:37Z", "yesterday", "1.5e12"])
    | st.booleans()
    | st.lists(in_range_ms, max_size=2)
    | st.dictionaries(st.text(max_size=4), in_range_ms, max_size=2)
)
durations = (
    st.none()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers(min_value=-(2**40), max_value=2**40)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str)
    | st.sampled_from(["", "  ", "5", "5.041", "10", "abc"])
    | json_values
)
statuses = st.sampled_from(["submitted", "processing", "succeed", "succeeded", "failed"]) | (
    st.text(max_size=12) | st.none() | st.integers()
)
identifiers = st.text(max_size=20) | st.integers(min_value=0, max_value=10**20) | json_values


def media(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A result item: the known fields (each maybe absent), extra fields, or something odd."""
    known = st.fixed_dictionaries({}, optional=fields)
    extra = st.dictionaries(st.text(max_size=8), json_values, max_size=2)
    items = st.builds(lambda a, b: {**b, **a}, known, extra)
    return st.none() | items | json_scalars


urls = st.none() | st.text(max_size=30) | st.just("https://cdn.example/out.mp4")
task_results = st.none() | st.fixed_dictionaries(
    {},
    optional={
        "videos": st.none()
        | st.lists(media(id=identifiers, url=urls, duration=durations), max_size=3),
        "images": st.none() | st.lists(media(index=identifiers, url=urls), max_size=3),
        "audios": st.none()
        | st.lists(
            media(
                id=identifiers,
                url_mp3=urls,
                url_wav=urls,
                duration_mp3=durations,
                duration_wav=durations,
            ),
            max_size=3,
        ),
        "voices": st.none()
        | st.lists(media(voice_id=identifiers, owned_by=identifiers), max_size=2),
        "elements": st.none() | st.lists(media(element_id=identifiers), max_size=2),
        "surprise": json_values,
    },
)
task_infos = (
    st.none()
    | json_values
    | st.fixed_dictionaries(
        {},
        optional={
            "external_task_id": identifiers,
            "parent_video": st.none() | media(id=identifiers, url=urls, duration=durations),
        },
    )
)
tasks = st.builds(
    lambda known, extra: {**extra, **known},
    st.fixed_dictionaries(
        {"task_id": identifiers},
        optional={
            "task_status": statuses,
            "task_status_msg": st.none() | st.text(max_size=20) | st.integers(),
            "task_info": task_infos,
            "task_result": task_results,
            "watermark_info": st.none()
            | json_values
            | st.fixed_dictionaries({"enabled": json_scalars}),
            "final_unit_deduction": st.none() | durations,
            "created_at": timestamps,
            "updated_at": timestamps,
        },
    ),
    st.dictionaries(st.text(max_size=10), json_values, max_size=3).map(
        lambda extra: {k: v for k, v in extra.items() if k not in TaskBase.model_fields}
    ),
)


def parse_task(data: Any) -> TaskBase | None:
    """What the client does with a task object: JSON text -> dict -> model."""
    decoded = json.loads(json.dumps(data))
    try:
        return TaskBase.model_validate(decoded)
    except ValidationError:
        return None


# -- tasks ----------------------------------------------------------------------------------------


@SETTINGS
@given(tasks)
def test_any_task_json_parses_or_raises_a_validation_error(data: dict[str, Any]) -> None:
    task = parse_task(data)
    if task is None:
        return
    assert isinstance(task.task_id, str)
    assert isinstance(task.is_finished, bool)
    for item in (*task.videos, *task.images, *task.audios):
        assert item is not None
    for stamp in (task.created_at, task.updated_at):
        assert stamp is None or stamp.tzinfo is not None
    for video in task.videos:
        assert video.duration is None or isinstance(video.duration, float)


@SETTINGS
@given(st.dictionaries(st.text(max_size=10), json_values, max_size=4))
def test_unknown_fields_never_break_a_task_and_are_kept(extra: dict[str, Any]) -> None:
    extra = {key: value for key, value in extra.items() if key not in TaskBase.model_fields}
    task = parse_task({"task_id": "t1", **extra})
    assert task is not None
    assert task.model_extra == json.loads(json.dumps(extra))


@pytest.mark.parametrize(
    "created_at",
    [10**20, -(10**20), "99999999999999999999", 1e300],
    ids=["huge-int", "huge-negative", "huge-string", "huge-float"],
)
def test_an_out_of_range_timestamp_is_a_validation_error(created_at: Any) -> None:
    with pytest.raises(ValidationError, match="out of range"):
        TaskBase.model_validate({"task_id": "t1", "created_at": created_at})


def test_a_json_number_too_large_for_a_float_is_a_validation_error_or_parses() -> None:
    # json.loads turns 1e400 into inf; the model must cope with what the decoder hands it.
    data = json.loads('{"task_id": "t1", "task_result": {"videos": [{"duration": 1e400}]}}')
    task = TaskBase.model_validate(data)
    assert task.videos[0].duration == math.inf


# -- error responses ------------------------------------------------------------------------------

header_text = st.text(
    st.characters(min_codepoint=32, max_codepoint=126), max_size=40
) | st.sampled_from(["nan", "inf", "-inf", "1e400", "-1", "0", "2.5", " 3 ", "", "1_000"])
http_dates = st.floats(min_value=-6.2e10, max_value=2.5e11, allow_nan=False).map(
    lambda when: formatdate(when, usegmt=True)
)
retry_values = header_text | http_dates | st.floats(allow_nan=True).map(repr)
header_sets = st.fixed_dictionaries(
    {},
    optional={
        "retry-after": retry_values,
        "retry-after-ms": retry_values,
        "x-request-id": header_text,
        "content-type": st.sampled_from(["application/json", "text/html", "text/plain"]),
    },
)
envelopes = st.fixed_dictionaries(
    {},
    optional={
        "code": st.sampled_from([0, 1002, 1004, 1102, 1201, 1301, 1303, 5000, 9999]) | json_scalars,
        "message": json_values,
        "request_id": json_values,
        "data": json_values,
    },
)
bodies = (
    envelopes.map(lambda body: json.dumps(body).encode())
    | json_values.map(lambda value: json.dumps(value).encode())
    | st.binary(max_size=300)
    | st.sampled_from([b"", b"<html><body>502 Bad Gateway</body></html>", b'{"code": 1303'])
)


def response(status: int, content: bytes, headers: dict[str, str]) -> httpx.Response:
    raw = [(name.encode(), value.encode("latin-1")) for name, value in headers.items()]
    request = httpx.Request("GET", "https://api-singapore.klingai.com/v1/videos/text2video/t1")
    return httpx.Response(status, content=content, headers=raw, request=request)


@SETTINGS
@given(st.integers(min_value=100, max_value=599), bodies, header_sets, st.booleans())
def test_any_error_response_becomes_a_kling_api_error_with_the_status(
    status: int, content: bytes, headers: dict[str, str], pre_decoded: bool
) -> None:
    answer = response(status, content, headers)
    body: Any = None
    if pre_decoded:
        try:
            body = json.loads(content)
        except ValueError:
            body = None
    error = error_from_response(answer, body)
    assert isinstance(error, KlingAPIError)
    assert error.code == status
    assert error.api_code is None or (
        isinstance(error.api_code, int) and error.api_code is not True
    )
    assert isinstance(error.message, str)
    assert error.request_id is None or isinstance(error.request_id, str)
    assert error.retry_after is None or (
        math.isfinite(error.retry_after) and error.retry_after >= 0
    )
    assert str(error)
    rebuilt = pickle.loads(pickle.dumps(error))
    assert type(rebuilt) is type(error)
    assert rebuilt.code == status


@SETTINGS
@given(header_sets)
def test_parse_retry_after_is_none_or_a_finite_non_negative_number(headers: dict[str, str]) -> None:
    raw = [(name.encode(), value.encode("latin-1")) for name, value in headers.items()]
    delay = parse_retry_after(httpx.Headers(raw))
    assert delay is None or (isinstance(delay, float) and math.isfinite(delay) and delay >= 0)


@SETTINGS
@given(st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_a_plain_retry_after_in_seconds_is_taken_as_is(seconds: float) -> None:
    assert parse_retry_after(httpx.Headers({"retry-after": repr(seconds)})) == seconds
