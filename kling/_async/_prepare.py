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
from .._params._standard import merge_extra
from .._params._validate import prepare_body, prepare_standard_body

if TYPE_CHECKING:
    from .._families import Endpoint, Product

__all__ = ["prepare", "prepare_v2"]


async def prepare(
    endpoint: Endpoint, params: Mapping[str, Any], extra_body: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Validate ``params`` and build the JSON body; raises before anything is sent."""
    if reads_files(params):
        # Media files may be megabytes: read and encode them as blocking work.
        body = await _compat.run_blocking(prepare_body, endpoint, params)
    else:
        body = prepare_body(endpoint, params)
    if extra_body:
        body.update(extra_body)
    return body


async def prepare_v2(
    product: Product,
    model: str,
    params: Mapping[str, Any],
    extra_body: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The new-standard body: three layers, checked against the model's capabilities."""
    if reads_files(params):
        body = await _compat.run_blocking(prepare_standard_body, product, model, params)
    else:
        body = prepare_standard_body(product, model, params)
    return merge_extra(body, extra_body) if extra_body else body
