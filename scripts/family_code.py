"""Render the per-family modules of ``kling/_async`` from the family table (``kling/_families.py``).

``scripts/unasync.py`` calls :func:`render` first: it formats, writes and ``--check``s these
modules like every other generated file, and generates their sync twins from them. What the
table cannot say (which verbs a resource has, how they call the generic resource) is in the
templates below; what differs per family is read from the table in a child interpreter, so that
``--root`` can point at any checkout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

TABLE = "kling/_families.py"
RESOURCES = "kling/_async/_family_resources.py"
PROPERTIES = "kling/_async/_family_properties.py"

# Run with the checkout first on sys.path: prints what the templates need of each family.
_DESCRIBE = """
import json
import kling._params as params
from kling._families import FAMILIES

rows = []
for family in FAMILIES.values():
    name = family.params.__name__
    if getattr(params, name, None) is not family.params:
        raise SystemExit(f"{family.name}: kling._params does not export {name}")
    rows.append(
        {
            "name": family.name,
            "path": family.path,
            "summary": family.summary,
            "params": name,
            "library": family.library is not None,
        }
    )
print(json.dumps(rows))
"""


class TableError(Exception):
    """The family table could not be read."""


@dataclass(frozen=True)
class Row:
    """One family as the templates see it."""

    name: str
    path: str
    summary: str
    params: str
    library: bool

    @property
    def cls(self) -> str:
        return "Async" + "".join(part.title() for part in self.name.split("_"))

    @property
    def base(self) -> str:
        return "AsyncLibraryResource" if self.library else "AsyncTaskResource"


def read_table(root: Path) -> list[Row]:
    """The families of ``root``'s table, in table order."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    proc = subprocess.run(
        [sys.executable, "-c", _DESCRIBE],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise TableError(f"{TABLE}: cannot read the family table:\n{proc.stderr.strip()}")
    return [Row(**row) for row in json.loads(proc.stdout)]


def render(root: Path) -> dict[str, str]:
    """Unformatted source of each generated module, keyed by its path relative to ``root``.

    Empty when ``root`` has no family table (a checkout of the generator alone).
    """
    if not (root / TABLE).is_file():
        return {}
    rows = read_table(root)
    return {RESOURCES: _resources(rows), PROPERTIES: _properties(rows)}


_RESOURCES_HEAD = '''\
"""One typed resource per task family, generated from the table in ``kling/_families.py``.

Each class names its row and declares the keyword arguments of ``create``, ``create_and_wait``
and ``create_many`` (the family's TypedDict) for editors and mypy; all behaviour lives in
``AsyncTaskResource``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._families import FAMILIES
from .._polling import DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT
from ._batch import DEFAULT_CONCURRENCY, DEFAULT_THROTTLE_TIMEOUT
from ._resources import AsyncLibraryResource, AsyncTaskResource

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._errors import KlingError
    from .._params import {params}
    from ._task import AsyncTask
    from ._waiting import ProgressCallback

__all__ = [{classes}]
'''

_RESOURCE = '''

class {cls}({base}):
    """{summary}

    ``POST {path}``
    """

    family = FAMILIES["{name}"]

    async def create(
        self, *, extra_body: Mapping[str, Any] | None = None, **params: Unpack[{params}]
    ) -> AsyncTask:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are."""
        return await self._create(params, extra_body)

    async def create_and_wait(
        self,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[{params}],
    ) -> AsyncTask:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            params,
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )

    async def create_many(
        self,
        items: Iterable[{params}],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        extra_body: Mapping[str, Any] | None = None,
        on_progress: Callable[[int, int], Any] | None = None,
        throttle_timeout: float = DEFAULT_THROTTLE_TIMEOUT,
    ) -> list[AsyncTask | KlingError]:
        """A task per item (the keyword arguments of ``create``), ``concurrency`` at a time.

        Returns each created task or the ``KlingError`` of its item, in input order; slows down
        when Kling throttles, and gives up on the rest after ``throttle_timeout`` seconds
        without progress. If ``on_progress(done, total)`` raises, ``BatchError.results`` keeps
        every task created.
        """
        return await self._create_many(
            items,
            concurrency=concurrency,
            extra_body=extra_body,
            on_progress=on_progress,
            throttle_timeout=throttle_timeout,
        )
'''

_PROPERTIES_HEAD = '''\
"""The client's task-family attributes, generated from the table in ``kling/_families.py``.

Each resource module is imported on first use, so that importing the SDK and building a client
stay cheap.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from ._client import AsyncKlingClient
    from ._family_resources import {classes}

__all__ = ["AsyncFamilyProperties"]


class AsyncFamilyProperties:
    """One resource attribute per task family; ``AsyncKlingClient`` inherits them."""
'''

_PROPERTY = '''
    @cached_property
    def {name}(self) -> {cls}:
        """{summary}"""
        from ._family_resources import {cls}

        return {cls}(cast("AsyncKlingClient", self))
'''


def _resources(rows: list[Row]) -> str:
    params = ", ".join(sorted({row.params for row in rows}))
    classes = ", ".join(f'"{row.cls}"' for row in sorted(rows, key=lambda row: row.cls))
    text = _RESOURCES_HEAD.format(params=params, classes=classes)
    for row in rows:
        text += _RESOURCE.format(
            cls=row.cls,
            base=row.base,
            summary=row.summary,
            path=row.path,
            name=row.name,
            params=row.params,
        )
    return text


def _properties(rows: list[Row]) -> str:
    classes = ", ".join(sorted(row.cls for row in rows))
    text = _PROPERTIES_HEAD.format(classes=classes)
    for row in rows:
        text += _PROPERTY.format(name=row.name, cls=row.cls, summary=row.summary)
    return text
