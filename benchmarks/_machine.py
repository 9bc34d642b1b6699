"""What the numbers were measured on: hardware, OS, Python, package versions, commit."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Distributions whose versions shape the results (the SDK, its stack, and the fake's server).
PACKAGES = (
    "kling",
    "httpx",
    "httpcore",
    "h11",
    "pydantic",
    "pydantic-core",
    "anyio",
    "tenacity",
    "PyJWT",
    "starlette",
    "uvicorn",
)


@dataclass(frozen=True)
class Machine:
    cpu: str
    cores: int
    usable_cores: int
    ram_gib: float
    os: str
    python: str
    packages: dict[str, str] = field(default_factory=dict)
    commit: str = "unknown"
    load_average: tuple[float, float, float] | None = None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _ram_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (ValueError, OSError, AttributeError):
        return 0.0


def _os_name() -> str:
    pretty = None
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                pretty = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    kernel = f"{platform.system()} {platform.release()} ({platform.machine()})"
    return f"{pretty}, {kernel}" if pretty else kernel


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head} (uncommitted changes)" if dirty else head


def load_average() -> tuple[float, float, float] | None:
    """1, 5 and 15 minute load averages: other work on the machine skews every figure."""
    try:
        return os.getloadavg()
    except OSError:
        return None


def describe() -> Machine:
    """The machine this process runs on."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 1
    impl = platform.python_implementation()
    return Machine(
        cpu=_cpu_model(),
        cores=os.cpu_count() or 1,
        usable_cores=usable,
        ram_gib=_ram_gib(),
        os=_os_name(),
        python=f"{impl} {platform.python_version()} ({sys.executable})",
        packages={name: _version(name) for name in PACKAGES},
        commit=_commit(),
        load_average=load_average(),
    )
