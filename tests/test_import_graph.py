"""The package's import graph, read with ``ast``: no circles, and no one's private names.

An edge is an ``import`` anywhere in a module (at the top, inside a function, or under ``if
TYPE_CHECKING:``), to the module it names: ``from . import _x`` is an edge to the submodule
``_x``, ``from ._x import name`` to ``_x``. Circles through ``TYPE_CHECKING`` imports are
allowed only inside ``kling._async`` and inside ``kling._sync``, where the client and its
resources name each other's types; every other circle, and every circle of imports that run,
fails.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "kling"
#: Where circles of type-checking imports are allowed: each client's own modules.
TYPED_CIRCLES = ("kling._async.", "kling._sync.")


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    names: tuple[str, ...]
    """The names imported from ``target`` that are not submodules."""
    typing_only: bool
    line: int


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str) -> Iterator[Import]:
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def resolve(level: int, name: str | None) -> str:
        if not level:
            return name or ""
        parts = package.split(".")
        base = parts[: len(parts) - (level - 1)]
        return ".".join([*base, name] if name else base)

    def visit(node: ast.AST, typing_only: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for statement in child.body:
                    yield from visit_one(statement, True)
                for statement in child.orelse:
                    yield from visit_one(statement, typing_only)
            else:
                yield from visit_one(child, typing_only)

    def visit_one(node: ast.AST, typing_only: bool) -> Iterator[Import]:
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            target = resolve(node.level, node.module)
            names: list[str] = []
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if submodule in MODULES:
                    yield Import(module, submodule, (), typing_only, node.lineno)
                else:
                    names.append(alias.name)
            if names and target in MODULES:
                yield Import(module, target, tuple(names), typing_only, node.lineno)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES:
                    yield Import(module, alias.name, (), typing_only, node.lineno)
        yield from visit(node, typing_only)

    yield from visit(ast.parse(path.read_text(encoding="utf-8")), False)


IMPORTS = [edge for module in MODULES for edge in _imports(module)]


def _circles(edges: list[Import]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for edge in edges:
        if edge.target != edge.source:
            graph[edge.source].add(edge.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            connect(module)
    return found


def test_the_graph_is_read() -> None:
    # The reader sees each kind of import, so that an empty result below means something.
    edges = {(edge.source, edge.target, edge.typing_only) for edge in IMPORTS}
    assert ("kling._async._client", "kling._auth", False) in edges  # at the top
    assert ("kling._async._client", "kling._async._task", True) in edges  # TYPE_CHECKING
    assert ("kling._async._client", "kling._async._jobs", False) in edges  # in a function


def test_no_circle_of_imports_that_run() -> None:
    assert _circles([edge for edge in IMPORTS if not edge.typing_only]) == []


def test_type_checking_circles_stay_inside_one_client() -> None:
    outside = [
        circle
        for circle in _circles(IMPORTS)
        if not any(all(m.startswith(prefix) for m in circle) for prefix in TYPED_CIRCLES)
    ]
    assert outside == []


def test_no_module_imports_another_modules_private_names() -> None:
    private = [
        f"{edge.source}:{edge.line} imports {name} from {edge.target}"
        for edge in IMPORTS
        for name in edge.names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert private == []


def test_only_the_tracing_switch_imports_the_spans_module() -> None:
    # kling._otel imports opentelemetry at its top: only kling._tracing may run that import,
    # once it has found the package, so that a process without it never tries.
    importers = {
        edge.source for edge in IMPORTS if edge.target == "kling._otel" and not edge.typing_only
    }
    assert importers == {"kling._tracing"}
