"""The generic task resource, and one thin subclass per family for typed ``create`` signatures.

Everything a family does (create, get, list, wait) lives in :class:`AsyncTaskResource`, driven
by the family's row in ``kling._families``. A subclass only names its family and declares the
keyword arguments of ``create``/``create_and_wait`` so that editors and mypy know them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from typing_extensions import Unpack

from .._errors import InvalidParameterError
from .._families import FAMILIES, Family
from .._models import Task
from .._params import TextToVideoParams, prepare_body
from ._pagination import AsyncPaginator
from ._waiting import (
    DEFAULT_POLL_INTERVAL,
    DEFAULT_WAIT_TIMEOUT,
    ProgressCallback,
    poll_until_finished,
)

if TYPE_CHECKING:
    from ._client import AsyncKlingClient

__all__ = ["AsyncTaskResource", "AsyncTextToVideo"]

_DEFAULT_PAGE_SIZE = 30


class AsyncTaskResource:
    """Create, get, list and wait for the tasks of one family."""

    family: ClassVar[Family]

    def __init__(self, client: AsyncKlingClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.family.path}>"

    async def _create(
        self, params: Mapping[str, Any], extra_body: Mapping[str, Any] | None
    ) -> Task:
        body = prepare_body(self.family.name, params)
        if extra_body:
            body.update(extra_body)
        data = await self._client._request("POST", self.family.path, body=body, is_create=True)
        return Task.model_validate(data)

    async def get(self, task_id: str | None = None, *, external_task_id: str | None = None) -> Task:
        """Fetch a task by Kling's ``task_id`` or by the ``external_task_id`` you gave it."""
        ident = self._task_ref(task_id, external_task_id)
        data = await self._client._request("GET", f"{self.family.path}/{quote(ident, safe='')}")
        return Task.model_validate(data)

    def list(
        self, *, page_size: int = _DEFAULT_PAGE_SIZE, page_num: int = 1, limit: int | None = None
    ) -> AsyncPaginator[Task]:
        """Iterate this family's tasks, newest first, fetching pages of ``page_size`` as needed.

        ``limit`` stops after that many tasks; ``page_num`` starts at a later page.
        """
        max_size = self.family.max_page_size
        if (
            isinstance(page_size, bool)
            or not isinstance(page_size, int)
            or not 1 <= page_size <= max_size
        ):
            raise InvalidParameterError(
                f"page_size must be an int from 1 to {max_size}, got {page_size!r}",
                field="page_size",
            )
        if isinstance(page_num, bool) or not isinstance(page_num, int) or not 1 <= page_num <= 1000:
            raise InvalidParameterError(
                f"page_num must be an int from 1 to 1000, got {page_num!r}", field="page_num"
            )
        if limit is not None and (not isinstance(limit, int) or limit < 0):
            raise InvalidParameterError(
                f"limit must be an int >= 0 or None, got {limit!r}", field="limit"
            )
        return AsyncPaginator(self._fetch_page, page_size=page_size, page_num=page_num, limit=limit)

    async def _fetch_page(self, page_num: int, page_size: int) -> Sequence[Task]:
        data = await self._client._request(
            "GET", self.family.path, params={"pageNum": page_num, "pageSize": page_size}
        )
        return [Task.model_validate(item) for item in data or []]

    async def wait(
        self,
        task: Task | str,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Task:
        """Poll until the task finishes; return it when it succeeded.

        Raises ``TaskFailedError`` when it failed and ``WaitTimeoutError`` (holding the last
        state) when ``timeout`` seconds pass first. ``task`` is a ``Task`` or a task id.
        """
        if isinstance(task, Task):
            task_id, known = task.task_id, task
        elif isinstance(task, str) and task:
            task_id, known = task, None
        else:
            raise InvalidParameterError(
                f"wait() needs a Task or a task_id string, got {task!r}", field="task"
            )

        async def fetch() -> Task:
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
    ) -> Task:
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


class AsyncTextToVideo(AsyncTaskResource):
    """Text-to-video: ``POST /v1/videos/text2video``."""

    family = FAMILIES["text_to_video"]

    async def create(
        self, *, extra_body: Mapping[str, Any] | None = None, **params: Unpack[TextToVideoParams]
    ) -> Task:
        """Submit a task; returns it in ``submitted`` state. Parameters are Kling's field names.

        ``extra_body`` is merged into the JSON as is, for fields this SDK does not know yet.
        """
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[TextToVideoParams],
    ) -> Task:
        """``create`` then ``wait``: returns the finished task or raises ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )
