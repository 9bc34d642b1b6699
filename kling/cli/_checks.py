"""What can be checked before a create is checked before it: no paid task for output that
cannot be saved, nor for a wait that cannot start.

The ``--output`` target against the number of files the task will make (``--n`` images, one
file per video, an mp3 and a wav per sound effect), the directory the files go to, and the
wait options. The SDK names and writes the files (``kling._paths.plan_targets``); its rule for
"one file, or a directory" is mirrored by :func:`names_one_file`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kling._rows import TaskRow

if TYPE_CHECKING:
    from kling import Task, V2Task

__all__ = [
    "Expected",
    "check_directory",
    "check_output",
    "check_seconds",
    "directory_problem",
    "expected_for_task",
    "expected_results",
    "names_one_file",
]

_OUTPUT_HINT = "'--output'"


@dataclass(frozen=True)
class Expected:
    """How many result files a task will have; ``count=None``: it cannot be told, maybe many."""

    count: int | None
    why: str
    """What makes it that many, for the message (``--n 2``)."""


#: Image rows whose count of files no parameter sets: AI multi-shot makes three candidate sets
#: of three views (https://github.com/aself101/kling-api/blob/main/docs/api/kling-image-common-subject-completion.md).
_FIXED_IMAGES = {"ai_multi_shot": Expected(9, "three candidate sets of three views")}


def expected_results(row: TaskRow, params: Mapping[str, Any]) -> Expected:
    """The result files a create of ``row`` (either standard) with ``params`` will produce."""
    kind = row.result
    if row.name in _FIXED_IMAGES:
        return _FIXED_IMAGES[row.name]
    if kind == "images":
        if params.get("result_type") == "series":
            return Expected(None, "--result-type series")
        n = params.get("n", 1)
        if isinstance(n, bool) or not isinstance(n, int):
            return Expected(None, f"--n {n}")
        return Expected(n, f"--n {n}")
    if kind == "audios":
        return Expected(2, "an mp3 and a wav")
    if kind == "video_audios":
        return Expected(3, "the video, an mp3 and a wav")
    if kind == "videos":
        return Expected(1, "one video")
    return Expected(0, f"{kind} are kept in your library, not downloaded")


def expected_for_task(task: Task | V2Task, row: TaskRow | None) -> Expected | None:
    """What a task that exists will have; None when that depends on how it was created."""
    if task.is_succeeded:
        return Expected(len(task.result_urls()), "the results it has")
    if row is None or row.result == "images":
        return None
    return expected_results(row, {})


def names_one_file(target: str) -> bool:
    """Whether ``target`` names one file (``out.mp4``) rather than a directory, as the SDK reads
    it: not an existing directory, no trailing slash, and an extension."""
    path = Path(target)
    return not path.is_dir() and not target.endswith(("/", os.sep)) and path.suffix != ""


def directory_problem(directory: Path) -> str | None:
    """Why files cannot be written into ``directory`` (created if missing), or None: the SDK's
    probe (``kling._paths.directory_problem``)."""
    from kling._paths import directory_problem as problem

    return problem(directory)


def check_directory(directory: Path) -> None:
    """Refuse (usage error on ``--output``) a directory the files cannot go to."""
    problem = directory_problem(directory)
    if problem is not None:
        raise typer.BadParameter(problem, param_hint=_OUTPUT_HINT)


def check_output(target: str, expected: Expected | None) -> None:
    """Refuse an ``--output`` that cannot take the files: a file name for several, or a place
    that cannot be written. ``expected=None``: the count is unknown, check the place only."""
    if names_one_file(target):
        if expected is not None and expected.count != 1:
            several = (
                "may make several result files"
                if expected.count is None
                else f"makes {expected.count} result files"
            )
            parent = str(Path(target).parent)
            folder = "out/" if parent == "." else parent.rstrip("/") + "/"
            raise typer.BadParameter(
                f"{target!r} names one file, but this task {several} ({expected.why}): "
                f"give a directory instead, such as {folder}",
                param_hint=_OUTPUT_HINT,
            )
        check_directory(Path(target).parent)
        return
    check_directory(Path(target))


def check_seconds(flag: str, value: float | None) -> None:
    """A duration option must be a positive, finite number of seconds."""
    if value is not None and not (value > 0 and math.isfinite(value)):
        raise typer.BadParameter(
            f"must be a positive number of seconds, got {value:g}", param_hint=f"'{flag}'"
        )
