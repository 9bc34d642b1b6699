"""Render the modules generated from the family table (``kling/_families.py``), both flavours.

``scripts/unasync.py`` calls :func:`render` first: it formats, writes and ``--check``s these
modules like every other generated file. Each template is written twice, straight from the
table: once async into ``kling/_async``, once sync into ``kling/_sync`` (never converted from
the async one). Their names start with ``_generated_``, so they stand apart from the
hand-written modules beside them. What the table cannot say (which verbs a resource has, how
they call the shared resource code) is in the templates below; what differs per row is read from
the table in a child interpreter, so that ``--root`` can point at any checkout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

TABLE = "kling/_families.py"
#: The generated modules, by template, as named inside each flavour's package.
RESOURCES = "_generated_families.py"
PROPERTIES = "_generated_properties.py"
PRODUCTS = "_generated_products.py"
RAW = "_generated_raw.py"
#: Where each flavour goes, and how its code differs: the class prefix, ``async``, ``await``.
FLAVOURS: dict[str, dict[str, str]] = {
    "kling/_async": {"A": "Async", "async_": "async ", "await_": "await ", "with_": "async with"},
    "kling/_sync": {"A": "", "async_": "", "await_": "", "with_": "with"},
}

# Run with the checkout first on sys.path: prints what the templates need of each family.
_DESCRIBE = """
import json
import sys
from typing_extensions import is_typeddict
import kling._params as params
from kling._families import FAMILIES, PRODUCTS


def exported(row, name):
    if not hasattr(params, name):
        raise SystemExit(f"{row.name}: kling._params does not export {name}")
    return name


def typed_dict(row):
    name = row.params
    if name not in params.__all__ or not is_typeddict(getattr(params, name, None)):
        raise SystemExit(f"{row.name}: kling._params does not export a TypedDict {name}")
    module = sys.modules[row.typed_dict.__module__]
    for rule in row.rules:
        if not callable(getattr(module, rule, None)):
            raise SystemExit(f"{row.name}: {module.__name__} has no rule {rule}")
    return name


