"""What tests read and steer on a FakeKling: its keys, timing and limits, the request log, its
tasks and callbacks, and its fault rules.
"""

from __future__ import annotations

from typing import Literal

import httpx

from ._auth import Credentials
from ._callbacks import CallbackDispatcher
from ._envelope import ApiError
from ._faults import Fault, FaultKind, FaultPlan
from ._recorded import CallbackDelivery, ReceivedCallback, RecordedRequest, RequestLog
from ._state import TaskStore, Timing
from ._task import FakeTask, TaskStatus


class Controls:
    """FakeKling's test-facing methods and properties, over the parts its ``__init__`` builds.

    A base class of its own so that ``_app`` stays about building the fake and answering
    requests.
    """

    credentials: Credentials
    faults: FaultPlan
    _store: TaskStore
    _callbacks: CallbackDispatcher
    _log: RequestLog

    @property
    def access_key(self) -> str:
        """The account's access key."""
        return self.credentials.access_key

    @property
    def secret_key(self) -> str:
        """The account's secret key."""
        return self.credentials.secret_key

    @property
    def api_key(self) -> str | None:
        """The first accepted static API key, if any."""
        return self.credentials.api_keys[0] if self.credentials.api_keys else None

    @property
    def timing(self) -> Timing:
        """The lifecycle timing; assign a new :class:`Timing` to change it for new reads."""
        return self._store.timing

    @timing.setter
    def timing(self, value: Timing) -> None:
        self._store.timing = value

    @property
    def concurrency_limit(self) -> int | None:
        """Unfinished-task slots allowed per account (``None``: unlimited); assignable."""
        return self._store.concurrency_limit

    @concurrency_limit.setter
    def concurrency_limit(self, value: int | None) -> None:
        self._store.concurrency_limit = value

    @property
    def callback_transport(self) -> httpx.AsyncBaseTransport | None:
        """Transport for callback POSTs (``None``: real network). Assignable, so a fake can
        deliver into its own sink in-process: ``fake.callback_transport = ASGITransport(fake)``.
        A transport is trusted with any host; without one only loopback hosts get callbacks.
        """
        return self._callbacks.transport

    @callback_transport.setter
    def callback_transport(self, value: httpx.AsyncBaseTransport | None) -> None:
        self._callbacks.transport = value

    @property
    def allow_external_callbacks(self) -> bool:
        """Whether callbacks go to non-loopback hosts without a ``callback_transport``."""
        return self._callbacks.allow_external

    @allow_external_callbacks.setter
    def allow_external_callbacks(self, value: bool) -> None:
        self._callbacks.allow_external = value

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far (a copy), oldest first; refused ones without a body."""
        return self._log.requests()

    @property
    def tasks(self) -> dict[str, FakeTask]:
        """Every task of both standards by id (a copy), oldest first, advanced to its state now."""
        return self._store.all()

    def task(self, task_id_or_external_id: str) -> FakeTask:
        """One task by id or external id; ``KeyError`` when unknown.

        New-standard tasks are :class:`StandardTask` instances (``task.standard == "new"``).
        """
        try:
            task = self._store.find(None, task_id_or_external_id)
        except ApiError:
            raise KeyError(task_id_or_external_id) from None
        self._store.advance(task)
        return task

    def set_task_status(
        self, task_id: str, status: TaskStatus | Literal["succeeded"], message: str = ""
    ) -> FakeTask:
        """Force a task into ``status`` now (``message``: the failure reason for ``failed``).

        ``succeeded`` (the new standard's spelling) is the same state as ``succeed``.
        """
        task = self.task(task_id)
        self._store.set_status(task, "succeed" if status == "succeeded" else status, message)
        return task

    @property
    def callbacks_sent(self) -> list[CallbackDelivery]:
        """Every callback delivery attempted so far (a copy), in order."""
        return self._callbacks.sent

    @property
    def callbacks_received(self) -> list[ReceivedCallback]:
        """Callbacks that arrived at this fake's sink, ``POST /_fake/callbacks`` (a copy)."""
        return self._log.callbacks()

    def wait_for_callbacks(
        self, count: int | None = None, timeout: float = 5.0
    ) -> list[CallbackDelivery]:
        """Block until ``count`` callbacks were attempted (``None``: all pending ones).

        Meant for a fake served in a thread (``serve()``); in the event loop the fake runs in,
        use :meth:`await_callbacks`. Raises :class:`TimeoutError`.
        """
        return self._callbacks.wait(count, timeout)

    async def await_callbacks(
        self, count: int | None = None, timeout: float = 5.0
    ) -> list[CallbackDelivery]:
        """Async :meth:`wait_for_callbacks`, for a fake used through ``httpx.ASGITransport``."""
        return await self._callbacks.wait_async(count, timeout)

    def reset(self) -> None:
        """Forget tasks, requests, callbacks and fault rules (configuration stays)."""
        self._store.clear()
        self.faults.clear()
        self._callbacks.clear()
        self._log.clear()

    # ------------------------------------------------------------------------- fault shortcut

    def fail_next(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        kind: FaultKind = "error",
        status: int | None = None,
        code: int | None = 5000,
        message: str | None = None,
        retry_after: float | None = None,
        delay: float = 0.0,
        process: bool = False,
        times: int | None = 1,
        skip: int = 0,
    ) -> Fault:
        """Shortcut for ``fake.faults.fail_next(...)``; see :class:`Fault`."""
        return self.faults.fail_next(
            method,
            path,
            kind=kind,
            status=status,
            code=code,
            message=message,
            retry_after=retry_after,
            delay=delay,
            process=process,
            times=times,
            skip=skip,
        )
