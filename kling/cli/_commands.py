"""What one generated command is: rows of the SDK's table as one command presents them.

Task commands come from the union of both standards' rows (``kling._families.ROWS``), one per
name: ``kling text-to-video`` creates on the legacy endpoint, and with ``--model`` on the new
standard's product of the same name; a product that no legacy family shares its name with gets
a command of its own, where ``--model`` is required.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import typer

from kling._families import FAMILIES, ROWS
from kling._rows import NEW_STANDARD, Endpoint, Family, Product, TaskRow

from ._fields import Field, fields_of

__all__ = ["MODEL_FIELD", "Command", "source_command", "task_commands"]

#: The option that sends a command to the new standard: ``--model kling-3.0``.
MODEL_FIELD = Field("model", str, "text", False, open_choices=True)


@dataclass(frozen=True)
class Command:
    """A legacy row (a family, or an endpoint that answers at once), a new-standard product of
    the same name, or both, as one command presents them.

    With both, ``--model`` routes a call to the product and its options; without, to the
    legacy row. A product alone requires ``--model``.
    """

    name: str
    """Command name, e.g. ``text-to-video``."""
    legacy: Endpoint | None = None
    product: Product | None = None
    summary: str | None = None
    """One-line help, when not the row's summary."""

    def __post_init__(self) -> None:
        if self.legacy is None and self.product is None:  # pragma: no cover - a table bug
            raise ValueError(f"command {self.name!r} has no row")

    @property
    def row(self) -> Endpoint:
        """The row that names the command: the legacy one when there is one."""
        row = self.legacy or self.product
        assert row is not None
        return row

    @property
    def key(self) -> str:
        """The row's name: the client attribute."""
        return self.row.name

    @property
    def arguments(self) -> tuple[str, ...]:
        """The positional arguments: the legacy row's (the product's stand in for them)."""
        return self.row.arguments

    @property
    def fields(self) -> tuple[Field, ...]:
        """Every option the command shows: the legacy row's, then the product's own."""
        if self.product is None:
            return fields_of(self.row.typed_dict)
        model = dataclasses.replace(
            MODEL_FIELD, choices=tuple(self.models()), required=self.legacy is None
        )
        if self.legacy is None:
            return (*fields_of(self.product.typed_dict), model)
        legacy = fields_of(self.legacy.typed_dict)
        keys = {field.key for field in legacy}
        extra = [f for f in fields_of(self.product.typed_dict) if f.key not in keys]
        merged = [_loosened(f, self.product) for f in legacy]
        # Positional arguments of the new standard stand in for the legacy ones.
        mapped = {v2 for legacy_key, v2 in self._positions() if legacy_key != v2}
        return (*merged, *(f for f in extra if f.key not in mapped), model)

    def target(self, params: dict[str, Any]) -> Endpoint:
        """The row a call with ``params`` goes to: the product when they carry a model."""
        row = self.product if "model" in params else self.legacy
        assert row is not None, "route() sends a call without --model to the legacy row"
        return row

    def route(self, values: dict[str, Any]) -> tuple[tuple[Field, ...], dict[str, Any], str | None]:
        """The fields and values of the call ``values`` asks for, and its model (None: legacy).

        Refuses an option the chosen standard does not have, saying which one has it.
        """
        model = values.get("model")
        if self.product is None or (model is None and self.legacy is not None):
            own = fields_of(self.row.typed_dict)
            self._refuse_foreign(values, {f.key for f in own}, new_standard=False)
            return own, values, None
        if model is None:
            known = ", ".join(self.models()) or repr(self.product.example_model)
            raise typer.BadParameter(
                f"--model is required: this command creates on Kling's new standard (one of "
                f"{known}, or a newer model id)",
                param_hint="'--model'",
            )
        values = dict(values)
        for legacy_key, v2_key in self._positions():
            if legacy_key != v2_key and values.get(legacy_key) is not None:
                values[v2_key] = values.pop(legacy_key)
        own = fields_of(self.product.typed_dict)
        self._refuse_foreign(values, {f.key for f in own} | {"model"}, new_standard=True)
        return own, values, model

    def positional(self, model: str | None) -> tuple[str, ...]:
        """The positional arguments of a call to the legacy row (None) or to the product."""
        if model is not None and self.product is not None:
            return self.product.arguments
        return self.arguments

    def models(self) -> list[str]:
        """The models the product knows, for ``--help`` and messages."""
        from kling._params._standard_models import known_models

        assert self.product is not None
        return known_models(self.product.name)

    def _positions(self) -> list[tuple[str, str]]:
        assert self.product is not None
        return list(zip(self.arguments, self.product.arguments, strict=False))

    def _refuse_foreign(
        self, values: dict[str, Any], known: set[str], *, new_standard: bool
    ) -> None:
        if self.product is None or self.legacy is None:
            return
        for field in self.fields:
            if field.key in known or values.get(field.key) in (None, False):
                continue
            if new_standard:
                raise typer.BadParameter(
                    f"{field.flag} is an option of the legacy endpoint (--model-name); with "
                    f"--model, the new standard takes: "
                    + ", ".join(f.flag for f in fields_of(self.product.typed_dict)),
                    param_hint=f"'{field.flag}'",
                )
            raise typer.BadParameter(
                f"{field.flag} is an option of the new standard: add --model (one of "
                f"{', '.join(self.models())}), which needs an API key",
                param_hint=f"'{field.flag}'",
            )


def _loosened(field: Field, product: Product) -> Field:
    """A legacy field as the merged command reads it: text when the two standards type the
    same option differently (``--duration``: ``"5"`` legacy, ``5`` new), read per route."""
    other = {f.key: f for f in fields_of(product.typed_dict)}.get(field.key)
    if other is None or other.kind == field.kind:
        return field
    return dataclasses.replace(field, kind="text", choices=(), open_choices=False)


def task_commands(rows: Iterable[TaskRow] = ROWS) -> tuple[Command, ...]:
    """One command per name among ``rows`` (both standards), in table order.

    Library families (elements, voices) are left out: they are ``kling <noun> create``; so is
    a family edited in a selection session: ``kling multi-elements create``.
    """
    named: dict[str, dict[str, TaskRow]] = {}
    for row in rows:
        if isinstance(row, Family) and (row.library is not None or row.selections is not None):
            continue
        named.setdefault(row.name, {})[row.standard] = row
    commands = []
    for both in named.values():
        legacy, product = both.get("legacy"), both.get("new")
        assert product is None or isinstance(product, Product)
        first = legacy or product
        assert first is not None
        commands.append(Command(first.command_name, legacy=legacy, product=product))
    return tuple(commands)


def source_command(row: Endpoint) -> str | None:
    """How ``kling tasks get`` names where ``row``'s tasks are read: the family's command, or
    None for the new standard (every product's tasks are read through ``/tasks``)."""
    source = row.source if isinstance(row, TaskRow) else row.name
    return None if source == NEW_STANDARD else FAMILIES[source].command_name
