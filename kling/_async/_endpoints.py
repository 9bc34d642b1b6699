"""Kling's synchronous endpoints: they answer at once instead of creating a task to poll."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from typing_extensions import Unpack

from .._call_options import NOT_GIVEN
from .._errors import InvalidParameterError
from .._families import ENDPOINTS
from .._models_endpoints import BalanceDeduction, CostsResult, Speech, UnitDeduction
from .._params import TtsParams
from .._params._common import unix_ms
from .._response import EnvelopeError
from ._call import AsyncResource
from ._prepare import prepare

if TYPE_CHECKING:
    from .._call_options import Headers, Query
    from .._config import TimeoutTypes
    from ._pagination import AsyncCursorPaginator

T = TypeVar("T")

#: The most rows one page of billing details holds (its ``limit``, also Kling's default).
MAX_DEDUCTIONS_PAGE = 500
#: The resource pack types ``unit_deductions`` filters on (the package page's enum).
PACKAGE_TYPES = ("video", "image", "try-on")

__all__ = ["AsyncAccount", "AsyncTTS"]


class AsyncTTS(AsyncResource):
    """Text to speech: ``POST /v1/audio/tts``."""

    async def create(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
        **params: Unpack[TtsParams],
    ) -> Speech:
        """Synthesize ``text`` with ``voice_id``; the result holds the audio URL at once.

        Not retried on server errors: each call is billed. ``extra_headers``, ``extra_query``,
        ``extra_body`` and ``timeout`` apply to this call only.
        """
        from .._ids import random_external_id
        from ._resources import budgeted

        client = self._client._for_call(extra_headers, extra_query, timeout)
        endpoint = ENDPOINTS["tts"]
        body = await prepare(endpoint, params, extra_body)
        send = functools.partial(
            client._request,
            "POST",
            endpoint.path,
            body=body,
            parse=Speech.model_validate,
            idempotent=False,
        )
        return await budgeted(client, endpoint, params, random_external_id(), send)


class AsyncAccount(AsyncResource):
    """Account information: ``/account/costs`` and the billing details
    (``/account/billing/balance``, ``/account/billing/package``).

    Each method takes ``extra_headers``, ``extra_query`` and ``timeout`` for that call only.
    """

    async def costs(
        self,
        start_time: datetime | int,
        end_time: datetime | int,
        resource_pack_name: str | None = None,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> CostsResult:
        """The resource packs active between ``start_time`` and ``end_time``.

        Times are datetimes (naive ones are local time) or Unix milliseconds. Kling asks
        callers to keep this endpoint under one request per second.
        """
        client = self._client._for_call(extra_headers, extra_query, timeout)
        start = unix_ms(start_time, "start_time")
        end = unix_ms(end_time, "end_time")
        if start >= end:
            raise InvalidParameterError("start_time must be before end_time", field="start_time")
        params: dict[str, Any] = {"start_time": start, "end_time": end}
        if resource_pack_name is not None:
            params["resource_pack_name"] = resource_pack_name
        return await client._request("GET", "/account/costs", params=params, parse=_costs)

    def balance_deductions(
        self,
        start_time: datetime | int,
        end_time: datetime | int,
        *,
        api_key_name: str | Sequence[str] | None = None,
        page_size: int = MAX_DEDUCTIONS_PAGE,
        limit: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> AsyncCursorPaginator[BalanceDeduction]:
        """Iterate the charges to the cash balance of tasks created between ``start_time`` and
        ``end_time`` (datetimes, naive ones local, or Unix milliseconds), a page of
        ``page_size`` (at most 500) at a time; ``limit`` stops after that many.

        ``api_key_name``: only the tasks of these API keys. ``POST /account/billing/balance``:
        https://github.com/aself101/kling-api/blob/main/docs/api/kling-assets-balance.md
        """
        from ._pagination import filter_entry

        filters = [filter_entry("api_key_name", api_key_name)]
        return self._with(extra_headers, extra_query, timeout)._deductions(
            "/account/billing/balance",
            BalanceDeduction.model_validate,
            start_time,
            end_time,
            filters,
            page_size,
            limit,
        )

    def unit_deductions(
        self,
        start_time: datetime | int,
        end_time: datetime | int,
        *,
        api_key_name: str | Sequence[str] | None = None,
        product_type: str | Sequence[str] | None = None,
        package_name: str | Sequence[str] | None = None,
        package_id: str | Sequence[str] | None = None,
        page_size: int = MAX_DEDUCTIONS_PAGE,
        limit: int | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> AsyncCursorPaginator[UnitDeduction]:
        """Iterate the resource-pack units charged for tasks created between ``start_time``
        and ``end_time``, as ``balance_deductions`` does.

        Filters (each one value or several; one matches any of its values, all must match):
        ``api_key_name``, ``product_type`` (the pack's: ``video``, ``image``, ``try-on``), and
        ``package_name`` or ``package_id`` (not both). ``POST /account/billing/package``:
        https://github.com/aself101/kling-api/blob/main/docs/api/kling-assets-package.md
        """
        from ._pagination import filter_entry

        if package_name is not None and package_id is not None:
            # The package page: the two "cannot be set as filtering conditions at the same time".
            raise InvalidParameterError(
                "give package_name or package_id, not both", field="package_id"
            )
        filters = [
            filter_entry("api_key_name", api_key_name),
            filter_entry("product_type", product_type, PACKAGE_TYPES),
            filter_entry("package_name", package_name),
            filter_entry("package_id", package_id),
        ]
        return self._with(extra_headers, extra_query, timeout)._deductions(
            "/account/billing/package",
            UnitDeduction.model_validate,
            start_time,
            end_time,
            filters,
            page_size,
            limit,
        )

    def _deductions(
        self,
        path: str,
        parse_row: Callable[[Any], T],
        start_time: datetime | int,
        end_time: datetime | int,
        filters: list[dict[str, Any] | None],
        page_size: int,
        limit: int | None,
    ) -> AsyncCursorPaginator[T]:
        """The cursor pages of one billing detail: the window and filters checked first."""
        from ._pagination import AsyncCursorPaginator, check_limit, check_page_size

        start = unix_ms(start_time, "start_time")
        end = unix_ms(end_time, "end_time")
        if start >= end:
            raise InvalidParameterError("start_time must be before end_time", field="start_time")
        check_page_size(page_size, MAX_DEDUCTIONS_PAGE)
        check_limit(limit)
        body: dict[str, Any] = {"start_time": start, "end_time": end, "limit": page_size}
        if any(filters):
            body["filters"] = [entry for entry in filters if entry]

        def parse(data: Any) -> tuple[list[T], str | None, bool]:
            rows, cursor, more = _deduction_page(data)
            return [parse_row(row) for row in rows], cursor, more

        async def fetch(cursor: str | None) -> tuple[Sequence[T], str | None, bool]:
            # With a cursor Kling ignores the rest; it asks for the same filters all the same.
            page_body = {**body, "cursor": cursor} if cursor else body
            return await self._client._request("POST", path, body=page_body, parse=parse)

        return AsyncCursorPaginator(fetch, limit=limit)


def _deduction_page(data: Any) -> tuple[list[Any], str | None, bool]:
    """A billing page's rows (``result.detail``), its next cursor, whether there are more."""
    if not isinstance(data, dict):
        raise TypeError(f"expected a page object, got {type(data).__name__}")
    result = data.get("result")
    rows = result.get("detail") if isinstance(result, dict) else None
    cursor = data.get("next_cursor")
    return (
        [row for row in rows or () if isinstance(row, dict)],
        cursor if isinstance(cursor, str) and cursor else None,
        bool(data.get("has_more")),
    )


def _costs(data: Any) -> CostsResult:
    # The answer is wrapped twice: the inner envelope's code is classified like an outer one,
    # so a 1302 in it is a RateLimitError (and retried) like any other.
    if isinstance(data, dict) and data.get("code") not in (None, 0):
        raise EnvelopeError({"code": data["code"], "message": data.get("msg")})
    return CostsResult.model_validate(data if data is not None else {})
