"""FakeKling served on 127.0.0.1 in its own process, with its request log read over a pipe.

The fake runs in a separate process so that its CPU and memory do not share the GIL or the RSS
of the process being measured. The parent talks to it with one-line commands on stdin:
``stats`` (requests received since the last ``reset``, by kind), ``reset``, and end of input
to stop.

Run directly, ``python -m benchmarks._server '{"submitted": 1, "processing": 2}'``; a
``"latency"`` (seconds) holds every API request back that long (``FakeKling(latency=...)``), as
a network between the client and Kling would.

The parent times a few requests at start-up and warns when answers take tens of
milliseconds: that is the signature of ``TCP_NODELAY`` missing on the server's sockets
(Nagle's algorithm holding each response body back until the client's delayed ACK), which
would make the loopback figures measure that stall instead of the SDK.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from types import TracebackType
from typing import Any

from typing_extensions import Self

from ._machine import ROOT

HOST = "127.0.0.1"
FAMILY_PATH = "/v1/videos/text2video"
#: A trivial answer slower than this on loopback means Nagle/delayed-ACK stalls (~40 ms each).
SLOW_ANSWER = 0.02


#: The new standard's text-to-video create (``/text-to-video/{model}``) and its queries.
PRODUCT_PATH = "/text-to-video/"


def classify(method: str, path: str) -> str:
    """``create``, ``get`` or ``list`` for text-to-video requests (either standard; ``/tasks``
    is the new standard's get), ``download`` for result files, else ``other``."""
    if path == FAMILY_PATH:
        return "create" if method == "POST" else "list"
    if path.startswith(FAMILY_PATH + "/") and method == "GET":
        return "get"
    if path.startswith(PRODUCT_PATH) and method == "POST":
        return "create"
    if path == "/tasks":
        return "get" if method == "GET" else "list"
    if path.startswith("/files/"):
        return "download"
    return "other"


class FakeServerProcess:
    """A child process serving FakeKling; use as a context manager.

    ``submitted``/``processing``: seconds each task spends in that state; ``latency``: seconds
    every request waits before the fake handles it (``0.05``: a realistic network).
    """

    def __init__(
        self, *, submitted: float = 0.0, processing: float = 0.0, latency: float = 0.0
    ) -> None:
        options = {"submitted": submitted, "processing": processing, "latency": latency}
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks._server", json.dumps(options)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = self._read()
        self.url: str = ready["url"]
        self.api_key: str = ready["api_key"]
        self.access_key: str = ready["access_key"]
        self.secret_key: str = ready["secret_key"]
        self.loopback_latency = self._check_latency()
        """Median seconds of a trivial request, ``latency`` not included."""

    def _check_latency(self) -> float:
        """Median seconds of a trivial request (``/_fake/`` paths are neither logged nor held
        back by ``latency``); warns if slow."""
        import statistics
        import time

        import httpx

        times = []
        with httpx.Client(timeout=10) as http:
            for _ in range(7):
                start = time.perf_counter()
                http.get(self.url + "/_fake/callbacks")
                times.append(time.perf_counter() - start)
        median = statistics.median(times[2:])
        if median > SLOW_ANSWER:
            print(
                f"warning: FakeKling answers a trivial request in {median * 1e3:.0f} ms on "
                "loopback; TCP_NODELAY is probably off on its sockets, and loopback figures "
                "will measure that stall",
                file=sys.stderr,
            )
        return median

    def _read(self) -> dict[str, Any]:
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError("the FakeKling server process exited")
        result: dict[str, Any] = json.loads(line)
        return result

    def _command(self, command: str) -> dict[str, Any]:
        assert self._proc.stdin is not None
        self._proc.stdin.write(command + "\n")
        self._proc.stdin.flush()
        return self._read()

    def stats(self) -> Counter[str]:
        """Requests received since the last reset, by kind (``create``, ``get``, ...)."""
        return Counter(self._command("stats")["counts"])

    def reset(self) -> None:
        """Forget every task and logged request."""
        self._command("reset")

    def mark(self) -> None:
        """Count requests from now on, keeping the tasks (a rerun finds them, as on Kling)."""
        self._command("mark")

    def close(self) -> None:
        if self._proc.stdin is not None and not self._proc.stdin.closed:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        if self._proc.stdout is not None:
            self._proc.stdout.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _serve(options: dict[str, float]) -> None:
    from kling.testing import FakeKling, Timing

    timing = Timing.seconds(options["submitted"], options["processing"])
    latency = options.get("latency", 0.0)
    with FakeKling.serve(host=HOST, timing=timing, latency=latency) as server:
        fake = server.fake
        ready = {
            "url": server.url,
            "api_key": server.api_key,
            "access_key": server.access_key,
            "secret_key": server.secret_key,
        }
        print(json.dumps(ready), flush=True)
        since = 0
        for line in sys.stdin:
            command = line.strip()
            if command == "stats":
                counts = Counter(classify(r.method, r.path) for r in fake.requests[since:])
                print(json.dumps({"counts": dict(counts)}), flush=True)
            elif command == "reset":
                fake.reset()
                since = 0
                print(json.dumps({"ok": True}), flush=True)
            elif command == "mark":
                since = len(fake.requests)
                print(json.dumps({"ok": True}), flush=True)
            else:
                print(json.dumps({"error": f"unknown command {command!r}"}), flush=True)


if __name__ == "__main__":
    _serve(json.loads(sys.argv[1]) if len(sys.argv) > 1 else {"submitted": 0, "processing": 0})
