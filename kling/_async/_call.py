"""What one call carries: per-call options, and the raw-response wrapper.

A resource method given ``extra_headers``, ``extra_query`` or ``timeout`` rebinds itself
(:meth:`AsyncResource._with`) to a copy of the client made for that call alone: it shares the
pool, the limiter, the budget and the pollers, and its ``_send`` applies the options. A call
without options stays on the resource itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from typing_extensions import ParamSpec

from kling import _compat_async as _compat

from .._call_options import NOT_GIVEN
from .._raw_response import LAST_RESPONSE, RawResponse

if TYPE_CHECKING:
    import httpx
    from typing_extensions import Self

    from .._call_options import Headers, Query
    from .._config import TimeoutTypes
    from ._client import AsyncKlingClient

__all__ = ["AsyncResource", "to_raw_response"]

P = ParamSpec("P")
T = TypeVar("T")


class AsyncResource:
    """A group of the client's methods; ``_with`` binds one call's options."""

    def __init__(self, client: AsyncKlingClient) -> None:
        self._client = client

    def _with(
        self,
        extra_headers: Headers | None,
        extra_query: Query | None,
        timeout: TimeoutTypes = NOT_GIVEN,
    ) -> Self:
        """This resource on a copy of the client carrying the options (itself without any)."""
        if extra_headers is None and extra_query is None and timeout is NOT_GIVEN:
            return self
        return self._rebound(self._client._for_call(extra_headers, extra_query, timeout))

    def _rebound(self, client: AsyncKlingClient) -> Self:
        """This resource on ``client`` (a resource holding more than its client overrides it)."""
        return type(self)(client)


def to_raw_response(
    method: Callable[P, _compat.Awaitable[T]],
) -> Callable[P, _compat.Awaitable[RawResponse[T]]]:
    """``method`` returning a :class:`~kling.RawResponse` of its last HTTP response."""

    @functools.wraps(method)
    async def raw(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        responses: list[httpx.Response] = []
        token = LAST_RESPONSE.set(responses)
        try:
            parsed = await method(*args, **kwargs)
        finally:
            LAST_RESPONSE.reset(token)
        if not responses:  # every method wrapped sends a request, or raises
            raise RuntimeError(f"{method.__qualname__} sent no request")
        return RawResponse(responses[-1], parsed)

    return raw
