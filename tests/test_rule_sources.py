"""Every rule names its source and kind, and every check names its rule.

A check without a source is a refusal nobody can defend: each rule row of the SDK
(``kling._params._rulebook``) and of FakeKling (``kling.testing._rulebook``), each per-model row
(legacy and new standard) and each endpoint row (for its field constraints) must name at least one
source with a date; and each place in the checking code that finds a rule broken must name a row,
so that no refusal escapes the tables (read from the source with ``ast``).
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from kling._evidence import Kind, Rule, Source
from kling._families import ROWS
from kling._params._legacy_models import LEGACY_MODELS
from kling._params._rulebook import RULES as SDK_RULES
from kling._params._standard_models import MODEL_RULES
from kling.testing._rulebook import RULES as FAKE_RULES

ROOT = Path(__file__).resolve().parent.parent
_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")


def _problems(sources: tuple[Source, ...]) -> list[str]:
    if not sources:
        return ["names no source"]
    problems = []
    for source in sources:
        if not source.page.strip():
            problems.append(f"{source!r}: empty page")
        try:
            dt.date.fromisoformat(source.date)
        except ValueError:
            problems.append(f"{source!r}: date {source.date!r} is not YYYY-MM-DD")
        if "/work/" in source.page or source.page.startswith("../"):
            problems.append(f"{source!r}: a local path a clone cannot follow")
    return problems


@pytest.mark.parametrize(
    "rule",
    [*SDK_RULES.values(), *FAKE_RULES.values()],
    ids=lambda rule: rule.id,
)
def test_every_rule_names_a_source_a_kind_and_a_stable_id(rule: Rule) -> None:
    assert _ID.match(rule.id), rule.id
    assert isinstance(rule.kind, Kind)
    assert rule.statement.strip()
    assert _problems(rule.evidence.sources) == [], rule.id
    if rule.kind is not Kind.LIMIT:
        # A rule that lets a call through says what Kling does with the value instead.
        assert rule.evidence.why.strip(), rule.id


def test_every_model_row_names_its_sources() -> None:
    missing = {
        f"legacy {family}/{model}": _problems(row.sources)
        for (family, model), row in LEGACY_MODELS.items()
    } | {
        f"new {product}/{model}": _problems(row.sources)
        for (product, model), row in MODEL_RULES.items()
    }
    assert {name: p for name, p in missing.items() if p} == {}


def test_every_endpoint_row_names_the_pages_of_its_fields() -> None:
    missing = {f"{row.standard} {row.name}": _problems(row.sources) for row in ROWS}
    assert {name: p for name, p in missing.items() if p} == {}


def _calls(path: Path) -> list[tuple[int, str, ast.Call]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            found.append((node.lineno, name, node))
    return found


def _names_a_row(arg: ast.expr) -> bool:
    """``R.CFG_SCALE``, ``rule`` (a parameter carrying one) or ``_rulebook.X``."""
    if isinstance(arg, ast.Attribute):
        return isinstance(arg.value, ast.Name) and arg.value.id in {"R", "_rulebook"}
    return isinstance(arg, ast.Name) and arg.id == "rule"


#: (module, helper) -> the position of the rule argument in its calls.
_HELPERS = {"fail": 0, "_fail": 0, "exactly_one": 0, "require": 0, "forbid": 0}


@pytest.mark.parametrize(
    "path", sorted((ROOT / "kling" / "_params").glob("*.py")), ids=lambda p: p.name
)
def test_each_sdk_check_names_its_rule_row(path: Path) -> None:
    unnamed = []
    for line, name, call in _calls(path):
        if name in _HELPERS and call.args and not _names_a_row(call.args[_HELPERS[name]]):
            unnamed.append(f"{path.name}:{line}: {name}(...) names no rule row")
        if name in {"broken", "refuse"} and isinstance(call.func, ast.Attribute):
            owner = call.func.value
            if not (_names_a_row(owner) or (isinstance(owner, ast.Name) and owner.id == "rule")):
                unnamed.append(f"{path.name}:{line}: .{name}() on something not a rule row")
    assert unnamed == []


def test_a_row_that_always_refuses_is_a_limit() -> None:
    """``Rule.refuse`` refuses whatever the kind: only for rows that are limits."""
    misused = []
    for path in sorted((ROOT / "kling" / "_params").glob("*.py")):
        for line, name, call in _calls(path):
            owner = call.func.value if isinstance(call.func, ast.Attribute) else None
            if name == "refuse" and isinstance(owner, ast.Attribute):
                from kling._params import _rulebook

                rule = getattr(_rulebook, owner.attr)
                if rule.kind is not Kind.LIMIT:
                    misused.append(f"{path.name}:{line}: {rule.id} is {rule.kind.value}")
    assert misused == []


def test_no_sdk_check_raises_around_the_rule_rows() -> None:
    """Only type-level checks raise directly (a wrong type, a blank required string): every rule
    of what Kling takes goes through a row, whose kind may let the call through."""
    allowed = {"_validate.py", "_common.py", "_standard.py"}
    raising = []
    for path in sorted((ROOT / "kling" / "_params").glob("*.py")):
        if path.name in allowed:
            continue
        for line, name, _ in _calls(path):
            if name == "InvalidParameterError":
                raising.append(f"{path.name}:{line}")
    assert raising == []
