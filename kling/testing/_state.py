"""Tasks and their lifecycle, computed from elapsed time (and optionally from polls).

No background worker moves a task forward: every read first *advances* it to the state it must be
in by now. Callbacks are the exception and are driven by :mod:`._callbacks`.
"""

from __future__ import annotations

import secrets
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ._envelope import ApiError
from ._families import Family
from ._task import FakeTask, TaskStatus
from .legacy.context import FaceSession


@dataclass(frozen=True)
class Timing:
    """How long a task stays ``submitted`` and then ``processing``.

    A stage ends once ``<stage>`` seconds have passed **and** ``<stage>_polls`` queries have seen
    the task in it, so ``Timing.polls(1, 2)`` makes a client see one ``submitted`` answer, two
    ``processing`` answers, then the final state, with no waiting at all.
    """

    submitted: float = 0.0
    processing: float = 0.0
    submitted_polls: int = 0
    processing_polls: int = 0

    def __post_init__(self) -> None:
        if min(self.submitted, self.processing) < 0:
            raise ValueError("stage durations cannot be negative")
        if min(self.submitted_polls, self.processing_polls) < 0:
            raise ValueError("poll counts cannot be negative")

    @classmethod
    def instant(cls) -> Timing:
        """Finished at the first query after create (the default, for tests)."""
        return cls()

    @classmethod
    def seconds(cls, submitted: float = 1.0, processing: float = 2.0) -> Timing:
        """Real waiting, for demos: 1 s submitted and 2 s processing unless told otherwise."""
        return cls(submitted=submitted, processing=processing)

    @classmethod
    def polls(cls, submitted: int = 1, processing: int = 1) -> Timing:
        """Driven by queries instead of time: that many answers per stage."""
        return cls(submitted_polls=submitted, processing_polls=processing)


def task_not_found(ident: str) -> str:
    """Kling's 1201 text for a query of a task the account does not have."""
    return f"Task not found: task {ident} does not exist"


def new_task_id() -> str:
    """An 18-digit numeric string, the shape of current Kling task ids."""
    return str(800_000_000_000_000_000 + secrets.randbelow(100_000_000_000_000_000))


_TEXT_FIELDS = frozenset(
    {
        "prompt",
        "negative_prompt",
        "text",
        "sound_effect_prompt",
        "bgm_prompt",
        "element_name",
        "element_description",
        "voice_name",
    }
)


