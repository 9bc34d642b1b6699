"""Many creates at once: a paced fan-out that never loses a task it created.

The concurrency limit halves when Kling answers 1302/1303 (the account's task slots are full, or
requests come too fast) and grows back by one with each success, so a batch slows down and keeps
going instead of failing, until no create has got through for ``throttle_timeout`` seconds.
Whatever happens, every task that was created is in what the caller gets back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, cast

from typing_extensions import TypedDict

from kling import _compat_async as _compat

from .._errors import BatchError, InvalidParameterError, KlingError, RateLimitError
from .._ids import random_external_id
from .._logging import logger
from .._retry import MAX_RETRY_AFTER, jittered

if TYPE_CHECKING:
    from .._call_options import Headers, Query
    from ._task import AnyAsyncTask

    class Creates(Protocol):
        """What a batch needs of a resource: one create, the rate-limit retries left to it."""

        def _create(
            self,
            params: Mapping[str, Any],
            extra_body: Mapping[str, Any] | None,
            *,
            retry_rate_limits: bool,
        ) -> _compat.Awaitable[AnyAsyncTask]: ...


__all__ = [
    "AdaptiveLimit",
    "CreateManyOptions",
    "check_concurrency",
    "check_throttle_timeout",
    "create_many",
    "create_paced",
    "with_external_ids",
]

# Task slots free up as tasks finish; probing every few seconds at worst finds them quickly
# without hammering the API.
_THROTTLE_BASE = 0.5
_THROTTLE_CAP = 8.0


class CreateManyOptions(TypedDict, total=False):
    """How ``create_many`` paces its creates."""

    concurrency: int
    """Creates in flight at once (default 16); halved while Kling throttles."""
    extra_body: Mapping[str, Any] | None
    """Fields added to every item's body as they are."""
    on_progress: Callable[[int, int], Any] | None
    """Called as ``on_progress(done, total)`` as each item settles; if it raises, no new item
    starts and ``BatchError.results`` keeps every task created."""
    throttle_timeout: float
    """Give up on the rest after this many seconds without a create getting through (default
    900)."""
    extra_headers: Headers | None
    """Headers added to every create (and, in ``create_as_completed``, every poll)."""
    extra_query: Query | None
    """Query parameters added likewise."""


