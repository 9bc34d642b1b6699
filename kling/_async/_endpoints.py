"""Kling's synchronous endpoints: they answer at once instead of creating a task to poll."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from typing_extensions import Unpack

from .._errors import InvalidParameterError
from .._families import ENDPOINTS
from .._models_endpoints import CostsResult, Speech
from .._params import TtsParams
from .._params._common import unix_ms
from .._response import EnvelopeError
from ._prepare import prepare

if TYPE_CHECKING:
    from ._client import AsyncKlingClient

__all__ = ["AsyncAccount", "AsyncTTS"]


class AsyncTTS:
    """Text to speech: ``POST /v1/audio/tts``."""

    def __init__(self, client: AsyncKlingClient) -> None:
        self._client = client

    async def create(self, **params: Unpack[TtsParams]) -> Speech:
        """Synthesize ``text`` with ``voice_id``; the result holds the audio URL at once.

        Not retried on server errors: each call is billed.
        """
        endpoint = ENDPOINTS["tts"]
        body = await prepare(endpoint, params)
        return await self._client._request(
            "POST", endpoint.path, body=body, parse=Speech.model_validate, idempotent=False
        )


class AsyncAccount:
    """Account information: ``/account/costs``."""

    def __init__(self, client: AsyncKlingClient) -> None:
        self._client = client

    async def costs(
        self,
        start_time: datetime | int,
        end_time: datetime | int,
        resource_pack_name: str | None = None,
    ) -> CostsResult:
        """The resource packs active between ``start_time`` and ``end_time``.

        Times are datetimes (naive ones are local time) or Unix milliseconds. Kling asks
        callers to keep this endpoint under one request per second.
        """
        start = unix_ms(start_time, "start_time")
        end = unix_ms(end_time, "end_time")
        if start >= end:
            raise InvalidParameterError("start_time must be before end_time", field="start_time")
        params: dict[str, Any] = {"start_time": start, "end_time": end}
        if resource_pack_name is not None:
            params["resource_pack_name"] = resource_pack_name
        return await self._client._request("GET", "/account/costs", params=params, parse=_costs)


def _costs(data: Any) -> CostsResult:
    # The answer is wrapped twice: the inner envelope's code is classified like an outer one,
    # so a 1302 in it is a RateLimitError (and retried) like any other.
    if isinstance(data, dict) and data.get("code") not in (None, 0):
        raise EnvelopeError({"code": data["code"], "message": data.get("msg")})
    return CostsResult.model_validate(data if data is not None else {})
