"""The task resources of both standards: what gets, waits for and creates tasks.

:class:`AsyncTaskReader` gets and waits (``get``, ``wait``, ``wait_all``, ``as_completed``)
through one poller per task source, shared by every wait on the client. :class:`AsyncTaskResource`
adds the creates, driven by the resource's row of the table (``kling._families``): one code path
creates a legacy family's tasks and a new-standard product's. What differs per standard is
small and lives beside it: the legacy families' reads in ``_legacy``, the new standard's in
``_v2``.
"""

from __future__ import annotations

import builtins
import functools
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, MutableMapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

from kling import _compat_async as _compat

from .. import _tracing
from .._config import DEFAULT_CONCURRENCY, DEFAULT_THROTTLE_TIMEOUT
from .._errors import APIConnectionError, DuplicateTaskError, InvalidParameterError, KlingError
from .._ids import random_external_id
from .._kinds import kind_of
from .._logging import logger
from .._polling import (
    DEFAULT_POLL_INTERVAL,
    DEFAULT_UNREACHABLE_TIMEOUT,
    DEFAULT_WAIT_TIMEOUT,
    TASKS_PER_TURN,
    Schedule,
)
from .._retry import is_retryable
from .._rows import NEW_STANDARD, Endpoint, Family, Product, TaskRow, tasks_of
from ._call import AsyncResource
from ._prepare import prepare

if TYPE_CHECKING:
    from .._auth import KlingAuth
    from .._call_options import Headers, Query
    from .._quote import Quote
    from ._client import AsyncKlingClient
    from ._finishing import AsyncFinished
    from ._poller import AsyncPoller
    from ._task import AnyAsyncTask
    from ._waiting import ProgressCallback

__all__ = ["AsyncTaskReader", "AsyncTaskResource", "budgeted", "submit"]

T = TypeVar("T")
#: The task model a resource hands back (a legacy, a new-standard, or either).
TaskT = TypeVar("TaskT", bound="AnyAsyncTask")


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


async def budgeted(
    client: AsyncKlingClient,
    row: Endpoint,
    params: Mapping[str, Any],
    key: str,
    send: Callable[[], _compat.Awaitable[T]],
) -> T:
    """``send()`` one paid call of ``row`` with validated ``params``, within the client's budget
    (``kling._budget``): its quote is reserved under ``key`` (its ``external_task_id``) before
    anything is sent, or ``BudgetExceededError`` raised; a call refused by Kling gives it back.
    """
    budget = client._shared.budget
    if budget is None:
        return await send()
    path = row.create_path(params) if isinstance(row, (Family, Product)) else row.path
    entry = budget._reserve(key, _quoter()(row, params), f"the create {path}")
    try:
        result = await send()
    except BaseException as exc:
        budget._failed(key, entry, exc)
        raise
    budget._sent(key, result)
    return result


@functools.cache
def _quoter() -> Callable[[Endpoint, Mapping[str, Any]], Quote]:
    """``kling._quote.quote_for``: imported with the first create, not the client; looked up
    once, since an import statement in ``_quote_or_none`` would cost each create a microsecond."""
    from .._quote import quote_for

    return quote_for


def _quote_or_none(row: TaskRow, params: Mapping[str, Any]) -> Quote | None:
    """The quote of a create that went through, for the charge check of its wait."""
    try:
        return _quoter()(row, params)
    except Exception:  # the task exists and is paid for: never lose it to a quote
        logger.debug("no quote for a %s create", row.name, exc_info=True)
        return None


