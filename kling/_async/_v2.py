"""The new standard (API 2.0): a product resource per ``POST /<product>/{model}``, and ``tasks``.

Creates go through the same code as legacy creates (``_resources``), with the client's API key;
every new-standard task is read through ``/tasks`` (20 ids a request), so waiting, ``wait_all``
and ``create_many`` cost what they cost for legacy families. ``tasks`` also waits for legacy
tasks, each through its own family, so that code holding tasks of both standards never branches
on which one made them.
"""

from __future__ import annotations

import builtins
import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from kling import _compat_async as _compat

from .._call_options import NOT_GIVEN
from .._errors import InvalidParameterError, KlingError, NotFoundError
from .._params._common import unix_ms
from .._polling import oldest_created
from .._response import list_items
from .._rows import NEW_STANDARD, Product
from ._pagination import AsyncCursorPaginator, check_limit, check_page_size, filter_entry
from ._resources import AsyncTaskReader, AsyncTaskResource

if TYPE_CHECKING:
    from .._auth import KlingAuth
    from .._call_options import Headers, Query
    from .._config import TimeoutTypes
    from ._poller import AsyncPoller
    from ._task import AnyAsyncTask
    from ._task_v2 import AsyncV2Task

__all__ = ["AsyncProductResource", "AsyncV2Tasks"]

#: Kling answers at most 20 ids per ``GET /tasks``.
MAX_IDS = 20
#: ``POST /tasks`` pages hold at most 500 tasks.
MAX_PAGE_SIZE = 500
#: Polling: from this many due tasks on, pages of the listing (500 tasks each, newest first)
#: take over from ids (20 a request); below it, a page could hold mostly others' tasks.
_LIST_THRESHOLD = 5 * MAX_IDS
_STATUSES = ("submitted", "processing", "succeeded", "failed")
_PRODUCT_TYPES = ("video", "image", "try_on")


