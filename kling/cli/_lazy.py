"""Commands built when used: ``kling --help`` lists the commands without building one.

Typer turns a whole app into Click commands at once: every command's signature made and read,
every option made (some 400 parameters over 33 commands, most of them generated from the SDK's
table). The root app is a :class:`LazyTyper` instead. Each part registers its commands on it
with :func:`add_lazily`: a :class:`LazyCommand` says what the root's help lists (name, help,
panel, whether hidden) and how to add the real command (or group) to a Typer app, as the part
would have added it to the root. The root group, a :class:`LazyGroup`, builds a command with
Typer's own conversion the first time it is asked for by name (the command a line runs or shows
the help of), and lists the others from what they were registered with. Reading every command
(``group.commands.items()``, a walk of the whole tree) builds them all.

On any other Typer app, :func:`add_lazily` adds the command at once.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any, ClassVar, NamedTuple, cast

import typer
import typer.main
from typer._click import Command, Context
from typer.core import TyperCommand, TyperGroup
from typer.models import TyperInfo

__all__ = [
    "LazyCommand",
    "LazyCommands",
    "LazyGroup",
    "LazyTyper",
    "add_function_lazily",
    "add_lazily",
    "add_typer_lazily",
]


class LazyCommand(NamedTuple):
    """A command of a lazy group: what the group's help lists, and how to make it.

    (A named tuple: a frozen dataclass would cost every start-up a millisecond to define.)
    """

    name: str
    add: Callable[[typer.Typer], object]
    """Adds the command, or a group, named ``name`` to a Typer app (``app.command(name)(f)``)."""
    help: str | None = None
    """The help Typer gives the command (a function's docstring, a group's ``help``)."""
    short_help: str | None = None
    panel: str | None = None
    hidden: bool = False

    def stand_in(self) -> Command:
        """The command as a help listing reads it: name, help and panel, no parameter."""
        return TyperCommand(
            name=self.name,
            help=inspect.cleandoc(self.help) if self.help else None,
            short_help=self.short_help,
            hidden=self.hidden,
            rich_help_panel=self.panel,
        )


def add_lazily(app: typer.Typer, command: LazyCommand) -> None:
    """Register ``command`` on ``app``: built when used on a :class:`LazyTyper`, else now."""
    if isinstance(app, LazyTyper):
        app.lazy[command.name] = command
    else:
        command.add(app)


def add_function_lazily(
    app: typer.Typer,
    name: str,
    function: Callable[..., Any],
    *,
    cls: type[TyperCommand] | None = None,
    epilog: str | None = None,
    panel: str | None = None,
) -> None:
    """``app.command(name, cls=cls, epilog=epilog, rich_help_panel=panel)(function)``, lazily:
    its help is the function's docstring."""

    def add(target: typer.Typer) -> None:
        target.command(name, cls=cls, epilog=epilog, rich_help_panel=panel)(function)

    add_lazily(app, LazyCommand(name, add, help=inspect.getdoc(function), panel=panel))


def add_typer_lazily(
    app: typer.Typer, group: typer.Typer, name: str, *, panel: str | None = None
) -> None:
    """``app.add_typer(group, name=name, rich_help_panel=panel)``, lazily: its help is the one
    Typer finds for ``group``."""

    def add(target: typer.Typer) -> None:
        target.add_typer(group, name=name, rich_help_panel=panel)

    help = typer.main.solve_typer_info_help(TyperInfo(group, name=name))
    add_lazily(app, LazyCommand(name, add, help=help, panel=panel))


class LazyTyper(typer.Typer):
    """A Typer app whose commands (registered with :func:`add_lazily`) are built when used.

    ``cls`` is the group class; the group Typer makes of this app is of a subclass that knows
    the app, so that it finds the commands to build (Typer hands a group class nothing else).
    """

    def __init__(self, *, cls: type[LazyGroup], **options: Any) -> None:
        root = cast("type[LazyGroup]", type(cls.__name__, (cls,), {"app": self}))
        super().__init__(cls=root, **options)
        #: The commands registered with :func:`add_lazily`, in the order they are listed.
        self.lazy: dict[str, LazyCommand] = {}

    def build(self, command: LazyCommand) -> Command:
        """The Click command of ``command``, as Typer would make it in this app."""
        scratch = typer.Typer(
            rich_markup_mode=self.rich_markup_mode,
            pretty_exceptions_short=self.pretty_exceptions_short,
            suggest_commands=self.suggest_commands,
        )
        command.add(scratch)
        return typer.main.get_group(scratch).commands[command.name]


class LazyCommands(MutableMapping[str, Command]):
    """A group's commands by name, in order; a lazy one is built when its value is read.

    Iterating, ``len`` and ``in`` build nothing; ``[name]``, ``get`` and ``items()`` build what
    they return (once: the command replaces its :class:`LazyCommand`).
    """

    def __init__(
        self,
        built: Mapping[str, Command],
        lazy: Mapping[str, LazyCommand],
        build: Callable[[LazyCommand], Command],
    ) -> None:
        self._entries: dict[str, Command | LazyCommand] = {**built, **lazy}
        self._build = build

    def __getitem__(self, name: str) -> Command:
        entry = self._entries[name]
        if isinstance(entry, LazyCommand):
            entry = self._entries[name] = self._build(entry)
        return entry

    def __setitem__(self, name: str, command: Command) -> None:
        self._entries[name] = command

    def __delitem__(self, name: str) -> None:
        del self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def listed(self, name: str) -> Command | None:
        """The command as a help listing reads it: the stand-in of one not built yet."""
        entry = self._entries.get(name)
        return entry.stand_in() if isinstance(entry, LazyCommand) else entry


class LazyGroup(TyperGroup):
    """A Typer group that builds the commands of its :class:`LazyTyper` when used.

    Its help listing (``kling --help``, ``_root_help``) reads them from their stand-ins.
    """

    #: The app whose lazy commands this group has (set on the subclass the app makes).
    app: ClassVar[LazyTyper | None] = None

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        if self.app is not None:
            self.commands = LazyCommands(self.commands, self.app.lazy, self.app.build)

    def list_commands(self, ctx: Context) -> list[str]:
        return list(self.commands)  # the names, in order: nothing built
