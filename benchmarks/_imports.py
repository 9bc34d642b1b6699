"""Start-up: import time of ``kling`` against the floor it cannot go below (httpx, pydantic).

Every sample is a fresh interpreter (``python -c``) that times only the statement, with
``time.perf_counter`` inside the child, so interpreter start-up is left out of both sides.
Statements take turns round by round, each round timing every statement once (every other
round in reverse order), so noise hits them alike; bytecode caches are warm (one untimed run of
each statement first). A row's figure is the median, over the rounds, of the statement's time
divided by its baseline's in the same round: on a machine whose speed drifts, single samples
here move by a third, and a ratio of two medians can pair a fast round's baseline with a slow
round's statement. The medians of both sides are shown beside it.

Moving work out of import only pays if it is not paid twice later: the "first create" rows run
a whole first call of each client (import, client, one create answered by
``httpx.MockTransport``) against the same call written with raw httpx (``httpx.AsyncClient`` or
``httpx.Client``), ``json.loads`` and a small pydantic model, so a start-up saving that costs
the first call is visible. ``kling --version`` and ``kling --help`` are timed as whole processes,
against a process that only imports httpx and pydantic.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from ._machine import ROOT
from ._report import Row, Section, fmt, md_table, paired_ratio_row

FLOOR = "import httpx, pydantic"
CLIENT_FLOOR = "import httpx, pydantic; httpx.AsyncClient()"
_MOCK = (
    "httpx.MockTransport(lambda r: httpx.Response(200, json={'code': 0, 'message': 'ok', "
    "'request_id': 'r', 'data': {'task_id': 't1', 'task_status': 'submitted', "
    "'created_at': 1767225600000, 'updated_at': 1767225600000}}))"
)
_RAW_CREATE = (
    "http.post('https://api-singapore.klingai.com/v1/videos/text2video',\n"
    "            json={'prompt': 'a corgi'}, headers={'Authorization': 'Bearer k'})"
)
_RAW_CHECK = (
    "        body = json.loads(r.content)\n"
    "        assert body['code'] == 0\n"
    "        Task.model_validate(body['data'])\n"
)
_RAW_MODEL = "class Task(pydantic.BaseModel):\n    task_id: str\n    task_status: str\n"
FIRST_CREATE = (
    "import asyncio, httpx; from kling import AsyncKlingClient\n"
    "async def main():\n"
    f"    async with httpx.AsyncClient(transport={_MOCK}) as http:\n"
    "        client = AsyncKlingClient(api_key='k', http_client=http)\n"
    "        await client.text_to_video.create(prompt='a corgi')\n"
    "asyncio.run(main())"
)
FIRST_CREATE_RAW = (
    "import asyncio, json, httpx, pydantic\n"
    f"{_RAW_MODEL}"
    "async def main():\n"
    f"    async with httpx.AsyncClient(transport={_MOCK}) as http:\n"
    f"        r = await {_RAW_CREATE}\n"
    f"{_RAW_CHECK}"
    "asyncio.run(main())"
)
FIRST_CREATE_SYNC = (
    "import httpx; from kling import KlingClient\n"
    "def main():\n"
    f"    with httpx.Client(transport={_MOCK}) as http:\n"
    "        client = KlingClient(api_key='k', http_client=http)\n"
    "        client.text_to_video.create(prompt='a corgi')\n"
    "main()"
)
FIRST_CREATE_SYNC_RAW = (
    "import json, httpx, pydantic\n"
    f"{_RAW_MODEL}"
    "def main():\n"
    f"    with httpx.Client(transport={_MOCK}) as http:\n"
    f"        r = {_RAW_CREATE}\n"
    f"{_RAW_CHECK}"
    "main()"
)
#: A whole first call of either client against the same call written with raw httpx: at most
#: this much slower.
FIRST_CREATE_TARGET = 1.2
#: (label, statement, baseline statement, target ratio or None)
CASES: tuple[tuple[str, str, str, float | None], ...] = (
    ("import kling", "import kling", FLOOR, 1.15),
    ("from kling import KlingClient", "from kling import KlingClient", FLOOR, 1.15),
    ("from kling import AsyncKlingClient", "from kling import AsyncKlingClient", FLOOR, 1.15),
    (
        "AsyncKlingClient ready to call (import, construct, .text_to_video)",
        "from kling import AsyncKlingClient; AsyncKlingClient(api_key='k').text_to_video",
        CLIENT_FLOOR,
        1.5,
    ),
    (
        "AsyncKlingClient first create (import, client, one create), against raw httpx",
        FIRST_CREATE,
        FIRST_CREATE_RAW,
        FIRST_CREATE_TARGET,
    ),
    (
        "KlingClient first create (import, client, one create), against raw httpx",
        FIRST_CREATE_SYNC,
        FIRST_CREATE_SYNC_RAW,
        FIRST_CREATE_TARGET,
    ),
)
#: (label, the command's arguments after ``python -m``, baseline ``python -c`` program, target)
COMMANDS: tuple[tuple[str, list[str], str, float], ...] = (
    ("kling --version (a whole process)", ["kling.cli", "--version"], FLOOR, 1.5),
    ("kling --help (a whole process)", ["kling.cli", "--help"], FLOOR, 1.2),
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

    # Credentials or a base URL in the environment must not change what the child does, and
    # the warm-up run must leave bytecode caches behind (as an installed package has them):
    # with PYTHONDONTWRITEBYTECODE set, every sample would compile the SDK's sources again.
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KLING_") and k != "PYTHONDONTWRITEBYTECODE"
    }


def sample_command(argv: list[str]) -> float:
    """Seconds a whole ``python ARGV...`` process takes, start-up included."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, *argv], cwd=ROOT, capture_output=True, check=True, timeout=60, env=_env()
    )
    return time.perf_counter() - start


