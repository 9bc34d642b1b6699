"""Auto-paging over Kling's ``pageNum``/``pageSize`` list endpoints and its cursor pages, and
the checks of what every listing takes (page size, limit, filters)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable, Sequence
from typing import Any, Generic, TypeVar

from kling import _compat_async as _compat

from .._errors import InvalidParameterError, KlingError

__all__ = [
    "AsyncCursorPaginator",
    "AsyncPaginator",
    "check_limit",
    "check_page_size",
    "filter_entry",
    "paginate",
]

T = TypeVar("T")

#: Kling refuses ``pageNum`` above 1000.
MAX_PAGE_NUM = 1000


class AsyncPaginator(Generic[T]):
    """Iterates items across pages, fetching each page only when the previous one is used up.

    ``async for task in client.text_to_video.list(page_size=100): ...``; use
    :meth:`iter_pages` for one list per page. Kling's lists carry no total or "has more" flag,
    so a short page is the last one. ``key`` names an item (its ``task_id``): an item met again
    on a later page is not yielded twice, and a full page of items met before ends the listing
    with an error, as a server that ignores ``pageNum`` would otherwise be read forever.
    """

    def __init__(
        self,
        fetch_page: Callable[[int, int], _compat.Awaitable[Sequence[T]]],
        *,
        page_size: int,
        page_num: int = 1,
        limit: int | None = None,
        key: Callable[[T], object] | None = None,
    ) -> None:
        self._fetch_page = fetch_page
        self._page_size = page_size
        self._page_num = page_num
        self._limit = limit
        self._key = key

    async def iter_pages(self) -> AsyncGenerator[Sequence[T], None]:
        """Yield the items of one page at a time, stopping after the first short page."""
        page_num = self._page_num
        remaining = self._limit
        fresh = _Fresh(self._key)
        while remaining is None or remaining > 0:
            if page_num > MAX_PAGE_NUM:
                raise KlingError(
                    f"Kling still answered full pages at page {MAX_PAGE_NUM}, the last page its "
                    "lists serve; stopped listing there (pass limit= to read fewer items)"
                )
            page = await self._fetch_page(page_num, self._page_size)
            items = fresh.of(page)
            if page and not items:
                raise KlingError(
                    f"Kling answered page {page_num} with only items of earlier pages; stopped "
                    "listing rather than read the same pages again"
                )
            if remaining is not None:
                items = items[:remaining]
                remaining -= len(items)
            if items:
                yield items
            if len(page) < self._page_size:
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
    ``limit`` stops after that many items. A cursor Kling answers twice ends the listing with
    an error; so does, with ``key`` (an item's name: its ``task_id``), a page of items all met
    before. An item met again is not yielded twice.
    """

    def __init__(
        self,
        fetch_page: Callable[[str | None], _compat.Awaitable[tuple[Sequence[T], str | None, bool]]],
        *,
        limit: int | None = None,
        key: Callable[[T], object] | None = None,
    ) -> None:
        self._fetch_page = fetch_page
        self._limit = limit
        self._key = key

    async def iter_pages(self) -> AsyncIterator[Sequence[T]]:
        """Yield the items of one page at a time, until Kling says there are no more."""
        cursor: str | None = None
        seen: set[str] = set()
        fresh = _Fresh(self._key)
        remaining = self._limit
        while remaining is None or remaining > 0:
            page, cursor, has_more = await self._fetch_page(cursor)
            items = fresh.of(page)
            if page and not items:
                raise KlingError(
                    "Kling answered a page of tasks it had already listed; stopped listing "
                    "rather than read the same pages again"
                )
            if remaining is not None:
                items = items[:remaining]
                remaining -= len(items)
            if items:
                yield items
            if not has_more or not cursor:
                return
            if cursor in seen:
                # Following it would read the same pages again, forever.
                raise KlingError(
                    f"Kling answered next_cursor {cursor!r} a second time; stopped listing "
                    "rather than read the same pages again"
                )
            seen.add(cursor)

    async def _items(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page:
                yield item

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()


class _Fresh(Generic[T]):
    """The items of a page not met before, by ``key`` (every item when there is no key, or
    when an item has no name)."""

    def __init__(self, key: Callable[[T], object] | None) -> None:
        self._key = key
        self._seen: set[object] = set()

    def of(self, page: Sequence[T]) -> list[T]:
        if self._key is None:
            return list(page)
        fresh = []
        for item in page:
            name = self._key(item)
            if name is None or name not in self._seen:
                self._seen.add(name)
                fresh.append(item)
        return fresh


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_page_size(page_size: object, largest: int) -> None:
    """Refuse a ``page_size`` that is not an int from 1 to ``largest``."""
    if not _is_int(page_size) or not 1 <= page_size <= largest:  # type: ignore[operator]
        raise InvalidParameterError(
            f"page_size must be an int from 1 to {largest}, got {page_size!r}", field="page_size"
        )


def paginate(
    fetch_page: Callable[[int, int], _compat.Awaitable[Sequence[T]]],
    largest: int,
    page_size: int,
    page_num: int,
    limit: int | None,
    key: Callable[[T], object] | None = None,
) -> AsyncPaginator[T]:
    """A :class:`AsyncPaginator` over a ``pageNum``/``pageSize`` list whose pages hold at most
    ``largest`` items, once its arguments are checked; ``key`` names an item."""
    check_page_size(page_size, largest)
    if not _is_int(page_num) or not 1 <= page_num <= MAX_PAGE_NUM:
        raise InvalidParameterError(
            f"page_num must be an int from 1 to {MAX_PAGE_NUM}, got {page_num!r}",
            field="page_num",
        )
    check_limit(limit)
    return AsyncPaginator(fetch_page, page_size=page_size, page_num=page_num, limit=limit, key=key)


def check_limit(limit: object) -> None:
    """Refuse a ``limit`` (items in all) that is neither None nor an int >= 0."""
    if limit is not None and (not _is_int(limit) or limit < 0):  # type: ignore[operator]
        raise InvalidParameterError(
            f"limit must be an int >= 0 or None, got {limit!r}", field="limit"
        )


def filter_entry(
    key: str, value: str | Sequence[str] | None, known: tuple[str, ...] | None = None
) -> dict[str, Any] | None:
    """One ``filters`` entry of a cursor listing, ``{"key": key, "values": [...]}``; None for
    no value. ``known``: the values Kling documents for ``key``, when it lists them."""
    if value is None:
        return None
    values = [value] if isinstance(value, str) else list(value)
    for item in values:
        if not isinstance(item, str) or (known is not None and item not in known):
            expected = "a string" if known is None else f"one of {', '.join(map(repr, known))}"
            raise InvalidParameterError(f"{key} must be {expected}, got {item!r}", field=key)
    return {"key": key, "values": values}
