"""Callback delivery: the bare task object POSTed on every status change, as Kling's callback
protocol has it: https://github.com/aself101/kling-api/blob/main/docs/api/kling-get-started-callbacks.md

Lifecycle is computed lazily, so each task with a ``callback_url`` gets one small background job
in the serving event loop that wakes up when the task is due to change, and POSTs each new state in
order. Delivery errors are logged and recorded, never raised. With a webhook secret the requests
carry Standard Webhooks signature headers.

Without its own transport the fake POSTs only to loopback hosts unless told otherwise: served on
a network interface it would otherwise fetch any URL a caller names, from inside that network.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import sniffio

from .._version import __version__
from ._loopback import is_loopback_url
from ._recorded import CallbackDelivery
from ._state import TaskStore
from ._task import FakeTask

logger = logging.getLogger("kling.testing")

_POLL_TICK = 0.05
"""How often a job checks a task that only queries (or a forced change) can move on."""
_MAX_SLEEP = 0.25
"""Upper bound on one sleep, so an injected clock that jumps ahead is noticed quickly."""


def sign_webhook(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The Standard Webhooks ``webhook-signature`` value (``v1,<base64>``) for one delivery.

    ``secret`` is ``whsec_<base64 key>``; the signed content is ``"{id}.{timestamp}.{body}"``.
    """
    key = base64.b64decode(secret.removeprefix("whsec_"))
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def encode_payload(payload: dict[str, Any]) -> bytes:
    """Compact JSON, UTF-8, as the callback body."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class CallbackDispatcher:
    """Runs callback jobs and keeps the record of every delivery attempt."""

    def __init__(
        self,
        store: TaskStore,
        *,
        webhook_secret: str | None,
        transport: httpx.AsyncBaseTransport | None,
        timeout: float,
        wall_clock: Callable[[], float],
        allow_external: bool = False,
    ) -> None:
        if webhook_secret is not None:
            sign_webhook(webhook_secret, "check", 0, b"")  # fail at construction if not base64
        self._store = store
        self._secret = webhook_secret
        self.transport = transport
        self._timeout = timeout
        self.allow_external = allow_external
        self._wall_clock = wall_clock
        self._changed = threading.Condition()
        self._sent: list[CallbackDelivery] = []
        self._active = 0
        self._asyncio_jobs: set[asyncio.Task[None]] = set()

    @property
    def sent(self) -> list[CallbackDelivery]:
        """Every delivery attempt so far, in order."""
        with self._changed:
            return list(self._sent)

    def clear(self) -> None:
        """Forget past deliveries."""
        with self._changed:
            self._sent.clear()

    def start(self, task: FakeTask) -> None:
        """Start the job for ``task`` in the running event loop (asyncio or trio)."""
        with self._changed:
            self._active += 1
        if sniffio.current_async_library() == "trio":
            import trio  # only reachable when serving under trio, so trio is installed

            trio.lowlevel.spawn_system_task(self._trio_job, task)
        else:
            job = asyncio.get_running_loop().create_task(self._job(task))
            self._asyncio_jobs.add(job)  # keep a reference: the loop only holds weak ones
            # A done-callback runs even for a job cancelled before its first step.
            job.add_done_callback(self._asyncio_job_done)

    def _asyncio_job_done(self, job: asyncio.Task[None]) -> None:
        self._asyncio_jobs.discard(job)
        self._job_done()

    def _job_done(self) -> None:
        with self._changed:
            self._active -= 1
            self._changed.notify_all()

    async def _trio_job(self, task: FakeTask) -> None:
        try:
            await self._job(task)
        finally:
            self._job_done()

    async def aclose(self) -> None:
        """Cancel the jobs still running in this loop (server shutdown)."""
        jobs = list(self._asyncio_jobs)
        for job in jobs:
            job.cancel()
        for job in jobs:
            with contextlib.suppress(asyncio.CancelledError):
                await job

    def wait(self, count: int | None = None, timeout: float = 5.0) -> list[CallbackDelivery]:
        """Block until ``count`` deliveries were attempted (``None``: until no job is left).

        For a fake served in a thread (``serve()``). Raises :class:`TimeoutError`.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while not self._done(count):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"{len(self._sent)} callbacks delivered, {self._active} jobs left"
                    )
                self._changed.wait(remaining)
            return list(self._sent)

    async def wait_async(
        self,
        count: int | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - mirrors the sync wait()
    ) -> list[CallbackDelivery]:
        """Like :meth:`wait`, without blocking the event loop the jobs may run in."""
        with anyio.fail_after(timeout):
            while True:
                with self._changed:
                    if self._done(count):
                        return list(self._sent)
                await anyio.sleep(0.01)

    def _done(self, count: int | None) -> bool:
        return self._active == 0 if count is None else len(self._sent) >= count

    async def _job(self, task: FakeTask) -> None:
        warned = False  # one log line per task for blocked callbacks, not one per state
        while True:
            self._store.advance(task)
            for payload in self._store.take_outbox(task):
                blocked = await self._deliver(task, payload, quiet=warned)
                warned = warned or blocked
            if self._store.settled(task):
                return
            delay = self._store.seconds_to_next_change(task)
            await anyio.sleep(_POLL_TICK if delay is None else min(delay, _MAX_SLEEP))

    def _blocked_reason(self, url: str) -> str | None:
        """Why a callback to ``url`` is not sent, or ``None`` when it is."""
        if self.transport is not None or self.allow_external or is_loopback_url(url):
            return None
        return (
            f"not sent: {url} is not a loopback address; "
            "FakeKling(allow_external_callbacks=True) lets callbacks leave this machine"
        )

    async def _deliver(self, task: FakeTask, payload: dict[str, Any], *, quiet: bool) -> bool:
        """POST one callback and record it; ``True`` when it was blocked instead."""
        url = task.callback_url
        if url is None:
            return False
        body = encode_payload(payload)
        headers = {
            "content-type": "application/json; charset=utf-8",
            "user-agent": f"kling-fake/{__version__}",
        }
        if self._secret is not None:
            msg_id = f"msg_{uuid.uuid4().hex}"
            timestamp = int(self._wall_clock())
            headers["webhook-id"] = msg_id
            headers["webhook-timestamp"] = str(timestamp)
            headers["webhook-signature"] = sign_webhook(self._secret, msg_id, timestamp, body)
        reason = self._blocked_reason(url)
        if reason is not None:
            if not quiet:
                logger.warning("callbacks for task %s %s", task.task_id, reason)
            self._record(CallbackDelivery(url, headers, body, payload, None, reason, blocked=True))
            return True
        status: int | None = None
        error: str | None = None
        try:
            if self.transport is not None:
                # A caller-owned transport: do not close it with a context manager.
                client = httpx.AsyncClient(transport=self.transport, timeout=self._timeout)
                response = await client.post(url, content=body, headers=headers)
                status = response.status_code
            else:
                async with httpx.AsyncClient(timeout=self._timeout) as client:
                    response = await client.post(url, content=body, headers=headers)
                    status = response.status_code
        except Exception as exc:  # a broken receiver must not break the fake
            error = f"{type(exc).__name__}: {exc}"
            logger.warning("callback to %s for task %s failed: %s", url, task.task_id, error)
        self._record(CallbackDelivery(url, headers, body, payload, status, error))
        return False

    def _record(self, delivery: CallbackDelivery) -> None:
        with self._changed:
            self._sent.append(delivery)
            self._changed.notify_all()
