"""The new-standard (API 2.0) routes: ``POST /<product>/<model>``, ``GET /tasks``, ``POST /tasks``.

Authentication (API keys only) happens in the fake's outer layer like every other check of
credentials, so faults, the request log and the concurrency limit apply here as to ``/v1/...``.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .._callbacks import CallbackDispatcher
from .._envelope import ApiError
from .._http import Endpoint, json_body, ok
from .._state import TaskStore
from .._task import FakeTask
from .context import Accepted
from .fields import invalid, wrong_type
from .legacy_records import product_type, record_of
from .lookup import catalogue
from .models import MODELS, PRODUCTS, Product, find_model
from .records import PRODUCT_FAMILIES, StandardTask, standard_status
from .validate import validate

MAX_IDS = 20
"""Ids per ``GET /tasks`` (undocumented; observed live: 20 answers, 21 is refused)."""
DEFAULT_LIMIT, MAX_LIMIT = 100, 500
WINDOW_MS = 30 * 86_400_000
"""``POST /tasks`` looks back 30 days from ``end_time`` unless told otherwise."""

_FILTER_VALUES = {
    "status": ("submitted", "processing", "succeeded", "failed"),
    "product_type": ("video", "image", "try_on"),
}


def _id_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _millis(body: Mapping[str, Any], name: str, default: int) -> int:
    # Typed long on some pages and string on others; live, both are accepted.
    value = body.get(name)
    if value is None:
        return default
    if type(value) is int:
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise invalid(name, value)


def _filters(raw: Any) -> list[tuple[str, tuple[str, ...]]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise wrong_type("filters", "array")
    filters = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise wrong_type(f"filters[{index}]", "object")
        key, values = item.get("key"), item.get("values")
        if not isinstance(key, str) or key not in _FILTER_VALUES:
            raise invalid(f"filters[{index}].key", key)
        if not isinstance(values, list):
            raise wrong_type(f"filters[{index}].values", "array")
        for position, value in enumerate(values):
            if not isinstance(value, str) or value not in _FILTER_VALUES[key]:
                raise invalid(f"filters[{index}].values[{position}]", value)
        filters.append((key, tuple(values)))
    return filters


def _matches(task: FakeTask, filters: list[tuple[str, tuple[str, ...]]]) -> bool:
    for key, values in filters:
        if not values:
            continue  # an empty list constrains nothing
        have = standard_status(task.task_status) if key == "status" else product_type(task)
        if have not in values:
            return False
    return True


def _encode_cursor(start: int, end: int, after: str) -> str:
    raw = json.dumps([start, end, after], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode_cursor(cursor: Any) -> tuple[int, int, str]:
    """The window and the last id of the page a ``next_cursor`` was given with."""
    if not isinstance(cursor, str):
        raise invalid("cursor", cursor)
    try:
        start, end, after = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError, binascii.Error):
        raise invalid("cursor", cursor) from None
    if type(start) is not int or type(end) is not int or not isinstance(after, str):
        raise invalid("cursor", cursor)
    return start, end, after


class _StandardApi:
    """Handlers bound to one fake's store and callbacks."""

    def __init__(self, store: TaskStore, callbacks: CallbackDispatcher) -> None:
        self.store = store
        self.callbacks = callbacks

    def _admit(
        self, product: Product, model: str, body: dict[str, Any], accepted: Accepted, base: str
    ) -> StandardTask:
        store = self.store
        with store.lock:
            external = (body.get("options") or {}).get("external_task_id")
            if (
                external
                and isinstance(external, str)
                and any(task.standard == "new" for task in store.with_external_id(external))
            ):
                raise ApiError(1201, f"External_task_id {external} already exists")
            now, wall_ms = store.clock(), int(store.wall_clock() * 1000)
            task = StandardTask(
                task_id=store.new_id(),
                family=PRODUCT_FAMILIES[product],
                body=body,
                base_url=base,
                created_at=wall_ms,
                created_mono=now,
                failure=store.failure_for(body),
                result_ids=(str(uuid.uuid4()),),
                updated_at=wall_ms,
                stage_started=now,
                last_poll=now,
                product=product,
                model=model,
                settings=accepted.settings,
                duration=accepted.duration,
                rate=accepted.rate,
            )
            store.admit(task)
        return task

    def create(self, product: Product) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            model = find_model(product, request.path_params["model"])
            if model is None:
                raise ApiError(1201, unsupported_model(product))
            body = await json_body(request)
            accepted = validate(model, body, catalogue(self.store))
            task = self._admit(product, model.model, body, accepted, str(request.base_url))
            if task.callback_url:
                self.callbacks.start(task)
            return ok(request, task.create_view())

        return endpoint

    async def tasks(self, request: Request) -> Response:
        if request.method == "POST":
            return await self._list(request)
        task_ids = _id_list(request.query_params.get("task_ids"))
        external_ids = _id_list(request.query_params.get("external_task_ids"))
        if not task_ids and not external_ids:
            raise ApiError(1201, "task_ids or external_task_ids is required")
        if len(task_ids) + len(external_ids) > MAX_IDS:
            raise ApiError(1201, "task_ids and external_task_ids cannot exceed 20 in total")
        found: dict[str, FakeTask] = {}
        for ident in task_ids:
            task = self.store.get(ident)
            if task is not None:
                found.setdefault(ident, task)
        for ident in external_ids:
            for task in self.store.with_external_id(ident):
                if task.standard == "new" or task.family.lookup_by_external_id:
                    found.setdefault(task.task_id, task)
        return ok(request, [record_of(task, self.store.observe(task)) for task in found.values()])

    async def _list(self, request: Request) -> Response:
        body = await json_body(request)
        limit = body.get("limit", DEFAULT_LIMIT)
        if type(limit) is not int or not 1 <= limit <= MAX_LIMIT:
            raise invalid("limit", limit)
        filters = _filters(body.get("filters"))
        cursor = body.get("cursor")
        after: str | None = None
        if cursor is not None and cursor != "":
            start, end, after = _decode_cursor(cursor)  # a cursor carries its own window
        else:
            end = _millis(body, "end_time", int(self.store.wall_clock() * 1000))
            start = _millis(body, "start_time", end - WINDOW_MS)
            if start > end:
                raise invalid("start_time", body.get("start_time"), "must be before end_time")
        # One task past the page tells whether there are more; none beyond it is looked at.
        matching = self.store.newest(
            start, end, limit + 1, lambda task: _matches(task, filters), after=after
        )
        if matching is None:
            raise invalid("cursor", cursor)  # its last task is gone (reset), or never was
        page, has_more = matching[:limit], len(matching) > limit
        data: dict[str, Any] = {}
        if page:  # an empty page is just {"count": 0, "has_more": false} (live)
            data["result"] = [record_of(task, self.store.observe(task)) for task in page]
        data["count"] = len(page)
        if has_more:
            data["next_cursor"] = _encode_cursor(start, end, page[-1].task_id)
        data["has_more"] = has_more
        return ok(request, data)


def standard_routes(store: TaskStore, callbacks: CallbackDispatcher) -> list[Route]:
    """The routes of the new standard, served beside the legacy ones."""
    api = _StandardApi(store, callbacks)
    routes = [
        Route(f"/{product}/{{model}}", api.create(product), methods=["POST"])
        for product in PRODUCTS
    ]
    routes.append(Route("/tasks", api.tasks, methods=["GET", "POST"]))
    return routes


def unsupported_model(product: Product) -> str:
    """Kling's refusal of a model ``product`` does not serve, naming the ones it does.

    Kling says only "model is not supported"; the fake adds what a test would look up next
    (and not the refused path segment, which may be anything).
    """
    known = ", ".join(model.model for model in MODELS if model.product == product)
    return f"model is not supported; {product} serves {known}"
