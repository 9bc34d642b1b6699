"""The sync half of the I/O primitives: the same names as ``kling._compat_async``, blocking."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Annotated, Any, BinaryIO, Literal, TypeAlias, TypeVar

__all__ = ["Awaitable", "call", "monotonic", "open_file", "run_blocking", "sleep"]

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
