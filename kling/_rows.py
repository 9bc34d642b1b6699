"""What a row of the endpoint table is, and where a client keeps each row's resource. No I/O.

The table itself is ``kling/_families.py``. A row says everything that differs between two of
Kling's endpoints; code that serves endpoints (the resources, batch jobs, the ``kling`` command,
the MCP server) reads rows and never asks "legacy family or new-standard product?" itself:

- :class:`Family`: a task family of the legacy API (``POST /v1/videos/text2video``);
- :class:`Product`: a product of the new standard (``POST /text-to-video/{model}``);
- :class:`Endpoint`: an endpoint that answers at once (TTS, face identification).

:func:`resource_of` is the one resolution from a row to what creates, gets and waits for its
tasks on a client (either client), and :func:`tasks_of` the same for a task's *source*: where
its state is read (a legacy family's own endpoints, or ``/tasks`` for every product's tasks).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar, Literal, NamedTuple
from urllib.parse import quote

from ._evidence import Source

__all__ = [
    "NEW_STANDARD",
    "Check",
    "Endpoint",
    "Family",
    "Library",
    "Product",
    "ResultKind",
    "Selections",
    "Standard",
    "TaskRow",
    "resource_of",
    "tasks_of",
]

ResultKind = Literal["videos", "images", "audios", "video_audios", "elements", "voices"]
"""What ``task_result`` holds once a task succeeded (``video_audios``: videos and audios)."""

Standard = Literal["legacy", "new"]
"""Kling's two API design standards: ``/v1`` paths and ``model_name``, or a model in the path."""

Check = Callable[[dict[str, Any]], None]
"""A cross-field check of validated parameters; a rule it finds broken is refused, warned about
or let through as the rule's row says (``kling/_params/_rulebook.py``)."""

#: The source of every new-standard task: all products' tasks are read through ``/tasks``
#: (``client.v2.tasks``). The MCP tools and ``kling tasks`` call it ``v2``.
NEW_STANDARD = "v2"


# Plain records of a row: NamedTuples, which cost a fifth of a frozen dataclass to define.
class Library(NamedTuple):
    """A library of what you make and reuse by id (elements, voices): its presets and deletes."""

    presets_path: str
    """Where Kling's ready-made items are listed."""
    delete_path: str
    """Where one of your own is deleted..."""
    id_field: str
    """...by this JSON key, which is also the id of an item in ``task_result``."""
    name_field: str
    noun: str
    """What one item is called in messages (``element``)."""


# The rows are the table's own objects, each made once: they compare and hash by identity, and
# print by name (a generated repr would print every field, the TypedDict and rules included).
# Each generated method is compiled when the module is imported, on every first call's path.
@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Endpoint:
    """An endpoint that takes a validated body: what it takes and how the body is built."""

    standard: ClassVar[Standard] = "legacy"

    name: str
    """The key: the client attribute (``text_to_video``) and the CLI's family name."""
    path: str
    params: str
    """The name in ``kling._params`` of the TypedDict of the keyword arguments
    (:attr:`typed_dict`)."""
    summary: str
    """One sentence for docstrings and ``--help``."""
    rules: tuple[str, ...] = ()
    """The names of the cross-field checks (:attr:`checks`), in the module that defines the
    TypedDict; run in order after the type checks pass."""
    top_level: frozenset[str] | None = None
    """When set, only these keys stay at the top of the body; the rest go under ``input``."""
    arguments: tuple[str, ...] = ()
    """The parameters the ``kling`` command takes as positional arguments, in order."""
    command: str | None = None
    """The ``kling`` command's name, when it is not the name with dashes."""
    aliases: tuple[str, ...] = ()
    """More (hidden) command names."""
    sources: tuple[Source, ...] = ()
    """Kling's pages for this endpoint: the fields, values and limits its parameters check."""
    library: Library | None = None
    """Set when what it makes is kept in a library of yours (elements, voices): where the
    library's presets are listed and its items deleted."""

    @property
    def command_name(self) -> str:
        """``text-to-video`` for ``text_to_video``."""
        return self.command or self.name.replace("_", "-")

    # By name, so that reading the table imports no family's parameters: a create imports its
    # own family's module when it first checks parameters, not every family's TypedDicts.
    @cached_property
    def typed_dict(self) -> type:
        """The TypedDict :attr:`params` names, imported on first use."""
        from ._params._exports import find

        typed_dict: type = find(self.params)
        return typed_dict

    @cached_property
    def checks(self) -> tuple[Check, ...]:
        """The checks :attr:`rules` names, from the module of :attr:`typed_dict`."""
        module = sys.modules[self.typed_dict.__module__]
        return tuple(getattr(module, name) for name in self.rules)

    @property
    def route(self) -> str:
        """Where calls go, for people: ``/v1/videos/text2video``, ``/text-to-video/{model}``."""
        return self.path

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}: {self.route}>"