class AsyncTaskReader(AsyncResource, Generic[TaskT]):
    """Gets and waits for the tasks of one source: a legacy family's, or ``/tasks``.

    A wait given a task of another source (a new-standard task, a legacy task of another
    family) waits for it through that source, so that code holding tasks of both standards
    never branches on which one made them.
    """

    #: Ids one read request can ask for, and how many such requests go at once.
    _ids_per_get: ClassVar[int] = 1
    _get_concurrency: ClassVar[int] = 8

    @property
    def source(self) -> str:
        """Where these tasks are read: a legacy family's name, or ``v2`` (``/tasks``)."""
        raise NotImplementedError

    @property
    def _label(self) -> str:
        """What these tasks are called in messages and logs (``text_to_video``)."""
        return "new-standard" if self.source == NEW_STANDARD else self.source

    async def get(
        self, task_id: str | None = None, *, external_task_id: str | None = None
    ) -> TaskT:
        """One task by Kling's ``task_id`` or by the ``external_task_id`` you gave it."""
        raise NotImplementedError

    async def _get_some(
        self, task_ids: builtins.list[str], known: Mapping[str, AnyAsyncTask]
    ) -> dict[str, AnyAsyncTask]:
        """The tasks of one read request (at most ``_ids_per_get`` ids), by id; one attempt.

        Ids in ``known`` are polls (see ``AsyncKlingClient._polled``): they take the poll lane,
        and a task that has not changed comes back as the known model itself.
        """
        raise NotImplementedError

    def _auth(self) -> KlingAuth | None:
        """The auth of this source's requests (None: the client's legacy auth)."""
        return None

    # -- waiting -------------------------------------------------------------------------------

    async def wait(
        self,
        task: TaskT | str,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        unreachable_timeout: float | None = DEFAULT_UNREACHABLE_TIMEOUT,
        on_progress: ProgressCallback | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> TaskT:
        """Poll until the task finishes; return it when it succeeded.

        Raises ``TaskFailedError`` when it failed and ``WaitTimeoutError`` (holding the last
        state) when ``timeout`` seconds pass first. Concurrent waits on one client share their
        polls: a thousand of them cost about what one ``wait_all`` of a thousand costs.
        ``extra_headers`` and ``extra_query`` go with every poll of this wait (waits with the
        same ones share polls); ``timeout`` is the whole wait's, and each request's comes from
        the client (``client.with_options(timeout=...)``).
        """
        from . import _waiting  # the waiting code comes with the first wait, not the resource

        done = await _waiting.wait(
            self._with(extra_headers, extra_query)._reader_for(task),
            task,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            unreachable_timeout=unreachable_timeout,
            on_progress=on_progress,
        )
        return cast("TaskT", done)

    async def wait_all(
        self,
        tasks: Sequence[TaskT | str],
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        unreachable_timeout: float | None = DEFAULT_UNREACHABLE_TIMEOUT,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> builtins.list[TaskT | KlingError]:
        """Wait for all tasks at once; in input order each finished task or its error.

        A failed task appears as ``TaskFailedError``, one unfinished at the deadline as
        ``WaitTimeoutError``; nothing is raised for them. Tasks of different sources (both
        standards, several families) are polled at the same time, each source together.
        ``extra_headers``, ``extra_query`` and ``timeout`` as ``wait`` takes them.
        """
        from . import _waiting

        Schedule.of(timeout, poll_interval, max_poll_interval, unreachable_timeout)
        call = self._with(extra_headers, extra_query)
        groups: dict[AsyncTaskReader[Any], builtins.list[int]] = {}
        for index, task in enumerate(tasks):
            groups.setdefault(call._reader_for(task), []).append(index)
            if index % TASKS_PER_TURN == TASKS_PER_TURN - 1:
                await _compat.sleep(0)
        results: builtins.list[Any] = [None] * len(tasks)
        jobs = iter(groups.items())

        async def worker() -> None:
            for reader, indexes in jobs:
                done = await _waiting.wait_all(
                    reader,
                    [tasks[i] for i in indexes],
                    timeout=timeout,
                    poll_interval=poll_interval,
                    max_poll_interval=max_poll_interval,
                    unreachable_timeout=unreachable_timeout,
                )
                for index, result in zip(indexes, done, strict=True):
                    results[index] = result

        await _compat.run_workers(worker, max(1, len(groups)))
        return results

    def as_completed(
        self,
        tasks: Sequence[TaskT | str],
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        unreachable_timeout: float | None = DEFAULT_UNREACHABLE_TIMEOUT,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> AsyncIterator[TaskT]:
        """Yield tasks as they finish (check ``task.is_failed``), polling them together.

        Takes the tasks this resource reads (``wait_all`` takes tasks of both standards).
        Raises ``WaitTimeoutError`` (``.pending`` lists the rest) at the deadline.
        ``extra_headers``, ``extra_query`` and ``timeout`` as ``wait`` takes them.
        """
        from . import _waiting

        call = self._with(extra_headers, extra_query)
        for task in tasks:
            if call._reader_for(task) is not call:
                raise InvalidParameterError(
                    f"as_completed() here takes {self._label} tasks; use the as_completed() of the "
                    "task's own resource, or wait_all() for tasks of both standards",
                    field="tasks",
                )
        return cast(
            "AsyncIterator[TaskT]",
            _waiting.as_completed(
                call,
                tasks,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                unreachable_timeout=unreachable_timeout,
            ),
        )

    def _reader_for(self, task: object) -> AsyncTaskReader[Any]:
        """Where ``task``'s state is read: this reader, or the one of the task's source."""
        if isinstance(task, str):
            return self
        # Read where pydantic keeps private attributes: its __getattr__ for them costs
        # microseconds, and wait_all asks for each of ten thousand tasks.
        private = getattr(task, "__pydantic_private__", None) or {}
        source: str | None = private.get("_family", NEW_STANDARD)
        if source is None:  # a legacy task whose family nobody recorded
            if self.source == NEW_STANDARD:
                raise InvalidParameterError(
                    f"legacy task {getattr(task, 'task_id', task)} does not say which family it "
                    "belongs to; wait for it with client.<family>.wait()",
                    field="tasks",
                )
            return self
        if source == self.source:
            return self
        reader: AsyncTaskReader[Any] = tasks_of(self._client, source)
        return reader

    # -- what the shared waiting code needs ----------------------------------------------------

    def _poller(self) -> AsyncPoller:
        """This source's poller on this client (copies with the same credentials share it, and
        calls with the same extra_headers and extra_query)."""
        from ._poller import AsyncPoller

        client = self._client
        key: tuple[object, ...] = (self.source, self._auth() or client._auth)
        pollers: MutableMapping[tuple[Any, ...], Any] = client._shared.pollers
        if client._call_options is not None:
            key, pollers = (*key, client._call_options.key), client._shared.call_pollers
        poller = pollers.get(key)
        if poller is None:
            poller = pollers.setdefault(
                key, AsyncPoller(self._fetch_states, self._label, self._client._config.host)
            )
        return cast("AsyncPoller", poller)

    async def _fetch_states(
        self, known: dict[str, AnyAsyncTask]
    ) -> dict[str, AnyAsyncTask | KlingError]:
        """Fresh states of the ``known`` tasks (by id) for the poller: one attempt per request
        (a poll that fails is simply made again in the next round)."""
        return await self._get_each(builtins.list(known), known)

    async def _get_each(
        self, task_ids: builtins.list[str], known: Mapping[str, AnyAsyncTask] | None = None
    ) -> dict[str, AnyAsyncTask | KlingError]:
        """Tasks by id, a few requests at a time; an id whose request failed transiently is
        left out, one that failed for good gets the error. ``known``: see ``_get_some``.

        When no request could reach Kling at all, that is raised: the server is gone.
        """
        size = self._ids_per_get
        chunks = [task_ids[i : i + size] for i in range(0, len(task_ids), size)]
        known = known or {}
        found: dict[str, AnyAsyncTask | KlingError] = {}
        unreachable: builtins.list[APIConnectionError] = []
        queue = iter(chunks)

        async def worker() -> None:
            for chunk in queue:
                try:
                    found.update(await self._get_some(chunk, known))
                except KlingError as exc:
                    if isinstance(exc, APIConnectionError):
                        unreachable.append(exc)
                    elif not is_retryable(exc, idempotent=True):
                        found.update(dict.fromkeys(chunk, exc))

        if chunks:
            await _compat.run_workers(worker, min(self._get_concurrency, len(chunks)))
        if chunks and len(unreachable) == len(chunks):
            raise unreachable[-1]
        return found


class AsyncTaskResource(AsyncTaskReader[TaskT]):
    """Creates, gets and waits for the tasks of one row (a legacy family or a product)."""

    row: ClassVar[TaskRow]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.row.route}>"

    @property
    def source(self) -> str:
        return self.row.source

    def _task(self, data: Any) -> TaskT:
        """The task model of an answer, bound to the client."""
        raise NotImplementedError

    async def _find(self, external_id: str) -> TaskT | None:
        """The task with our ``external_task_id``, or None when Kling has no such task.

        One request: the retry loop of the create that asks counts it as one of its attempts.
        """
        raise NotImplementedError

    async def _create(
        self,
        params: Mapping[str, Any],
        extra_body: Mapping[str, Any] | None,
        *,
        retry_rate_limits: bool = True,
    ) -> TaskT:
        # Before anything is read: a missing API key is said before a file is encoded.
        auth = self._auth()
        # Checked and built once it can be sent soon (``_Shared.creates``): while twice the
        # requests in flight are ahead of it, a create waits with nothing read or held.
        async with self._client._shared.creates:
            return await self._create_now(auth, params, extra_body, retry_rate_limits)

    async def _create_now(
        self,
        auth: KlingAuth | None,
        params: Mapping[str, Any],
        extra_body: Mapping[str, Any] | None,
        retry_rate_limits: bool,
    ) -> TaskT:
        body = await prepare(self.row, params, extra_body)
        # Our own id makes a create idempotent: after a failure that may have created the task
        # anyway, Kling is asked for this id before the create is sent again.
        options = self.row.task_options(body)
        external_id = str(options.setdefault("external_task_id", random_external_id()))
        lookup = self.row.external_id_lookup
        send = functools.partial(
            submit,
            self._client,
            self.row.create_path(params),
            body,
            external_id,
            parse=self._task,
            retry_rate_limits=retry_rate_limits,
            # Without a lookup by our id, an ambiguous failure must surface, never resend.
            find=(lambda: self._find(external_id)) if lookup else None,
            fetch=functools.partial(self.get, external_task_id=external_id) if lookup else None,
            auth=auth,
        )
        task = await budgeted(self._client, self.row, params, external_id, send)
        task._quote = _quote_or_none(self.row, params)
        task._kind = kind_of(self.row, params)
        return task

    async def _quote(self, params: Mapping[str, Any]) -> Quote:
        """What a create with ``params`` would cost: checked as the create checks them (files
        read, the same errors), and nothing sent. The generated ``quote`` of each row calls
        this."""
        from .._quote import quote_for

        await prepare(self.row, params)
        return quote_for(self.row, params)

    async def _create_and_wait(
        self, params: Mapping[str, Any], extra_body: Mapping[str, Any] | None
    ) -> TaskT:
        """``params`` holds the create's parameters and the wait's options (``timeout``...)."""
        with _tracing.create_and_wait(self._client._tracer, self.row, params):
            # At the create gate first, as ``_create``: nothing is checked before its turn, and
            # ten thousand calls started at once each do as little as they can before parking.
            async with self._client._shared.creates:
                from ._waiting import WAIT_OPTIONS  # the waiting code comes with the first wait

                auth = self._auth()
                wait = {key: value for key, value in params.items() if key in WAIT_OPTIONS}
                create = {key: value for key, value in params.items() if key not in WAIT_OPTIONS}
                # Check the wait options before a task is paid for.
                Schedule.of(
                    wait.get("timeout", DEFAULT_WAIT_TIMEOUT),
                    wait.get("poll_interval", DEFAULT_POLL_INTERVAL),
                    wait.get("max_poll_interval"),
                    wait.get("unreachable_timeout", DEFAULT_UNREACHABLE_TIMEOUT),
                )
                task = await self._create_now(auth, create, extra_body, True)
            return await self.wait(task, **wait)

    def _create_as_completed(
        self,
        items: Iterable[Mapping[str, Any]],
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        extra_body: Mapping[str, Any] | None = None,
        on_progress: Callable[[int, int], Any] | None = None,
        throttle_timeout: float = DEFAULT_THROTTLE_TIMEOUT,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        unreachable_timeout: float | None = DEFAULT_UNREACHABLE_TIMEOUT,
    ) -> AbstractAsyncContextManager[AsyncFinished[TaskT]]:
        """Create as ``create_many`` does and wait as ``as_completed`` does, at the same time:
        each task is polled from the moment it exists (see ``_finishing``).

        The generated ``create_as_completed`` of each row calls this.
        """
        from ._finishing import finishing

        schedule = Schedule.of(timeout, poll_interval, max_poll_interval, unreachable_timeout)
        call = self._with(extra_headers, extra_query)
        return finishing(
            call,
            call._poller(),
            items,
            concurrency=concurrency,
            extra_body=extra_body,
            on_progress=on_progress,
            throttle_timeout=throttle_timeout,
            schedule=schedule,
            timeout=timeout,
            unreachable_timeout=unreachable_timeout,
        )

    async def _create_many(
        self,
        items: Iterable[Mapping[str, Any]],
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        extra_body: Mapping[str, Any] | None = None,
        on_progress: Callable[[int, int], Any] | None = None,
        throttle_timeout: float = DEFAULT_THROTTLE_TIMEOUT,
    ) -> builtins.list[TaskT | KlingError]:
        """Create a task per item (a dict of ``create`` parameters), ``concurrency`` at a time.

        The generated ``create_many`` of each row calls this. Returns, in input order, each
        created task or the ``KlingError`` that item got: one bad item never fails the batch.
        When Kling says the account's task slots are full (1303) or requests come too fast
        (1302), the batch slows down and keeps going; once no create has got through for
        ``throttle_timeout`` seconds, the rest fail with that ``RateLimitError``.
        ``on_progress(done, total)`` is called as each item settles; if it raises, no new item
        starts and ``BatchError`` (whose ``.results`` keeps every task created) is raised once
        the items in flight have settled.
        """
        from . import _batch

        results = await _batch.create_many(
            self._with(extra_headers, extra_query),
            items,
            concurrency=concurrency,
            extra_body=extra_body,
            on_progress=on_progress,
            throttle_timeout=throttle_timeout,
        )
        return cast("builtins.list[TaskT | KlingError]", results)
