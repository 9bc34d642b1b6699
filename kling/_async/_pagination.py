"""Auto-paging over Kling's ``pageNum``/``pageSize`` list endpoints."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import Generic, TypeVar

from kling import _compat_async as _compat

__all__ = ["AsyncCursorPaginator", "AsyncPaginator"]

T = TypeVar("T")

#: Kling refuses ``pageNum`` above 1000.
MAX_PAGE_NUM = 1000


class AsyncPaginator(Generic[T]):
    """Iterates items across pages, fetching each page only when the previous one is used up.

    ``async for task in client.text_to_video.list(page_size=100): ...``; use
    :meth:`iter_pages` for one list per page. Kling's lists carry no total or "has more" flag,
    so a short page is the last one.
    """

    def __init__(
        self,
        fetch_page: Callable[[int, int], _compat.Awaitable[Sequence[T]]],
        *,
        page_size: int,
        page_num: int = 1,
        limit: int | None = None,
    ) -> None:
        self._fetch_page = fetch_page
        self._page_size = page_size
        self._page_num = page_num
        self._limit = limit

    async def iter_pages(self) -> AsyncIterator[Sequence[T]]:
        """Yield the items of one page at a time, stopping after the first short page."""
        page_num = self._page_num
        remaining = self._limit
        while page_num <= MAX_PAGE_NUM and (remaining is None or remaining > 0):
            items = await self._fetch_page(page_num, self._page_size)
            if remaining is not None:
                items = items[:remaining]
                remaining -= len(items)
            if items:
                yield items
            if len(items) < self._page_size:
                return
            page_num += 1

    async def _items(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page:
                yield item

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()


class AsyncCursorPaginator(Generic[T]):
    """Iterates items across cursor pages (``POST /tasks``), fetching each page when needed.

    ``fetch_page(cursor)`` returns the page's items, the next cursor and whether there is more;
    ``limit`` stops after that many items.
    """

    def __init__(
        self,
        fetch_page: Callable[[str | None], _compat.Awaitable[tuple[Sequence[T], str | None, bool]]],
        *,
        limit: int | None = None,
    ) -> None:
        self._fetch_page = fetch_page
        self._limit = limit

    async def iter_pages(self) -> AsyncIterator[Sequence[T]]:
        """Yield the items of one page at a time, until Kling says there are no more."""
        cursor: str | None = None
        remaining = self._limit
        while remaining is None or remaining > 0:
            items, cursor, has_more = await self._fetch_page(cursor)
            if remaining is not None:
                items = items[:remaining]
                remaining -= len(items)
            if items:
                yield items
            if not has_more or not cursor:
                return

    async def _items(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page:
                yield item

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()
