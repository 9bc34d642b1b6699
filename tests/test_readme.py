"""The README's runnable examples run, as written, against FakeKling."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kling import KlingClient
from kling.testing import FakeKling
from kling.testing._files import make_mp3, make_png
from tests.test_files import jpeg

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"<!-- runnable[^>]*-->\n```python\n(.*?)```", re.S)
BLOCKS = BLOCK.findall(README.read_text())
#: Example files the README shows (``<!-- file: NAME -->`` before the block): the runnable
#: examples find them in their working directory.
FILES = re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)```", README.read_text(), re.S)


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # The examples use relative file names and read credentials from the environment.
    for name, data in {
        "frame.png": make_png(640, 360),
        "me.png": make_png(400, 600),
        "photo.png": make_png(800, 600),
        "shirt.png": make_png(400, 400),
        "portrait.jpg": jpeg(600, 800),
        "voice.mp3": make_mp3(3),
    }.items():
        (tmp_path / name).write_bytes(data)
    for name, text in FILES:
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    with FakeKling.serve() as served:
        monkeypatch.setenv("KLING_ACCESS_KEY", served.access_key)
        monkeypatch.setenv("KLING_SECRET_KEY", served.secret_key)
        monkeypatch.setenv("KLING_BASE_URL", served.url)
        assert served.api_key is not None
        monkeypatch.setenv("KLING_API_KEY", served.api_key)  # for the new standard
        yield served


def test_the_readme_marks_its_runnable_examples() -> None:
    assert len(BLOCKS) >= 6
    assert [name for name, _ in FILES] == ["jobs.jsonl"]


def test_the_batch_example_settles_every_job_of_its_file(server: Any, tmp_path: Path) -> None:
    code = next(code for code in BLOCKS if "client.batch.run" in code)
    with KlingClient() as client:
        exec(compile(code, str(README), "exec"), {"client": client, "__name__": "readme"})
    lines = (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["line"] for line in lines) == [1, 2, 3, 4, 5]
    assert len(server.fake.tasks) == 5


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_runs(server: Any, code: str, tmp_path: Path) -> None:
    with KlingClient() as client:
        namespace: dict[str, Any] = {"client": client, "Path": Path, "__name__": "readme"}
        try:
            exec(compile(code, str(README), "exec"), namespace)
        finally:
            # A snippet may build its own client (the manual retry loop): don't leak its pool.
            for value in namespace.values():
                if isinstance(value, KlingClient) and value is not client:
                    value.close()


def test_quick_start_downloads_the_video(server: Any, tmp_path: Path) -> None:
    quick_start = next(code for code in BLOCKS if "create_and_wait" in code and "with" in code)
    exec(compile(quick_start, str(README), "exec"), {"__name__": "readme"})
    assert [p.suffix for p in (tmp_path / "out").iterdir()] == [".mp4"]


def test_the_multi_element_example_saves_the_mask_and_the_edited_video(
    server: Any, tmp_path: Path
) -> None:
    code = next(code for code in BLOCKS if "init_selection" in code)
    with KlingClient() as client:
        exec(compile(code, str(README), "exec"), {"client": client, "__name__": "readme"})
    assert (tmp_path / "dog-mask.png").read_bytes().startswith(b"\x89PNG")
    assert [p.suffix for p in (tmp_path / "out").iterdir()] == [".mp4"]
    assert [task.family.name for task in server.fake.tasks.values()] == ["multi_elements"]


def test_the_cost_example_prints_the_quotes_and_sends_nothing(
    server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code = next(code for code in BLOCKS if ".quote(" in code)
    server.fake.requests.clear()
    with KlingClient() as client:
        exec(compile(code, str(README), "exec"), {"client": client, "__name__": "readme"})
    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        "2.4 video units ($0.336)",
        "{'video': Decimal('8.4'), 'image': Decimal('16')} 1.232",
        "False kling-v1: Kling's pricing pages give no price for it",
    ]
    assert server.fake.requests == []
