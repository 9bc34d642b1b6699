"""``client.custom_elements``: Kling's older element library (``/v1/general/custom-elements``).

Kling kept it when elements became tasks (``client.elements``, 2026-02-25): "the existing API
can still be used normally, but the elements library is relatively independent and cannot
perform cross-API queries" (https://github.com/aself101/kling-api/blob/main/docs/api/kling-updates-api.md).
Its create answers with the element itself, and its lists hold elements, not tasks:
https://github.com/WHQ25/rawgenai/blob/b3f9cef1c265/docs/research/kling/custom-elements.md
The row (``kling._families.ENDPOINTS["custom_elements"]``) says where each call goes.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

from typing_extensions import Unpack

from .._call_options import NOT_GIVEN
from .._families import ENDPOINTS
from .._models_endpoints import CustomElement
from .._params import CustomElementCreateParams
from .._response import list_items
from .._rows import Library
from ._call import AsyncResource
from ._legacy import delete_item
from ._prepare import prepare

if TYPE_CHECKING:
    from .._call_options import Headers, Query
    from .._config import TimeoutTypes
    from ._client import AsyncKlingClient
    from ._pagination import AsyncPaginator

__all__ = ["AsyncCustomElements"]

_DEFAULT_PAGE_SIZE = 30
#: ``pageSize``: "[1,500]" on both lists.
_MAX_PAGE_SIZE = 500


class AsyncCustomElements(AsyncResource):
    """Your elements in Kling's older library, and its presets: create, get, list, delete.

    Each method takes ``extra_headers``, ``extra_query`` and ``timeout`` for that call only.
    """

    def __init__(self, client: AsyncKlingClient) -> None:
        super().__init__(client)
        self.row = ENDPOINTS["custom_elements"]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.row.path}>"

    @property
    def _library(self) -> Library:
        assert self.row.library is not None
        return self.row.library

    async def create(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
        **params: Unpack[CustomElementCreateParams],
    ) -> CustomElement:
        """Create an element from ``element_frontal_image`` and 1-3 more views
        (``element_refer_list``); Kling answers with it at once (its ``element_id``).

        Not retried after an ambiguous failure: the old library has no lookup by your own id.
        """
        client = self._client._for_call(extra_headers, extra_query, timeout)
        body = await prepare(self.row, params, extra_body)
        return await client._request(
            "POST",
            self.row.path,
            body=body,
            parse=CustomElement.model_validate,
            idempotent=False,
        )

    def list(
        self,
        *,
        page_size: int = _DEFAULT_PAGE_SIZE,
        page_num: int = 1,
        limit: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> AsyncPaginator[CustomElement]:
        """Iterate your elements, a page of ``page_size`` at a time; ``limit`` stops early."""
        call = self._with(extra_headers, extra_query, timeout)
        return call._paginate(self.row.path, page_size, page_num, limit)

    def presets(
        self,
        *,
        page_size: int = _DEFAULT_PAGE_SIZE,
        limit: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> AsyncPaginator[CustomElement]:
        """Iterate Kling's ready-made elements of this library (``owned_by == "kling"``)."""
        call = self._with(extra_headers, extra_query, timeout)
        return call._paginate(self._library.presets_path, page_size, 1, limit)

    async def get(
        self,
        element_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> CustomElement:
        """Your element ``element_id``, found by walking :meth:`list` (the old library's page
        documents no lookup by id). Raises :class:`~kling.NotFoundError` when no page has it."""
        pages_of = self._with(extra_headers, extra_query, timeout).list(page_size=_MAX_PAGE_SIZE)
        # aclosing: stopping at the element closes the pages at once, not when collected.
        async with aclosing(pages_of.iter_pages()) as pages:
            async for page in pages:
                for element in page:
                    if element.element_id == element_id:
                        return element
        from .._errors import NotFoundError

        raise NotFoundError(
            f"no element {element_id!r} in your older element library "
            "(client.custom_elements.list() shows them; elements made with "
            "client.elements live in the other library)",
            code=404,
        )

    async def delete(
        self,
        element_id: str,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> None:
        """Delete one of your own elements by its ``element_id``."""
        client = self._client._for_call(extra_headers, extra_query, timeout)
        await delete_item(client, self._library, element_id)

    def _paginate(
        self, path: str, page_size: int, page_num: int, limit: int | None
    ) -> AsyncPaginator[CustomElement]:
        from ._pagination import paginate

        async def fetch(number: int, size: int) -> Sequence[CustomElement]:
            return await self._client._request(
                "GET", path, params={"pageNum": number, "pageSize": size}, parse=_elements
            )

        return paginate(fetch, _MAX_PAGE_SIZE, page_size, page_num, limit, key=_element_id)


def _elements(data: Any) -> builtins.list[CustomElement]:
    return [CustomElement.model_validate(item) for item in list_items(data)]


def _element_id(element: CustomElement) -> str | None:
    """What names an element in a listing (one met on two pages is yielded once)."""
    return element.element_id
