"""Tool input schemas, generated from the same TypedDicts that validate the SDK's parameters.

A create tool's schema is ``TypeAdapter(params).json_schema()`` made self-contained (``$ref``
inlined, titles dropped: agents read every token), with what the server changes: media strings
may also be paths under the root, ``callback_url`` is not offered (an agent has nowhere to
receive callbacks, and a prompt could point them anywhere), and a new-standard product takes
its ``model``.
"""

from __future__ import annotations

import copy
import functools
from typing import Any, get_args

from .. import _params
from .._families import FAMILIES
from .._params import json_schema
from .._params._common import MEDIA_KEY, JsonSchema
from .._rows import NEW_STANDARD, Endpoint, Product

__all__ = [
    "MAX_LIST_LIMIT",
    "MAX_WAIT_TIMEOUT",
    "OMITTED",
    "PATH_NOTE",
    "TASK_FAMILIES",
    "V2",
    "costs_schema",
    "create_schema",
    "custom_elements_schema",
    "deductions_schema",
    "download_schema",
    "list_schema",
    "models_schema",
    "product_models",
    "quote_schema",
    "task_schema",
    "wait_schema",
]

#: The ``family`` of new-standard tasks (every product's tasks are read through ``/tasks``).
V2 = NEW_STANDARD
#: What ``family`` takes in the lookup tools: a legacy family, or ``v2``.
TASK_FAMILIES = (*FAMILIES, V2)
#: Create parameters the tools do not offer.
OMITTED = frozenset({"callback_url"})
#: Added to the description of a media argument: the server also reads files under its root.
PATH_NOTE = "Or a path relative to the server's root."
EXTERNAL_ID_DESCRIPTION = (
    "Your id for the task; omitted, one is derived from the arguments, so an identical call "
    "returns the same task. A new one makes another task."
)
DEFAULT_WAIT_TIMEOUT = 300
MAX_WAIT_TIMEOUT = 1800
DEFAULT_LIST_LIMIT = 10
MAX_LIST_LIMIT = 100


@functools.cache
def create_schema(row: Endpoint) -> JsonSchema:
    """The input schema of the create tool of ``row``: what its parameters accept, and a
    new-standard product's ``model``."""
    schema = _self_contained(json_schema(row))
    properties: dict[str, Any] = schema["properties"]
    for key in OMITTED:
        properties.pop(key, None)
    if "external_task_id" in properties:
        properties["external_task_id"] = {"type": "string", "description": EXTERNAL_ID_DESCRIPTION}
    _describe_media(schema)
    if isinstance(row, Product):  # the model is a parameter of each call, beside the rest
        model = {
            "type": "string",
            "enum": list(product_models(row)),
            "description": f"The model, e.g. {row.example_model!r}.",
        }
        schema["properties"] = {"model": model, **properties}
        schema["required"] = ["model", *schema.get("required", [])]
    return schema


def product_models(product: Product) -> tuple[str, ...]:
    """The models a new-standard product knows (its ``Literal`` in ``kling._params``)."""
    return tuple(get_args(getattr(_params, product.models)))


def _self_contained(schema: JsonSchema) -> JsonSchema:
    defs = schema.pop("$defs", {})

    def inline(node: Any, in_properties: bool = False) -> Any:
        if isinstance(node, list):
            return [inline(item) for item in node]
        if not isinstance(node, dict):
            return node
        if in_properties:  # keys are field names, not keywords
            return {name: inline(value) for name, value in node.items()}
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = copy.deepcopy(defs[ref.removeprefix("#/$defs/")])
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            return inline({**target, **siblings})
        return {
            key: _plain(value) if key == "description" else inline(value, key == "properties")
            for key, value in node.items()
            if key != "title"
        }

    result: JsonSchema = inline(schema)
    return result


def _plain(text: Any) -> Any:
    # Docstrings mark code up for Sphinx (``x``); agents read Markdown.
    return text.replace("``", "`") if isinstance(text, str) else text


def _describe_media(node: Any) -> None:
    """Media strings also take a path under the root: say so where the SDK's schema says what
    the SDK takes."""
    if isinstance(node, list):
        for item in node:
            _describe_media(item)
    elif isinstance(node, dict):
        if MEDIA_KEY in node:
            described = node.get("description", "")
            node["description"] = f"{described} {PATH_NOTE}".strip()
        for value in node.values():
            _describe_media(value)


# -- the lookup tools ------------------------------------------------------------------------------

_FAMILY = {
    "type": "string",
    "enum": list(TASK_FAMILIES),
    "description": "Where the task was created: the legacy family (the create tool's name "
    "without 'create_'), or 'v2' for every create_v2_* task. Create results say it.",
}
_TASK_ID = {"type": "string", "minLength": 1, "description": "Kling's task id."}
_EXTERNAL_ID = {
    "type": "string",
    "minLength": 1,
    "description": "Or the task's external_task_id (give one of the two).",
}


