"""The tools, generated from the family table: a create tool per legacy family and per
new-standard product, and the lookup tools. Plain data: ``_server`` turns them into MCP tools.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .._families import ENDPOINTS, ROWS
from .._params._common import JsonSchema
from .._rows import NEW_STANDARD, Endpoint, Family, TaskRow
from . import _schemas, _selections

__all__ = [
    "ENDPOINT_TOOLS",
    "LOOKUP_KINDS",
    "ToolDef",
    "ToolKind",
    "create_tool_name",
    "tool_defs",
]

ToolKind = Literal[
    "create",
    "get",
    "wait",
    "list",
    "costs",
    "models",
    "balance_deductions",
    "unit_deductions",
    "create_custom_element",
    "custom_elements",
    "download",
    "selection",
    "quote",
    "endpoint",
]
#: The tools ``--read-only`` keeps: they neither create anything nor write files.
LOOKUP_KINDS: frozenset[ToolKind] = frozenset(
    {
        "get",
        "wait",
        "list",
        "costs",
        "models",
        "balance_deductions",
        "unit_deductions",
        "custom_elements",
        "quote",
    }
)

#: What a create of each standard needs of the server, said after its route.
_CREDENTIALS = {
    "legacy": "",
    "new": f"; needs the server's KLING_API_KEY); its family is {NEW_STANDARD!r}",
}
#: The older element library's row: its create tool's schema and route.
_CUSTOM_ELEMENTS = ENDPOINTS["custom_elements"]
#: The synchronous endpoints served as tools of their own name: they answer at once.
ENDPOINT_TOOLS = ("tts", "identify_face", "image_recognize")


@dataclass(frozen=True)
class ToolDef:
    """One tool: its name, what it does (``kind``) and on what (``row``), for agents."""

    name: str
    kind: ToolKind
    description: str
    input_schema: JsonSchema
    row: TaskRow | None = None
    """The legacy family or new-standard product a create tool makes tasks of."""
    endpoint: Endpoint | None = None
    """The synchronous endpoint an ``endpoint`` tool calls (``tts``...)."""
    step: str | None = None
    """The step of the row's selection session a ``selection`` tool takes (``add``)."""

    @property
    def read_only(self) -> bool:
        return self.kind in LOOKUP_KINDS

    @property
    def idempotent(self) -> bool:
        """Whether repeating an identical call does nothing more: not a selection step (it may
        add twice), nor a create in the older element library or a synchronous endpoint (they
        take no id of yours to find an earlier call by)."""
        return self.kind not in ("selection", "create_custom_element", "endpoint")


def tool_defs(*, read_only: bool = False, rows: Iterable[TaskRow] = ROWS) -> list[ToolDef]:
    """Every tool the server offers: a create tool per row of ``rows`` (every row of both
    standards), the steps of their selection sessions, then the lookup tools (only those with
    ``read_only``)."""
    rows = tuple(rows)
    tools = [*_lookup_tools(), _quote_tool(rows)]
    if read_only:
        return [tool for tool in tools if tool.read_only]
    return [*_create_tools(rows), *_selection_tools(rows), *_endpoint_tools(), *tools]


def create_tool_name(row: TaskRow) -> str:
    """``create_text_to_video``, ``create_v2_text_to_video``: named like the row's resource."""
    return "create_" + "_".join(row.attribute)


def _create_tools(rows: Iterable[TaskRow]) -> list[ToolDef]:
    return [
        ToolDef(
            name=create_tool_name(row),
            kind="create",
            row=row,
            # What every create shares (idempotence, media, what to call next) is said once,
            # in the server's instructions: 25 tools repeating it made tools/list twice as long.
            description=f"{_sentence(row.summary)} Creates a paid Kling task (POST "
            f"{row.route}{_CREDENTIALS[row.standard]}) and returns its task_id at once.",
            input_schema=_schemas.create_schema(row),
        )
        for row in rows
    ]


def _quote_tool(rows: Iterable[TaskRow]) -> ToolDef:
    return ToolDef(
        name="quote",
        kind="quote",
        description="What a create tool's call would cost at Kling's published list prices: "
        "units of a resource package (video or image) and US dollars, with the price rows "
        "used, or priced=false and the reason where Kling publishes no price. The arguments "
        "are checked as the create tool checks them; nothing is created. Free.",
        input_schema=_schemas.quote_schema(tuple(create_tool_name(row) for row in rows)),
    )