class Selections(NamedTuple):
    """A family whose tasks edit a video marked first in a selection session: the session's
    steps, each ``POST`` with the ``session_id`` (multi-element editing)."""

    init_path: str
    """Starts a session on a video; answers its ``session_id`` (valid 24 hours)."""
    add_path: str
    delete_path: str
    clear_path: str
    preview_path: str


# No __init__ of its own: only its subclasses are made, and each generated __init__ is compiled
# at import, on a first create's path.
@dataclass(frozen=True, kw_only=True, eq=False, repr=False, init=False)
class TaskRow(Endpoint):
    """An endpoint that creates tasks, of either standard: create, get, wait."""

    result: ResultKind
    """What a finished task holds (the files it makes)."""
    external_id_lookup: bool = True
    """Whether Kling finds the task by the ``external_task_id`` its create carried."""

    @property
    def attribute(self) -> tuple[str, ...]:
        """Where a client keeps the row's resource: ``("text_to_video",)``."""
        return (self.name,)

    @cached_property
    def place(self) -> str:
        """:attr:`attribute` as a dotted name: ``text_to_video``, ``v2.text_to_video``."""
        return ".".join(self.attribute)

    @property
    def source(self) -> str:
        """Where its tasks are read: the family's name, or :data:`NEW_STANDARD`."""
        return self.name

    def create_path(self, params: Mapping[str, Any]) -> str:
        """The path a create with validated ``params`` is sent to."""
        return self.path

    def task_options(self, body: dict[str, Any]) -> dict[str, Any]:
        """The part of a create's body that holds ``external_task_id`` and ``callback_url``."""
        return body


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Family(TaskRow):
    """A task family of the legacy (``/v1``) API: create, get, list, wait."""

    max_page_size: int = 500
    """Largest ``pageSize`` the list endpoint accepts."""
    selections: Selections | None = None


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
class Product(TaskRow):
    """A product of the new standard (API 2.0): created with ``POST {path}/{model}``.

    Its tasks are read through ``/tasks`` whatever the product; what each model takes is in
    ``kling._params._standard_models``. Its create parameters carry the ``model``.
    """

    standard: ClassVar[Standard] = "new"

    models: str
    """The ``Literal`` of known model ids in ``kling._params``, for the typed signatures."""
    example_model: str
    prompt_in_contents: bool = True
    """Whether the prompt is a ``contents`` item (all but text-to-video, which sends it on top)."""

    @property
    def attribute(self) -> tuple[str, ...]:
        return ("v2", self.name)

    @property
    def source(self) -> str:
        return NEW_STANDARD

    @property
    def route(self) -> str:
        return f"{self.path}/{{model}}"

    def create_path(self, params: Mapping[str, Any]) -> str:
        return f"{self.path}/{quote(str(params['model']), safe='')}"

    def task_options(self, body: dict[str, Any]) -> dict[str, Any]:
        options: dict[str, Any] = body.setdefault("options", {})
        return options


def resource_of(client: Any, row: TaskRow) -> Any:
    """The resource of ``row`` on ``client`` (``client.text_to_video``,
    ``client.v2.text_to_video``): it creates, gets and waits for the row's tasks."""
    resource = client
    for name in row.attribute:
        resource = getattr(resource, name)
    return resource


def tasks_of(client: Any, source: str) -> Any:
    """What reads and waits for the tasks of ``source`` on ``client``: a legacy family's
    resource (by its name), or ``client.v2.tasks`` for :data:`NEW_STANDARD`."""
    return client.v2.tasks if source == NEW_STANDARD else getattr(client, source)
