"""One generic handler per kind of tool, over one client shared by every call.

The client's shared poller, cached JWT and retries serve all the tools; a handler only turns
arguments into an SDK call and its answer (or error) into a short JSON payload.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import anyio.to_thread

from .._catalogue import models as catalogue
from .._errors import DuplicateTaskError, KlingError, TaskFailedError, WaitTimeoutError
from .._params import prepare_body
from .._quote import quote_for
from .._rows import TaskRow, resource_of, tasks_of
from .._scrub import Scrubber
from . import _inputs
from ._arguments import call_external_id, resolve_media
from ._errors import ToolInputError, error_payload
from ._paths import Root
from ._results import costs_summary, task_summary
from ._schemas import (
    DEFAULT_LIST_LIMIT,
    DEFAULT_WAIT_TIMEOUT,
    MAX_LIST_LIMIT,
    MAX_WAIT_TIMEOUT,
    OMITTED,
    V2,
)
from ._selections import run_step
from ._tools import ToolDef, tool_defs

if TYPE_CHECKING:
    from .._async._client import AsyncKlingClient
    from .._eta import Estimate

__all__ = ["Outcome", "Progress", "Toolbox"]

logger = logging.getLogger("kling.mcp")

#: ``progress(value, total, message)``: report how a long call is going (a no-op without a
#: token); ``total`` when it is known, else None.
Progress = Callable[[float, float | None, str], Awaitable[None]]
#: A tool's answer: the JSON payload, and whether it is a tool error.
Outcome = tuple[dict[str, Any], bool]

_DAY_MS = 86_400_000
_TASK_ARGS = ("family", "task_id", "external_task_id")


class Toolbox:
    """The tools of one server: their definitions, and :meth:`call` to run one."""

    def __init__(
        self,
        client: AsyncKlingClient,
        root: Root,
        *,
        read_only: bool = False,
        wait_options: Mapping[str, Any] | None = None,
    ) -> None:
        self._client = client
        self.root = root
        self.read_only = read_only
        self._wait_options = dict(wait_options or {})
        self._defs = {tool.name: tool for tool in tool_defs(read_only=read_only)}
        config = client._config
        self._scrubber = Scrubber(
            [
                config.access_key,
                config.secret_key.get() if config.secret_key else None,
                config.api_key.get() if config.api_key else None,
            ]
        )
        self._handlers: dict[str, Callable[[ToolDef, dict[str, Any], Progress], Awaitable[Any]]]
        self._handlers = {
            "create": self._create,
            "get": self._get,
            "wait": self._wait,
            "list": self._list,
            "costs": self._costs,
            "models": self._models,
            "balance_deductions": self._deductions,
            "unit_deductions": self._deductions,
            "custom_elements": self._custom_elements,
            "create_custom_element": self._create_custom_element,
            "download": self._download,
            "selection": self._selection,
            "quote": self._quote,
            "endpoint": self._endpoint,
        }

    def __repr__(self) -> str:
        return f"<Toolbox {len(self._defs)} tools, root={str(self.root.path)!r}>"

    def definitions(self) -> list[ToolDef]:
        """The tools this server offers, in listing order."""
        return list(self._defs.values())

    async def call(
        self, name: str, arguments: Mapping[str, Any] | None, progress: Progress
    ) -> Outcome:
        """Run tool ``name``; every failure becomes a tool error payload, never an exception
        (cancellation excepted)."""
        started = time.monotonic()
        try:
            tool = self._tool(name)
            if arguments is not None and not isinstance(arguments, Mapping):
                raise ToolInputError("arguments must be a JSON object", field=None)
            payload: dict[str, Any] = await self._handlers[tool.kind](
                tool, dict(arguments or {}), progress
            )
            is_error = False
        except KlingError as exc:
            payload, is_error = error_payload(exc), True
        except Exception as exc:  # a bug: the agent gets a tool error, the log the traceback
            logger.exception("%s failed unexpectedly", name)
            payload, is_error = error_payload(exc), True
        elapsed = time.monotonic() - started
        outcome = payload["error"]["type"] if is_error else "ok"
        logger.info("%s: %s in %.2f s", name, outcome, elapsed)
        return self._scrubber.payload(payload), is_error

    def _tool(self, name: str) -> ToolDef:
        tool = self._defs.get(name)
        if tool is not None:
            return tool
        if self.read_only and any(t.name == name for t in tool_defs()):
            raise ToolInputError(
                f"{name} is not available: this server runs read-only (only "
                f"{', '.join(self._defs)})",
                field=None,
            )
        raise ToolInputError(f"unknown tool {name!r}; the server lists its tools", field=None)

    # -- creates -------------------------------------------------------------------------------

    async def _create(
        self, tool: ToolDef, arguments: dict[str, Any], progress: Progress
    ) -> dict[str, Any]:
        refused = sorted(OMITTED & arguments.keys())
        if refused:
            raise ToolInputError(
                f"{refused[0]} is not offered by this server: follow the task with wait_task",
                field=refused[0],
            )
        params = resolve_media(tool.input_schema, arguments, self.root)
        assert tool.row is not None, f"{tool.name} is a create tool without a row"
        model = tool.input_schema["properties"].get("model")
        if model is not None and params.get("model") is None:
            # Said before validating anything else: without a model nothing else can be checked.
            raise ToolInputError(
                f"model: required, one of {', '.join(model['enum'])}", field="model"
            )
        family, resource = tool.row.source, resource_of(self._client, tool.row)
        if not params.get("external_task_id"):
            body = await anyio.to_thread.run_sync(_body, tool.row, params)
            params["external_task_id"] = call_external_id(tool.name, body)
        try:
            task = await resource.create(**params)
        except DuplicateTaskError as exc:
            # An earlier call with this id made the task: answer with it, not a second charge.
            try:
                existing = await exc.fetch()
            except KlingError:
                # Kling cannot look this family's tasks up by external id (advanced lip-sync):
                # the agent is told, and nothing is charged twice.
                raise exc from None
            summary = task_summary(existing, family, existing=True)
        else:
            summary = task_summary(task, family)
        # After the create: its parameters are valid, so the quote reads what was sent.
        return {**summary, "quote": quote_for(tool.row, params).to_json(), **self._budget()}

    async def _quote(
        self, tool: ToolDef, arguments: dict[str, Any], progress: Progress
    ) -> dict[str, Any]:
        _inputs.only(arguments, ("tool", "arguments"), tool.name)
        name = _inputs.text(arguments, "tool")
        target = next((t for t in tool_defs() if t.kind == "create" and t.name == name), None)
        if target is None or target.row is None:
            raise ToolInputError(
                f"tool must be one of the create tools, got {name!r}", field="tool"
            )
        given = arguments.get("arguments")
        if not isinstance(given, Mapping):
            raise ToolInputError("arguments must be a JSON object", field="arguments")
        params = resolve_media(target.input_schema, dict(given), self.root)
        model = target.input_schema["properties"].get("model")
        if model is not None and params.get("model") is None:
            raise ToolInputError(
                f"model: required, one of {', '.join(model['enum'])}", field="model"
            )
        # Checked as the create checks them (files read): the same errors, nothing sent.
        await anyio.to_thread.run_sync(prepare_body, target.row, params)
        quote = quote_for(target.row, params)
        return {"tool": name, "summary": str(quote), "quote": quote.to_json(), **self._budget()}

    def _budget(self) -> dict[str, Any]:
        """``{"budget": {limits, used, left}}`` when the server has one (``--budget``)."""
        budget = self._client.budget
        return {} if budget is None else {"budget": budget.to_json()}

    async def _selection(
        self, tool: ToolDef, arguments: dict[str, Any], progress: Progress
    ) -> dict[str, Any]:
        assert tool.row is not None, f"{tool.name} has no row"
        assert tool.step is not None, f"{tool.name} has no step"
        return await run_step(self._client, tool.row, tool.step, arguments)

    async def _endpoint(
        self, tool: ToolDef, arguments: dict[str, Any], progress: Progress
    ) -> dict[str, Any]:
        assert tool.endpoint is not None, f"{tool.name} has no endpoint"
        params = resolve_media(tool.input_schema, arguments, self.root)
        name = tool.endpoint.name
        call = self._client.tts.create if name == "tts" else getattr(self._client, name)
        result = await call(**params)
        return {name: result.model_dump(mode="json", exclude_none=True)}

    # -- lookups -------------------------------------------------------------------------------

    async def _get(
        self, tool: ToolDef, arguments: dict[str, Any], progress: Progress
    ) -> dict[str, Any]:
        _inputs.only(arguments, _TASK_ARGS, tool.name)
        ref = _inputs.task_ref(arguments)
        return task_summary(await self._fetch(ref), ref.family)

    async def _wait(
        self, tool: ToolDef, arguments: dict[str, Any], progress: Progress
    ) -> dict[str, Any]:
        _inputs.only(arguments, (*_TASK_ARGS, "timeout"), tool.name)
        ref = _inputs.task_ref(arguments)
        timeout = _inputs.number(
            arguments, "timeout", low=1, high=MAX_WAIT_TIMEOUT, default=DEFAULT_WAIT_TIMEOUT
        )
        task: Any = ref.task_id if ref.task_id is not None else await self._fetch(ref)
        waits = tasks_of(self._client, ref.family)
        try:
            done = await waits.wait(
                task, timeout=timeout, on_progress=_Reporter(progress), **self._wait_options
            )
        except TaskFailedError as exc:
            return task_summary(exc.task, ref.family)
        except WaitTimeoutError as exc:
            # Not an error: the task goes on, and the agent can wait again.
            summary = task_summary(exc.task, ref.family)
            summary["next"] = (
                f"Still {exc.task.task_status} after {timeout:g} s: call wait_task again."
            )
            return summary
        return task_summary(done, ref.family)

    async def _list(
        self, tool: ToolDef, arguments: dict[str, Any], progress: Progress
    ) -> dict[str, Any]:
        _inputs.only(arguments, ("family", "limit", "status"), tool.name)
        family = _inputs.family(arguments)
        limit = _inputs.integer(
            arguments, "limit", low=1, high=MAX_LIST_LIMIT, default=DEFAULT_LIST_LIMIT
        )
        status = _inputs.text(arguments, "status")
        if status is not None and family != V2:
            raise ToolInputError(
                "status only filters family 'v2'; leave it out for a legacy family",
                field="status",
            )
        # Both kinds of listing take pages this large (limit is at most 100).
        filters = {} if status is None else {"status": status}
        pages = tasks_of(self._client, family).list(page_size=limit, limit=limit, **filters)
        tasks = [task_summary(task, family) async for task in pages]
        for summary in tasks:
            summary.pop("next", None)  # one hint per task is noise in a list
        return {"family": family, "count": len(tasks), "tasks": tasks}

    async def _costs(
        self, tool: ToolDef, arguments: dict[str, Any], progress: Progress
    ) -> dict[str, Any]:
        _inputs.only(arguments, ("days", "resource_pack_name"), tool.name)
        days = _inputs.integer(arguments, "days", low=1, high=365, default=30)
        name = _inputs.text(arguments, "resource_pack_name")
        end = int(time.time() * 1000)
        costs = await self._client.account.costs(end - days * _DAY_MS, end, name)
        return {"days": days, **costs_summary(costs)}

    async def _models(
        self, tool: ToolDef, arguments: dict[str, Any], progress: Progress
    ) -> dict[str, Any]:
        _inputs.only(arguments, ("name",), tool.name)
        name = _inputs.text(arguments, "name")
        # Read from the tables the checks use; an unknown name raises, listing the known ones.
        found = [catalogue(name)] if name is not None else catalogue()
        return {"count": len(found), "models": [info.as_dict() for info in found]}

    async def _deductions(
        self, tool: ToolDef, arguments: dict[str, Any], progress: Progress
    ) -> dict[str, Any]:
        filters = [k for k in tool.input_schema["properties"] if k not in ("days", "limit")]
        _inputs.only(arguments, ("days", "limit", *filters), tool.name)
        days = _inputs.integer(arguments, "days", low=1, high=365, default=30)
        limit = _inputs.integer(
            arguments, "limit", low=1, high=MAX_LIST_LIMIT, default=DEFAULT_LIST_LIMIT
        )
        chosen: dict[str, Any] = {name: _inputs.texts(arguments, name) for name in filters}
        end = int(time.time() * 1000)
        account = self._client.account
        listing = (
            account.unit_deductions
            if tool.kind == "unit_deductions"
            else account.balance_deductions
        )
        rows = listing(end - days * _DAY_MS, end, page_size=limit, limit=limit, **chosen)
        charges = [row.model_dump(mode="json", exclude_none=True) async for row in rows]
        return {"days": days, "count": len(charges), "charges": charges}

    async def _custom_elements(
        self, tool: ToolDef, arguments: dict[str, Any], progress: Progress
    ) -> dict[str, Any]:
        _inputs.only(arguments, ("presets", "limit"), tool.name)
        presets = arguments.get("presets", False)
        if not isinstance(presets, bool):
            raise ToolInputError(f"presets must be true or false, got {presets!r}", field="presets")
        limit = _inputs.integer(
            arguments, "limit", low=1, high=MAX_LIST_LIMIT, default=DEFAULT_LIST_LIMIT
        )
        library = self._client.custom_elements
        pages = (library.presets if presets else library.list)(page_size=limit, limit=limit)
        items = [item.model_dump(mode="json", exclude_none=True) async for item in pages]
        return {"presets": presets, "count": len(items), "elements": items}

    async def _create_custom_element(
        self, tool: ToolDef, arguments: dict[str, Any], progress: Progress
    ) -> dict[str, Any]:
        params = resolve_media(tool.input_schema, arguments, self.root)
        element = await self._client.custom_elements.create(**params)
        return {
            "element": element.model_dump(mode="json", exclude_none=True),
            "next": "Use its element_id where a video takes elements (element_list).",
        }

    async def _download(
        self, tool: ToolDef, arguments: dict[str, Any], progress: Progress
    ) -> dict[str, Any]:
        _inputs.only(arguments, (*_TASK_ARGS, "directory"), tool.name)
        ref = _inputs.task_ref(arguments)
        directory = _inputs.text(arguments, "directory", default=".") or "."
        self.root.output_dir(directory, field="directory", create=False)  # refused before a GET
        task = await self._fetch(ref)  # fresh: result URLs expire
        if not task.is_succeeded:
            raise ToolInputError(
                f"task {task.task_id} is {task.task_status}, with nothing to download yet; "
                "wait for it with wait_task first",
                field="task_id",
            )
        target = self.root.output_dir(directory, field="directory")
        saved = await task.download(target)
        return {
            "task_id": task.task_id,
            "family": ref.family,
            "directory": self.root.relative(target),
            "files": [self.root.relative(path) for path in saved],
        }

    async def _fetch(self, ref: _inputs.TaskRef) -> Any:
        reader = tasks_of(self._client, ref.family)
        return await reader.get(ref.task_id, external_task_id=ref.external_task_id)


class _Reporter:
    """The SDK's ``on_progress(task, elapsed, estimate)`` as MCP progress: the seconds waited
    so far (always increasing, as the protocol asks), the task's status and the estimate of
    the time left as the message, and the expected total once the account's history gives
    one (``kling._eta``: never a made-up number)."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._last: float | None = None

    async def __call__(self, task: Any, elapsed: float, estimate: Estimate) -> None:
        value = round(elapsed, 1)
        if self._last is not None and value <= self._last:
            value = round(self._last + 0.1, 1)
        self._last = value
        message = f"task {task.task_id} {task.task_status} after {elapsed:.0f} s"
        if task.task_status_msg:
            message += f": {task.task_status_msg}"
        total = None
        if not task.is_finished:
            message += f"; {estimate.describe()}"
            if estimate.remaining is not None:
                total = round(value + estimate.remaining, 1)
        await self._progress(value, total, message)


def _body(row: TaskRow, params: Mapping[str, Any]) -> dict[str, Any]:
    """What the create will send (validated, files read and encoded): raises as it would.

    With a new-standard product's model, which the path carries: the ids of earlier calls were
    derived from this shape, and must stay the same.
    """
    body = prepare_body(row, params)
    return {"model": params["model"], **body} if "model" in params else body