families = [
    {
        "name": family.name,
        "path": family.path,
        "summary": family.summary,
        "params": typed_dict(family),
        "library": family.library is not None,
        "selections": family.selections is not None,
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
        return "{A}" + "".join(part.title() for part in self.name.split("_")) + "V2"

    @property
    def waits(self) -> str:
        return "_" + "".join(part.title() for part in self.name.split("_")) + "V2AndWait"


@dataclass(frozen=True)
class Row:
    """One family as the templates see it."""

    name: str
    path: str
    summary: str
    params: str
    library: bool
    selections: bool

    @property
    def cls(self) -> str:
        return "{A}" + "".join(part.title() for part in self.name.split("_"))

    @property
    def waits(self) -> str:
        """The private TypedDict of ``create_and_wait``'s keywords."""
        return "_" + "".join(part.title() for part in self.name.split("_")) + "AndWait"

    @property
    def base(self) -> str:
        if self.selections:  # its selection session: ``_multi_elements``
            return "{A}MultiElementsResource"
        return "{A}LibraryResource" if self.library else "{A}FamilyResource"


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
    modules = {
        RESOURCES: _resources(rows),
        PROPERTIES: _properties(rows),
        PRODUCTS: _products(products),
        RAW: _raw(rows, products),
    }
    return {
        f"{package}/{name}": _flavour(code, flavour)
        for package, flavour in FLAVOURS.items()
        for name, code in modules.items()
    }


def _flavour(code: str, flavour: dict[str, str]) -> str:
    """A template's code in one flavour. Templates mark the differences as ``{A}`` (the class
    prefix, which also names ``AbstractAsyncContextManager``), ``{async_}``, ``{await_}`` and
    ``{with_}``; every other brace is literal."""
    for mark, value in flavour.items():
        code = code.replace("{" + mark + "}", value)
    return code.replace("AbstractAsyncContextManager", f"Abstract{flavour['A']}ContextManager")


_RESOURCES_HEAD = '''\
"""One typed resource per task family, generated from the table in ``kling/_families.py``.

Each class names its row and declares the keyword arguments of ``create``, ``create_and_wait``
and ``create_many`` (the family's TypedDict, and the shared wait and batch options) for editors
and mypy; all behaviour lives in ``{A}FamilyResource`` and the resources of both standards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._call_options import NOT_GIVEN
from .._families import FAMILIES
from ._legacy import {A}FamilyResource, {A}LibraryResource
@selections@
if TYPE_CHECKING:
    from contextlib import AbstractAsyncContextManager

    from typing_extensions import Unpack

    from .._call_options import Headers, Query
    from .._config import TimeoutTypes
    from .._errors import KlingError
    from .._params import @params@
    from .._quote import Quote
    from ._batch import CreateManyOptions
    from ._finishing import {A}Finished, CreateAsCompletedOptions
    from ._task import {A}Task
    from ._waiting import WaitOptions
@waits@
__all__ = [@classes@]
'''

_WAITS = '''
    class @waits@(@params@, WaitOptions, total=False):
        """The keywords of ``@name@.create_and_wait``."""
'''

_RESOURCE = '''

class @cls@(@base@):
    """@summary@

    ``POST @path@``
    """

    row = FAMILIES["@name@"]

    {async_}def create(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
        **params: Unpack[@params@],
    ) -> {A}Task:
        """Submit a task (returned ``submitted``); ``extra_body`` adds fields as they are.
        ``extra_headers``, ``extra_query`` and ``timeout`` apply to this call only."""
        call = self._with(extra_headers, extra_query, timeout)
        return {await_}call._create(params, extra_body)

    {async_}def quote(self, **params: Unpack[@params@]) -> Quote:
        """What ``create`` with these parameters would cost at Kling's list prices: checked
        as ``create`` checks them, and nothing sent (``Quote.priced`` is False, with the
        reason, where Kling publishes no price)."""
        return {await_}self._quote(params)

    {async_}def create_and_wait(
        self,
        *,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[@waits@],
    ) -> {A}Task:
        """``create``, then ``wait`` with its options (``timeout``, ``on_progress``...): the
        finished task, or ``TaskFailedError``. ``extra_headers`` and ``extra_query`` go
        with the create and every poll; ``timeout`` is the wait's (see ``wait``)."""
        call = self._with(extra_headers, extra_query)
        return {await_}call._create_and_wait(params, extra_body)

    {async_}def create_many(
        self, items: Iterable[@params@], **options: Unpack[CreateManyOptions]
    ) -> list[{A}Task | KlingError]:
        """A task per item (the keyword arguments of ``create``), ``concurrency`` at a time;
        in input order each created task or its item's ``KlingError``. Slows down while Kling
        throttles; see ``CreateManyOptions``."""
        return {await_}self._create_many(items, **options)

    def create_as_completed(
        self, items: Iterable[@params@], **options: Unpack[CreateAsCompletedOptions]
    ) -> AbstractAsyncContextManager[{A}Finished[{A}Task]]:
        """``create_many`` and ``as_completed`` at once: each task is waited for from the
        moment it exists. ``{with_} ... as finished: for result in finished`` gives each
        item once, as it settles: its finished task (check ``is_failed``), or its
        ``KlingError``; ``finished.created`` keeps every task created."""
        return self._create_as_completed(items, **options)
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
    from ._client import {A}KlingClient
    from ._generated_families import @classes@

__all__ = ["{A}FamilyProperties"]


class {A}FamilyProperties:
    """One resource attribute per task family; ``{A}KlingClient`` inherits them."""
'''

_PROPERTY = '''
    @cached_property
    def @name@(self) -> @cls@:
        """@summary@"""
        from ._generated_families import @cls@

        return @cls@(cast("{A}KlingClient", self))
'''


def _fill(template: str, **values: str) -> str:
    # ``@name@`` marks a table value: the code's own braces and the flavour's marks stay.
    for key, value in values.items():
        template = template.replace(f"@{key}@", value)
    return template


def _resources(rows: list[Row]) -> str:
    params = ", ".join(sorted({row.params for row in rows}))
    classes = ", ".join(f'"{row.cls}"' for row in sorted(rows, key=lambda row: row.cls))
    waits = "".join(
        _fill(_WAITS, waits=row.waits, params=row.params, name=row.name) for row in rows
    )
    selections = (
        "from ._multi_elements import {A}MultiElementsResource\n"
        if any(row.selections for row in rows)
        else ""
    )
    text = _fill(
        _RESOURCES_HEAD, params=params, classes=classes, waits=waits, selections=selections
    )
    for row in rows:
        text += _fill(
            _RESOURCE,
            cls=row.cls,
            base=row.base,
            summary=row.summary,
            path=row.path,
            name=row.name,
            params=row.params,
            waits=row.waits,
        )
    return text


def _properties(rows: list[Row]) -> str:
    classes = ", ".join(sorted(row.cls for row in rows))
    text = _fill(_PROPERTIES_HEAD, classes=classes)
    for row in rows:
        text += _fill(_PROPERTY, name=row.name, cls=row.cls, summary=row.summary)
    return text


_PRODUCTS_HEAD = '''\
"""The new standard's typed product resources and ``client.v2``, generated from the table in
``kling/_families.py``.

Each class names its row and declares the keyword arguments of ``create``, ``create_and_wait``
and ``create_many`` (the product's TypedDict and known models, and the shared wait and batch
options) for editors and mypy; all behaviour lives in ``{A}ProductResource`` and
``{A}V2Tasks``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .._call_options import NOT_GIVEN
from .._families import PRODUCTS
from ._v2 import {A}ProductResource, {A}V2Tasks

if TYPE_CHECKING:
    from contextlib import AbstractAsyncContextManager

    from typing_extensions import Unpack

    from .._call_options import Headers, Query
    from .._config import TimeoutTypes
    from .._errors import KlingError
    from .._params import @imports@
    from .._quote import Quote
    from ._batch import CreateManyOptions
    from ._client import {A}KlingClient
    from ._finishing import {A}Finished, CreateAsCompletedOptions
    from ._task_v2 import {A}V2Task
    from ._waiting import WaitOptions
@waits@
__all__ = [@classes@]
'''

_PRODUCT = '''

class @cls@({A}ProductResource):
    """@summary@

    ``POST @path@/{model}``, e.g. ``model="@example_model@"``.
    """

    row = PRODUCTS["@name@"]

    {async_}def create(
        self,
        *,
        model: @models@ | str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: TimeoutTypes = NOT_GIVEN,
        **params: Unpack[@params@],
    ) -> {A}V2Task:
        """Submit a task (returned ``submitted``); ``extra_body`` merges into the body
        (``{"settings": {...}}`` adds settings). ``extra_headers``, ``extra_query`` and
        ``timeout`` apply to this call only."""
        call = self._with(extra_headers, extra_query, timeout)
        return {await_}call._create({"model": model, **params}, extra_body)

    {async_}def quote(self, *, model: @models@ | str, **params: Unpack[@params@]) -> Quote:
        """What ``create`` with these parameters would cost at Kling's list prices: checked
        as ``create`` checks them, and nothing sent (``Quote.priced`` is False, with the
        reason, where Kling publishes no price)."""
        return {await_}self._quote({"model": model, **params})

    {async_}def create_and_wait(
        self,
        *,
        model: @models@ | str,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, Any] | None = None,
        **params: Unpack[@waits@],
    ) -> {A}V2Task:
        """``create``, then ``wait`` with its options (``timeout``, ``on_progress``...): the
        finished task, or ``TaskFailedError``. ``extra_headers`` and ``extra_query`` go
        with the create and every poll; ``timeout`` is the wait's (see ``wait``)."""
        call = self._with(extra_headers, extra_query)
        return {await_}call._create_and_wait({"model": model, **params}, extra_body)

    {async_}def create_many(
        self,
        items: Iterable[@params@],
        *,
        model: @models@ | str,
        **options: Unpack[CreateManyOptions],
    ) -> list[{A}V2Task | KlingError]:
        """A task per item (the keyword arguments of ``create``) with ``model``,
        ``concurrency`` at a time; in input order each task or its item's ``KlingError``.
        Paced as a legacy ``create_many`` is; see ``CreateManyOptions``."""
        return {await_}self._create_many([{"model": model, **item} for item in items], **options)

    def create_as_completed(
        self,
        items: Iterable[@params@],
        *,
        model: @models@ | str,
        **options: Unpack[CreateAsCompletedOptions],
    ) -> AbstractAsyncContextManager[{A}Finished[{A}V2Task]]:
        """``create_many`` and ``as_completed`` at once, with ``model``: each task is waited
        for from the moment it exists; see the legacy families' ``create_as_completed``."""
        with_model = [{"model": model, **item} for item in items]
        return self._create_as_completed(with_model, **options)
'''

_V2_HEAD = '''

class {A}V2:
    """Kling's new-standard API (API keys only): a resource per product, and ``tasks``."""

    def __init__(self, client: {A}KlingClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return "<{A}V2>"

    @cached_property
    def tasks(self) -> {A}V2Tasks:
        """Get, list and wait for tasks (``wait`` and ``wait_all`` take either standard's)."""
        return {A}V2Tasks(self._client)
'''

_V2_PROPERTY = '''
    @cached_property
    def @name@(self) -> @cls@:
        """@summary@"""
        return @cls@(self._client)
'''


def _products(rows: list[ProductRow]) -> str:
    imports = ", ".join(sorted({row.params for row in rows} | {row.models for row in rows}))
    names = sorted([row.cls for row in rows] + ["{A}V2"])
    waits = "".join(
        _fill(_WAITS, waits=row.waits, params=row.params, name=f"v2.{row.name}") for row in rows
    )
    text = _fill(
        _PRODUCTS_HEAD,
        imports=imports,
        classes=", ".join(f'"{name}"' for name in names),
        waits=waits,
    )
    for row in rows:
        text += _fill(
            _PRODUCT,
            cls=row.cls,
            summary=row.summary,
            path=row.path,
            example_model=row.example_model,
            name=row.name,
            models=row.models,
            params=row.params,
            waits=row.waits,
        )
    text += _V2_HEAD
    for row in rows:
        text += _fill(_V2_PROPERTY, name=row.name, cls=row.cls, summary=row.summary)
    return text


_RAW_HEAD = '''\
"""``client.with_raw_response``'s typed mirrors of the task resources, generated from the table
in ``kling/_families.py``.

A mirror holds its resource's methods that send one request (``create``, ``get``...), each
wrapped by ``to_raw_response``: the same arguments, and a ``RawResponse`` of what the method
returns, so that ``parse()`` has the method's own type.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from ._call import to_raw_response

if TYPE_CHECKING:
    from ._client import {A}KlingClient
    from ._generated_families import @families@
    from ._generated_products import @products@
    from ._v2 import {A}V2Tasks

__all__ = ["{A}FamiliesWithRawResponse", "{A}V2TasksWithRawResponse", "{A}V2WithRawResponse"]
'''

_RAW_MIRROR = '''

class @cls@WithRawResponse:
    """``client.with_raw_response.@name@``: @verbs@, raw."""

    def __init__(self, resource: @cls@) -> None:
@lines@'''

_RAW_TAIL = '''

class {A}V2TasksWithRawResponse:
    """``client.with_raw_response.v2.tasks``: ``get``, returning a ``RawResponse``."""

    def __init__(self, resource: {A}V2Tasks) -> None:
        self.get = to_raw_response(resource.get)


class {A}V2WithRawResponse:
    """``client.with_raw_response.v2``: a mirror per product, and ``tasks``."""

    def __init__(self, client: {A}KlingClient) -> None:
        self._client = client

    @cached_property
    def tasks(self) -> {A}V2TasksWithRawResponse:
        """``get``, raw."""
        return {A}V2TasksWithRawResponse(self._client.v2.tasks)
@v2_properties@

class {A}FamiliesWithRawResponse:
    """A mirror per task family, and ``v2``; ``{A}KlingWithRawResponse`` adds the rest."""

    def __init__(self, client: {A}KlingClient) -> None:
        self._client = client

    @cached_property
    def v2(self) -> {A}V2WithRawResponse:
        """The new standard's products and ``tasks``, raw."""
        return {A}V2WithRawResponse(self._client)
@properties@'''

_RAW_PROPERTY = '''
    @cached_property
    def @name@(self) -> @cls@WithRawResponse:
        """``client.@path@``, raw."""
        return @cls@WithRawResponse(self._client.@path@)
'''


def _raw(rows: list[Row], products: list[ProductRow]) -> str:
    text = _fill(
        _RAW_HEAD,
        families=", ".join(sorted(row.cls for row in rows)),
        products=", ".join(sorted(row.cls for row in products)),
    )
    mirrors: list[tuple[str, str, list[str]]] = []
    for row in rows:
        verbs = ["create", "get"]
        verbs += ["delete"] if row.library else []
        verbs += ["init_selection"] if row.selections else []
        mirrors.append((row.cls, row.name, verbs))
    for product in products:
        mirrors.append((product.cls, f"v2.{product.name}", ["create", "get"]))
    for cls, name, verbs in mirrors:
        lines = "".join(
            f"        self.{verb} = to_raw_response(resource.{verb})\n" for verb in verbs
        )
        text += _fill(
            _RAW_MIRROR,
            cls=cls,
            name=name,
            verbs=", ".join(f"``{verb}``" for verb in verbs),
            lines=lines,
        )
    v2_properties = "".join(
        _fill(_RAW_PROPERTY, name=row.name, cls=row.cls, path=f"v2.{row.name}") for row in products
    )
    properties = "".join(
        _fill(_RAW_PROPERTY, name=row.name, cls=row.cls, path=row.name) for row in rows
    )
    return text + _fill(_RAW_TAIL, v2_properties=v2_properties, properties=properties)
