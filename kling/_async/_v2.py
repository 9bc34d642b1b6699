"""The new standard (API 2.0): a product resource per ``POST /<product>/{model}``, and ``tasks``.

Creates go through the same request pipeline, idempotency and batching as legacy creates, with
the client's API key; every new-standard task is read through ``/tasks`` (20 ids a request), so
waiting, ``wait_all`` and ``create_many`` cost what they cost for legacy families. ``tasks``
also waits for legacy tasks, each through its own family, so that code holding tasks of both
standards never branches on which one made them.
"""

from __future__ import annotations

import builtins
import functools
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, cast
from urllib.parse import quote

from kling import _compat_async as _compat

from .._errors import APIConnectionError, InvalidParameterError, KlingError, NotFoundError
from .._families import Product
from .._params._common import unix_ms
from .._polling import (
    DEFAULT_POLL_INTERVAL,
    DEFAULT_UNREACHABLE_TIMEOUT,
    DEFAULT_WAIT_TIMEOUT,
    Schedule,
)
from .._retry import is_retryable
from . import _batch, _waiting
from ._pagination import AsyncCursorPaginator
from ._poller import AsyncPoller
from ._prepare import prepare_v2
from ._resources import new_external_id, submit

if TYPE_CHECKING:
    from collections.abc import Callable

    from ._client import AsyncKlingClient
    from ._task import AnyAsyncTask, AsyncTask, AsyncV2Task
    from ._waiting import ProgressCallback

__all__ = ["AsyncProductResource", "AsyncV2Tasks"]

#: Kling answers at most 20 ids per ``GET /tasks``.
MAX_IDS = 20
#: ``POST /tasks`` pages hold at most 500 tasks.
MAX_PAGE_SIZE = 500
_GET_CONCURRENCY = 4
_STATUSES = ("submitted", "processing", "succeeded", "failed")
_PRODUCT_TYPES = ("video", "image", "try_on")


class AsyncProductResource:
    """Creates of one new-standard product; the model is an argument of each call."""

    product: ClassVar[Product]

    def __init__(self, client: AsyncKlingClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.product.path}/{{model}}>"

    async def _create(
        self,
        params: Mapping[str, Any],
        extra_body: Mapping[str, Any] | None,
        *,
        retry_rate_limits: bool = True,
    ) -> AsyncV2Task:
        # ``params`` carries the model, so that a batch item can name its own.
        params = dict(params)
        model = params.pop("model", None)
        auth = self._client._v2_auth()
        body = await prepare_v2(self.product, cast("str", model), params, extra_body)
        options = body.setdefault("options", {})
        # Our own id makes a create idempotent, as on the legacy API (see submit).
        external_id = str(options.setdefault("external_task_id", new_external_id()))
        tasks = self._client.v2.tasks
        return await submit(
            self._client,
            f"{self.product.path}/{quote(cast('str', model), safe='')}",
            body,
            external_id,
            parse=self._client._v2_task,
            retry_rate_limits=retry_rate_limits,
            find=lambda: tasks._find(external_id),
            fetch=functools.partial(tasks.get, external_task_id=external_id),
            auth=auth,
        )

    async def _create_and_wait(
        self,
        params: Mapping[str, Any],
        extra_body: Mapping[str, Any] | None,
        *,
        timeout: float | None,
        poll_interval: float,
        max_poll_interval: float | None,
        unreachable_timeout: float | None,
        on_progress: ProgressCallback | None,
    ) -> AsyncV2Task:
        # Check the wait options before a task is paid for.
        Schedule.of(timeout, poll_interval, max_poll_interval, unreachable_timeout)
        task = await self._create(params, extra_body)
        done = await _waiting.wait(
            self._client.v2.tasks,
            task,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            unreachable_timeout=unreachable_timeout,
            on_progress=on_progress,
        )
        return cast("AsyncV2Task", done)

    async def _create_many(
        self,
        model: str,
        items: Iterable[Mapping[str, Any]],
        *,
        concurrency: int,
        extra_body: Mapping[str, Any] | None,
        on_progress: Callable[[int, int], Any] | None,
        throttle_timeout: float,
    ) -> builtins.list[AsyncV2Task | KlingError]:
        results = await _batch.create_many(
            self,
            [{"model": model, **item} for item in items],
            concurrency=concurrency,
            extra_body=extra_body,
            on_progress=on_progress,
            throttle_timeout=throttle_timeout,
        )
        return cast("builtins.list[AsyncV2Task | KlingError]", results)


