"""Validating parameters into request bodies; media files are read as ``run_blocking`` says.

Imported with the resources (which import the family table and ``kling._params`` already), not
with the client: the validators are not needed to construct one, and importing them here once
keeps a per-call import out of every create.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kling import _compat_async as _compat

from .._files import reads_files
from .._params._validate import build_validator, builds_validator, prepare_body

if TYPE_CHECKING:
    from .._rows import Endpoint

__all__ = ["prepare"]


async def prepare(
    row: Endpoint, params: Mapping[str, Any], extra_body: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Validate ``params`` for ``row`` (either standard) and build the JSON body; raises before
    anything is sent."""
    if builds_validator(row):
        # The first check of a kind imports and builds its validator: tens of milliseconds,
        # once, which would stall every other call running. Off the caller's loop, in one
        # worker thread at a time: the first creates of a kind, started together, build it once
        # while the others wait their turn without a thread each.
        await _compat.run_blocking(build_validator, row, alone=True)
    if reads_files(params):
        # Media files may be megabytes: read and encode them as blocking work.
        return await _compat.run_blocking(prepare_body, row, params, extra_body)
    return prepare_body(row, params, extra_body)
