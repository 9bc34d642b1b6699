"""The async half of the I/O primitives the client code uses.

``kling/_async`` imports this module as ``_compat``; the generator rewrites that import to
``kling._compat_sync``, which offers the same names with blocking bodies. Keeping each async/sync
difference here means the client code itself translates token by token.

anyio is imported on first use, not with the client: a create that finds a free slot needs none
of it, and with a transport of its own (``httpx.MockTransport``, an ASGI app) neither does httpx.
"""

from __future__ import annotations

import functools
import inspect
import math
import os
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Generator
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

if sys.version_info < (3, 11):
    # anyio's own dependency there; not installed where mypy runs (3.11+).
    from exceptiongroup import BaseExceptionGroup  # type: ignore[import-not-found,unused-ignore]

if TYPE_CHECKING:
    from anyio import AsyncFile, Condition, Event

__all__ = [
    "Awaitable",
    "Condition",
    "Event",
    "Limiter",
    "Queue",
    "TaskGroup",
    "call",
    "monotonic",
    "open_file",
    "run_blocking",
    "run_workers",
    "sleep",
    "wall_clock",
]

T = TypeVar("T")

monotonic = time.monotonic
#: Wall-clock seconds, to compare with Kling's timestamps.
wall_clock = time.time


async def sleep(seconds: float) -> None:
    """Sleep without blocking the event loop (asyncio or trio)."""
    import anyio

    await anyio.sleep(seconds)


async def call(callback: Callable[..., Any], *args: Any) -> Any:
    """Call a user callback that may be sync or async, and return its result."""
    result = callback(*args)
    if inspect.isawaitable(result):
        result = await result
    return result


async def run_blocking(function: Callable[..., T], *args: Any, alone: bool = False) -> T:
    """Run blocking work (reading media files) in a worker thread, off the event loop.

    ``alone``: one such call at a time, the others waiting their turn without a thread each
    (work that the first of many identical calls does for all of them).
    """
    work = functools.partial(function, *args)
    if alone:
        asyncio = sys.modules.get("asyncio")  # a running asyncio loop has imported it
        loop = None if asyncio is None else asyncio._get_running_loop()
        if loop is not None:
            # A thread of our own, not anyio's pool: the first create needs no anyio.
            return await loop.run_in_executor(_one_thread(), work)  # type: ignore[no-any-return]
    import anyio.to_thread

    return await anyio.to_thread.run_sync(work, limiter=_alone_limiter() if alone else None)


_worker: Any = None
_alone: Any = None


def _one_thread() -> Any:
    """The process's one worker thread for ``run_blocking(alone=True)`` under asyncio."""
    global _worker
    if _worker is None:
        from concurrent.futures import ThreadPoolExecutor

        _worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kling-alone")
    return _worker


def _forget_thread() -> None:
    # A forked child has none of its parent's threads: work sent to the parent's executor
    # would wait forever. The child makes its own when it needs one.
    global _worker
    _worker = None


if hasattr(os, "register_at_fork"):  # not on Windows
    os.register_at_fork(after_in_child=_forget_thread)


def _alone_limiter() -> Any:
    """The event loop's limiter of one thread for ``run_blocking(alone=True)`` (trio)."""
    global _alone
    from anyio import CapacityLimiter
    from anyio.lowlevel import RunVar

    if _alone is None:
        _alone = RunVar("kling_run_blocking_alone")
    try:
        return _alone.get()
    except LookupError:
        limiter = CapacityLimiter(1)
        _alone.set(limiter)
        return limiter


def open_file(
    path: str | os.PathLike[str], mode: Literal["wb", "ab"]
) -> Awaitable[AsyncFile[bytes]]:
    """Open a file for writing without blocking the event loop (``async with await ...``)."""
    import anyio

    return anyio.open_file(path, mode)


