"""Every refusal FakeKling makes names its rule row, and every model row names its sources.

A refusal is a call to ``refuse`` / ``refuse_value`` / ``enforce`` in FakeKling's validation code
(``kling/testing/legacy`` and ``kling/testing/standard``); its rule argument must be a row of
:mod:`kling.testing._rulebook` (``R.LEGACY_MODE``), or a parameter carrying one (``rule``), so
that the row's kind decides whether the request is refused (read from the source with ``ast``).
Nothing there raises directly: an error is built only to be handed to ``enforce``.

The routes modules are left out: they answer the HTTP shape of a request (query strings, cursors,
paging, ids), not what Kling takes of a create's content.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from kling._evidence import Kind, Rule, Source
from kling.testing import _rulebook as R
from kling.testing.legacy.models import IMAGES_UNNAMED, LEGACY_MODELS
from kling.testing.standard.models import MODELS

ROOT = Path(__file__).resolve().parents[2] / "kling" / "testing"
CHECKING = sorted(
    path
    for package in ("legacy", "standard")
    for path in (ROOT / package).glob("*.py")
    if path.name != "routes.py"
)

#: Refusal helpers -> the position of their rule argument.
_REFUSALS = {"refuse": 0, "refuse_value": 0, "enforce": 0, "reject": 0}
#: Functions that build an error without raising it (for ``enforce``, or for the routes).
_FACTORIES = {"invalid", "wrong_type"}


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _names_a_row(arg: ast.expr) -> bool:
    """``R.LEGACY_MODE``, a parameter named ``rule``, or ``R.A if ... else R.B``."""
    if isinstance(arg, ast.IfExp):
        return _names_a_row(arg.body) and _names_a_row(arg.orelse)
    if isinstance(arg, ast.Attribute):
        row = getattr(R, arg.attr, None)
        return isinstance(arg.value, ast.Name) and arg.value.id == "R" and isinstance(row, Rule)
    return isinstance(arg, ast.Name) and arg.id == "rule"


def _unnamed(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = f"{path.parent.name}/{path.name}"
    handed: set[int] = set()  # errors built as an argument of enforce(rule, error)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node) == "enforce":
            handed.update(id(arg) for arg in node.args[1:])
        if isinstance(node, ast.Call) and _name(node) == "reject":
            handed.update(id(arg) for arg in node.args[1:])
        if isinstance(node, ast.FunctionDef) and node.name in _FACTORIES:
            handed.update(id(ret.value) for ret in ast.walk(node) if isinstance(ret, ast.Return))
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise):
            problems.append(f"{where}:{node.lineno}: raises directly")
        if not isinstance(node, ast.Call):
            continue
        called = _name(node)
        position = _REFUSALS.get(called)
        if position is not None and (
            len(node.args) <= position or not _names_a_row(node.args[position])
        ):
            problems.append(f"{where}:{node.lineno}: {called}(...) names no rule row")
        if called == "reject" and node.args and isinstance(node.args[0], ast.Attribute):
            row = getattr(R, node.args[0].attr, None)
            if isinstance(row, Rule) and row.kind is not Kind.LIMIT:
                problems.append(f"{where}:{node.lineno}: reject() with a {row.kind.value} row")
        if called == "ApiError" and id(node) not in handed:
            problems.append(f"{where}:{node.lineno}: ApiError not handed to enforce()")
    return sorted(problems)


@pytest.mark.parametrize("path", CHECKING, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_fake_refusal_names_its_rule_row(path: Path) -> None:
    assert _unnamed(path) == []


def test_the_check_finds_a_refusal_without_a_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def f(body):\n"
        "    refuse('no row')\n"
        "    refuse(R.NOT_A_ROW, 'x')\n"
        "    refuse(R.LEGACY_MODE, 'fine')\n"
        "    raise ApiError(1201, 'x')\n",
        encoding="utf-8",
    )
    assert _unnamed(bad) == [
        f"{tmp_path.name}/bad.py:2: refuse(...) names no rule row",
        f"{tmp_path.name}/bad.py:3: refuse(...) names no rule row",
        f"{tmp_path.name}/bad.py:5: ApiError not handed to enforce()",
        f"{tmp_path.name}/bad.py:5: raises directly",
    ]


def test_every_row_of_the_rulebook_is_named_by_id_once() -> None:
    assert len(R.RULES) == len({rule.id for rule in R.RULES.values()})
    assert all(rule.id.startswith("fake.") for rule in R.RULES.values())


def test_rows_that_let_a_request_through_are_not_limits() -> None:
    """The audit's ignored and unsettled rules: FakeKling accepts what they cover."""
    letting_through = {rule.id for rule in R.RULES.values() if rule.kind is not Kind.LIMIT}
    assert {
        "fake.legacy.cfg_scale",
        "fake.legacy.off_values",
        "fake.legacy.follows_input",
        "fake.legacy.stray_shot_fields",
        "fake.legacy.url_suffix",
        "fake.legacy.undocumented_feature",
        "fake.images.human_fidelity",
        "fake.images.negative_prompt",
        "fake.omni_image.unused",
        "fake.omni_video.base_duration",
        "fake.motion_control.element_orientation",
        "fake.tts.voice_language",
        "fake.lip_sync.voice_speed",
        "fake.effects.still_listed",
        "fake.standard.undocumented_setting",
        "fake.standard.feature_multi_shot",
    } <= letting_through


def _problems(sources: tuple[Source, ...]) -> list[str]:
    if not sources:
        return ["names no source"]
    problems = []
    for source in sources:
        try:
            dt.date.fromisoformat(source.date)
        except ValueError:
            problems.append(f"{source!r}: date is not YYYY-MM-DD")
        if "/work/" in source.page:
            problems.append(f"{source!r}: a local path")
    return problems


def test_every_fake_model_row_names_its_sources() -> None:
    rows = {
        f"legacy {family}/{name}": row.sources
        for family, models in LEGACY_MODELS.items()
        for name, row in models.items()
    }
    rows["legacy images/(no model_name)"] = IMAGES_UNNAMED.sources
    rows |= {f"new {row.product}/{row.model}": row.sources for row in MODELS}
    missing = {name: _problems(sources) for name, sources in rows.items()}
    assert {name: problems for name, problems in missing.items() if problems} == {}