def task_schema() -> JsonSchema:
    """``get_task``: a task by family and id."""
    return {
        "type": "object",
        "properties": {
            "family": dict(_FAMILY),
            "task_id": dict(_TASK_ID),
            "external_task_id": dict(_EXTERNAL_ID),
        },
        "required": ["family"],
        "additionalProperties": False,
    }


def wait_schema() -> JsonSchema:
    """``wait_task``: a task, and how long to wait for it."""
    schema = task_schema()
    schema["properties"]["timeout"] = {
        "type": "number",
        "minimum": 1,
        "maximum": MAX_WAIT_TIMEOUT,
        "default": DEFAULT_WAIT_TIMEOUT,
        "description": "Seconds to wait at most; a task still running then is reported, not "
        "failed: call wait_task again.",
    }
    return schema


def download_schema() -> JsonSchema:
    """``download_results``: a finished task, and the directory to save into."""
    schema = task_schema()
    schema["properties"]["directory"] = {
        "type": "string",
        "default": ".",
        "description": "Directory relative to the server's root (created if missing).",
    }
    return schema


def list_schema() -> JsonSchema:
    """``list_tasks``: recent tasks of one family, or of the new standard."""
    return {
        "type": "object",
        "properties": {
            "family": dict(_FAMILY),
            "limit": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_LIST_LIMIT,
                "default": DEFAULT_LIST_LIMIT,
                "description": "How many tasks, newest first.",
            },
            "status": {
                "type": "string",
                "enum": ["submitted", "processing", "succeeded", "failed"],
                "description": "Only tasks in this status (family 'v2' only).",
            },
        },
        "required": ["family"],
        "additionalProperties": False,
    }


def costs_schema() -> JsonSchema:
    """``account_costs``: the resource packs active in the last ``days``."""
    return {
        "type": "object",
        "properties": {
            "days": {
                "type": "integer",
                "minimum": 1,
                "maximum": 365,
                "default": 30,
                "description": "Look back this many days from now.",
            },
            "resource_pack_name": {
                "type": "string",
                "minLength": 1,
                "description": "Only the pack with this name.",
            },
        },
        "additionalProperties": False,
    }


def _strings(description: str, enum: tuple[str, ...] | None = None) -> JsonSchema:
    item: JsonSchema = {"type": "string", "minLength": 1}
    if enum is not None:
        item["enum"] = list(enum)
    return {"type": "array", "items": item, "minItems": 1, "description": description}


def deductions_schema(*, unit: bool) -> JsonSchema:
    """``account_balance_deductions`` / ``account_unit_deductions``: the charges of the tasks
    created in the last ``days``, filtered as Kling's billing pages allow."""
    from .._async._endpoints import PACKAGE_TYPES

    properties: dict[str, Any] = {
        "days": {
            "type": "integer",
            "minimum": 1,
            "maximum": 365,
            "default": 30,
            "description": "Tasks created this many days back from now.",
        },
        "limit": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_LIST_LIMIT,
            "default": DEFAULT_LIST_LIMIT,
            "description": "How many charges at most, oldest first.",
        },
        "api_key_name": _strings("Only the tasks of these API keys (by name)."),
    }
    if unit:
        properties |= {
            "product_type": _strings("Only packs of these types.", PACKAGE_TYPES),
            "package_name": _strings("Only these packs, by name (not with package_id)."),
            "package_id": _strings("Only these packs, by id (not with package_name)."),
        }
    return {"type": "object", "properties": properties, "additionalProperties": False}


def custom_elements_schema() -> JsonSchema:
    """``list_custom_elements``: yours, or Kling's presets."""
    return {
        "type": "object",
        "properties": {
            "presets": {
                "type": "boolean",
                "default": False,
                "description": "Kling's ready-made elements instead of yours.",
            },
            "limit": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_LIST_LIMIT,
                "default": DEFAULT_LIST_LIMIT,
                "description": "How many elements at most.",
            },
        },
        "additionalProperties": False,
    }


def models_schema() -> JsonSchema:
    """``list_models``: every model the SDK knows, or one."""
    return {
        "type": "object",
        "properties": {
            "name": {
                "type": "string",
                "minLength": 1,
                "description": "Only this model (kling-3.0, kling-v3...); an unknown one is an "
                "error that lists the known ones.",
            },
        },
        "additionalProperties": False,
    }


def quote_schema(create_tools: tuple[str, ...]) -> JsonSchema:
    """``quote``: what one of the create tools would cost with these arguments."""
    return {
        "type": "object",
        "properties": {
            "tool": {
                "type": "string",
                "enum": list(create_tools),
                "description": "The create tool to price (create_text_to_video...).",
            },
            "arguments": {
                "type": "object",
                "description": "Exactly what that tool takes; checked as the tool checks them.",
            },
        },
        "required": ["tool", "arguments"],
        "additionalProperties": False,
    }