class AsyncV2Tasks:
    """Tasks of the new standard (``/tasks``), and waits over tasks of both standards.

    ``get`` and ``get_many`` also find tasks made through legacy endpoints (Kling returns them
    in the new shape).
    """

    def __init__(self, client: AsyncKlingClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return "<AsyncV2Tasks /tasks>"

    async def get(
        self, task_id: str | None = None, *, external_task_id: str | None = None
    ) -> AsyncV2Task:
        """One task by Kling's id or by the ``external_task_id`` you gave it.

        Kling answers an unknown id with an empty list; the SDK raises ``NotFoundError``.
        """
        if (task_id is None) == (external_task_id is None):
            raise InvalidParameterError(
                "pass exactly one of task_id or external_task_id", field="task_id"
            )
        by_external = task_id is None
        ident = _id(external_task_id if by_external else task_id, by_external)
        found = await self._query(
            [ident], by_external=by_external, retries=True, auth=self._client._v2_auth()
        )
        if not found:
            name = "external_task_id" if by_external else "task_id"
            raise NotFoundError(f"Kling knows no task with {name} {ident!r}", code=404)
        return found[0]

    async def get_many(
        self,
        task_ids: Iterable[str] = (),
        *,
        external_task_ids: Iterable[str] = (),
    ) -> builtins.list[AsyncV2Task]:
        """Many tasks, 20 ids a request; in the order asked, leaving out ids Kling does not know.

        Give ``task_ids`` or ``external_task_ids`` (not both).
        """
        ids = [_id(value, False) for value in task_ids]
        external_ids = [_id(value, True) for value in external_task_ids]
        if ids and external_ids:
            raise InvalidParameterError(
                "pass task_ids or external_task_ids, not both", field="external_task_ids"
            )
        by_external = bool(external_ids)
        wanted = external_ids or ids
        if not wanted:
            return []
        auth = self._client._v2_auth()
        chunks = [wanted[i : i + MAX_IDS] for i in range(0, len(wanted), MAX_IDS)]
        found: dict[str, AsyncV2Task] = {}
        queue = iter(chunks)

        async def worker() -> None:
            for chunk in queue:
                for task in await self._query(chunk, by_external, retries=True, auth=auth):
                    key = task.external_id if by_external else task.id
                    found[key or task.id] = task

        await _compat.run_workers(worker, min(_GET_CONCURRENCY, len(chunks)))
        return [found[ident] for ident in dict.fromkeys(wanted) if ident in found]

    def list(
        self,
        *,
        status: str | Sequence[str] | None = None,
        product_type: str | Sequence[str] | None = None,
        start_time: datetime | int | None = None,
        end_time: datetime | int | None = None,
        page_size: int = 100,
        limit: int | None = None,
    ) -> AsyncCursorPaginator[AsyncV2Task]:
        """Iterate tasks of both standards, newest first (``POST /tasks``, cursor pages).

        Filter by ``status`` (``submitted``, ``processing``, ``succeeded``, ``failed``),
        ``product_type`` (``video``, ``image``, ``try_on``) and a time window (datetimes or
        Unix milliseconds; Kling's default is the last 30 days). ``limit`` stops after that
        many tasks.
        """
        body: dict[str, Any] = {}
        filters = [
            _filter("status", status, _STATUSES),
            _filter("product_type", product_type, _PRODUCT_TYPES),
        ]
        if any(filters):
            body["filters"] = [f for f in filters if f]
        for name, value in (("start_time", start_time), ("end_time", end_time)):
            if value is not None:
                body[name] = unix_ms(value, name)
        if isinstance(page_size, bool) or not isinstance(page_size, int):
            raise InvalidParameterError(
                f"page_size must be an int from 1 to {MAX_PAGE_SIZE}", field="page_size"
            )
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise InvalidParameterError(
                f"page_size must be an int from 1 to {MAX_PAGE_SIZE}, got {page_size}",
                field="page_size",
            )
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or limit < 0
        ):
            raise InvalidParameterError(
                f"limit must be an int >= 0 or None, got {limit!r}", field="limit"
            )
        body["limit"] = page_size
        auth = self._client._v2_auth()

        async def fetch(cursor: str | None) -> tuple[Sequence[AsyncV2Task], str | None, bool]:
            # With a cursor Kling ignores the window; the filters are sent again, as it asks.
            page_body = {**body, "cursor": cursor} if cursor else body
            return await self._client._request(
                "POST", "/tasks", body=page_body, parse=self._page, auth=auth
            )

        return AsyncCursorPaginator(fetch, limit=limit)

    # -- waiting (either standard) -------------------------------------------------------------

    async def wait(
        self,
        task: AnyAsyncTask | str,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        unreachable_timeout: float | None = DEFAULT_UNREACHABLE_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> AnyAsyncTask:
        """Poll until the task finishes; return it when it succeeded.

        Takes a task of either standard (a legacy one is polled through its own family) or a
        new-standard task id. Raises ``TaskFailedError`` or ``WaitTimeoutError`` as legacy
        waits do.
        """
        family = _legacy_family(task)
        if family is not None:
            done = await getattr(self._client, family).wait(
                task,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                unreachable_timeout=unreachable_timeout,
                on_progress=on_progress,
            )
            return cast("AsyncTask", done)
        return await _waiting.wait(
            self,
            task,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            unreachable_timeout=unreachable_timeout,
            on_progress=on_progress,
        )

    async def wait_all(
        self,
        tasks: Sequence[AnyAsyncTask | str],
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        unreachable_timeout: float | None = DEFAULT_UNREACHABLE_TIMEOUT,
    ) -> builtins.list[AnyAsyncTask | KlingError]:
        """Wait for tasks of either standard at once; in input order each finished task or its
        error (``TaskFailedError``, ``WaitTimeoutError``), as ``wait_all`` of a family does.

        New-standard tasks are polled together through ``/tasks``; legacy tasks together
        through their families' lists, all at the same time.
        """
        Schedule.of(timeout, poll_interval, max_poll_interval, unreachable_timeout)
        groups: dict[str | None, builtins.list[int]] = {}
        for index, task in enumerate(tasks):
            groups.setdefault(_legacy_family(task), []).append(index)
        results: builtins.list[AnyAsyncTask | KlingError | None] = [None] * len(tasks)
        jobs = iter(groups.items())

        async def worker() -> None:
            for family, indexes in jobs:
                group = [tasks[i] for i in indexes]
                # A legacy group waits through its family, the new standard's through /tasks.
                waits: Any = getattr(self._client, family) if family else None
                done: Sequence[AnyAsyncTask | KlingError] = await (
                    waits.wait_all(
                        group,
                        timeout=timeout,
                        poll_interval=poll_interval,
                        max_poll_interval=max_poll_interval,
                        unreachable_timeout=unreachable_timeout,
                    )
                    if waits is not None
                    else _waiting.wait_all(
                        self,
                        group,
                        timeout=timeout,
                        poll_interval=poll_interval,
                        max_poll_interval=max_poll_interval,
                        unreachable_timeout=unreachable_timeout,
                    )
                )
                for index, result in zip(indexes, done, strict=True):
                    results[index] = result

        await _compat.run_workers(worker, max(1, len(groups)))
        return cast("builtins.list[AnyAsyncTask | KlingError]", results)

    def as_completed(
        self,
        tasks: Sequence[AsyncV2Task | str],
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        unreachable_timeout: float | None = DEFAULT_UNREACHABLE_TIMEOUT,
    ) -> AsyncIterator[AsyncV2Task]:
        """Yield new-standard tasks as they finish (check ``task.is_failed``), polled together.

        Raises ``WaitTimeoutError`` (``.pending`` lists the rest) at the deadline. For legacy
        tasks use their family's ``as_completed``, or ``wait_all`` for a mix.
        """
        for task in tasks:
            if _legacy_family(task) is not None:
                raise InvalidParameterError(
                    "as_completed() of client.v2.tasks takes new-standard tasks; use the legacy "
                    "family's as_completed(), or wait_all() for tasks of both standards",
                    field="tasks",
                )
        return cast(
            "AsyncIterator[AsyncV2Task]",
            _waiting.as_completed(
                self,
                tasks,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                unreachable_timeout=unreachable_timeout,
            ),
        )

    # -- what the shared waiting code needs --------------------------------------------------

    def _poller(self) -> AsyncPoller:
        """The client's poller of new-standard tasks (copies with the same API key share it)."""
        auth = self._client._v2_auth()
        pollers = self._client._shared.pollers
        key = ("v2 tasks", auth)
        poller = pollers.get(key)
        if poller is None:
            poller = pollers.setdefault(
                key, AsyncPoller(self._fetch_states, "new-standard", self._client._config.host)
            )
        return cast("AsyncPoller", poller)

    async def _fetch_states(
        self, tasks: builtins.list[AnyAsyncTask]
    ) -> dict[str, AnyAsyncTask | KlingError]:
        """Fresh states, 20 ids a request; one attempt each (a failed poll is made again in
        the next round)."""
        return cast(
            "dict[str, AnyAsyncTask | KlingError]",
            await self._get_each([task.task_id for task in tasks]),
        )

    async def _get_each(self, task_ids: builtins.list[str]) -> dict[str, AsyncV2Task | KlingError]:
        """Tasks by id, 20 a request, a few requests at a time; an id whose request failed
        transiently is left out, one that failed for good gets the error."""
        auth = self._client._v2_auth()
        found: dict[str, AsyncV2Task | KlingError] = {}
        unreachable: builtins.list[APIConnectionError] = []
        chunks = [task_ids[i : i + MAX_IDS] for i in range(0, len(task_ids), MAX_IDS)]
        queue = iter(chunks)

        async def worker() -> None:
            for chunk in queue:
                try:
                    tasks = await self._query(chunk, False, retries=False, auth=auth)
                except KlingError as exc:
                    if isinstance(exc, APIConnectionError):
                        unreachable.append(exc)
                    elif not is_retryable(exc, idempotent=True):
                        found.update(dict.fromkeys(chunk, exc))
                    continue
                found.update((task.id, task) for task in tasks)

        if chunks:
            await _compat.run_workers(worker, min(_GET_CONCURRENCY, len(chunks)))
        if chunks and len(unreachable) == len(chunks):
            raise unreachable[-1]  # no request reached Kling: the server is gone
        return found

    async def _find(self, external_id: str) -> AsyncV2Task | None:
        """The task with our ``external_task_id``, or None: one request, counted by the
        create that asks as one of its attempts."""
        found = await self._query([external_id], True, retries=False, auth=self._client._v2_auth())
        return found[0] if found else None

    async def _query(
        self, ids: builtins.list[str], by_external: bool, *, retries: bool, auth: Any
    ) -> builtins.list[AsyncV2Task]:
        # Kling takes a comma-separated list (sent percent-encoded, which it decodes).
        params = {"external_task_ids" if by_external else "task_ids": ",".join(ids)}
        if retries:
            return await self._client._request(
                "GET", "/tasks", params=params, parse=self._client._v2_task_list, auth=auth
            )
        return await self._client._send(
            "GET", "/tasks", params, None, self._client._v2_task_list, auth
        )

    def _page(self, data: Any) -> tuple[builtins.list[AsyncV2Task], str | None, bool]:
        # An empty page comes without "result" and "next_cursor".
        if not isinstance(data, dict):
            raise TypeError(f"expected a page object, got {type(data).__name__}")
        tasks = self._client._v2_task_list(data.get("result"))
        cursor = data.get("next_cursor")
        return (
            tasks,
            cursor if isinstance(cursor, str) and cursor else None,
            bool(data.get("has_more")),
        )


def _legacy_family(task: object) -> str | None:
    """The family a legacy task came from, or None for a new-standard task or id."""
    from ._task import AsyncTask

    if isinstance(task, AsyncTask):
        if task._family is None:
            raise InvalidParameterError(
                f"legacy task {task.task_id} does not say which family it belongs to; wait "
                "for it with client.<family>.wait()",
                field="tasks",
            )
        return task._family
    return None


def _id(value: object, external: bool) -> str:
    if not isinstance(value, str) or not value.strip() or "," in value:
        name = "external_task_id" if external else "task_id"
        raise InvalidParameterError(
            f"{name} must be a non-empty string without commas, got {value!r}", field=name
        )
    return value


def _filter(
    key: str, value: str | Sequence[str] | None, known: tuple[str, ...]
) -> dict[str, Any] | None:
    if value is None:
        return None
    values = [value] if isinstance(value, str) else list(value)
    for item in values:
        if item not in known:
            raise InvalidParameterError(
                f"{key} must be one of {', '.join(map(repr, known))}, got {item!r}", field=key
            )
    return {"key": key, "values": values}
