"""The legacy families' resources: tasks read through each family's own endpoints.

``GET path/{task_id or external_task_id}`` gets one task, ``GET path?pageNum=..&pageSize=..``
lists them, newest first. Creating and waiting is the shared code of ``_resources``; the typed
per-family subclasses are generated from the table (``_generated_families``).
"""

from __future__ import annotations

import builtins
import functools
import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from .._call_options import NOT_GIVEN
from .._errors import BadRequestError, InvalidParameterError, NotFoundError
from .._models import ms_to_datetime
from .._polling import oldest_created
from .._response import as_is, list_items
from .._rows import Family, Library
from ._resources import AsyncTaskResource

if TYPE_CHECKING:
    from .._call_options import Headers, Query
    from .._config import TimeoutTypes
    from .._errors import KlingError
    from ._client import AsyncKlingClient
    from ._pagination import AsyncPaginator
    from ._task import AnyAsyncTask, AsyncTask

__all__ = ["AsyncFamilyResource", "AsyncLibraryResource", "delete_item"]

_DEFAULT_PAGE_SIZE = 30
#: Polling: below this many due tasks single GETs are cheaper than a page of the list.
_LIST_THRESHOLD = 4
_POLL_PAGE_SIZE = 500


class AsyncFamilyResource(AsyncTaskResource["AsyncTask"]):
    """Create, get, list and wait for the tasks of one legacy family."""

    row: ClassVar[Family]

    def _task(self, data: Any) -> AsyncTask:
        return self._client._task(data, family=self.row.name)

    def _task_list(self, data: Any) -> builtins.list[AsyncTask]:
        return self._client._task_list(data, family=self.row.name)

    async def _find(self, external_id: str) -> AsyncTask | None:
        path = f"{self.row.path}/{quote(external_id, safe='')}"
        try:
            return await self._client._send("GET", path, None, None, self._task)
        except (NotFoundError, BadRequestError) as exc:
            if isinstance(exc, NotFoundError) or exc.api_code == 1201:
                return None
            raise

    async def get(
        self,
        task_id: str | None = None,
        *,
        external_task_id: str | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> AsyncTask:
        """Fetch a task by Kling's ``task_id`` or by the ``external_task_id`` you gave it.

        ``extra_headers``, ``extra_query`` and ``timeout`` apply to this call only.
        """
        ident = self._task_ref(task_id, external_task_id)
        return await self._with(extra_headers, extra_query, timeout)._client._request(
            "GET", f"{self.row.path}/{quote(ident, safe='')}", parse=self._task
        )

    def list(
        self,
        *,
        page_size: int = _DEFAULT_PAGE_SIZE,
        page_num: int = 1,
        limit: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> AsyncPaginator[AsyncTask]:
        """Iterate this family's tasks, newest first, fetching pages of ``page_size`` as needed.

        ``limit`` stops after that many tasks; ``page_num`` starts at a later page.
        ``extra_headers``, ``extra_query`` and ``timeout`` go with each page's request.
        """
        call = self._with(extra_headers, extra_query, timeout)
        return call._paginate(self.row.path, page_size, page_num, limit)

    def _paginate(
        self, path: str, page_size: int, page_num: int, limit: int | None
    ) -> AsyncPaginator[AsyncTask]:
        from ._pagination import paginate  # with the first listing

        async def fetch(number: int, size: int) -> Sequence[AsyncTask]:
            return await self._list_page(path, number, size)

        return paginate(fetch, self.row.max_page_size, page_size, page_num, limit, key=_task_id)

    async def _list_page(
        self, path: str, page_num: int, page_size: int
    ) -> builtins.list[AsyncTask]:
        return await self._client._request(
            "GET",
            path,
            params={"pageNum": page_num, "pageSize": page_size},
            parse=self._task_list,
        )

    # -- polling (used by the family's shared poller) ----------------------------------------------

    async def _fetch_states(
        self, wanted: dict[str, AnyAsyncTask]
    ) -> dict[str, AnyAsyncTask | KlingError]:
        """Fresh states: pages of the family's list for many tasks, then GETs for the rest.

        One attempt per request (a poll that fails is simply made again in the next round),
        each on the limiter's lane for polls; an unchanged task comes back as itself.
        """
        fresh: dict[str, AnyAsyncTask | KlingError] = {}
        if len(wanted) >= _LIST_THRESHOLD:
            page_size = min(self.row.max_page_size, _POLL_PAGE_SIZE)
            oldest = oldest_created(task.created_at for task in wanted.values())
            pages = math.ceil(len(wanted) / page_size) + 1
            read = functools.partial(self._poll_page, wanted)
            for page_num in range(1, pages + 1):
                params = {"pageSize": page_size, "pageNum": page_num}
                found, count, last = await self._client._send(
                    "GET", self.row.path, params, None, read, poll=True
                )
                fresh.update(found)
                if len(fresh) == len(wanted) or count < page_size:
                    break
                if oldest is not None and last is not None and last < oldest:
                    break  # newest first: everything further back is older than our tasks
        if len(fresh) < len(wanted):
            missing = [task_id for task_id in wanted if task_id not in fresh]
            fresh.update(await self._get_each(missing, wanted))
        return fresh

    def _poll_page(
        self, known: Mapping[str, AnyAsyncTask], data: Any
    ) -> tuple[dict[str, AnyAsyncTask], int, datetime | None]:
        """A list page as a poll reads it: the ``known`` tasks on it (see ``_polled``), how
        many items it had, and when its last (oldest) task was created."""
        items = list_items(data)
        last = items[-1].get("created_at") if items and isinstance(items[-1], dict) else None
        try:
            created = ms_to_datetime(last)
        except ValueError:
            created = None
        found = self._client._polled(items, known, v2=False, family=self.row.name)
        return found, len(items), created if isinstance(created, datetime) else None

    async def _get_some(
        self, task_ids: builtins.list[str], known: Mapping[str, AnyAsyncTask]
    ) -> dict[str, AnyAsyncTask]:
        # One id a request: the legacy API has no batch get.
        found: dict[str, AnyAsyncTask] = {}
        for task_id in task_ids:
            path = f"{self.row.path}/{quote(task_id, safe='')}"
            read = functools.partial(self._read_one, known)
            poll = task_id in known  # else the first read of a task given by its id
            found[task_id] = await self._client._send("GET", path, None, None, read, poll=poll)
        return found

    def _read_one(self, known: Mapping[str, AnyAsyncTask], data: Any) -> AnyAsyncTask:
        polled = self._client._polled([data], known, v2=False, family=self.row.name)
        return next(iter(polled.values())) if polled else self._task(data)

    def _task_ref(self, task_id: str | None, external_task_id: str | None) -> str:
        if (task_id is None) == (external_task_id is None):
            raise InvalidParameterError(
                "pass exactly one of task_id or external_task_id", field="task_id"
            )
        if external_task_id is not None and not self.row.external_id_lookup:
            raise InvalidParameterError(
                f"{self.row.name} tasks can only be looked up by task_id",
                field="external_task_id",
            )
        ident = task_id if task_id is not None else external_task_id
        if not isinstance(ident, str) or not ident.strip():
            name = "task_id" if task_id is not None else "external_task_id"
            raise InvalidParameterError(
                f"{name} must be a non-empty string, got {ident!r}", field=name
            )
        return ident


class AsyncLibraryResource(AsyncFamilyResource):
    """A family whose results you keep (elements, voices): also presets and delete."""

    @property
    def _library(self) -> Library:
        assert self.row.library is not None, f"{self.row.name} is not a library"
        return self.row.library

    def presets(
        self,
        *,
        page_size: int = _DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> AsyncPaginator[AsyncTask]:
        """Kling's ready-made items, as tasks whose ``task_result`` holds them."""
        call = self._with(extra_headers, extra_query, timeout)
        return call._paginate(self._library.presets_path, page_size, 1, limit)

    async def delete(
        self,
        item_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> None:
        """Delete one of your own items by its id (not the task id)."""
        client = self._client._for_call(extra_headers, extra_query, timeout)
        await delete_item(client, self._library, item_id)


async def delete_item(client: AsyncKlingClient, library: Library, item_id: str) -> None:
    """Delete one of your own items of ``library`` by its id."""
    if not isinstance(item_id, str) or not item_id.strip():
        raise InvalidParameterError(
            f"{library.id_field} must be a non-empty string, got {item_id!r}",
            field=library.id_field,
        )
    await client._request(
        "POST", library.delete_path, body={library.id_field: item_id}, parse=as_is
    )


def _task_id(task: AsyncTask) -> str:
    """What names a task in a listing (a task met on two pages is yielded once)."""
    return task.task_id
