"""What kind of task a create makes, for the estimates of ``kling._eta``: computed at each
create, so kept apart from the estimator (its module comes with the first estimate)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._rows import TaskRow

__all__ = ["Kind", "kind_of"]

#: (where the row lives on a client, model, mode or resolution, duration); ``-`` for a
#: parameter left out. A prefix is a coarser kind; ``()`` is any task.
Kind = tuple[str, ...]


def kind_of(row: TaskRow, params: Mapping[str, Any]) -> Kind:
    """The kind of a create of ``row`` with ``params`` (as the user passed them): named by
    where the row lives on a client (``text_to_video``, ``v2.text_to_video``).

    A parameter left out is recorded as left out (``-``): Kling's default differs per model,
    and a default guessed wrong would mix kinds.
    """
    if row.standard == "new":
        model, mode = params.get("model"), params.get("resolution")
    else:
        model, mode = params.get("model_name"), params.get("mode") or params.get("resolution")
    return (row.place, _word(model), _word(mode), _word(params.get("duration")))


def _word(value: object) -> str:
    return "-" if value is None or value == "" else str(value)
