"""Programmable misbehaviour: the fake answers like a failing Kling (or the proxies in front of it).

A :class:`Fault` is a rule matched against each request by method and path prefix; the first live
rule that matches is applied and counts one hit. Rules are kept in a :class:`FaultPlan`
(``fake.faults``), which also offers presets for the failures an SDK must survive::

    fake.faults.rate_limited("POST", "/v1/videos/text2video", code=1303, retry_after=2)
    fake.faults.created_then_error("POST", "/v1/videos/text2video")  # task exists, answer is 500
    fake.faults.disconnect("GET", "/v1/videos/text2video/")
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Literal

from ._envelope import message_for, status_for

FaultKind = Literal["error", "html", "truncated", "garbage", "disconnect", "delay"]
"""What the fault sends instead of the normal answer.

* ``error``: a Kling error envelope with ``status`` and ``code`` (and ``Retry-After`` if set).
* ``html``: an HTML error page with ``status``, as a proxy or load balancer sends it.
* ``truncated``: the real answer (the request IS processed) with its body cut in half.
* ``garbage``: 200 with a body that is not JSON although it claims to be.
* ``disconnect``: headers are sent, then the connection drops mid-body; clients see a protocol
  error (``httpx.RemoteProtocolError``), over real sockets and through ``httpx.ASGITransport``.
