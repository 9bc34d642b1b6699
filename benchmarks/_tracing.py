"""Tracing: per-call cost of ``create``/``get`` with OpenTelemetry absent, with
``opentelemetry-api`` alone (no SDK: nothing records), and with the SDK recording every span
into an exporter that drops them (a ``BatchSpanProcessor``, as applications run it).

The calls and their timing are ``_overhead``'s (``api_key`` auth, the raw-httpx baseline
alongside): in-process (``httpx.MockTransport`` answering canned Kling JSON: the CPU cost
alone) and over loopback to FakeKling in another process (a real HTTP round trip, still far
shorter than one to Kling). Whether the clients trace is decided once per process, so each
variant runs in a fresh interpreter (``python -m benchmarks._tracing VARIANT``), "absent" hiding
the package (``sys.modules["opentelemetry"] = None``). The processes take turns, variant by
variant, and each divides the SDK's per-call time by the raw httpx time it measured itself, so
that a process that met a busier machine is still compared fairly. A variant's overhead is the
median of its processes' ratios over the median of the absent ones'.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

import httpx

from ._machine import ROOT
from ._report import Row, Section, fmt, md_table

TARGET = 1.10
VARIANTS = ("absent", "api", "sdk")
_LABELS = {
    "absent": "absent",
    "api": "API only (nothing records)",
    "sdk": "SDK, dropping exporter",
}
_CALLS = ("create", "get")
_MODES = ("sync", "async")
_TRANSPORTS = ("in-process", "loopback")


def _install(variant: str) -> Any:
    """Set the variant up before kling is imported; returns how many spans were exported."""
    exported = [0]
    if variant == "absent":
        sys.modules["opentelemetry"] = None  # type: ignore[assignment]
    elif variant == "sdk":
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import (
            BatchSpanProcessor,
            SpanExporter,
            SpanExportResult,
        )

        class Dropping(SpanExporter):
            def export(self, spans: Sequence[Any]) -> SpanExportResult:
                exported[0] += len(spans)
                return SpanExportResult.SUCCESS

        provider = TracerProvider()
        provider.add_span_processor(BatchSpanProcessor(Dropping()))
        trace.set_tracer_provider(provider)

        def spans() -> int:
            provider.force_flush()
            return exported[0]

        return spans
    return lambda: 0


def _child(variant: str, quick: bool, loopback: list[str]) -> dict[str, Any]:
    """One variant's figures, measured in this (fresh) process."""
    spans = _install(variant)
    from kling import KlingClient, _tracing

    from ._overhead import BASE_URL, Settings, Target

    start = time.perf_counter()
    KlingClient(api_key="k", base_url=BASE_URL)  # decides whether to trace
    first_client = time.perf_counter() - start
    settings = Settings.for_mode(quick)
    inproc = Target(BASE_URL, "bench-api-key", "bench-access", "bench-secret-0123456789", "8014")
    url, api_key, task_id = loopback
    remote = Target(url, api_key, "bench-access", "bench-secret-0123456789", task_id)
    times = {
        "in-process": _time(inproc, settings.inproc_calls, settings, in_process=True),
        "loopback": _time(remote, settings.loopback_calls, settings, in_process=False),
    }
    return {
        "variant": variant,
        "tracing": _tracing.active() is not None,
        "spans": spans(),
        "first_client": first_client,
        "times": times,
    }


def _time(target: Any, n: int, settings: Any, *, in_process: bool) -> dict[str, dict[str, float]]:
    """Median per-call seconds of raw and SDK create/get, sync and async."""
    from ._overhead import async_calls, canned, sync_calls, time_async, time_sync

    wanted = [f"{side} {op}" for side in ("raw", "sdk") for op in _CALLS]
    options = {"n": n, "repeats": settings.repeats, "warmup": settings.warmup}
    transport = httpx.MockTransport(canned) if in_process else None
    with httpx.Client(transport=transport, timeout=60) as http:
        calls = sync_calls(http, target)
        sync = time_sync({k: calls[k] for k in wanted}, **options)

    async def run_async() -> Any:
        async_transport = httpx.MockTransport(canned) if in_process else None
        async with httpx.AsyncClient(transport=async_transport, timeout=60) as http:
            calls = async_calls(http, target)
            return await time_async({k: calls[k] for k in wanted}, **options)

    by_mode = {"sync": sync, "async": asyncio.run(run_async())}
    return {
        mode: {name: statistics.median(s.wall) for name, s in samples.items()}
        for mode, samples in by_mode.items()
    }


