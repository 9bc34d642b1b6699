"""The sync half of the I/O primitives: the same names as ``kling._compat_async``, blocking."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, BinaryIO, Literal, TypeAlias, TypeVar

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

#: The sync twin of ``collections.abc.Awaitable[T]``: a sync callable returns ``T`` itself.
Awaitable: TypeAlias = Annotated[T, "returned directly by the sync client"]

monotonic = time.monotonic
#: Wall-clock seconds, to compare with Kling's timestamps.
wall_clock = time.time


def sleep(seconds: float) -> None:
    """Block the calling thread for ``seconds``."""
    time.sleep(seconds)


def call(callback: Callable[..., Any], *args: Any) -> Any:
    """Call a user callback; the sync client cannot run a coroutine function's result."""
    result = callback(*args)
    if isinstance(result, Coroutine):
        result.close()  # never awaited: close it so Python does not warn about that instead
        raise TypeError(
            f"{getattr(callback, '__qualname__', callback)!r} returned a coroutine: the sync "
            "client calls callbacks as plain functions; pass a regular function, or use "
            "AsyncKlingClient"
        )
    return result


def run_blocking(function: Callable[..., T], *args: Any) -> T:
    """Run blocking work; the sync client simply does it in the calling thread."""
    return function(*args)


def open_file(path: str | os.PathLike[str], mode: Literal["wb", "ab"]) -> BinaryIO:
    """Open a file for writing; the sync twin of the async version's awaitable file."""
    return open(path, mode)


#: A condition variable for coordinating threads.
Condition = threading.Condition

#: A one-shot event: ``set()``, and ``event.wait()`` blocks the calling thread.
Event = threading.Event

#: At most N holders at once, used as ``with limiter:``.
Limiter = threading.BoundedSemaphore


def run_workers(worker: Callable[[], None], count: int) -> None:
    """Run ``count`` copies of ``worker`` in threads and wait for all of them.

    The first exception is re-raised once every thread has finished. Ctrl-C (or any exception
    in the waiting thread) returns at once, without waiting for the threads: their work in
    flight cannot be interrupted, and the caller stops them from taking more.
    """
    from concurrent.futures import ThreadPoolExecutor, wait

    pool = ThreadPoolExecutor(max_workers=count, thread_name_prefix="kling")
    futures = [pool.submit(worker) for _ in range(count)]
    try:
        wait(futures)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    for future in futures:
        future.result()
