"""Errors pickle: they cross process pools (multiprocessing, pytest-xdist) with their attributes.

Live objects cannot travel: a ``KlingAPIError``'s httpx response arrives as ``None``, and a task
arrives with its fields but without the client it was bound to.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from typing import Any

import anyio
import httpx
import pytest
from pydantic import BaseModel

import kling
from kling import (
    AccountError,
    APIConnectionError,
    APITimeoutError,
    AsyncKlingClient,
    AuthenticationError,
    BadRequestError,
    ContentPolicyError,
    DownloadError,
    InvalidCredentialsError,
    InvalidParameterError,
    KlingAPIError,
    KlingClient,
    KlingError,
    MissingCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ServerUnreachableError,
    TaskBase,
    TaskFailedError,
    TaskNotFoundError,
    WaitTimeoutError,
)
from kling._errors import BatchError, BudgetExceededError, DuplicateTaskError
from kling._prices import find_price
from kling._quote import Quote
from kling.webhooks import WebhookVerificationError
from tests._helpers import task

API_ERRORS = [
    KlingAPIError,
    AuthenticationError,
    PermissionDeniedError,
    BadRequestError,
    DuplicateTaskError,
    ContentPolicyError,
    NotFoundError,
    TaskNotFoundError,
    RateLimitError,
    AccountError,
    ServerError,
]


def plain_task(task_id: str = "t1", status: str = "failed") -> TaskBase:
    """A task as ``kling.webhooks.parse`` returns it: not bound to any client."""
    return TaskBase.model_validate(
        task(task_id, status, external_task_id="ext-1", status_msg="content moderation")
    )


def api_error(cls: type[KlingAPIError]) -> KlingAPIError:
    request = httpx.Request("GET", "https://api-singapore.klingai.com/v1/videos/text2video/t1")
    return cls(
        "already exists" if cls is DuplicateTaskError else "the server said no",
        code=429,
        api_code=1201,
        request_id="req-123",
        response=httpx.Response(429, json={"code": 1201}, request=request),
        body={"code": 1201, "message": "no", "data": [1, {"nested": None}]},
        retry_after=2.5,
    )


ERRORS: dict[str, Callable[[], KlingError]] = {
    "KlingError": lambda: KlingError("something went wrong"),
    "MissingCredentialsError": lambda: MissingCredentialsError("no credentials"),
    "InvalidCredentialsError": lambda: InvalidCredentialsError("a key has a newline"),
    "InvalidParameterError": lambda: InvalidParameterError(
        "too long", field="camera_control.config"
    ),
    **{cls.__name__: (lambda cls=cls: api_error(cls)) for cls in API_ERRORS},
    "APIConnectionError": lambda: APIConnectionError("DNS failed", sent=False),
    "APITimeoutError": lambda: APITimeoutError("timed out", sent=True),
    "DownloadError": lambda: DownloadError(
        "result URL answered HTTP 410", url="https://cdn.example/v.mp4", status_code=410
    ),
    "TaskFailedError": lambda: TaskFailedError(plain_task()),
    "ServerUnreachableError": lambda: ServerUnreachableError(
        "api-singapore.klingai.com",
        plain_task("t1", "processing"),
        31.0,
        40.0,
        APIConnectionError("connection refused", sent=False),
    ),
    "WaitTimeoutError": lambda: WaitTimeoutError(
        plain_task("t1", "processing"),
        30.0,
        pending=[plain_task("t1", "processing"), plain_task("t2", "submitted")],
    ),
    "BatchError": lambda: BatchError(
        "on_progress raised", [plain_task("t1", "submitted"), api_error(RateLimitError), None]
    ),
    "WebhookVerificationError": lambda: WebhookVerificationError("signature mismatch"),
    "BudgetExceededError": lambda: BudgetExceededError(
        "the create /v1/videos/text2video refused before sending",
        quote=Quote.of(find_price("Kling 2.6", "No Native Audio", "720p"), 5),  # type: ignore[arg-type]
        left={"video": Decimal(1)},
    ),
}


CASES = [pytest.param(make, id=name) for name, make in ERRORS.items()]


def round_trip(value: Any) -> Any:
    return pickle.loads(pickle.dumps(value))


def public_state(error: BaseException) -> dict[str, Any]:
    return {key: value for key, value in vars(error).items() if not key.startswith("_")}


def assert_same(copy: Any, original: Any) -> None:
    """Equal in everything a caller can read: type, text and every public attribute."""
    assert type(copy) is type(original)
    if isinstance(original, BaseException):
        assert str(copy) == str(original)
        assert copy.args == original.args
        expected = public_state(original)
        if "response" in expected:
            expected["response"] = None  # a live httpx response never travels
        got = public_state(copy)
        assert got.keys() == expected.keys()
        for key, value in expected.items():
            assert_same(got[key], value)
    elif isinstance(original, BaseModel):
        assert copy.model_dump() == original.model_dump()
    elif isinstance(original, list):
        assert len(copy) == len(original)
        for mine, theirs in zip(copy, original, strict=True):
            assert_same(mine, theirs)
    else:
        assert copy == original


@pytest.mark.parametrize("make", CASES)
def test_an_error_survives_pickling_with_its_type_text_and_attributes(
    make: Callable[[], KlingError],
) -> None:
    error = make()
    assert_same(round_trip(error), error)


@pytest.mark.parametrize("make", CASES)
def test_an_errors_external_task_id_survives_pickling(make: Callable[[], KlingError]) -> None:
    error = make()
    error.external_task_id = "ext-1"
    copy = round_trip(error)
    assert copy.external_task_id == "ext-1"
    assert_same(copy, error)


def test_every_public_error_type_is_covered() -> None:
    public = {
        name
        for name in kling.__all__
        if isinstance(getattr(kling, name), type) and issubclass(getattr(kling, name), KlingError)
    }
    assert public - ERRORS.keys() == set()


@pytest.mark.parametrize("cls", API_ERRORS, ids=lambda cls: cls.__name__)
def test_an_api_errors_response_arrives_as_none(cls: type[KlingAPIError]) -> None:
    copy = round_trip(api_error(cls))
    assert copy.response is None
    assert (copy.code, copy.status_code, copy.api_code) == (429, 429, 1201)
    assert copy.retry_after == 2.5
    assert copy.request_id == "req-123"


def test_an_unpickled_duplicate_task_error_is_unbound_and_says_how_to_fetch() -> None:
    error = api_error(DuplicateTaskError)
    assert isinstance(error, DuplicateTaskError)
    error._fetch = lambda: "the existing task"
    error.external_task_id = "ext-1"
    copy = round_trip(error)
    with pytest.raises(KlingError, match=r"get\(external_task_id='ext-1'\)"):
        copy.fetch()


# -- errors holding tasks bound to a live client ---------------------------------------------------


@pytest.fixture(params=["sync", "async"])
def bind(request: pytest.FixtureRequest) -> Iterator[Callable[..., TaskBase]]:
    """Makes tasks bound to a live ``KlingClient`` or ``AsyncKlingClient``."""
    if request.param == "sync":
        sync_client = KlingClient(access_key="ak-x", secret_key="sk-y")
        yield lambda *args, **kwargs: sync_client._task(task(*args, **kwargs))
        sync_client.close()
    else:
        async_client = AsyncKlingClient(access_key="ak-x", secret_key="sk-y")
        yield lambda *args, **kwargs: async_client._task(task(*args, **kwargs))
        anyio.run(async_client.close)


def test_a_task_failed_error_pickles_its_bound_task_without_the_client(
    bind: Callable[..., TaskBase],
) -> None:
    failed = bind("t1", "failed", external_task_id="ext-1", status_msg="content moderation")
    error = TaskFailedError(failed)
    copy = round_trip(error)
    assert_same(copy, error)
    assert copy.task.task_status_msg == "content moderation"
    assert copy.task._client is None


def test_a_wait_timeout_error_pickles_its_bound_tasks_without_the_client(
    bind: Callable[..., TaskBase],
) -> None:
    first, second = bind("t1", "processing"), bind("t2", "submitted")
    error = WaitTimeoutError(first, 30.0, pending=[first, second])
    copy = round_trip(error)
    assert_same(copy, error)
    assert [t._client for t in [copy.task, *copy.pending]] == [None, None, None]


def test_a_batch_error_pickles_its_created_tasks_without_the_client(
    bind: Callable[..., TaskBase],
) -> None:
    error = BatchError("on_progress raised", [bind("t1"), api_error(RateLimitError), None])
    copy = round_trip(error)
    assert_same(copy, error)
    assert copy.tasks[0]._client is None


# -- across a real process pool --------------------------------------------------------------------


def raise_rate_limit() -> None:
    raise RateLimitError(
        "too many requests", code=429, api_code=1303, request_id="req-9", retry_after=7.0
    )


def raise_task_failed() -> None:
    # As in a worker that ran create_and_wait: the failed task is bound to the worker's client.
    client = KlingClient(access_key="ak-x", secret_key="sk-y")
    try:
        raise TaskFailedError(client._task(task("t1", "failed", status_msg="content moderation")))
    finally:
        client.close()


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor]:
    # spawn: forking a process that has threads (other tests' servers) is unsafe and warns.
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as p:
        yield p


def test_a_rate_limit_error_crosses_a_process_pool(pool: ProcessPoolExecutor) -> None:
    with pytest.raises(RateLimitError) as info:
        pool.submit(raise_rate_limit).result(timeout=60)
    assert info.value.retry_after == 7.0
    assert (info.value.code, info.value.api_code) == (429, 1303)
    assert info.value.request_id == "req-9"
    assert str(info.value) == "too many requests (HTTP 429, code 1303, request_id req-9)"


def test_a_task_failed_error_crosses_a_process_pool(pool: ProcessPoolExecutor) -> None:
    with pytest.raises(TaskFailedError) as info:
        pool.submit(raise_task_failed).result(timeout=60)
    assert info.value.task.task_id == "t1"
    assert info.value.task.task_status_msg == "content moderation"
    assert str(info.value) == "Task t1 failed: content moderation"