class AdaptiveLimit:
    """A concurrency limit that halves on throttling and grows by one per success.

    ``streak`` counts throttled answers since the last success, across the whole batch, so the
    backoff grows while the account stays full and resets as soon as a create gets in.
    """

    def __init__(self, limit: int, throttle_timeout: float) -> None:
        self.ceiling = limit
        self.limit = limit
        self.active = 0
        self.streak = 0
        self.throttle_timeout = throttle_timeout
        self.last_progress = _compat.monotonic()
        #: Set when the batch gave up: the error every remaining item gets.
        self.gave_up: RateLimitError | None = None
        self._condition = _compat.Condition()

    async def acquire(self) -> None:
        async with self._condition:
            while self.active >= self.limit:
                await self._condition.wait()
            self.active += 1

    async def release(self, *, throttled: bool) -> None:
        async with self._condition:
            self.active -= 1
            if throttled:
                self.limit = max(1, self.limit // 2)
                self.streak += 1
            else:
                self.streak = 0
                self.limit = min(self.ceiling, self.limit + 1)
                self.last_progress = _compat.monotonic()
            self._condition.notify_all()

    def out_of_patience(self) -> bool:
        return _compat.monotonic() - self.last_progress >= self.throttle_timeout


class _Stop:
    """Set once the batch must not start another item (a callback raised, Ctrl-C, a bug)."""

    def __init__(self) -> None:
        self.stopped = False


async def create_many(
    resource: Creates,
    items: Iterable[Mapping[str, Any]],
    *,
    concurrency: int,
    extra_body: Mapping[str, Any] | None,
    on_progress: Callable[[int, int], Any] | None,
    throttle_timeout: float,
) -> list[AnyAsyncTask | KlingError]:
    """Create one task per item; results in input order, errors captured per item."""
    check_concurrency(concurrency)
    check_throttle_timeout(throttle_timeout)
    params = with_external_ids(items, extra_body)
    total = len(params)
    results: list[AnyAsyncTask | Exception | None] = [None] * total
    started: list[bool] = [False] * total
    limit = AdaptiveLimit(concurrency, float(throttle_timeout))
    stop = _Stop()
    failures: list[BaseException] = []
    indexes = iter(range(total))
    settled = iter(range(1, total + 1))

    async def worker() -> None:
        # next() on a shared range iterator is atomic, so threads and tasks never share an item.
        for index in indexes:
            if stop.stopped:
                return
            started[index] = True
            try:
                results[index] = await create_paced(resource, params[index], extra_body, limit)
            except Exception as exc:  # not a KlingError: never let it hide the other results
                results[index] = exc
                failures.append(exc)
                stop.stopped = True
                return
            if on_progress is not None:
                try:
                    await _compat.call(on_progress, next(settled), total)
                except Exception as exc:  # the caller's callback: stop handing out new work
                    failures.append(exc)
                    stop.stopped = True
                    return

    try:
        await _compat.run_workers(worker, min(concurrency, total))
    except BaseException:
        stop.stopped = True
        _log_interrupted(params, results, started)
        raise
    if failures:
        done = sum(1 for r in results if r is not None)
        raise BatchError(
            f"create_many stopped after {done} of {total} items because of "
            f"{type(failures[0]).__name__}: {failures[0]}; .results has every task created",
            results,
        ) from failures[0]
    # Every worker ran to the end: each item holds its task or its KlingError.
    return cast("list[AnyAsyncTask | KlingError]", results)


def check_concurrency(concurrency: object) -> None:
    """Refuse a ``concurrency`` that is not an int >= 1, naming it."""
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise InvalidParameterError(
            f"concurrency must be an int >= 1, got {concurrency!r}", field="concurrency"
        )


def check_throttle_timeout(throttle_timeout: object) -> None:
    """Refuse a ``throttle_timeout`` that is not a positive number of seconds, naming it."""
    if isinstance(throttle_timeout, bool) or not (
        isinstance(throttle_timeout, (int, float)) and throttle_timeout > 0
    ):
        raise InvalidParameterError(
            f"throttle_timeout must be a positive number of seconds, got {throttle_timeout!r}",
            field="throttle_timeout",
        )


def with_external_ids(
    items: Iterable[Mapping[str, Any]], extra_body: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """The items with an ``external_task_id`` each, refusing duplicates before any is sent.

    The batch knows every id up front, so an interrupted batch can say which tasks may exist.
    """
    params: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    shared = (extra_body or {}).get("external_task_id")
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise InvalidParameterError(
                f"create_many() items must be dicts of create parameters; item {index} is "
                f"{type(item).__name__}",
                field="items",
            )
        external_id = item.get("external_task_id") or shared or random_external_id()
        if external_id in seen:
            raise InvalidParameterError(
                f"items {seen[external_id]} and {index} share external_task_id "
                f"{external_id!r}; each task needs its own (nothing was sent)",
                field="external_task_id",
            )
        seen[external_id] = index
        params.append({**item, "external_task_id": external_id})
    return params


def _log_interrupted(params: list[dict[str, Any]], results: list[Any], started: list[bool]) -> None:
    in_flight = [
        params[i]["external_task_id"]
        for i, (result, was_started) in enumerate(zip(results, started, strict=True))
        if was_started and result is None
    ]
    if in_flight:
        logger.warning(
            "create_many was interrupted with %d create(s) in flight; they may exist: look "
            "them up by external_task_id: %s",
            len(in_flight),
            ", ".join(in_flight),
        )


async def create_paced(
    resource: Creates,
    params: Mapping[str, Any],
    extra_body: Mapping[str, Any] | None,
    limit: AdaptiveLimit,
) -> AnyAsyncTask | KlingError:
    """One create through ``limit``: throttled answers wait and try again, until the limit
    runs out of patience; the task, or the error that ended it."""
    while True:
        if limit.gave_up is not None:
            return _not_submitted(limit.gave_up, params)
        await limit.acquire()
        try:
            task = await resource._create(params, extra_body, retry_rate_limits=False)
        except RateLimitError as exc:
            await limit.release(throttled=True)
            if limit.out_of_patience():
                limit.gave_up = limit.gave_up or exc
                return exc
            delay = _throttle_delay(exc, limit.streak)
            logger.info(
                "Kling is throttling (code %s); %d creates in flight allowed, retrying in %.1fs",
                exc.api_code,
                limit.limit,
                delay,
            )
            await _compat.sleep(delay)
            continue
        except KlingError as exc:
            await limit.release(throttled=False)
            return exc
        await limit.release(throttled=False)
        return task


def _throttle_delay(exc: RateLimitError, streak: int) -> float:
    if exc.retry_after is not None:
        return jittered(min(exc.retry_after, MAX_RETRY_AFTER))
    return jittered(min(_THROTTLE_CAP, _THROTTLE_BASE * 2 ** min(max(streak - 1, 0), 10)))


def _not_submitted(cause: RateLimitError, params: Mapping[str, Any]) -> RateLimitError:
    error = RateLimitError(
        f"not submitted: Kling kept throttling this batch ({cause.message}) and no create got "
        "through for the whole throttle_timeout",
        code=cause.code,
        api_code=cause.api_code,
        request_id=cause.request_id,
    )
    error.external_task_id = params["external_task_id"]
    return error
