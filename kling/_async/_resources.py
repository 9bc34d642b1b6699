"""The generic task resource: create, get, list, wait and batches for any family.

Everything a family does is driven by its row in ``kling._families``; the typed per-family
subclasses in ``_family_resources`` only declare ``create`` signatures.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from kling import _compat_async as _compat

from .._errors import BadRequestError, InvalidParameterError, KlingError, NotFoundError
from .._families import Family
from .._logging import logger
from .._retry import is_ambiguous, wait_for
from . import _batch
from ._batch import DEFAULT_CONCURRENCY
from ._pagination import MAX_PAGE_NUM, AsyncPaginator
from ._task import AsyncTask
from ._waiting import (
    DEFAULT_POLL_INTERVAL,
    DEFAULT_WAIT_TIMEOUT,
    ProgressCallback,
    poll_until_finished,
)

if TYPE_CHECKING:
    from ._client import AsyncKlingClient

__all__ = ["AsyncLibraryResource", "AsyncTaskResource"]

_DEFAULT_PAGE_SIZE = 30


def _log_recovery(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    logger.warning(
        "Create may have succeeded despite %s: %s; looking it up by external_task_id before "
        "resubmitting",
        type(exc).__name__,
        exc,
    )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


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
        body = await self._client._prepare(self.family.name, params, extra_body)
        if not self.family.external_id_lookup:
            # Without a lookup by our id, an ambiguous failure must surface, never resubmit.
            data = await self._client._request(
                "POST",
                self.family.path,
                body=body,
                is_create=True,
                retry_rate_limits=retry_rate_limits,
            )
            return self._client._task(data)
        # Our own id makes a create idempotent: after a failure that may have created the
        # task anyway, we ask Kling for that id before sending again.
        body.setdefault("external_task_id", f"kling-{uuid.uuid4().hex}")
        external_id = str(body["external_task_id"])
        try:
            return await self._submit(body, external_id, retry_rate_limits)
        except KlingError as exc:
            if not is_ambiguous(exc):
                raise
            first_failure = exc
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._client.max_retries + 1),
            wait=wait_for,
            retry=retry_if_exception(is_ambiguous),
            before_sleep=_log_recovery,
            sleep=_compat.sleep,
            reraise=True,
        )
        task: AsyncTask | None = None
        async for attempt in retrying:
            with attempt:
                if attempt.retry_state.attempt_number == 1:
                    raise first_failure  # replayed so the policy decides what follows
                task = await self._find(external_id)
                if task is None:
                    task = await self._submit(body, external_id, retry_rate_limits)
        assert task is not None
        return task

    async def _submit(
        self, body: dict[str, Any], external_id: str, retry_rate_limits: bool
    ) -> AsyncTask:
        try:
            data = await self._client._request(
                "POST",
                self.family.path,
                body=body,
                is_create=True,
                retry_rate_limits=retry_rate_limits,
            )
        except BadRequestError as exc:
            # An earlier attempt that we saw fail did create the task after all.
            if exc.api_code == 1201 and "exist" in exc.message.lower():
                found = await self._find(external_id)
                if found is not None:
                    return found
            raise
        return self._client._task(data)

    async def _find(self, external_id: str) -> AsyncTask | None:
        """The task with our ``external_task_id``, or None when Kling has no such task."""
        try:
            return await self.get(external_task_id=external_id)
        except (NotFoundError, BadRequestError) as exc:
            if isinstance(exc, NotFoundError) or exc.api_code == 1201:
                return None
            raise

    async def get(
        self, task_id: str | None = None, *, external_task_id: str | None = None
    ) -> AsyncTask:
        """Fetch a task by Kling's ``task_id`` or by the ``external_task_id`` you gave it."""
        ident = self._task_ref(task_id, external_task_id)
        data = await self._client._request("GET", f"{self.family.path}/{quote(ident, safe='')}")
        return self._client._task(data)

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
        data = await self._client._request(
            "GET", path, params={"pageNum": page_num, "pageSize": page_size}
        )
        return [self._client._task(item) for item in data or []]

    async def create_many(
        self,
        items: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        extra_body: Mapping[str, Any] | None = None,
        on_progress: Callable[[int, int], Any] | None = None,
    ) -> builtins.list[AsyncTask | KlingError]:
        """Create a task per item (a dict of ``create`` parameters), ``concurrency`` at a time.

        Returns, in input order, each created task or the ``KlingError`` that item got: one
        bad item never fails the batch. When Kling says the account's task slots are full
        (1303) or requests come too fast (1302), the batch slows down and keeps going.
        ``on_progress(done, total)`` (sync or async) is called as each item settles.
        """
        if not _is_int(concurrency) or concurrency < 1:
            raise InvalidParameterError(
                f"concurrency must be an int >= 1, got {concurrency!r}", field="concurrency"
            )
        return await _batch.create_many(
            self, items, concurrency=concurrency, extra_body=extra_body, on_progress=on_progress
        )

    def as_completed(
        self,
        tasks: Sequence[AsyncTask | str],
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
    ) -> AsyncIterator[AsyncTask]:
        """Yield tasks as they finish (check ``task.is_failed``), polling them together.

        Polls through the list endpoint, so many tasks cost a few requests per round.
        Raises ``WaitTimeoutError`` (``.pending`` lists the rest) at the deadline.
        """
        return _batch.as_completed(
            self,
            tasks,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
        )

    async def wait_all(
        self,
        tasks: Sequence[AsyncTask | str],
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
    ) -> builtins.list[AsyncTask | KlingError]:
        """Wait for all tasks at once; in input order each finished task or its error.

        A failed task appears as ``TaskFailedError``, one unfinished at the deadline as
        ``WaitTimeoutError``; nothing is raised for them.
        """
        return await _batch.wait_all(
            self,
            tasks,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
        )

    async def wait(
        self,
        task: AsyncTask | str,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> AsyncTask:
        """Poll until the task finishes; return it when it succeeded.

        Raises ``TaskFailedError`` when it failed and ``WaitTimeoutError`` (holding the last
        state) when ``timeout`` seconds pass first. ``task`` is a ``AsyncTask`` or a task id.
        """
        if isinstance(task, AsyncTask):
            task_id, known = task.task_id, task
        elif isinstance(task, str) and task:
            task_id, known = task, None
        else:
            raise InvalidParameterError(
                f"wait() needs a AsyncTask or a task_id string, got {task!r}", field="task"
            )

        async def fetch() -> AsyncTask:
            return await self.get(task_id)

        return await poll_until_finished(
            fetch,
            known if known is not None and known.is_finished else None,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )

    async def _create_and_wait(
        self,
        params: Mapping[str, Any],
        extra_body: Mapping[str, Any] | None,
        *,
        timeout: float | None,
        poll_interval: float,
        max_poll_interval: float | None,
        on_progress: ProgressCallback | None,
    ) -> AsyncTask:
        task = await self._create(params, extra_body)
        return await self.wait(
            task,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )

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

    def presets(
        self, *, page_size: int = _DEFAULT_PAGE_SIZE, limit: int | None = None
    ) -> AsyncPaginator[AsyncTask]:
        """Kling's ready-made items, as tasks whose ``task_result`` holds them."""
        assert self.family.presets_path is not None
        return self._paginate(self.family.presets_path, page_size, 1, limit)

    async def delete(self, item_id: str) -> None:
        """Delete one of your own items by its id (not the task id)."""
        assert self.family.delete_path is not None
        assert self.family.delete_key is not None
        if not isinstance(item_id, str) or not item_id.strip():
            raise InvalidParameterError(
                f"{self.family.delete_key} must be a non-empty string, got {item_id!r}",
                field=self.family.delete_key,
            )
        await self._client._request(
            "POST", self.family.delete_path, body={self.family.delete_key: item_id}
        )
