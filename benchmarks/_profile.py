"""Where the SDK's per-call overhead goes: cProfile of an SDK call against its raw baseline.

``python -m benchmarks._profile [create|get] [sync|async]`` profiles the in-process
(``httpx.MockTransport``) calls of the overhead benchmark and prints the functions whose own
time grew most from the raw baseline to the SDK, per call. cProfile inflates every figure
(more so for code with many small calls), so read it for ranking, not for microseconds.
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import sys
from collections.abc import Callable

import httpx

from . import _overhead as o

Key = tuple[str, int, str]
PerCall = dict[Key, tuple[float, float, float]]
_ROOT = str(o.__file__).rsplit("/benchmarks/", 1)[0] + "/"


def _short(path: str) -> str:
    """``httpx/_models.py`` rather than the full site-packages or stdlib path."""
    if "/site-packages/" in path:
        return path.split("/site-packages/", 1)[1]
    if "/lib/python3." in path:
        return path.split("/lib/python3.", 1)[1].split("/", 1)[-1]
    return path.removeprefix(_ROOT)


def _per_call(profile: cProfile.Profile, n: int) -> PerCall:
    stats = pstats.Stats(profile)
    table: dict[Key, tuple[int, int, float, float, object]] = stats.stats  # type: ignore[attr-defined]
    return {key: (nc / n, tt / n * 1e6, ct / n * 1e6) for key, (_, nc, tt, ct, _) in table.items()}


def _profile_sync(call: Callable[[], object], n: int) -> PerCall:
    for _ in range(300):
        call()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(n):
        call()
    profile.disable()
    return _per_call(profile, n)


def _profile_async(op: str, variant: str, n: int) -> PerCall:
    async def go() -> PerCall:
        target = o.Target(o.BASE_URL, o.API_KEY, o.ACCESS_KEY, o.SECRET_KEY, o.TASK_ID)
        async with httpx.AsyncClient(transport=httpx.MockTransport(o.canned)) as http:
            call = o.async_calls(http, target)[f"{variant} {op}"]
            for _ in range(300):
                await call()
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(n):
                await call()
            profile.disable()
            return _per_call(profile, n)

    return asyncio.run(go())


def main(op: str = "create", mode: str = "sync", n: int = 5000, top: int = 25) -> None:
    if mode == "sync":
        target = o.Target(o.BASE_URL, o.API_KEY, o.ACCESS_KEY, o.SECRET_KEY, o.TASK_ID)
        with httpx.Client(transport=httpx.MockTransport(o.canned)) as http:
            calls = o.sync_calls(http, target)
            raw = _profile_sync(calls[f"raw {op}"], n)
            sdk = _profile_sync(calls[f"sdk {op}"], n)
    else:
        raw = _profile_async(op, "raw", n)
        sdk = _profile_async(op, "sdk", n)
    print(
        f"{mode} {op}, per call under cProfile: raw {sum(v[1] for v in raw.values()):.1f} us in "
        f"{sum(v[0] for v in raw.values()):.0f} calls; SDK {sum(v[1] for v in sdk.values()):.1f}"
        f" us in {sum(v[0] for v in sdk.values()):.0f} calls"
    )
    rows = []
    for key, (calls_sdk, own_sdk, cum_sdk) in sdk.items():
        calls_raw, own_raw, _ = raw.get(key, (0.0, 0.0, 0.0))
        rows.append((own_sdk - own_raw, calls_sdk - calls_raw, cum_sdk, key))
    rows.sort(reverse=True)
    print(f"{'own us +':>9} {'calls +':>8} {'cum us':>8}  function")
    for own, count, cum, (path, line, name) in rows[:top]:
        print(f"{own:9.2f} {count:8.1f} {cum:8.1f}  {_short(path)}:{line}({name})")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0] if args else "create", args[1] if len(args) > 1 else "sync")
