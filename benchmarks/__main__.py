"""``python -m benchmarks``: run the benchmarks, print the table, rewrite ``RESULTS.md``.

Exit status 0 whatever the figures (benchmarks are reports), unless ``--strict`` is given and
a target was missed (1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path

from . import _batch, _fanout, _imports, _machine, _memory, _overhead, _report, _scale, _tracing

SECTIONS: dict[str, Callable[[bool], _report.Section]] = {
    "overhead": _overhead.run,
    "import": _imports.run,
    "fanout": _fanout.run,
    "batch": _batch.run,
    "memory": _memory.run,
    "scale": _scale.run,
    "tracing": _tracing.run,
}
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "RESULTS.md"


def _sections(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in SECTIONS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown section(s) {', '.join(unknown) or '(none)'}; choose from "
            + ",".join(SECTIONS)
        )
    return names


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmark the kling SDK against baselines measured in the same run.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer samples and a 200-task fan-out (under a minute); figures are noisier",
    )
    parser.add_argument(
        "--only",
        type=_sections,
        default=list(SECTIONS),
        metavar="SECTIONS",
        help=f"comma-separated sections to run (default: all): {','.join(SECTIONS)}",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is missed"
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print the table only; leave RESULTS.md alone"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="where to write the Markdown report (default: benchmarks/RESULTS.md)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command = "python -m benchmarks" + (
        " " + shlex.join(sys.argv[1:] if argv is None else argv)
        if (sys.argv[1:] if argv is None else argv)
        else ""
    )
    started = dt.datetime.now(dt.timezone.utc)
    machine = _machine.describe()
    print(
        f"{machine.cpu}, {machine.cores} cores, {machine.ram_gib:.1f} GiB, {machine.os}\n"
        f"{machine.python}; kling {machine.packages.get('kling')}, "
        f"httpx {machine.packages.get('httpx')}, pydantic {machine.packages.get('pydantic')}",
        file=sys.stderr,
    )
    begin = time.perf_counter()
    sections: list[_report.Section] = []
    for name in args.only:
        print(f"[{time.perf_counter() - begin:5.0f} s] running {name} ...", file=sys.stderr)
        t0 = time.perf_counter()
        section = SECTIONS[name](args.quick)
        section.seconds = time.perf_counter() - t0
        sections.append(section)
    total = time.perf_counter() - begin
    print(f"[{total:5.0f} s] done", file=sys.stderr)

    print()
    print(_report.console_table(sections))
    failed = _report.failures(sections)
    print()
    if failed:
        print(f"{len(failed)} target(s) missed: " + "; ".join(r.name for r in failed))
    else:
        print("All targets met.")

    if not args.no_write:
        mode = "quick (`--quick`: fewer samples, 200-task fan-out)" if args.quick else "full"
        if args.only != list(SECTIONS):
            mode += f"; sections: {', '.join(args.only)}"
        text = _report.markdown(
            sections,
            machine,
            command=command,
            mode=mode,
            started=started,
            seconds=total,
            load_end=_machine.load_average(),
        )
        _report.write(args.output, text)
        print(f"Wrote {args.output}")
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
