"""The sync half of the I/O primitives: the same names as ``kling._compat_async``, blocking."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, BinaryIO, Literal, TypeAlias, TypeVar

__all__ = [
    "Awaitable",
    "Condition",
    "call",
    "monotonic",
    "open_file",
    "run_blocking",
    "run_workers",
    "sleep",
]

T = TypeVar("T")

#: The sync twin of ``collections.abc.Awaitable[T]``: a sync callable returns ``T`` itself.
Awaitable: TypeAlias = Annotated[T, "returned directly by the sync client"]

monotonic = time.monotonic


def sleep(seconds: float) -> None:
    """Block the calling thread for ``seconds``."""
    time.sleep(seconds)


def call(callback: Callable[..., Any], *args: Any) -> Any:
    """Call a user callback (sync: a coroutine function would make no sense here)."""
    return callback(*args)


def run_blocking(function: Callable[..., T], *args: Any) -> T:
    """Run blocking work; the sync client simply does it in the calling thread."""
    return function(*args)


def open_file(path: str | os.PathLike[str], mode: Literal["wb", "ab"]) -> BinaryIO:
    """Open a file for writing; the sync twin of the async version's awaitable file."""
    return open(path, mode)


#: A condition variable for coordinating threads.
Condition = threading.Condition


def run_workers(worker: Callable[[], None], count: int) -> None:
    """Run ``count`` copies of ``worker`` in threads and wait for all of them.

    The first exception is re-raised once every thread has finished.
    """
    with ThreadPoolExecutor(max_workers=count, thread_name_prefix="kling") as pool:
        futures = [pool.submit(worker) for _ in range(count)]
    for future in futures:
        future.result()