def _texts(value: Any) -> Iterable[str]:
    """Prompt-like strings anywhere in a body (never image data, where a marker could appear)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in _TEXT_FIELDS and isinstance(item, str):
                yield item
            else:
                yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


class TaskStore:
    """All tasks of the fake's one account, guarded by one lock (the server runs in a thread)."""

    def __init__(
        self,
        *,
        timing: Timing,
        clock: Callable[[], float],
        wall_clock: Callable[[], float],
        concurrency_limit: int | None,
        fail_marker: str | None,
        fail_message: str,
    ) -> None:
        self.lock = threading.RLock()
        self.timing = timing
        self.clock = clock
        self.wall_clock = wall_clock
        self.concurrency_limit = concurrency_limit
        self.fail_marker = fail_marker
        self.fail_message = fail_message
        self._tasks: dict[str, FakeTask] = {}
        self.sessions: dict[str, FaceSession] = {}
        """identify-face sessions by ``session_id`` (advanced lip-sync names one)."""

    # ------------------------------------------------------------------------------ reading

    def all(self) -> dict[str, FakeTask]:
        """Every task by id, in creation order, each advanced to its current state."""
        with self.lock:
            for task in self._tasks.values():
                self.advance(task)
            return dict(self._tasks)

    def count(self) -> int:
        """How many tasks are stored (without advancing any)."""
        with self.lock:
            return len(self._tasks)

    def find(self, family: Family | None, ident: str) -> FakeTask:
        """The task with ``task_id`` (or ``external_task_id``) ``ident``; 1201 when unknown."""
        with self.lock:
            task = self._tasks.get(ident)
            if task is not None and (family is None or task.family is family):
                return task
            if family is None or family.lookup_by_external_id:
                for task in self._tasks.values():
                    if (family is None or task.family is family) and task.external_task_id == ident:
                        return task
        raise ApiError(1201, task_not_found(ident))

    def page(self, family: Family, page_num: int, page_size: int) -> list[FakeTask]:
        """One page of the family's tasks, newest first."""
        with self.lock:
            tasks = [task for task in self._tasks.values() if task.family is family]
        tasks.reverse()
        start = (page_num - 1) * page_size
        return tasks[start : start + page_size]

    def observe(self, task: FakeTask) -> dict[str, Any]:
        """Advance ``task``, count this query as a poll of its stage, and return its view."""
        with self.lock:
            self.advance(task)
            task.stage_polls += 1
            task.last_poll = self.clock()
            return task.view()

    # ------------------------------------------------------------------------------ writing

    def create(
        self,
        family: Family,
        body: dict[str, Any],
        base_url: str,
        *,
        count: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> FakeTask:
        """Store a new ``submitted`` task; 1201 for a duplicate external id, 1303 when full.

        ``count``: how many results it makes (default: ``n`` for images, else one);
        ``details``: what validation worked out (:attr:`FakeTask.details`).
        """
        now, wall_ms = self.clock(), int(self.wall_clock() * 1000)
        with self.lock:
            external = body.get("external_task_id")
            if isinstance(external, str) and external:
                for other in self._tasks.values():
                    if other.family is family and other.external_task_id == external:
                        raise ApiError(1201, "external_task_id already exists")
            if count is None:
                count = 1
                if family.result == "images":
                    n = body.get("n", 1)
                    count = n if isinstance(n, int) and n > 0 else 1
                elif family.result == "video_audios":
                    count = 2
            task = FakeTask(
                task_id=self.new_id(),
                family=family,
                body=body,
                base_url=base_url,
                created_at=wall_ms,
                created_mono=now,
                failure=self.failure_for(body),
                result_ids=tuple(self._result_id(family) for _ in range(count)),
                updated_at=wall_ms,
                stage_started=now,
                last_poll=now,
                details=dict(details or {}),
            )
            self.admit(task)
            return task

    def admit(self, task: FakeTask) -> None:
        """Store a new ``submitted`` task built by the caller; 1303 when no slot is free."""
        with self.lock:
            if self.concurrency_limit is not None:
                busy = sum(other.slots for other in self.all().values() if not other.is_finished)
                if busy + task.slots > self.concurrency_limit:
                    raise ApiError(1303, "parallel task over resource pack limit")
            self._tasks[task.task_id] = task
            if task.callback_url:
                task.outbox.append(task.view())

    def set_status(self, task: FakeTask, status: TaskStatus, message: str = "") -> None:
        """Force ``task`` into ``status`` now (queues a callback like any change)."""
        with self.lock:
            if status == "failed":
                task.failure = message or task.failure or self.fail_message
            elif status == "succeed":
                task.failure = None
            self._transition(task, status, self.clock())

    def advance(self, task: FakeTask) -> None:
        """Move ``task`` through every stage whose time and poll quota are used up."""
        now = self.clock()
        with self.lock:
            while not task.is_finished:
                if task.task_status == "submitted":
                    wait, polls = self.timing.submitted, self.timing.submitted_polls
                    following: TaskStatus = "processing"
                else:
                    wait, polls = self.timing.processing, self.timing.processing_polls
                    following = "failed" if task.failure else "succeed"
                due = task.stage_started + wait
                if now < due or task.stage_polls < polls:
                    break
                # The change happened when its last condition was met, not when we noticed it.
                self._transition(task, following, max(due, task.last_poll) if polls else due)

    def seconds_to_next_change(self, task: FakeTask) -> float | None:
        """How long until time alone moves ``task`` on; ``None`` if only polls (or nothing) can."""
        with self.lock:
            if task.is_finished:
                return None
            if task.task_status == "submitted":
                wait, polls = self.timing.submitted, self.timing.submitted_polls
            else:
                wait, polls = self.timing.processing, self.timing.processing_polls
            if task.stage_polls < polls:
                return None
            return max(0.0, task.stage_started + wait - self.clock())

    def take_outbox(self, task: FakeTask) -> list[dict[str, Any]]:
        """Callback payloads queued for ``task``, oldest first, removing them."""
        with self.lock:
            pending, task.outbox = task.outbox, []
            return pending

    def settled(self, task: FakeTask) -> bool:
        """Finished with every callback handed out."""
        with self.lock:
            return task.is_finished and not task.outbox

    def delete_result(self, family: Family, result_id: str) -> FakeTask:
        """Mark the voice/element task whose result id is ``result_id`` deleted."""
        with self.lock:
            for task in self._tasks.values():
                if task.family is family and result_id in task.result_ids and not task.deleted:
                    task.deleted = True
                    return task
        raise ApiError(1201, f"{family.result[:-1]} {result_id} not found")

    def clear(self) -> None:
        """Forget every task."""
        with self.lock:
            self._tasks.clear()
            self.sessions.clear()

    # ------------------------------------------------------------------------------ helpers

    def _transition(self, task: FakeTask, status: TaskStatus, at: float) -> None:
        task.task_status = status
        task.task_status_msg = (task.failure or "") if status == "failed" else ""
        task.stage_started = at
        task.stage_polls = 0
        task.updated_at = max(
            task.created_at, task.created_at + round((at - task.created_mono) * 1000)
        )
        if task.callback_url:
            task.outbox.append(task.view())

    def failure_for(self, body: dict[str, Any]) -> str | None:
        """The failure message a task created with ``body`` ends with (``fail_marker``)."""
        if self.fail_marker and any(self.fail_marker in text for text in _texts(body)):
            return self.fail_message
        return None

    def new_id(self) -> str:
        """A task id no stored task has."""
        with self.lock:
            while True:
                task_id = new_task_id()
                if task_id not in self._tasks:
                    return task_id

    @staticmethod
    def _result_id(family: Family) -> str:
        if family.result == "elements":
            return new_task_id()  # element ids are numbers (``long``) in Kling's docs
        return str(uuid.uuid4())
