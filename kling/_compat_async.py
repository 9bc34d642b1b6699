"""The async half of the I/O primitives the client code uses.

``kling/_async`` imports this module as ``_compat``; the generator rewrites that import to
``kling._compat_sync``, which offers the same names with blocking bodies. Keeping each async/sync
difference here means the client code itself translates token by token.
"""

from __future__ import annotations

import functools
import inspect
import os
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Literal, TypeVar

import anyio
import anyio.to_thread
from anyio import AsyncFile

__all__ = [
    "Awaitable",
    "Condition",
    "Event",
    "Limiter",
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
    await anyio.sleep(seconds)


async def call(callback: Callable[..., Any], *args: Any) -> Any:
    """Call a user callback that may be sync or async, and return its result."""
    result = callback(*args)
    if inspect.isawaitable(result):
        result = await result
    return result


async def run_blocking(function: Callable[..., T], *args: Any) -> T:
    """Run blocking work (reading media files) in a worker thread, off the event loop."""
    return await anyio.to_thread.run_sync(functools.partial(function, *args))


def open_file(
    path: str | os.PathLike[str], mode: Literal["wb", "ab"]
) -> Awaitable[AsyncFile[bytes]]:
    """Open a file for writing without blocking the event loop (``async with await ...``)."""
    return anyio.open_file(path, mode)


#: A condition variable for coordinating tasks (``threading.Condition`` in the sync twin).
Condition = anyio.Condition

#: A one-shot event: ``set()``, and ``await event.wait()`` (``threading.Event`` in the sync twin).
Event = anyio.Event


class Limiter:
    """At most ``total`` holders at once, used as ``async with limiter:`` (a semaphore in the
    sync twin). A free slot is taken without a trip through the event loop: every request
    passes here, and the send that follows yields anyway."""

    __slots__ = ("_limiter",)

    def __init__(self, total: int) -> None:
        self._limiter = anyio.CapacityLimiter(total)

    async def __aenter__(self) -> None:
        try:
            self._limiter.acquire_nowait()
        except anyio.WouldBlock:
            await self._limiter.acquire()

    async def __aexit__(self, *exc_info: object) -> None:
        self._limiter.release()


async def run_workers(worker: Callable[[], Coroutine[Any, Any, None]], count: int) -> None:
    """Run ``count`` copies of ``worker`` concurrently and wait for all of them.

    A task group: if one worker raises (or the caller is cancelled) the others are cancelled
    too, so nothing keeps running behind the caller's back.
    """
    async with anyio.create_task_group() as group:
        for _ in range(count):
            group.start_soon(worker)