def run(quick: bool) -> Section:
    samples = 11 if quick else 21
    statements: list[str] = []
    for _, statement, baseline, _ in CASES:
        statements += [s for s in (statement, baseline) if s not in statements]
    commands: list[tuple[str, ...]] = []
    for _, argv, baseline, _ in COMMANDS:
        commands += [c for c in (("-m", *argv), ("-c", baseline)) if c not in commands]
    for statement in statements:
        sample(statement)  # compile .pyc files, fill the OS cache
    for command in commands:
        sample_command(list(command))
    times: dict[str, list[float]] = {s: [] for s in statements}
    command_times: dict[tuple[str, ...], list[float]] = {c: [] for c in commands}
    for round_ in range(samples):
        # Every other round in reverse order: neither side of a pair always runs first.
        step = 1 if round_ % 2 == 0 else -1
        for statement in statements[::step]:
            times[statement].append(sample(statement))
        for command in commands[::step]:
            command_times[command].append(sample_command(list(command)))

    section = Section("import", "Start-up time")
    rows: list[Row] = []
    for label, statement, baseline, target in CASES:
        pairs = (times[baseline], times[statement])
        rows.append(paired_ratio_row("import", label, *pairs, "ms", limit=target))
    for label, argv, baseline, target in COMMANDS:
        command = ("-m", *argv)
        pairs = (command_times[("-c", baseline)], command_times[command])
        rows.append(paired_ratio_row("import", label, *pairs, "ms", limit=target))
    section.rows = rows
    detail = [
        [
            "`" + " ".join(s.split("\n")) + "`" if len(s) < 90 else f"`{s.splitlines()[0]} ...`",
            fmt(statistics.median(times[s]), "ms"),
            fmt(min(times[s]), "ms"),
            fmt(max(times[s]), "ms"),
        ]
        for s in statements
    ]
    detail += [
        [
            f"`python {' '.join(c)}` (process)",
            fmt(statistics.median(command_times[c]), "ms"),
            fmt(min(command_times[c]), "ms"),
            fmt(max(command_times[c]), "ms"),
        ]
        for c in commands
    ]
    section.details = [
        (__doc__ or "").split("\n\n", 1)[1].strip(),
        "",
        f"{samples} rounds. Targets: each `kling` import at most 1.15x the floor "
        f"(`{FLOOR}`); a client ready to call at most 1.5x `{CLIENT_FLOOR}` (building the "
        "`httpx.AsyncClient`, whose SSL context dominates, and the first resource access); "
        "`kling --version` at most 1.5x a process that imports httpx and pydantic, `kling --help` "
        f"at most 1.2x; each client's first create at most {FIRST_CREATE_TARGET}x the same call "
        "written with raw httpx.",
        "",
        *md_table(["Statement", "Median", "Min", "Max"], detail),
    ]
    return section
