"""Tests for scripts/unasync.py, the generator of kling/_sync and tests/_sync."""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tokenize
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "unasync.py"
FIXTURES = ROOT / "tests" / "fixtures" / "unasync"
GOLDEN_INPUT = FIXTURES / "input_async.py"
GOLDEN_EXPECTED = FIXTURES / "expected_sync.py"


def _load_script() -> ModuleType:
    # As `python scripts/unasync.py` does, with the script's directory on sys.path (it imports
    # family_code from beside it).
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        spec = importlib.util.spec_from_file_location("kling_unasync_script", SCRIPT)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(SCRIPT.parent))


unasync = _load_script()


def transform(code: str) -> str:
    """Token transform without the header, for short snippets."""
    out = unasync.transform_source(code, source_name="x.py")
    header = unasync.header("x.py")
    assert out.startswith(header)
    return out[len(header) :]


# --- the pure token transform ------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("async def f():\n    pass\n", "def f():\n    pass\n"),
        ("async with a as b:\n    pass\n", "with a as b:\n    pass\n"),
        ("async for x in y:\n    pass\n", "for x in y:\n    pass\n"),
        ("x = [i async for i in y]\n", "x = [i for i in y]\n"),
        ("r = await x.y()\n", "r = x.y()\n"),
        ("r = await  x\n", "r = x\n"),
        ("await (a or b).aclose()\n", "(a or b).close()\n"),
        ("r = (await resp.aread()).decode()\n", "r = (resp.read()).decode()\n"),
        ("r = await f(await g())\n", "r = f(g())\n"),
        ("r = await \\\n    x\n", "r = x\n"),
        ("r = (await\n     x)\n", "r = (\n     x)\n"),
    ],
)
def test_transform_drops_async_and_await_keywords(source: str, expected: str) -> None:
    assert transform(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x: AsyncKlingClient = f()\n", "x: KlingClient = f()\n"),
        ("from kling._async._client import X\n", "from kling._sync._client import X\n"),
        ("from kling._compat_async import sleep\n", "from kling._compat_sync import sleep\n"),
        ("class AsyncTaskResource:\n    pass\n", "class TaskResource:\n    pass\n"),
        ("raise StopAsyncIteration\n", "raise StopIteration\n"),
        ("def f(async_client): ...\n", "def f(client): ...\n"),
    ],
)
def test_transform_renames_names_in_code(source: str, expected: str) -> None:
    assert transform(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "MyAsyncThing = AsyncioPolicy = Asynchronous = 1\n",
        "_async_impl = async_client_factory = aclose_all = 1\n",
        'x = "asyncio awaits AsyncioPolicy"\n',
    ],
)
def test_transform_leaves_partial_word_matches_alone(source: str) -> None:
    assert transform(source) == source


def test_transform_rewrites_strings_and_comments_on_whole_words() -> None:
    source = (
        'doc = "async with AsyncKlingClient() as c: await c.aclose()"  # see kling/_async/x.py\n'
    )
    expected = 'doc = "with KlingClient() as c: c.close()"  # see kling/_sync/x.py\n'
    assert transform(source) == expected


def test_transform_handles_f_strings_the_same_on_every_python_version() -> None:
    # 3.12+ tokenizes f-strings into parts; <=3.11 sees one STRING token.  Same result.
    source = 'x = f"{{AsyncFoo}} {await g(AsyncBar)} async for {{x}}"\n'
    assert transform(source) == 'x = f"{{Foo}} {g(Bar)} for {{x}}"\n'


def test_transform_preserves_layout_of_untouched_code() -> None:
    source = "x  =  ( 1 ,\n      2 )   # spaced\n\n\nif x :\n\ty = x\\\n\t  + 1\n"
    assert transform(source) == source


def test_pinned_names_keep_their_async_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unasync, "PINNED", {"AsyncSearch"})
    assert transform("x = AsyncSearch, AsyncPaginator\n") == "x = AsyncSearch, Paginator\n"


def test_transform_records_which_explicit_rules_fired() -> None:
    fired: set[str] = set()
    unasync.transform_source(
        "await c.aclose()  # AsyncKlingClient\nAsyncPaginator\n", source_name="x.py", fired=fired
    )
    assert fired == {"aclose", "AsyncKlingClient"}


def test_a_prose_rule_replaces_its_phrase_as_written_and_is_recorded() -> None:
    fired: set[str] = set()
    out = unasync.transform_source(
        '"""Calls ``on_progress(n)``, sync or async. AsyncKlingClient too."""\n',
        source_name="x.py",
        fired=fired,
    )
    assert '"""Calls ``on_progress(n)``, a plain function. KlingClient too."""' in out
    assert "prose ', sync or async.'" in fired


