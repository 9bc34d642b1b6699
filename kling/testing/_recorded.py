"""What the fake remembers for tests to assert on: requests, callbacks sent and received."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from ._auth import AuthKind
from ._faults import Fault


@dataclass
class RecordedRequest:
    """One request the fake received (``/_fake/`` control endpoints are not recorded).

    Requests refused before their body was read (401 credentials, 413 too large) are recorded
    with an empty ``body``, so a refused request costs the log no more than its headers.

    Headers are kept raw, secrets included: this is a test tool. ``headers`` maps lower-case names
    to values (repeated headers joined with ``", "``); ``raw_headers`` keeps order and case.
    """

    method: str
    path: str
    query_string: str
    query: dict[str, str]
    headers: dict[str, str]
    raw_headers: list[tuple[str, str]]
    body: bytes
    json: Any
    """The parsed JSON body, or ``None`` when the body is empty or not JSON."""
    time: float
    """Wall-clock Unix time the request arrived."""
    auth: AuthKind | None = None
    """How it authenticated; ``None`` if it did not (refused, or a public ``/files/`` path)."""
    status: int | None = None
    """HTTP status sent (for a ``disconnect`` fault: the status of the abandoned answer)."""
    code: int | None = None
    """Business ``code`` of the envelope sent; ``None`` for files, HTML and garbage."""
    request_id: str | None = None
    fault: Fault | None = None
    """The injected fault that answered it, if any."""


@dataclass(frozen=True)
class CallbackDelivery:
    """One callback POST the fake attempted."""

    url: str
    headers: dict[str, str]
    body: bytes
    payload: dict[str, Any]
    status_code: int | None
    """The receiver's HTTP status; ``None`` when delivery failed or was blocked (see ``error``)."""
    error: str | None = None
    blocked: bool = False
    """Not POSTed: the host is not loopback and the fake was not told to allow it (``error``)."""

    @property
    def ok(self) -> bool:
        """Delivered and answered with 2xx."""
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass(frozen=True)
class ReceivedCallback:
    """A callback that arrived at the fake's own sink, ``POST /_fake/callbacks``."""

    headers: dict[str, str]
    body: bytes
    json: Any = field(default=None)


class RequestLog:
    """The requests a fake received and the callbacks its sink received, oldest first.

    Guarded by a lock: a served fake writes from uvicorn's thread while a test reads from its own.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._received: list[ReceivedCallback] = []

    def add_request(self, record: RecordedRequest) -> None:
        """Log one request (its record is filled in further as the answer is made)."""
        with self._lock:
            self._requests.append(record)

    def requests(self) -> list[RecordedRequest]:
        """Every request logged so far (a copy)."""
        with self._lock:
            return list(self._requests)

    def request_count(self) -> int:
        """How many requests are logged."""
        with self._lock:
            return len(self._requests)

    def add_callback(self, callback: ReceivedCallback) -> None:
        """Log one callback that arrived at the sink."""
        with self._lock:
            self._received.append(callback)

    def callbacks(self) -> list[ReceivedCallback]:
        """Every callback the sink received so far (a copy)."""
        with self._lock:
            return list(self._received)

    def clear(self) -> None:
        """Forget every request and callback."""
        with self._lock:
            self._requests.clear()
            self._received.clear()
