"""The sync half of the I/O primitives: the same names as ``kling._compat_async``, blocking."""

from __future__ import annotations

import contextvars
import os
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, BinaryIO, Generic, Literal, TypeAlias, TypeVar

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


def run_blocking(function: Callable[..., T], *args: Any, alone: bool = False) -> T:
    """Run blocking work; the sync client simply does it in the calling thread (``alone``
    is for the async twin's event loop: threads here share what such work builds)."""
    return function(*args)


def open_file(path: str | os.PathLike[str], mode: Literal["wb", "ab"]) -> BinaryIO:
    """Open a file for writing; the sync twin of the async version's awaitable file."""
    return open(path, mode)


#: A condition variable for coordinating threads.
Condition = threading.Condition

#: A one-shot event: ``set()``, and ``event.wait()`` blocks the calling thread.
Event = threading.Event


class Limiter:
    """At most ``total`` holders at once, used as ``with limiter:``, and a lane ahead of them,
    ``with limiter.priority:``, whose waiting threads are let in first: a poll round never
    queues behind the creates of a batch."""

    __slots__ = ("_condition", "_first", "_free", "_waiting", "priority")

    def __init__(self, total: int) -> None:
        self._free = total
        self._first = 0  # threads waiting in the priority lane
        self._waiting = 0  # threads waiting in either lane
        self._condition = threading.Condition(threading.Lock())
        #: The lane whose waiters go first.
        self.priority = _PriorityLane(self)

    def __enter__(self) -> None:
        self.acquire(priority=False)

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def acquire(self, *, priority: bool) -> None:
        """Take a slot; block while none is free (or, outside the priority lane, while a
        thread of that lane waits for one)."""
        with self._condition:
            if priority:
                self._first += 1
            try:
                while not self._free or (not priority and self._first):
                    self._waiting += 1
                    try:
                        self._condition.wait()
                    finally:
                        self._waiting -= 1
                self._free -= 1
            finally:
                if priority:
                    self._first -= 1

    def release(self) -> None:
        """Give the slot back."""
        with self._condition:
            self._free += 1
            # Every request passes here twice: notify_all checks the lock's owner even when
            # nobody waits.
            if self._waiting:
                self._condition.notify_all()


class _PriorityLane:
    """``with limiter.priority:``: a slot of ``limiter``, ahead of its other waiters."""

    __slots__ = ("_limiter",)

    def __init__(self, limiter: Limiter) -> None:
        self._limiter = limiter

    def __enter__(self) -> None:
        self._limiter.acquire(priority=True)

    def __exit__(self, *exc_info: object) -> None:
        self._limiter.release()


def run_workers(worker: Callable[[], None], count: int) -> None:
    """Run ``count`` copies of ``worker`` in threads and wait for all of them.

    The first exception is re-raised once every thread has finished. Ctrl-C (or any exception
    in the waiting thread) returns at once, without waiting for the threads: their work in
    flight cannot be interrupted, and the caller stops them from taking more.
    """
    from concurrent.futures import ThreadPoolExecutor, wait

    pool = ThreadPoolExecutor(max_workers=count, thread_name_prefix="kling")
    # Each in a copy of the caller's context, as an asyncio task runs: a span current here is
    # the parent of the workers' requests (``kling._otel``).
    futures = [pool.submit(contextvars.copy_context().run, worker) for _ in range(count)]
    try:
        wait(futures)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    for future in futures:
        future.result()


class TaskGroup:
    """Functions started with ``start_soon`` run in threads of their own; leaving the ``with``
    block waits for them all and re-raises the first error.

    Threads cannot be cancelled: on the first error (in a thread or in the block, Ctrl-C
    included) ``on_error`` is called so that the caller can tell its threads to stop, and an
    error in the block returns at once without waiting for them (they are daemon threads, so
    they never hold up the interpreter's exit). With ``join_after_errors``, an exception in
    the block waits for them as the end of the block does (their work must end soon once
    told to); Ctrl-C still returns at once.
    """

    def __init__(
        self, on_error: Callable[[], None] | None = None, *, join_after_errors: bool = False
    ) -> None:
        self._on_error = on_error
        self._join_after_errors = join_after_errors
        self._threads: list[threading.Thread] = []
        self._errors: list[BaseException] = []

    def __enter__(self) -> TaskGroup:
        return self

    def start_soon(self, function: Callable[[], None]) -> None:
        context = contextvars.copy_context()  # as run_workers does
        thread = threading.Thread(
            target=context.run, args=(self._run, function), name="kling", daemon=True
        )
        self._threads.append(thread)
        thread.start()

    def cancel(self) -> None:
        """Threads cannot be cancelled: the functions started check a flag of their own (as
        the async twin's tasks are cancelled), and leaving the block waits for them."""

    def _run(self, function: Callable[[], None]) -> None:
        try:
            function()
        except BaseException as exc:
            self._errors.append(exc)
            self._stop()

    def _stop(self) -> None:
        if self._on_error is not None:
            self._on_error()

    def __exit__(self, kind: object, error: BaseException | None, traceback: object) -> None:
        if error is not None:
            self._stop()
            if self._join_after_errors and isinstance(error, Exception):
                for thread in self._threads:
                    thread.join()  # the block's error is the one raised
            return
        try:
            for thread in self._threads:
                thread.join()
        except BaseException:
            self._stop()
            raise
        if self._errors:
            raise self._errors[0]


_CLOSED = object()


class Queue(Generic[T]):
    """An unbounded first-in first-out queue between threads.

    ``get()`` returns None once ``close()`` was called and every item was taken. A ``with``
    block, like the async twin's, whose ends need releasing.
    """

    def __init__(self) -> None:
        import queue

        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._closed = False

    def __enter__(self) -> Queue[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._closed = True

    def put(self, item: T) -> None:
        self._queue.put(item)

    def close(self) -> None:
        self._queue.put(_CLOSED)

    def get(self) -> T | None:
        if self._closed:
            return None
        item = self._queue.get()
        if item is _CLOSED:
            self._closed = True
            self._queue.put(_CLOSED)  # every other consumer sees the end too
            return None
        return item  # type: ignore[no-any-return]
