"""Import time of ``kling`` against the floor it cannot go below, ``import httpx, pydantic``.

Every sample is a fresh interpreter (``python -c``) that times only the statement, with
``time.perf_counter`` inside the child, so interpreter start-up is left out of both sides.
Statements take turns sample by sample, so noise hits them alike; bytecode caches are warm
(one untimed run of each statement first). The figure is the median.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

from ._machine import ROOT
from ._report import Row, Section, fmt, md_table, ratio_row

TARGET = 1.5

FLOOR = "import httpx, pydantic"
#: (label, statement, baseline statement or None for the floor, has a target)
CASES: tuple[tuple[str, str, str, bool], ...] = (
    ("import kling", "import kling", FLOOR, True),
    ("from kling import KlingClient", "from kling import KlingClient", FLOOR, True),
    ("from kling import AsyncKlingClient", "from kling import AsyncKlingClient", FLOOR, True),
    (
        "AsyncKlingClient ready to call (import, construct, .text_to_video)",
        "from kling import AsyncKlingClient; AsyncKlingClient(api_key='k').text_to_video",
        "import httpx, pydantic; httpx.AsyncClient()",
        False,
    ),
)

_PROGRAM = """\
import time
_start = time.perf_counter()
{statement}
print(time.perf_counter() - _start)
"""


def sample(statement: str) -> float:
    """Seconds ``statement`` takes in a fresh interpreter."""
    proc = subprocess.run(
        [sys.executable, "-c", _PROGRAM.format(statement=statement)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=_env(),
    )
    return float(proc.stdout.strip().splitlines()[-1])


def _env() -> dict[str, str]:
    import os

    # Credentials or a base URL in the environment must not change what the child does.
    return {k: v for k, v in os.environ.items() if not k.startswith("KLING_")}


def run(quick: bool) -> Section:
    samples = 10 if quick else 15
    # Quick mode leaves out the informational "ready to call" row (its samples cost most).
    cases = [case for case in CASES if case[3]] if quick else list(CASES)
    statements: list[str] = [FLOOR]
    for _, statement, baseline, _ in cases:
        statements += [s for s in (statement, baseline) if s not in statements]
    for statement in statements:
        sample(statement)  # compile .pyc files, fill the OS cache
    times: dict[str, list[float]] = {s: [] for s in statements}
    for _ in range(samples):
        for statement in statements:
            times[statement].append(sample(statement))

    section = Section("import", "Import time")
    rows: list[Row] = []
    for label, statement, baseline, has_target in cases:
        base = statistics.median(times[baseline])
        value = statistics.median(times[statement])
        rows.append(
            ratio_row("import", label, base, value, "ms", limit=TARGET if has_target else None)
        )
    section.rows = rows
    detail = [
        [
            f"`{s}`",
            fmt(statistics.median(times[s]), "ms"),
            fmt(min(times[s]), "ms"),
            fmt(max(times[s]), "ms"),
        ]
        for s in statements
    ]
    section.details = [
        (__doc__ or "").split("\n\n", 1)[1].strip(),
        "",
        f"{samples} samples per statement. Target: each `kling` import at most {TARGET}x the "
        f"floor (`{FLOOR}`). The last summary row is for information: it adds building a "
        "client (its `httpx.AsyncClient`, whose SSL context dominates) and the first "
        "resource access, which imports the resource modules; its baseline builds an "
        "`httpx.AsyncClient` too.",
        "",
        *md_table(["Statement", "Median", "Min", "Max"], detail),
    ]
    return section
