"""Jobs files as ``kling batch run`` reads them: only media fields read files, every bad line is
reported at once, and a big file is checked as a stream in bounded memory."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from kling import InvalidParameterError
from kling._jobs import jobs_from, load_jobs
from kling.testing._files import make_png


def write(path: Path, jobs: list[Any]) -> Path:
    path.write_text("".join(json.dumps(job) + "\n" for job in jobs))
    return path


def test_a_prompt_that_names_a_file_stays_a_prompt_and_only_media_fields_read_files(
    tmp_path: Path,
) -> None:
    (tmp_path / "notes.txt").write_text("not a prompt")
    (tmp_path / "frame.png").write_bytes(make_png())
    jobs = write(
        tmp_path / "jobs.jsonl",
        [
            {"family": "text_to_video", "prompt": "notes.txt"},
            {"family": "image_to_video", "image": "frame.png", "prompt": "frame.png"},
        ],
    )
    first, second = load_jobs(jobs)
    assert first.params == {"prompt": "notes.txt"}
    assert second.params == {"image": tmp_path / "frame.png", "prompt": "frame.png"}


def test_a_media_file_inside_a_list_is_read_and_a_missing_one_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(make_png())
    item = {"family": "multi_image_to_video", "prompt": "p", "model_name": "kling-v1-6"}
    [job] = jobs_from([{**item, "image_list": [{"image": "a.png"}]}], base_dir=tmp_path)
    assert job.params["image_list"] == [{"image": tmp_path / "a.png"}]
    with pytest.raises(InvalidParameterError) as info:
        jobs_from([{**item, "image_list": [{"image": "b.png"}]}], base_dir=tmp_path)
    assert str(info.value) == (
        "line 1: image_list[0].image: file not found: b.png (relative to the base directory); "
        "nothing was created"
    )


def test_a_missing_media_file_is_named_relative_to_the_jobs_file(tmp_path: Path) -> None:
    jobs = write(tmp_path / "jobs.jsonl", [{"family": "image_to_video", "image": "shots/a.png"}])
    with pytest.raises(InvalidParameterError) as info:
        load_jobs(jobs)
    assert str(info.value) == (
        "line 1: image: file not found: shots/a.png (relative to the jobs file); "
        "nothing was created"
    )


def test_an_unknown_field_is_named_without_suggesting_extra_body(tmp_path: Path) -> None:
    jobs = write(tmp_path / "jobs.jsonl", [{"family": "text_to_video", "prompt": "p", "bogus": 1}])
    with pytest.raises(InvalidParameterError) as info:
        load_jobs(jobs)
    assert str(info.value) == (
        "line 1: unknown parameter 'bogus' for text_to_video; nothing was created"
    )


def test_every_bad_line_is_reported_at_once_the_first_20_then_a_count(tmp_path: Path) -> None:
    good = {"family": "text_to_video", "prompt": "a fox"}
    bad = [
        "not json",
        "[1, 2]",
        json.dumps({"family": "nope"}),
        json.dumps({"family": "text_to_video", "prompt": ""}),
    ]
    lines = []
    for index in range(25):
        lines += [json.dumps(good), bad[index % len(bad)]]
    (tmp_path / "jobs.jsonl").write_text("\n".join(lines) + "\n")

    with pytest.raises(InvalidParameterError) as info:
        load_jobs(tmp_path / "jobs.jsonl")

    head, *shown = str(info.value).splitlines()
    assert head == "25 bad lines; nothing was created:"
    assert shown[-1] == "... and 5 more"
    assert [line.split(":")[0] for line in shown[:-1]] == [f"line {n}" for n in range(2, 41, 2)]
    assert shown[0].startswith("line 2: not valid JSON (")
    assert shown[1] == "line 4: a job is a JSON object, got list"
    assert shown[2].startswith("line 6: unknown family 'nope'; one of: text_to_video")
    assert shown[3] == "line 8: prompt: must not be empty or only spaces"


def test_a_big_jobs_file_is_checked_as_a_stream_in_bounded_memory(tmp_path: Path) -> None:
    # Long prompts keep the file big and the job count (and the test's time) small.
    line = json.dumps({"family": "text_to_video", "prompt": "a fox " * 400}) + "\n"
    jobs = tmp_path / "jobs.jsonl"
    with jobs.open("w") as file:
        for _ in range(8_000):
            file.write(line)
        file.write('{"family": "text_to_video", "prompt": ""}\n')  # bad, and last
    size = jobs.stat().st_size
    load_jobs(write(tmp_path / "warm.jsonl", [{"family": "text_to_video", "prompt": "p"}]))

    tracemalloc.start()
    try:
        with pytest.raises(InvalidParameterError, match=r"^line 8001: prompt: must not be empty"):
            load_jobs(jobs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert size > 15_000_000
    # Read whole, the text alone is the file's size (its lines as many again, then the jobs);
    # line by line, the check holds a line and what is made of it.
    assert peak < size / 20