def _fresh_task(server: Any) -> str:
    """Empty the fake (each process starts with one), then create the task the gets fetch."""
    from ._overhead import PROMPT
    from ._server import FAMILY_PATH

    server.reset()
    with httpx.Client(timeout=60) as http:
        response = http.post(
            server.url + FAMILY_PATH,
            json={"prompt": PROMPT},
            headers={"Authorization": f"Bearer {server.api_key}"},
        )
    task_id: str = response.json()["data"]["task_id"]
    return task_id


def _spawn(variant: str, quick: bool, loopback: list[str]) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks._tracing", variant, *loopback]
    if quick:
        command.append("--quick")
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=True, timeout=1800
    )
    report: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return report


def run(quick: bool) -> Section:
    from ._server import FakeServerProcess

    section = Section("tracing", "Tracing: per-call overhead with OpenTelemetry present")
    variants = list(VARIANTS)
    if importlib.util.find_spec("opentelemetry") is None:
        variants = ["absent"]
    processes = 3 if quick else 5
    reports: dict[str, list[dict[str, Any]]] = {variant: [] for variant in variants}
    with FakeServerProcess() as server:
        for index in range(processes):
            order = variants if index % 2 == 0 else list(reversed(variants))
            for variant in order:
                task_id = _fresh_task(server)
                loopback = [server.url, server.api_key, task_id]
                reports[variant].append(_spawn(variant, quick, loopback))

    def ratio(variant: str, transport: str, mode: str, op: str) -> float:
        return statistics.median(
            float(r["times"][transport][mode][f"sdk {op}"])
            / float(r["times"][transport][mode][f"raw {op}"])
            for r in reports[variant]
        )

    def per_call(variant: str, transport: str, mode: str, op: str) -> float:
        return statistics.median(
            float(r["times"][transport][mode][f"sdk {op}"]) for r in reports[variant]
        )

    table: list[list[str]] = []
    for transport in _TRANSPORTS:
        for mode in _MODES:
            for op in _CALLS:
                absent_ratio = ratio("absent", transport, mode, op)
                absent = per_call("absent", transport, mode, op)
                cells = [transport, mode, op, fmt(absent, "us")]
                for variant in variants[1:]:
                    overhead = ratio(variant, transport, mode, op) / absent_ratio
                    took = per_call(variant, transport, mode, op)
                    # In-process, a recorded span costs what it costs (tens of microseconds
                    # in the Python SDK) against a call that costs little more: information.
                    judged = transport == "loopback" or variant == "api"
                    section.rows.append(
                        Row(
                            "tracing",
                            f"{mode} {op}, {transport}, {_LABELS[variant]}",
                            fmt(absent, "us"),
                            fmt(took, "us"),
                            overhead,
                            f"<= {TARGET:.2f}x" if judged else "",
                            overhead <= TARGET if judged else None,
                        )
                    )
                    cells.append(
                        f"{fmt(took, 'us')} ({overhead:.2f}x, {(took - absent) * 1e6:+,.1f} us)"
                    )
                table.append(cells)
    first = {v: statistics.median(r["first_client"] for r in reports[v]) for v in variants}
    spans = statistics.median(r["spans"] for r in reports["sdk"]) if "sdk" in reports else 0
    s = "100 calls x 11 rounds" if quick else "200 calls x 21 rounds"
    section.details = [
        (__doc__ or "").split("\n\n", 1)[1].strip(),
        "",
        f"{processes} processes per variant, each timing {s} in-process per call kind (a quarter "
        f"as many calls over loopback). Target: at most {TARGET:.2f}x the absent per-call time "
        "over loopback, and in-process with the API alone; the SDK's in-process figures are "
        "for information (each recorded span costs the Python SDK some 15-25 us of CPU, and a "
        "call makes two: its own and its request's).",
        "",
        "Median per call (overhead against absent, each process normalised by its raw httpx; "
        "the difference of the medians in microseconds):",
        "",
        *md_table(["Transport", "Mode", "Call", *(_LABELS[v] for v in variants)], table),
        "",
        "The first client's construction, which decides and (when present) imports "
        "OpenTelemetry: "
        + ", ".join(f"{_LABELS[v]} {fmt(first[v], 'ms')}" for v in variants)
        + (f". The SDK processes exported {spans:,.0f} spans each (median)." if spans else "."),
    ]
    if variants == ["absent"]:
        section.details.append("opentelemetry-api is not installed: only the absent variant ran.")
    return section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks._tracing")
    parser.add_argument("variant", choices=VARIANTS)
    parser.add_argument("loopback", nargs=3, metavar="URL API_KEY TASK_ID")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    print(json.dumps(_child(args.variant, args.quick, args.loopback)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