def __getattr__(name: str) -> Any:
    # ``Condition``: a condition variable for coordinating tasks (``threading.Condition`` in the
    # sync twin). ``Event``: a one-shot event, ``set()`` and ``await event.wait()``
    # (``threading.Event`` in the sync twin). Both are anyio's, looked up on first use.
    if name in ("Condition", "Event"):
        import anyio

        value = getattr(anyio, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Limiter:
    """At most ``total`` holders at once, used as ``async with limiter:``, and a lane ahead of
    them, ``async with limiter.priority:``, whose waiters are let in first (as in the sync
    twin). Polls take the priority lane, so that a poll round never queues behind thousands of
    creates while the total in flight stays bounded. A free slot is taken without a trip
    through the event loop: every request passes here, and the send that follows yields anyway.
    """

    __slots__ = ("_free", "_waiting", "priority")

    def __init__(self, total: int) -> None:
        self._free = total
        #: Waiters of the priority lane, then of the ordinary one, each first come first served.
        self._waiting: tuple[deque[_Slot], deque[_Slot]] = (deque(), deque())
        #: The lane whose waiters go first.
        self.priority = _PriorityLane(self)

    async def acquire(self, priority: bool = False) -> None:
        """Take a slot; wait, in the lane's order, while none is free."""
        first, ordinary = self._waiting
        if self._free and not first and (priority or not ordinary):
            self._free -= 1
            return
        lane = first if priority else ordinary
        granted = _slot()
        lane.append(granted)
        try:
            await granted
        except BaseException:
            # Still queued: cancelled where it stands, for ``release`` to pass over (removing it
            # from the middle of ten thousand would cost each of them a scan). Handed a slot
            # while being cancelled: the slot goes to the next one.
            if not granted.cancel() and not granted.cancelled():
                self.release()
            raise

    # Ten thousand creates started at once all come here in one turn of the loop: one frame
    # fewer each than an ``__aenter__`` calling ``acquire``.
    __aenter__ = acquire

    async def __aexit__(self, *exc_info: object) -> None:
        self.release()

    def release(self) -> None:
        """Give the slot back: straight to the first waiter of the first lane still waiting."""
        for lane in self._waiting:
            while lane:
                granted = lane.popleft()
                if not granted.done():  # a waiter cancelled while queued is passed over
                    granted.set_result(None)
                    return
        self._free += 1


if TYPE_CHECKING:
    import asyncio

    _Slot = asyncio.Future[None]


def _slot() -> _Slot:
    """A one-shot future for one waiter of a :class:`Limiter`: the running library's own.

    Ten thousand creates started at once queue here in one turn of the loop: asyncio's bare
    future is the cheapest thing to park on (its ``Event`` makes a future too, and anyio's
    looks the backend up for each one). Under trio, a trio event behind the same few methods.
    """
    # asyncio's running loop is one C call to find; trio runs none (and asking trio first would
    # cost every asyncio waiter an exception wherever trio is merely imported: httpcore does).
    asyncio = sys.modules.get("asyncio")  # a running asyncio loop has imported it
    loop = None if asyncio is None else asyncio._get_running_loop()
    if loop is not None:
        return loop.create_future()  # type: ignore[no-any-return]
    import trio

    return _TrioSlot(trio.Event())  # type: ignore[return-value]


class _TrioSlot:
    """The part of an asyncio future the :class:`Limiter` uses, over a trio event."""

    __slots__ = ("_cancelled", "_event")

    def __init__(self, event: Any) -> None:
        self._event = event
        self._cancelled = False

    def done(self) -> bool:
        return self._cancelled or bool(self._event.is_set())

    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> bool:
        if self.done():
            return False
        self._cancelled = True
        return True

    def set_result(self, _: None) -> None:
        self._event.set()

    def __await__(self) -> Generator[Any, None, None]:
        return self._event.wait().__await__()  # type: ignore[no-any-return]


class _PriorityLane:
    """``async with limiter.priority:``: a slot of ``limiter``, ahead of its other waiters."""

    __slots__ = ("_limiter",)

    def __init__(self, limiter: Limiter) -> None:
        self._limiter = limiter

    async def __aenter__(self) -> None:
        await self._limiter.acquire(True)

    async def __aexit__(self, *exc_info: object) -> None:
        self._limiter.release()


async def run_workers(worker: Callable[[], Coroutine[Any, Any, None]], count: int) -> None:
    """Run ``count`` copies of ``worker`` concurrently and wait for all of them.

    A task group: if one worker raises (or the caller is cancelled) the others are cancelled
    too, so nothing keeps running behind the caller's back; the first error is raised as itself,
    as the sync twin raises it.
    """
    async with TaskGroup() as group:
        for _ in range(count):
            group.start_soon(worker)


class TaskGroup:
    """Tasks started with ``start_soon`` run concurrently; leaving the ``async with`` block
    waits for them all. The first error (in a task or in the block) cancels the rest, and
    calls ``on_error`` first, as the sync twin (whose threads cannot be cancelled) does.
    """

    def __init__(
        self, on_error: Callable[[], None] | None = None, *, join_after_errors: bool = False
    ) -> None:
        """``join_after_errors``: for the sync twin, whose threads are left to end on their own
        after an error in the block unless this is set; tasks here are always waited for."""
        import anyio

        self._on_error = on_error
        self._group = anyio.create_task_group()

    async def __aenter__(self) -> TaskGroup:
        await self._group.__aenter__()
        return self

    def start_soon(self, function: Callable[[], Coroutine[Any, Any, None]]) -> None:
        self._group.start_soon(self._run, function)

    def cancel(self) -> None:
        """Cancel the tasks still running (the sync twin's threads cannot be: they check a
        flag of their own and end soon after)."""
        self._group.cancel_scope.cancel()

    async def _run(self, function: Callable[[], Coroutine[Any, Any, None]]) -> None:
        try:
            await function()
        except BaseException:
            self._stop()
            raise

    def _stop(self) -> None:
        if self._on_error is not None:
            self._on_error()

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: Any
    ) -> bool | None:
        if error is not None:
            self._stop()
        try:
            return await self._group.__aexit__(kind, error, traceback)
        except BaseExceptionGroup as group:
            # anyio wraps even a single error in a group; the caller gets the error itself, as
            # from the sync twin: the block's own if it raised, else the first task's.
            leaves = _leaves(group)
            first = error if error is not None and error in leaves else leaves[0]
            first.__suppress_context__ = True  # not "during handling of" the group
            raise first  # noqa: B904 - its own __cause__, if any, stays


def _leaves(group: BaseExceptionGroup[BaseException]) -> list[BaseException]:
    found: list[BaseException] = []
    for exc in group.exceptions:
        found += _leaves(exc) if isinstance(exc, BaseExceptionGroup) else [exc]
    return found


class Queue(Generic[T]):
    """An unbounded first-in first-out queue between tasks (a thread queue in the sync twin).

    ``await get()`` returns None once ``close()`` was called and every item was taken. Use it
    as a ``with`` block so that both ends are released however the tasks around it end.
    """

    def __init__(self) -> None:
        import anyio

        self._send, self._receive = anyio.create_memory_object_stream[T](math.inf)

    def __enter__(self) -> Queue[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._send.close()
        self._receive.close()

    async def put(self, item: T) -> None:
        await self._send.send(item)

    def close(self) -> None:
        self._send.close()

    async def get(self) -> T | None:
        from anyio import EndOfStream

        try:
            return await self._receive.receive()
        except EndOfStream:
            return None
