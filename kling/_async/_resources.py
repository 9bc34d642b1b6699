"""The generic task resource: create, get, list, wait and batches for any family.

Everything a family does is driven by its row in ``kling._families``; the typed per-family
subclasses in ``_family_resources`` (generated from that table) only declare signatures.
"""

from __future__ import annotations

import builtins
import functools
import math
import os
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast
from urllib.parse import quote

from kling import _compat_async as _compat

from .._errors import (
    APIConnectionError,
    BadRequestError,
    DuplicateTaskError,
    InvalidParameterError,
    KlingError,
    NotFoundError,
)
from .._families import Family, Library
from .._logging import logger
from .._polling import (
    DEFAULT_POLL_INTERVAL,
    DEFAULT_UNREACHABLE_TIMEOUT,
    DEFAULT_WAIT_TIMEOUT,
    Schedule,
)
from .._response import as_is
from .._retry import is_retryable
from . import _batch, _waiting
from ._batch import DEFAULT_CONCURRENCY, DEFAULT_THROTTLE_TIMEOUT
from ._pagination import MAX_PAGE_NUM, AsyncPaginator
from ._poller import AsyncPoller
from ._prepare import prepare
from ._waiting import ProgressCallback

if TYPE_CHECKING:
    from .._auth import KlingAuth
    from ._client import AsyncKlingClient
    from ._task import AnyAsyncTask, AsyncTask

__all__ = ["AsyncLibraryResource", "AsyncTaskResource", "new_external_id", "submit"]

T = TypeVar("T")

_DEFAULT_PAGE_SIZE = 30
#: Polling: below this many due tasks single GETs are cheaper than a page of the list.
_LIST_THRESHOLD = 4
_POLL_PAGE_SIZE = 500
_GET_CONCURRENCY = 8


def new_external_id() -> str:
    """An ``external_task_id`` for a create whose caller gave none: unique, and ours."""
    return f"kling-{os.urandom(16).hex()}"  # 128 random bits, as a UUID4 has (less its cost)


async def submit(
    client: AsyncKlingClient,
    path: str,
    body: dict[str, Any],
    external_id: str,
    *,
    parse: Callable[[Any], T],
    retry_rate_limits: bool,
    find: Callable[[], _compat.Awaitable[T | None]] | None,
    fetch: Callable[[], Any] | None,
    auth: KlingAuth | None = None,
) -> T:
    """Send one create (either standard) carrying our ``external_id``; every way it can fail
    says that id, since it is how the task is found whatever happened.

    ``find`` looks the task up by that id after an ambiguous failure; ``fetch`` gets the task
    another caller made when the id turns out to be taken (``DuplicateTaskError.fetch``).
    """
    try:
        return await client._request(
            "POST",
            path,
            body=body,
            parse=parse,
            idempotent=False,
            retry_rate_limits=retry_rate_limits,
            recover=find,
            auth=auth,
        )
    except KlingError as exc:
        exc.external_task_id = external_id
        if isinstance(exc, DuplicateTaskError) and fetch is not None:
            exc._fetch = fetch
        raise
    except BaseException:
        # Cancelled or interrupted with the request in flight: the task may exist, and this
        # id is the only way to find it.
        logger.warning(
            "A create on %s was interrupted in flight; the task may exist: look it up "
            "with external_task_id=%r",
            path,
            external_id,
        )
        raise


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _oldest(tasks: Iterable[AnyAsyncTask]) -> datetime | None:
    times = [t.created_at for t in tasks]
    if not times or any(t is None for t in times):
        return None
    return min(t for t in times if t is not None)


