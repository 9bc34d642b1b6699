"""Tool arguments -> SDK keyword arguments: local media paths resolved inside the root, and the
``external_task_id`` a create gets when the agent gave none.

Which arguments are media is read from the tool's input schema (``x-kling-media``, set by the
parameter types), so the same table that describes a field decides how it is read. A media
string is sent as is when it is a URL, a ``data:`` URI or raw Base64 (too long for a path, or
nothing but Base64 characters, at least 64 of them); anything else is a path under the root.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .._ids import canonical_json, content_digest, derived_external_id
from .._params._common import MEDIA_KEY, JsonSchema
from ._paths import Root

__all__ = ["PATH_MAX", "call_external_id", "resolve_media"]

#: No path is longer (Linux's PATH_MAX): a longer media string is the file itself.
PATH_MAX = 4096
# Raw Base64, perhaps line-wrapped. A path almost always has a dot, a space or a dash, which
# Base64 never has; one of 64 characters without any is not worth guessing at.
_BASE64 = re.compile(r"[A-Za-z0-9+/\r\n]{64,}={0,2}\s*")


def resolve_media(schema: JsonSchema, arguments: Mapping[str, Any], root: Root) -> dict[str, Any]:
    """``arguments`` with every local media path replaced by its resolved :class:`Path`.

    Raises, naming the field (``image_list[0].image``), before any file is read."""
    result: dict[str, Any] = _walk(schema, dict(arguments), "", root)
    return result


def _walk(schema: JsonSchema, value: Any, field: str, root: Root) -> Any:
    if isinstance(value, str) and _is_media(schema):
        return value if _is_inline(value) else root.input_file(value, field=field)
    if isinstance(value, dict):
        properties = _object_branch(schema).get("properties", {})
        return {
            key: _walk(properties.get(key, {}), item, f"{field}.{key}" if field else key, root)
            for key, item in value.items()
        }
    if isinstance(value, list):
        items = schema.get("items", {})
        return [_walk(items, item, f"{field}[{i}]", root) for i, item in enumerate(value)]
    return value


def _is_media(schema: JsonSchema) -> bool:
    if MEDIA_KEY in schema:
        return True
    # A union (a new-standard item given as itself or as {"url": ..., "id": ...}).
    return any(MEDIA_KEY in branch for branch in schema.get("anyOf", ()))


def _object_branch(schema: JsonSchema) -> JsonSchema:
    if "properties" in schema:
        return schema
    for branch in schema.get("anyOf", ()):
        if "properties" in branch:
            return dict(branch)
    return {}


def _is_inline(text: str) -> bool:
    head = text.lstrip()[:8].lower()
    if head.startswith(("http://", "https://", "data:")) or len(text) > PATH_MAX:
        return True
    return _BASE64.fullmatch(text) is not None and len("".join(text.split())) % 4 == 0


def call_external_id(tool: str, body: Mapping[str, Any]) -> str:
    """An ``external_task_id`` that identical calls share: a hash of the tool and the body it
    sends, once validated. Equivalent spellings (``5`` and ``"5"``, a path and the Base64 of the
    same bytes) are one request; a file edited since is another."""
    content = {"tool": tool, "body": {k: v for k, v in body.items() if k != "external_task_id"}}
    return derived_external_id("mcp", content_digest(canonical_json(content)))