class AsyncProductResource(AsyncTaskResource["AsyncV2Task"]):
    """Creates of one new-standard product (the model is an argument of each call); its tasks
    are read and waited for through ``client.v2.tasks``."""

    row: ClassVar[Product]

    def _auth(self) -> KlingAuth:
        return self._client._v2_auth()

    def _task(self, data: Any) -> AsyncV2Task:
        return self._client._v2_task(data)

    @property
    def _tasks(self) -> AsyncV2Tasks:
        return self._client.v2.tasks

    async def get(
        self,
        task_id: str | None = None,
        *,
        external_task_id: str | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> AsyncV2Task:
        """One task by Kling's id or by the ``external_task_id`` you gave it (``/tasks``).

        ``extra_headers``, ``extra_query`` and ``timeout`` apply to this call only.
        """
        return await self._tasks.get(
            task_id,
            external_task_id=external_task_id,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
        )

    async def _find(self, external_id: str) -> AsyncV2Task | None:
        return await self._tasks._find(external_id)

    async def _get_some(
        self, task_ids: builtins.list[str], known: Mapping[str, AnyAsyncTask]
    ) -> dict[str, AnyAsyncTask]:
        return await self._tasks._get_some(task_ids, known)

    def _poller(self) -> AsyncPoller:
        return self._tasks._poller()


class AsyncV2Tasks(AsyncTaskReader["AnyAsyncTask"]):
    """Tasks of the new standard (``/tasks``), and waits over tasks of both standards.

    ``get`` and ``get_many`` also find tasks made through legacy endpoints (Kling returns them
    in the new shape). ``wait`` and ``wait_all`` take tasks of either standard (a legacy one is
    polled through its own family); ``as_completed`` takes new-standard tasks.
    """

    _ids_per_get = MAX_IDS
    _get_concurrency = 4

    def __repr__(self) -> str:
        return "<AsyncV2Tasks /tasks>"

    @property
    def source(self) -> str:
        return NEW_STANDARD

    def _auth(self) -> KlingAuth:
        return self._client._v2_auth()

    async def get(
        self,
        task_id: str | None = None,
        *,
        external_task_id: str | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> AsyncV2Task:
        """One task by Kling's id or by the ``external_task_id`` you gave it.

        Kling answers an unknown id with an empty list; the SDK raises ``NotFoundError``.
        ``extra_headers``, ``extra_query`` and ``timeout`` apply to this call only.
        """
        call = self._with(extra_headers, extra_query, timeout)
        if (task_id is None) == (external_task_id is None):
            raise InvalidParameterError(
                "pass exactly one of task_id or external_task_id", field="task_id"
            )
        by_external = task_id is None
        ident = _id(external_task_id if by_external else task_id, by_external)
        found = await call._query([ident], by_external=by_external, retries=True, auth=self._auth())
        if not found:
            name = "external_task_id" if by_external else "task_id"
            raise NotFoundError(f"Kling knows no task with {name} {ident!r}", code=404)
        return found[0]

    async def get_many(
        self,
        task_ids: Iterable[str] = (),
        *,
        external_task_ids: Iterable[str] = (),
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> builtins.list[AsyncV2Task]:
        """Many tasks, 20 ids a request; in the order asked, leaving out ids Kling does not know.

        Give ``task_ids`` or ``external_task_ids`` (not both). ``extra_headers``,
        ``extra_query`` and ``timeout`` go with each request.
        """
        call = self._with(extra_headers, extra_query, timeout)
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
        auth = self._auth()
        chunks = [wanted[i : i + MAX_IDS] for i in range(0, len(wanted), MAX_IDS)]
        found: dict[str, AsyncV2Task] = {}
        queue = iter(chunks)

        async def worker() -> None:
            for chunk in queue:
                for task in await call._query(chunk, by_external, retries=True, auth=auth):
                    key = task.external_id if by_external else task.id
                    found[key or task.id] = task

        await _compat.run_workers(worker, min(self._get_concurrency, len(chunks)))
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
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> AsyncCursorPaginator[AsyncV2Task]:
        """Iterate tasks of both standards, newest first (``POST /tasks``, cursor pages).

        Filter by ``status`` (``submitted``, ``processing``, ``succeeded``, ``failed``),
        ``product_type`` (``video``, ``image``, ``try_on``) and a time window (datetimes or
        Unix milliseconds; Kling's default is the last 30 days). ``limit`` stops after that
        many tasks. ``extra_headers``, ``extra_query`` and ``timeout`` go with each page's
        request.
        """
        call = self._with(extra_headers, extra_query, timeout)
        body: dict[str, Any] = {}
        filters = [
            filter_entry("status", status, _STATUSES),
            filter_entry("product_type", product_type, _PRODUCT_TYPES),
        ]
        if any(filters):
            body["filters"] = [f for f in filters if f]
        for name, value in (("start_time", start_time), ("end_time", end_time)):
            if value is not None:
                body[name] = unix_ms(value, name)
        check_page_size(page_size, MAX_PAGE_SIZE)
        check_limit(limit)
        body["limit"] = page_size
        auth = self._auth()

        async def fetch(cursor: str | None) -> tuple[Sequence[AsyncV2Task], str | None, bool]:
            # With a cursor Kling ignores the window; the filters are sent again, as it asks.
            page_body = {**body, "cursor": cursor} if cursor else body
            return await call._client._request(
                "POST", "/tasks", body=page_body, parse=call._page, auth=auth
            )

        return AsyncCursorPaginator(fetch, limit=limit, key=_task_id)

    # -- what the shared code needs ----------------------------------------------------------

    async def _fetch_states(
        self, known: dict[str, AnyAsyncTask]
    ) -> dict[str, AnyAsyncTask | KlingError]:
        """Fresh states: for many tasks, pages of ``POST /tasks`` since the oldest was created
        (500 a page instead of 20 ids a request); then ids for the rest.

        One attempt per request, on the limiter's lane for polls; an unchanged task comes
        back as itself.
        """
        fresh: dict[str, AnyAsyncTask | KlingError] = {}
        if len(known) >= _LIST_THRESHOLD:
            oldest = oldest_created(task.created_at for task in known.values())
            body: dict[str, Any] = {"limit": MAX_PAGE_SIZE}
            if oldest is not None:
                # A second early: Kling's times are in milliseconds, its filter perhaps not.
                body["start_time"] = unix_ms(oldest, "start_time") - 1000
            read = functools.partial(self._poll_page, known)
            cursor: str | None = None
            for _ in range(math.ceil(len(known) / MAX_PAGE_SIZE) + 1):
                page_body = {**body, "cursor": cursor} if cursor else body
                found, cursor, more = await self._client._send(
                    "POST", "/tasks", None, page_body, read, self._auth(), poll=True
                )
                fresh.update(found)
                if len(fresh) == len(known) or not (more and cursor):
                    break
        if len(fresh) < len(known):
            missing = [task_id for task_id in known if task_id not in fresh]
            fresh.update(await self._get_each(missing, known))
        return fresh

    def _poll_page(
        self, known: Mapping[str, AnyAsyncTask], data: Any
    ) -> tuple[dict[str, AnyAsyncTask], str | None, bool]:
        """A page of ``POST /tasks`` as a poll reads it: the ``known`` tasks on it (see
        ``AsyncKlingClient._polled``), the next cursor, and whether there are more."""
        items, cursor, more = _page_parts(data)
        return self._client._polled(list_items(items), known, v2=True), cursor, more

    async def _get_some(
        self, task_ids: builtins.list[str], known: Mapping[str, AnyAsyncTask]
    ) -> dict[str, AnyAsyncTask]:
        read = functools.partial(self._read_polled, known)
        poll = any(task_id in known for task_id in task_ids)
        return await self._client._send(
            "GET", "/tasks", {"task_ids": ",".join(task_ids)}, None, read, self._auth(), poll=poll
        )

    def _read_polled(self, known: Mapping[str, AnyAsyncTask], data: Any) -> dict[str, AnyAsyncTask]:
        if not known:
            return {task.id: task for task in self._client._v2_task_list(data)}
        return self._client._polled(list_items(data), known, v2=True)

    async def _find(self, external_id: str) -> AsyncV2Task | None:
        """The task with our ``external_task_id``, or None: one request, counted by the
        create that asks as one of its attempts."""
        found = await self._query([external_id], True, retries=False, auth=self._auth())
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
        items, cursor, more = _page_parts(data)
        return self._client._v2_task_list(items), cursor, more


def _page_parts(data: Any) -> tuple[Any, str | None, bool]:
    """A listing page's items, its next cursor, and whether there are more."""
    # An empty page comes without "result" and "next_cursor".
    if not isinstance(data, dict):
        raise TypeError(f"expected a page object, got {type(data).__name__}")
    cursor = data.get("next_cursor")
    more = bool(data.get("has_more"))
    return data.get("result"), cursor if isinstance(cursor, str) and cursor else None, more


def _id(value: object, external: bool) -> str:
    if not isinstance(value, str) or not value.strip() or "," in value:
        name = "external_task_id" if external else "task_id"
        raise InvalidParameterError(
            f"{name} must be a non-empty string without commas, got {value!r}", field=name
        )
    return value


def _task_id(task: AsyncV2Task) -> str:
    """What names a task in a listing (a task met on two pages is yielded once)."""
    return task.task_id
