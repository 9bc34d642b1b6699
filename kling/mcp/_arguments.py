"""Tool arguments -> SDK keyword arguments: local media paths resolved inside the root, and the
``external_task_id`` a create gets when the agent gave none.

Which arguments are media is read from the tool's input schema (``x-kling-media``, set by the
parameter types), so the same table that describes a field decides how it is read. A media
string is sent as is when it is a URL, a ``data:`` URI or raw Base64 (too long for a path, or
nothing but Base64 characters, at least 64 of them); anything else is a path under the root.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import anyio.to_thread

from .._params._common import MEDIA_KEY, JsonSchema
from ._paths import Root

__all__ = ["PATH_MAX", "derived_external_id", "resolve_media"]

#: No path is longer (Linux's PATH_MAX): a longer media string is the file itself.
PATH_MAX = 4096
# Raw Base64, perhaps line-wrapped. A path almost always has a dot, a space or a dash, which
# Base64 never has; one of 64 characters without any is not worth guessing at.
_BASE64 = re.compile(r"[A-Za-z0-9+/\r\n]{64,}={0,2}\s*")
_CHUNK = 1024 * 1024


def resolve_media(
    schema: JsonSchema, arguments: Mapping[str, Any], root: Root
) -> tuple[dict[str, Any], dict[str, Path]]:
    """``arguments`` with every local media path replaced by its resolved :class:`Path`, and
    those files by field (``image_list[0].image``). Raises before any file is read."""
    files: dict[str, Path] = {}
    value = _walk(schema, dict(arguments), "", root, files)
    return value, files


def _walk(schema: JsonSchema, value: Any, field: str, root: Root, files: dict[str, Path]) -> Any:
    if isinstance(value, str) and _is_media(schema):
        if _is_inline(value):
            return value
        path = root.input_file(value, field=field)
        files[field] = path
        return path
    if isinstance(value, dict):
        properties = _object_branch(schema).get("properties", {})
        return {
            key: _walk(
                properties.get(key, {}), item, f"{field}.{key}" if field else key, root, files
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        items = schema.get("items", {})
        return [_walk(items, item, f"{field}[{i}]", root, files) for i, item in enumerate(value)]
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


async def derived_external_id(
    tool: str, arguments: Mapping[str, Any], files: dict[str, Path]
) -> str:
    """An ``external_task_id`` that identical calls share: a hash of the tool, its arguments and
    the contents of the local files they name (a file edited since is another request)."""
    digests = {
        field: await anyio.to_thread.run_sync(_digest, path) for field, path in files.items()
    }
    canonical = json.dumps(
        {"tool": tool, "arguments": arguments, "files": digests},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return "mcp-" + hashlib.sha256(canonical.encode()).hexdigest()[:40]


def _digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            hasher.update(chunk)
    return hasher.hexdigest()
