"""Builders for Kling responses, shared by the async and the generated sync tests."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from kling._rows import Endpoint, Product

TASK_CREATED_AT = 1_722_769_557_708


def ok(data: Any, request_id: str = "req-ok") -> httpx.Response:
    return httpx.Response(
        200, json={"code": 0, "message": "SUCCEED", "request_id": request_id, "data": data}
    )


def error(
    status: int,
    code: int,
    message: str = "error",
    request_id: str = "req-err",
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    return httpx.Response(
        status,
        json={"code": code, "message": message, "request_id": request_id},
        headers=headers,
    )


def task(
    task_id: str = "867283741759111202",
    status: str = "submitted",
    *,
    external_task_id: str | None = None,
    videos: list[dict[str, Any]] | None = None,
    status_msg: str = "",
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "task_id": task_id,
        "task_status": status,
        "task_status_msg": status_msg,
        "task_info": {"external_task_id": external_task_id} if external_task_id else {},
        "created_at": TASK_CREATED_AT,
        "updated_at": TASK_CREATED_AT,
        **extra,
    }
    if videos is not None:
        body["task_result"] = {"videos": videos}
    return body


def sent_json(request: httpx.Request) -> Any:
    return json.loads(request.content)


def decode_jwt(token: str, secret: str, *, verify_time: bool = True) -> dict[str, Any]:
    """Verify a token as Kling would (the test keys are short, so PyJWT's warning is muted)."""
    import warnings

    import jwt

    options = {} if verify_time else {"verify_exp": False, "verify_nbf": False}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
        return jwt.decode(token, secret, algorithms=["HS256"], options=options)  # type: ignore[arg-type]


class DroppingStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that sends ``data[:cut]`` and then loses the connection (both client kinds)."""

    def __init__(self, data: bytes, cut: int) -> None:
        self.data, self.cut = data, cut

    def __iter__(self) -> Iterator[bytes]:
        yield self.data[: self.cut]
        raise httpx.ReadError("connection reset by peer")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.data[: self.cut]
        raise httpx.ReadError("connection reset by peer")


def prepare_body(row: str | Endpoint, params: Mapping[str, Any]) -> dict[str, Any]:
    """``kling._params.prepare_body`` for a row named as the client names it
    (``"text_to_video"``), or for the row itself."""
    from kling._families import ENDPOINTS
    from kling._params import prepare_body as prepare

    return prepare(ENDPOINTS[row] if isinstance(row, str) else row, params)


def prepare_standard_body(
    product: Product, model: str, params: Mapping[str, Any]
) -> dict[str, Any]:
    """The body of a new-standard create of ``product`` with ``model``."""
    from kling._params import prepare_body as prepare

    return prepare(product, {**params, "model": model})


@contextlib.contextmanager
def unwritable(directory: Path) -> Iterator[Path]:
    """``directory`` (created) made unwritable for the duration: ``chmod 555``, or for root,
    whom permission bits do not stop, the immutable attribute (skipped where neither works)."""
    import pytest

    directory.mkdir(parents=True, exist_ok=True)
    root = os.geteuid() == 0
    if root:
        done = subprocess.run(["chattr", "+i", str(directory)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip("running as root without chattr +i: no directory is unwritable")
    else:
        directory.chmod(0o555)
    try:
        yield directory
    finally:
        if root:
            subprocess.run(["chattr", "-i", str(directory)], check=True)
        else:
            directory.chmod(0o755)