* ``delay``: the normal answer, sent after ``delay`` seconds (set ``delay``).
"""


@dataclass(eq=False)  # rules are compared by identity: two equal rules are still two rules
class Fault:
    """One rule: which requests it hits, and what they get instead of the normal answer.

    ``path`` is a prefix (``None``: any API path; result files under ``/files/`` are only hit by
    rules whose path starts with ``/files``). ``status`` defaults to the HTTP status Kling uses
    with ``code``. ``process=True`` runs the real handler first, so its side effects happen (a
    create really creates the task) before the faulty answer replaces the real one. ``delay``
    (seconds) is waited before anything else, for every kind. ``retry_after`` (seconds) is sent
    as a ``Retry-After`` header with ``error`` and ``html`` answers. ``times=None`` never wears out;
    ``skip`` lets that many matching requests through untouched first.
    """

    kind: FaultKind = "error"
    method: str | None = None
    path: str | None = None
    status: int | None = None
    code: int | None = 5000
    message: str | None = None
    retry_after: float | None = None
    delay: float = 0.0
    process: bool = False
    times: int | None = 1
    skip: int = 0
    hits: int = field(default=0, init=False)
    """How many requests this rule has answered."""
    seen: int = field(default=0, init=False)
    """How many requests matched it (including skipped ones)."""

    @property
    def http_status(self) -> int:
        """The status the response carries."""
        if self.status is not None:
            return self.status
        if self.kind == "html":
            return 502
        return status_for(self.code) if self.code is not None else 500

    @property
    def error_message(self) -> str:
        """The envelope message for ``kind="error"``."""
        if self.message is not None:
            return self.message
        return message_for(self.code) if self.code is not None else "Internal server error"

    @property
    def exhausted(self) -> bool:
        """True once it has answered ``times`` requests."""
        return self.times is not None and self.hits >= self.times

    def matches(self, method: str, path: str) -> bool:
        """Whether a request with ``method`` and ``path`` falls under this rule."""
        if self.method is not None and self.method.upper() != method.upper():
            return False
        if self.path is None:
            return not path.startswith("/files/")
        if path.startswith("/files/") and not self.path.startswith("/files"):
            return False
        return path.startswith(self.path)


class FaultPlan:
    """The ordered set of live :class:`Fault` rules of one fake (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        """Append a rule; it is returned so a test can later check ``fault.hits``."""
        with self._lock:
            self._faults.append(fault)
        return fault

    def remove(self, fault: Fault) -> None:
        """Drop a rule (no error if it is already gone)."""
        with self._lock:
            if fault in self._faults:
                self._faults.remove(fault)

    def clear(self) -> None:
        """Drop every rule."""
        with self._lock:
            self._faults.clear()

    @property
    def pending(self) -> list[Fault]:
        """Rules that have not worn out yet, in matching order."""
        with self._lock:
            return [fault for fault in self._faults if not fault.exhausted]

    def take(self, method: str, path: str) -> Fault | None:
        """The rule that answers this request, counting the hit (used by the app)."""
        with self._lock:
            for fault in self._faults:
                if fault.exhausted or not fault.matches(method, path):
                    continue
                fault.seen += 1
                if fault.seen <= fault.skip:
                    continue
                fault.hits += 1
                return fault
        return None

    # ------------------------------------------------------------------ the generic shortcut

    def fail_next(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        kind: FaultKind = "error",
        status: int | None = None,
        code: int | None = 5000,
        message: str | None = None,
        retry_after: float | None = None,
        delay: float = 0.0,
        process: bool = False,
        times: int | None = 1,
        skip: int = 0,
    ) -> Fault:
        """Make the next ``times`` matching requests fail; see :class:`Fault` for the fields."""
        return self.add(
            Fault(
                kind=kind,
                method=method,
                path=path,
                status=status,
                code=code,
                message=message,
                retry_after=retry_after,
                delay=delay,
                process=process,
                times=times,
                skip=skip,
            )
        )

    # ------------------------------------------------------------------------------ presets

    def rate_limited(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        code: int = 1302,
        retry_after: float | None = None,
        times: int | None = 1,
    ) -> Fault:
        """429 with 1302 (too fast) or 1303 (concurrency over the pack limit), no ``data``."""
        return self.fail_next(method, path, code=code, retry_after=retry_after, times=times)

    def account_error(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        code: int = 1102,
        times: int | None = 1,
    ) -> Fault:
        """429 with an account state code: 1100, 1101, 1102 (pack exhausted) or 1304."""
        return self.fail_next(method, path, code=code, times=times)

    def server_error(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        code: int = 5000,
        times: int | None = 1,
    ) -> Fault:
        """5000 (500), 5001 (503) or 5002 (504) in a Kling envelope; nothing is processed."""
        return self.fail_next(method, path, code=code, times=times)

    def gateway_error(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        status: int = 502,
        process: bool = False,
        times: int | None = 1,
    ) -> Fault:
        """An HTML error page (502/503/504) as a proxy sends it; ``process=True`` creates first."""
        return self.fail_next(
            method, path, kind="html", status=status, code=None, process=process, times=times
        )

    def created_then_error(
        self,
        method: str | None = "POST",
        path: str | None = None,
        *,
        status: int | None = None,
        code: int = 5000,
        times: int | None = 1,
    ) -> Fault:
        """Process the request (the task IS created), then answer with a 5xx error envelope.

        The client cannot tell that the task exists; it must find it by ``external_task_id``
        instead of submitting it again.
        """
        return self.fail_next(method, path, status=status, code=code, process=True, times=times)

    def slow(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        delay: float = 5.0,
        times: int | None = 1,
    ) -> Fault:
        """Answer normally, but only after ``delay`` seconds (to trip client read timeouts).

        For the same wait on every request, ``FakeKling(latency=...)`` is configuration: it
        survives ``reset()``, leaves request records unmarked, and other rules still apply.
        """
        return self.fail_next(method, path, kind="delay", code=None, delay=delay, times=times)

    def truncated(
        self, method: str | None = None, path: str | None = None, *, times: int | None = 1
    ) -> Fault:
        """Process the request, then send only the first half of the JSON answer."""
        return self.fail_next(method, path, kind="truncated", code=None, times=times)

    def garbage(
        self, method: str | None = None, path: str | None = None, *, times: int | None = 1
    ) -> Fault:
        """200 with a non-JSON body labelled ``application/json``."""
        return self.fail_next(method, path, kind="garbage", code=None, times=times)

    def disconnect(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        process: bool = False,
        times: int | None = 1,
    ) -> Fault:
        """Drop the connection mid-answer (``process=True``: after handling the request)."""
        return self.fail_next(
            method, path, kind="disconnect", code=None, process=process, times=times
        )

    def token_expired(
        self, method: str | None = None, path: str | None = None, *, times: int | None = 1
    ) -> Fault:
        """401/1004 as if the JWT had expired, whatever was sent (a client should re-mint once)."""
        return self.fail_next(method, path, code=1004, times=times)
