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
from collections.abc import Awaitable, Callable
from typing import Any, Literal, TypeVar

import anyio
import anyio.to_thread
from anyio import AsyncFile

__all__ = ["Awaitable", "call", "monotonic", "open_file", "run_blocking", "sleep"]

T = TypeVar("T")

monotonic = time.monotonic


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
