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
PRODUCTS = "kling/_async/_products.py"

# Run with the checkout first on sys.path: prints what the templates need of each family.
_DESCRIBE = """
import json
import kling._params as params
from kling._families import FAMILIES, PRODUCTS


def exported(row, name):
    if not hasattr(params, name):
        raise SystemExit(f"{row.name}: kling._params does not export {name}")
    return name


def typed_dict(row):
    name = row.params.__name__
    if getattr(params, name, None) is not row.params:
        raise SystemExit(f"{row.name}: kling._params does not export {name}")
    return name


families = [
    {
        "name": family.name,
        "path": family.path,
        "summary": family.summary,
        "params": typed_dict(family),
        "library": family.library is not None,
    }
    for family in FAMILIES.values()
]
products = [
    {
        "name": product.name,
        "path": product.path,
        "summary": product.summary,
        "params": typed_dict(product),
        "models": exported(product, product.models),
        "example_model": product.example_model,
    }
    for product in PRODUCTS.values()
]
print(json.dumps({"families": families, "products": products}))
"""


class TableError(Exception):
    """The family table could not be read."""


@dataclass(frozen=True)
class ProductRow:
    """One new-standard product as the templates see it."""

    name: str
    path: str
    summary: str
    params: str
    models: str
    example_model: str

    @property
    def cls(self) -> str:
        return "Async" + "".join(part.title() for part in self.name.split("_")) + "V2"


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


def read_table(root: Path) -> tuple[list[Row], list[ProductRow]]:
    """The families and new-standard products of ``root``'s table, in table order."""
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
    table = json.loads(proc.stdout)
    return (
        [Row(**row) for row in table["families"]],
        [ProductRow(**row) for row in table["products"]],
    )


def render(root: Path) -> dict[str, str]:
    """Unformatted source of each generated module, keyed by its path relative to ``root``.

    Empty when ``root`` has no family table (a checkout of the generator alone).
    """
    if not (root / TABLE).is_file():
        return {}
    rows, products = read_table(root)
    return {
        RESOURCES: _resources(rows),
        PROPERTIES: _properties(rows),
        PRODUCTS: _products(products),
    }


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
from .._polling import DEFAULT_POLL_INTERVAL, DEFAULT_UNREACHABLE_TIMEOUT, DEFAULT_WAIT_TIMEOUT
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
        unreachable_timeout: float | None = DEFAULT_UNREACHABLE_TIMEOUT,
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
            unreachable_timeout=unreachable_timeout,
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


_PRODUCTS_HEAD = '''\
"""The new standard's typed product resources and ``client.v2``, generated from the table in
``kling/_families.py``.

Each class names its row and declares the keyword arguments of ``create``, ``create_and_wait``
and ``create_many`` (the product's TypedDict, and its known models) for editors and mypy; all
behaviour lives in ``AsyncProductResource`` and ``AsyncV2Tasks``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .._families import PRODUCTS
from .._polling import DEFAULT_POLL_INTERVAL, DEFAULT_UNREACHABLE_TIMEOUT, DEFAULT_WAIT_TIMEOUT
from ._batch import DEFAULT_CONCURRENCY, DEFAULT_THROTTLE_TIMEOUT
from ._v2 import AsyncProductResource, AsyncV2Tasks

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .._errors import KlingError
    from .._params import {imports}
    from ._client import AsyncKlingClient
    from ._task import AsyncV2Task
    from ._waiting import ProgressCallback

__all__ = [{classes}]
'''

_PRODUCT = '''

class {cls}(AsyncProductResource):
    """{summary}

    ``POST {path}/{{model}}``, e.g. ``model="{example_model}"``.
    """

    product = PRODUCTS["{name}"]

    async def create(
        self,
        *,
        model: {models} | str,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[{params}],
    ) -> AsyncV2Task:
        """Submit a task (returned ``submitted``); ``extra_body`` merges into the body
        (``{{"settings": {{...}}}}`` adds settings)."""
        return await self._create({{"model": model, **params}}, extra_body)

    async def create_and_wait(
        self,
        *,
        model: {models} | str,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float | None = None,
        unreachable_timeout: float | None = DEFAULT_UNREACHABLE_TIMEOUT,
        on_progress: ProgressCallback | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[{params}],
    ) -> AsyncV2Task:
        """``create`` then ``wait``: the finished task, or ``TaskFailedError``."""
        return await self._create_and_wait(
            {{"model": model, **params}},
            extra_body,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            unreachable_timeout=unreachable_timeout,
            on_progress=on_progress,
        )

    async def create_many(
        self,
        items: Iterable[{params}],
        *,
        model: {models} | str,
        concurrency: int = DEFAULT_CONCURRENCY,
        extra_body: Mapping[str, Any] | None = None,
        on_progress: Callable[[int, int], Any] | None = None,
        throttle_timeout: float = DEFAULT_THROTTLE_TIMEOUT,
    ) -> list[AsyncV2Task | KlingError]:
        """A task per item (the keyword arguments of ``create``) with ``model``,
        ``concurrency`` at a time; in input order each task or its item's ``KlingError``.

        Paced as a legacy ``create_many`` is; if ``on_progress(done, total)`` raises,
        ``BatchError.results`` keeps every task created.
        """
        return await self._create_many(
            model,
            items,
            concurrency=concurrency,
            extra_body=extra_body,
            on_progress=on_progress,
            throttle_timeout=throttle_timeout,
        )
'''

_V2_HEAD = '''

class AsyncV2:
    """Kling's new-standard API (API keys only): a resource per product, and ``tasks``."""

    def __init__(self, client: AsyncKlingClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return "<AsyncV2>"

    @cached_property
    def tasks(self) -> AsyncV2Tasks:
        """Get, list and wait for tasks (``wait`` and ``wait_all`` take either standard's)."""
        return AsyncV2Tasks(self._client)
'''

_V2_PROPERTY = '''
    @cached_property
    def {name}(self) -> {cls}:
        """{summary}"""
        return {cls}(self._client)
'''


def _products(rows: list[ProductRow]) -> str:
    imports = ", ".join(sorted({row.params for row in rows} | {row.models for row in rows}))
    names = sorted([row.cls for row in rows] + ["AsyncV2"])
    text = _PRODUCTS_HEAD.format(imports=imports, classes=", ".join(f'"{name}"' for name in names))
    for row in rows:
        text += _PRODUCT.format(
            cls=row.cls,
            summary=row.summary,
            path=row.path,
            example_model=row.example_model,
            name=row.name,
            models=row.models,
            params=row.params,
        )
    text += _V2_HEAD
    for row in rows:
        text += _V2_PROPERTY.format(name=row.name, cls=row.cls, summary=row.summary)
    return text
