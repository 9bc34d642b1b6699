"""``client.with_raw_response``: the client's one-request methods, each returning a
:class:`~kling.RawResponse`.

The task families' and products' mirrors are generated (``_generated_raw``); the synchronous
endpoints', the account's and the older element library's are here. Waits and listings send
many requests and are not mirrored.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from ._call import to_raw_response
from ._generated_raw import AsyncFamiliesWithRawResponse

if TYPE_CHECKING:
    from ._client import AsyncKlingClient
    from ._custom_elements import AsyncCustomElements
    from ._endpoints import AsyncAccount, AsyncTTS

__all__ = ["AsyncKlingWithRawResponse"]


class AsyncKlingWithRawResponse(AsyncFamiliesWithRawResponse):
    """``client.with_raw_response``: ``<family>``, ``v2``, ``tts``, ``account``,
    ``custom_elements``, ``identify_face`` and ``image_recognize``, raw."""

    def __init__(self, client: AsyncKlingClient) -> None:
        super().__init__(client)
        self.identify_face = to_raw_response(client.identify_face)
        self.image_recognize = to_raw_response(client.image_recognize)

    @cached_property
    def tts(self) -> AsyncTTSWithRawResponse:
        """``create``, raw."""
        return AsyncTTSWithRawResponse(self._client.tts)

    @cached_property
    def account(self) -> AsyncAccountWithRawResponse:
        """``costs``, raw."""
        return AsyncAccountWithRawResponse(self._client.account)

    @cached_property
    def custom_elements(self) -> AsyncCustomElementsWithRawResponse:
        """``create`` and ``delete``, raw."""
        return AsyncCustomElementsWithRawResponse(self._client.custom_elements)


class AsyncTTSWithRawResponse:
    """``client.with_raw_response.tts``."""

    def __init__(self, resource: AsyncTTS) -> None:
        self.create = to_raw_response(resource.create)


class AsyncAccountWithRawResponse:
    """``client.with_raw_response.account`` (the billing details are listings, not mirrored)."""

    def __init__(self, resource: AsyncAccount) -> None:
        self.costs = to_raw_response(resource.costs)


class AsyncCustomElementsWithRawResponse:
    """``client.with_raw_response.custom_elements``."""

    def __init__(self, resource: AsyncCustomElements) -> None:
        self.create = to_raw_response(resource.create)
        self.delete = to_raw_response(resource.delete)