class AsyncTaskResource:
    """Create, get, list and wait for the tasks of one family."""

    family: ClassVar[Family]

    def __init__(self, client: AsyncKlingClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.family.path}>"

    async def _create(
        self,
        params: Mapping[str, Any],
        extra_body: Mapping[str, Any] | None,
        *,
        retry_rate_limits: bool = True,
    ) -> AsyncTask:
        body = await prepare(self.family, params, extra_body)
        # Our own id makes a create idempotent: after a failure that may have created the task
        # anyway, Kling is asked for this id before the create is sent again.
        external_id = str(body.setdefault("external_task_id", new_external_id()))
        lookup = self.family.external_id_lookup
        return await submit(
            self._client,
            self.family.path,
            body,
            external_id,
            parse=self._task,
            retry_rate_limits=retry_rate_limits,
            # Without a lookup by our id, an ambiguous failure must surface, never resend.
            find=(lambda: self._find(external_id)) if lookup else None,
            fetch=functools.partial(self.get, external_task_id=external_id) if lookup else None,
        )

    def _task(self, data: Any) -> AsyncTask:
        return self._client._task(data, family=self.family.name)

    def _task_list(self, data: Any) -> builtins.list[AsyncTask]:
        return self._client._task_list(data, family=self.family.name)

    async def _find(self, external_id: str) -> AsyncTask | None:
        """The task with our ``external_task_id``, or None when Kling has no such task.

        One request: the retry loop of the create that asks counts it as one of its attempts.
        """
        path = f"{self.family.path}/{quote(external_id, safe='')}"
        try:
            return await self._client._send("GET", path, None, None, self._task)
        except (NotFoundError, BadRequestError) as exc:
            if isinstance(exc, NotFoundError) or exc.api_code == 1201:
                return None
            raise

    async def get(
        self, task_id: str | None = None, *, external_task_id: str | None = None
    ) -> AsyncTask:
        """Fetch a task by Kling's ``task_id`` or by the ``external_task_id`` you gave it."""
        ident = self._task_ref(task_id, external_task_id)
        return await self._client._request(
            "GET", f"{self.family.path}/{quote(ident, safe='')}", parse=self._task
        )

    def list(
        self, *, page_size: int = _DEFAULT_PAGE_SIZE, page_num: int = 1, limit: int | None = None
    ) -> AsyncPaginator[AsyncTask]:
        """Iterate this family's tasks, newest first, fetching pages of ``page_size`` as needed.

        ``limit`` stops after that many tasks; ``page_num`` starts at a later page.
        """
        return self._paginate(self.family.path, page_size, page_num, limit)

    def _paginate(
        self, path: str, page_size: int, page_num: int, limit: int | None
    ) -> AsyncPaginator[AsyncTask]:
        max_size = self.family.max_page_size
        if not _is_int(page_size) or not 1 <= page_size <= max_size:
            raise InvalidParameterError(
                f"page_size must be an int from 1 to {max_size}, got {page_size!r}",
                field="page_size",
            )
        if not _is_int(page_num) or not 1 <= page_num <= MAX_PAGE_NUM:
            raise InvalidParameterError(
                f"page_num must be an int from 1 to {MAX_PAGE_NUM}, got {page_num!r}",
                field="page_num",
            )
        if limit is not None and (not _is_int(limit) or limit < 0):
            raise InvalidParameterError(
                f"limit must be an int >= 0 or None, got {limit!r}", field="limit"
            )

        async def fetch(number: int, size: int) -> Sequence[AsyncTask]:
            return await self._list_page(path, number, size)

        return AsyncPaginator(fetch, page_size=page_size, page_num=page_num, limit=limit)

    async def _list_page(
        self, path: str, page_num: int, page_size: int
    ) -> builtins.list[AsyncTask]:
        return await self._client._request(
            "GET",
            path,
            params={"pageNum": page_num, "pageSize": page_size},
            parse=self._task_list,
        )

    async def _create_many(
        self,
        items: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        extra_body: Mapping[str, Any] | None = None,
        on_progress: Callable[[int, int], Any] | None = None,
        throttle_timeout: float = DEFAULT_THROTTLE_TIMEOUT,
    ) -> builtins.list[AsyncTask | KlingError]:
        """Create a task per item (a dict of ``create`` parameters), ``concurrency`` at a time.

        The generated ``create_many`` of each family calls this. Returns, in input order, each
        created task or the ``KlingError`` that item got: one bad item never fails the batch.
        When Kling says the account's task slots are full (1303) or requests come too fast
        (1302), the batch slows down and keeps going; once no create has got through for
        ``throttle_timeout`` seconds, the rest fail with that ``RateLimitError``.
        ``on_progress(done, total)`` is called as each item settles; if it raises, no new item
        starts and ``BatchError`` (whose ``.results`` keeps every task created) is raised once
        the items in flight have settled.
        """
        results = await _batch.create_many(
            self,
            items,
            concurrency=concurrency,
            extra_body=extra_body,
            on_progress=on_progress,
            throttle_timeout=throttle_timeout,
        )
        return cast("builtins.list[AsyncTask | KlingError]", results)

    def as_completed(
        self,
        tasks: Sequence[AsyncTask | str],
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        unreachable_timeout: float | None = DEFAULT_UNREACHABLE_TIMEOUT,
    ) -> AsyncIterator[AsyncTask]:
        """Yield tasks as they finish (check ``task.is_failed``), polling them together.

        Raises ``WaitTimeoutError`` (``.pending`` lists the rest) at the deadline.
        """
        # This family's tasks go in and come out, whatever the shared code's types say.
        return cast(
            "AsyncIterator[AsyncTask]",
            _waiting.as_completed(
                self,
                tasks,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                unreachable_timeout=unreachable_timeout,
            ),
        )

    async def wait_all(
        self,
        tasks: Sequence[AsyncTask | str],
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        unreachable_timeout: float | None = DEFAULT_UNREACHABLE_TIMEOUT,
    ) -> builtins.list[AsyncTask | KlingError]:
        """Wait for all tasks at once; in input order each finished task or its error.

        A failed task appears as ``TaskFailedError``, one unfinished at the deadline as
        ``WaitTimeoutError``; nothing is raised for them.
        """
        results = await _waiting.wait_all(
            self,
            tasks,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            unreachable_timeout=unreachable_timeout,
        )
        return cast("builtins.list[AsyncTask | KlingError]", results)

    async def wait(
        self,
        task: AsyncTask | str,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        unreachable_timeout: float | None = DEFAULT_UNREACHABLE_TIMEOUT,
        on_progress: ProgressCallback | None = None,
    ) -> AsyncTask:
        """Poll until the task finishes; return it when it succeeded.

        Raises ``TaskFailedError`` when it failed and ``WaitTimeoutError`` (holding the last
        state) when ``timeout`` seconds pass first. Concurrent waits on one client share their
        polls: a thousand of them cost about what one ``wait_all`` of a thousand costs.
        """
        done = await _waiting.wait(
            self,
            task,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            unreachable_timeout=unreachable_timeout,
            on_progress=on_progress,
        )
        return cast("AsyncTask", done)

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
    ) -> AsyncTask:
        # Check the wait options before a task is paid for.
        Schedule.of(timeout, poll_interval, max_poll_interval, unreachable_timeout)
        task = await self._create(params, extra_body)
        return await self.wait(
            task,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            unreachable_timeout=unreachable_timeout,
            on_progress=on_progress,
        )

    # -- polling (used by the family's shared poller) ----------------------------------------------

    def _poller(self) -> AsyncPoller:
        """This family's poller on this client (copies with the same credentials share it)."""
        pollers = self._client._shared.pollers
        key = (self.family.name, self._client._auth)
        poller = pollers.get(key)
        if poller is None:
            poller = pollers.setdefault(
                key,
                AsyncPoller(self._fetch_states, self.family.name, self._client._config.host),
            )
        return cast("AsyncPoller", poller)

    async def _fetch_states(
        self, tasks: builtins.list[AnyAsyncTask]
    ) -> dict[str, AnyAsyncTask | KlingError]:
        """Fresh states: pages of the family's list for many tasks, then GETs for the rest.

        One attempt per request: a poll that fails is simply made again in the next round.
        """
        wanted = {task.task_id: task for task in tasks}
        fresh: dict[str, AnyAsyncTask | KlingError] = {}
        if len(wanted) >= _LIST_THRESHOLD:
            page_size = min(self.family.max_page_size, _POLL_PAGE_SIZE)
            oldest = _oldest(wanted.values())
            pages = math.ceil(len(wanted) / page_size) + 1
            params = {"pageSize": page_size}
            for page_num in range(1, pages + 1):
                page = await self._client._send(
                    "GET",
                    self.family.path,
                    {**params, "pageNum": page_num},
                    None,
                    self._task_list,
                )
                fresh.update((t.task_id, t) for t in page if t.task_id in wanted)
                if len(fresh) == len(wanted) or len(page) < page_size:
                    break
                last = page[-1].created_at
                if oldest is not None and last is not None and last < oldest:
                    break  # newest first: everything further back is older than our tasks
        missing = [task_id for task_id in wanted if task_id not in fresh]
        if missing:
            fresh.update(await self._get_each(missing))
        return fresh

    async def _get_each(self, task_ids: builtins.list[str]) -> dict[str, AsyncTask | KlingError]:
        """One GET per id, a few at a time; an id whose GET failed transiently is left out.

        When no GET could reach Kling at all, that is raised: the server is gone.
        """
        found: dict[str, AsyncTask | KlingError] = {}
        unreachable: builtins.list[APIConnectionError] = []
        queue = iter(task_ids)

        async def worker() -> None:
            for task_id in queue:
                path = f"{self.family.path}/{quote(task_id, safe='')}"
                try:
                    found[task_id] = await self._client._send("GET", path, None, None, self._task)
                except KlingError as exc:
                    if isinstance(exc, APIConnectionError):
                        unreachable.append(exc)
                    elif not is_retryable(exc, idempotent=True):
                        found[task_id] = exc

        await _compat.run_workers(worker, min(_GET_CONCURRENCY, len(task_ids)))
        if task_ids and len(unreachable) == len(task_ids):
            raise unreachable[-1]
        return found

    def _task_ref(self, task_id: str | None, external_task_id: str | None) -> str:
        if (task_id is None) == (external_task_id is None):
            raise InvalidParameterError(
                "pass exactly one of task_id or external_task_id", field="task_id"
            )
        if external_task_id is not None and not self.family.external_id_lookup:
            raise InvalidParameterError(
                f"{self.family.name} tasks can only be looked up by task_id",
                field="external_task_id",
            )
        ident = task_id if task_id is not None else external_task_id
        if not isinstance(ident, str) or not ident.strip():
            name = "task_id" if task_id is not None else "external_task_id"
            raise InvalidParameterError(
                f"{name} must be a non-empty string, got {ident!r}", field=name
            )
        return ident


class AsyncLibraryResource(AsyncTaskResource):
    """A family whose results you keep (elements, voices): also presets and delete."""

    @property
    def _library(self) -> Library:
        assert self.family.library is not None, f"{self.family.name} is not a library"
        return self.family.library

    def presets(
        self, *, page_size: int = _DEFAULT_PAGE_SIZE, limit: int | None = None
    ) -> AsyncPaginator[AsyncTask]:
        """Kling's ready-made items, as tasks whose ``task_result`` holds them."""
        return self._paginate(self._library.presets_path, page_size, 1, limit)

    async def delete(self, item_id: str) -> None:
        """Delete one of your own items by its id (not the task id)."""
        library = self._library
        if not isinstance(item_id, str) or not item_id.strip():
            raise InvalidParameterError(
                f"{library.id_field} must be a non-empty string, got {item_id!r}",
                field=library.id_field,
            )
        await self._client._request(
            "POST", library.delete_path, body={library.id_field: item_id}, parse=as_is
        )