def _selection_tools(rows: Iterable[TaskRow]) -> list[ToolDef]:
    return [
        ToolDef(
            name=_selections.tool_name(row, step),
            kind="selection",
            description=f"{description} (POST {_selections.step_path(row, step)}; may be billed.)",
            input_schema=_selections.step_schema(step),
            row=row,
            step=step,
        )
        for row in rows
        if isinstance(row, Family) and row.selections is not None
        for step, description in _selections.STEPS.items()
    ]


def _endpoint_tools() -> list[ToolDef]:
    return [
        ToolDef(
            name=name,
            kind="endpoint",
            description=f"{_sentence(ENDPOINTS[name].summary)} (POST {ENDPOINTS[name].path}; may "
            "be billed; no task to wait for.)",
            input_schema=_schemas.create_schema(ENDPOINTS[name]),
            endpoint=ENDPOINTS[name],
        )
        for name in ENDPOINT_TOOLS
    ]


def _lookup_tools() -> list[ToolDef]:
    return [
        ToolDef(
            name="get_task",
            kind="get",
            description="The current state of a task: status, result URLs once it succeeded, "
            "units charged. Free; does not wait.",
            input_schema=_schemas.task_schema(),
        ),
        ToolDef(
            name="wait_task",
            kind="wait",
            description="Wait until a task finishes, at most `timeout` seconds (default "
            f"{_schemas.DEFAULT_WAIT_TIMEOUT}), sending progress notifications while it runs. "
            "Returns the finished task (succeeded or failed), or finished=false if it is "
            "still running at the timeout: then call wait_task again. Free.",
            input_schema=_schemas.wait_schema(),
        ),
        ToolDef(
            name="list_tasks",
            kind="list",
            description="Recent tasks of one family (or of the new standard, 'v2'), newest "
            "first. Free.",
            input_schema=_schemas.list_schema(),
        ),
        ToolDef(
            name="account_costs",
            kind="costs",
            description="The account's resource packs active in the last `days` days: what "
            "each held and what is left. Free.",
            input_schema=_schemas.costs_schema(),
        ),
        ToolDef(
            name="list_models",
            kind="models",
            description="The models the SDK knows (or the one named): for each, the legacy "
            "families (create_*) and new-standard products (create_v2_*) it serves, with the "
            "durations, modes or resolutions, aspect ratios, audio and content counts it takes, "
            "and the sources of each value. A model not listed is still sent as given. Free; "
            "asks Kling nothing.",
            input_schema=_schemas.models_schema(),
        ),
        ToolDef(
            name="account_balance_deductions",
            kind="balance_deductions",
            description="What the account's cash balance paid for each task created in the "
            "last `days` days, oldest charge first: task_id, function, model, amount, balance "
            "after. Free.",
            input_schema=_schemas.deductions_schema(unit=False),
        ),
        ToolDef(
            name="account_unit_deductions",
            kind="unit_deductions",
            description="The resource-pack units each task created in the last `days` days "
            "was charged, oldest charge first, with the pack and what it had left. Free.",
            input_schema=_schemas.deductions_schema(unit=True),
        ),
        ToolDef(
            name="list_custom_elements",
            kind="custom_elements",
            description="Elements of Kling's older element library: yours, or with "
            "presets=true Kling's ready-made ones. Use an element_id where a video takes "
            "elements (element_list). Free.",
            input_schema=_schemas.custom_elements_schema(),
        ),
        ToolDef(
            name="create_custom_element",
            kind="create_custom_element",
            description="Create an element in Kling's older element library (POST "
            f"{_CUSTOM_ELEMENTS.path}) from a frontal image and 1-3 more views; answers at "
            "once with its element_id. Not idempotent: every call makes another element.",
            input_schema=_schemas.create_schema(_CUSTOM_ELEMENTS),
        ),
        ToolDef(
            name="download_results",
            kind="download",
            description="Save a succeeded task's result files into a directory under the "
            "server's root (named <task_id>-<n>.<ext>); returns their paths relative to the "
            "root. Result URLs expire: download soon after the task finishes.",
            input_schema=_schemas.download_schema(),
        ),
    ]


def _sentence(summary: str) -> str:
    # The table's summaries are written for docstrings (``identify_face``); agents get plain text.
    return summary.replace("``", "'")