_PROSE_WORDS = re.compile(
    r"\b(async|await|awaits|awaited|awaitable|event loop|coroutines?|asyncio|trio|anyio)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("directory", ["kling/_sync", "tests/_sync"])
def test_generated_prose_never_speaks_of_async(directory: str) -> None:
    """Docstrings and comments of the sync twin say what is true of it."""
    found = []
    for path in sorted((ROOT / directory).rglob("*.py")):
        with path.open(encoding="utf-8") as f:
            for token in tokenize.generate_tokens(f.readline):
                if token.start[0] <= 3:  # the header says where the code comes from
                    continue
                prose = token.type in (tokenize.STRING, tokenize.COMMENT) or (
                    tokenize.tok_name[token.type] == "FSTRING_MIDDLE"
                )
                if prose and _PROSE_WORDS.search(token.string):
                    found.append(f"{path.relative_to(ROOT)}:{token.start[0]}: {token.string}")
    assert found == []


def test_the_generator_formats_for_the_oldest_supported_python() -> None:
    # The check compares byte for byte: the formatting must not depend on the interpreter.
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    oldest = re.search(r'^requires-python = ">=(\d+)\.(\d+)"', pyproject, re.MULTILINE)
    assert oldest is not None
    assert f"py{oldest[1]}{oldest[2]}" == unasync.RUFF_TARGET
    assert f'target-version = "{unasync.RUFF_TARGET}"' in pyproject


# --- golden file ---------------------------------------------------------------------------


def test_golden_input_generates_expected_file() -> None:
    generated = unasync.render(
        GOLDEN_INPUT.read_text(encoding="utf-8"),
        source_name="tests/fixtures/unasync/input_async.py",
        target=GOLDEN_EXPECTED,
        root=ROOT,
    )
    if os.environ.get("KLING_UPDATE_GOLDEN") == "1":  # regenerate after an intended change
        GOLDEN_EXPECTED.write_text(generated, encoding="utf-8", newline="\n")
    assert generated == GOLDEN_EXPECTED.read_text(encoding="utf-8")


def test_generated_file_starts_with_header() -> None:
    first_lines = GOLDEN_EXPECTED.read_text(encoding="utf-8").splitlines()[:3]
    assert first_lines == [
        "# WARNING: generated by scripts/unasync.py; do not edit.",
        "# Source: tests/fixtures/unasync/input_async.py",
        "# Edit the async source and run `python scripts/unasync.py`.",
    ]


# --- whole-tree behaviour (--root pointing at a temporary repository) -------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A miniature repository: real ruff config, one client module and one test module."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "kling" / "_async").mkdir(parents=True)
    (tmp_path / "kling" / "__init__.py").write_text("")
    (tmp_path / "kling" / "_async" / "__init__.py").write_text("")
    # The golden input uses every rename rule that is not optional.
    shutil.copy(GOLDEN_INPUT, tmp_path / "kling" / "_async" / "_client.py")
    (tmp_path / "tests" / "_async").mkdir(parents=True)
    (tmp_path / "tests" / "_async" / "test_client.py").write_text(
        "from kling._async._client import AsyncTaskResource\n\n\n"
        "async def test_close(async_client: object) -> None:\n"
        "    async with AsyncTaskResource(async_client) as resource:\n"
        "        await resource.aclose()\n"
    )
    return tmp_path


def run(root: Path, *args: str) -> int:
    return int(unasync.main([*args, "--root", str(root)]))


def test_generate_writes_sync_twins_of_every_async_module(tree: Path) -> None:
    assert run(tree) == 0
    assert (tree / "kling" / "_sync" / "__init__.py").is_file()
    client = (tree / "kling" / "_sync" / "_client.py").read_text()
    assert client.startswith(unasync.HEADER_MARK)
    assert "class TaskResource:" in client
    test_module = (tree / "tests" / "_sync" / "test_client.py").read_text()
    assert "from kling._sync._client import TaskResource" in test_module
    assert "def test_close(client: object) -> None:" in test_module


def test_check_passes_right_after_generate(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tree) == 0
    assert run(tree, "--check") == 0
    assert "kling/_sync and tests/_sync are up to date" in capsys.readouterr().out


def test_generate_twice_rewrites_nothing(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tree) == 0
    capsys.readouterr()
    assert run(tree) == 0
    assert capsys.readouterr().out == ""


def test_check_fails_when_sync_file_was_edited_by_hand(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tree) == 0
    target = tree / "kling" / "_sync" / "_client.py"
    target.write_text(target.read_text().replace("return self", "return None"))
    capsys.readouterr()
    assert run(tree, "--check") == 1
    err = capsys.readouterr().err
    assert "kling/_sync/_client.py: differs from the generated output" in err
    assert "-        return None" in err
    assert "+        return self" in err


def test_check_truncates_long_diffs(tree: Path) -> None:
    assert run(tree) == 0
    target = tree / "kling" / "_sync" / "_client.py"
    target.write_text(target.read_text().replace("self", "this"))
    [problem] = unasync.check(tree)
    assert len(problem.splitlines()) <= unasync.MAX_DIFF_LINES + 2
    assert problem.endswith("more lines)")


def test_check_fails_when_sync_file_is_missing(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tree) == 0
    (tree / "tests" / "_sync" / "test_client.py").unlink()
    assert run(tree, "--check") == 1
    assert "tests/_sync/test_client.py: missing" in capsys.readouterr().err


def test_check_writes_nothing(tree: Path) -> None:
    assert run(tree, "--check") == 1
    assert not (tree / "kling" / "_sync").exists()
    assert not (tree / "tests" / "_sync").exists()


def test_check_fails_on_orphan_generated_file(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tree) == 0
    (tree / "tests" / "_async" / "test_client.py").unlink()
    assert run(tree, "--check") == 1
    err = capsys.readouterr().err
    assert "tests/_sync/test_client.py: orphan generated file with no async source" in err


def test_check_fails_when_sync_file_lacks_header(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tree) == 0
    target = tree / "kling" / "_sync" / "_client.py"
    target.write_text("".join(target.read_text().splitlines(keepends=True)[3:]))
    assert run(tree, "--check") == 1
    assert "kling/_sync/_client.py: lacks the generated-file header" in capsys.readouterr().err


def test_generate_deletes_orphan_that_carries_the_header(tree: Path) -> None:
    assert run(tree) == 0
    (tree / "tests" / "_async" / "test_client.py").unlink()
    assert run(tree) == 0
    assert not (tree / "tests" / "_sync" / "test_client.py").exists()
    assert run(tree, "--check") == 0


def test_hand_written_file_in_sync_dir_is_reported_not_deleted(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tree) == 0
    stray = tree / "kling" / "_sync" / "_helpers.py"
    stray.write_text("X = 1\n")
    assert run(tree) == 1
    assert stray.read_text() == "X = 1\n"
    assert run(tree, "--check") == 1
    err = capsys.readouterr().err
    assert "kling/_sync/_helpers.py: file without the header with no async source" in err


def test_check_fails_when_a_rename_rule_never_fires(tree: Path) -> None:
    (tree / "kling" / "_async" / "_client.py").write_text("class AsyncThing:\n    pass\n")
    (tree / "tests" / "_async" / "test_client.py").unlink()
    assert run(tree) == 0
    problems = unasync.check(tree)
    assert any("rename rule 'AsyncKlingClient' never fired" in p for p in problems)
    assert not any("'AsyncByteStream'" in p for p in problems)  # listed in OPTIONAL_RULES


def test_check_fails_when_a_prose_rule_never_fires(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(unasync.PROSE, "only the async client can", "the client can")
    assert run(tree) == 0
    problems = unasync.check(tree)
    assert any("prose rule 'only the async client can' never fired" in p for p in problems)


def test_dead_rule_check_is_skipped_without_kling_async_sources(tree: Path) -> None:
    shutil.rmtree(tree / "kling" / "_async")
    assert run(tree) == 0
    assert unasync.check(tree) == []


def test_syntax_error_in_async_source_is_reported_with_its_path(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "kling" / "_async" / "_broken.py").write_text("async def f(:\n    pass\n")
    assert run(tree) == 2
    assert "error: kling/_async/_broken.py: cannot generate _broken.py" in capsys.readouterr().err
    assert not (tree / "kling" / "_sync").exists()


def test_every_optional_rule_is_a_rename_rule() -> None:
    assert set(unasync.RENAMES) >= unasync.OPTIONAL_RULES


def test_script_locates_repo_root_from_its_own_path() -> None:
    assert unasync.REPO_ROOT == ROOT


def test_script_runs_from_another_working_directory(
    tree: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    cmd = [sys.executable, str(SCRIPT), "--root", str(tree)]
    assert subprocess.run(cmd, cwd=elsewhere, check=False).returncode == 0
    result = subprocess.run([*cmd, "--check"], cwd=elsewhere, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
