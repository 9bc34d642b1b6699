"""A clone must explain itself: every document the code cites is in the repository, or a URL.

The team's shared notes (the API reference, the pricing notes, the design page and the SDK survey)
live outside the repository, so a comment that cites them cannot be followed from a clone. Facts
about Kling's API cite the vendor page by URL; design rules cite ``docs/design.md``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("kling", "scripts", "benchmarks", "tests")

# The shared documents, by stem (spelled apart so that this file does not name them itself).
SHARED_STEMS = ("kling-api", "kling-api-new-standard", "kling-pricing", "DESIGN", "sdk-anchors")
SHARED = re.compile(r"(?:" + "|".join(map(re.escape, SHARED_STEMS)) + r")\.md\b")
MARKDOWN = re.compile(r"[\w./-]*\w\.md\b")
URL = re.compile(r"https?://\S+")


def _texts() -> list[Path]:
    files = [ROOT / "README.md"]
    for top in SCANNED:
        for folder, dirs, names in os.walk(ROOT / top):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            files.extend(Path(folder, name) for name in names if name.endswith(".py"))
    return sorted(files)


def _repository_markdown() -> set[str]:
    found: set[str] = set()
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in ("__pycache__", "build")]
        rel = Path(folder).relative_to(ROOT)
        found.update((rel / name).as_posix() for name in names if name.endswith(".md"))
    return found


def _in_repository(name: str, markdown: set[str]) -> bool:
    name = name.removeprefix("./")
    return any(path == name or path.endswith("/" + name) for path in markdown)


def unresolvable_citations() -> list[str]:
    """``file:line: name`` for each document cited outside a URL that a clone does not have."""
    markdown = _repository_markdown()
    problems: list[str] = []
    for path in _texts():
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            text = URL.sub(" ", line)
            where = f"{path.relative_to(ROOT).as_posix()}:{number}"
            names = {m.group() for m in SHARED.finditer(text)}
            names |= {m for m in MARKDOWN.findall(text) if not _in_repository(m, markdown)}
            problems.extend(f"{where}: {name}" for name in sorted(names))
    return problems


def test_no_text_cites_a_document_outside_the_repository() -> None:
    problems = unresolvable_citations()
    assert not problems, (
        "these cite documents a clone does not have; cite the vendor page's URL, or a file "
        "in the repository (docs/design.md for design rules):\n" + "\n".join(problems)
    )


def test_the_check_sees_a_shared_document_and_a_missing_file_but_not_a_url() -> None:
    shared = SHARED_STEMS[0] + ".md"
    assert SHARED.search(f"see {shared} section 4")
    assert SHARED.search(f"(../shared/{shared})")
    assert not SHARED.search(URL.sub(" ", f"https://example.com/docs/{shared}"))
    missing = "notes/missing" + ".md"
    assert MARKDOWN.findall(f"see {missing}") == [missing]
    assert _in_repository("README.md", _repository_markdown())
    assert not _in_repository(missing, _repository_markdown())
