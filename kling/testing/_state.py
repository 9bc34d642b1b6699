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
from typing import TYPE_CHECKING, Any

from ._envelope import ApiError
from ._families import Family
from ._index import TaskIndex
from ._prices import charge_of
from ._task import FakeTask, TaskStatus
from .legacy.context import EditSession, FaceSession

if TYPE_CHECKING:
    from ._ledger import Charge, Ledger


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
    """All tasks of the fake's one account, guarded by one lock (the server runs in a thread).

    Tasks are filed in a :class:`TaskIndex`, and a request advances only the tasks it reads: no
    answer costs time in proportion to how many tasks the fake holds (only :meth:`all` does).
    """

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
        self._index = TaskIndex()
        self.sessions: dict[str, FaceSession] = {}
        """identify-face sessions by ``session_id`` (advanced lip-sync names one)."""
        self.edit_sessions: dict[str, EditSession] = {}
        """Multi-element selection sessions by ``session_id`` (an edit task names one)."""
        self.custom_elements: dict[str, dict[str, Any]] = {}
        """The older element library (``/v1/general/custom-elements``): elements by id, in
        creation order, as its list returns them."""
        self.ledger: Ledger | None = None
        """Charges each task that succeeds and refuses creates the account cannot pay for
        (set by ``FakeKling``); without one a task only carries its charge."""

    # ------------------------------------------------------------------------------ reading

    def all(self) -> dict[str, FakeTask]:
        """Every task by id, in creation order, each advanced to its current state.

        For tests (``fake.tasks``): it touches every task, so no request handler calls it.
        """
        with self.lock:
            for task in self._index.order:
                self.advance(task)
            return dict(self._index.by_id)

    def count(self) -> int:
        """How many tasks are stored (without advancing any)."""
        with self.lock:
            return len(self._index.order)

    def get(self, task_id: str) -> FakeTask | None:
        """The task with ``task_id``, of any family or standard (not advanced), or ``None``."""
        with self.lock:
            return self._index.by_id.get(task_id)

    def with_external_id(self, external_task_id: str) -> list[FakeTask]:
        """Tasks of any family or standard with that external id, oldest first (not advanced)."""
        with self.lock:
            return self._index.with_external_id(external_task_id)

    def with_result_id(self, result_id: str) -> list[FakeTask]:
        """Tasks that made (or will make) the result ``result_id``, oldest first (not advanced)."""
        with self.lock:
            return self._index.with_result_id(result_id)

    def family_tasks(self, family: Family) -> list[FakeTask]:
        """Every task of ``family``, oldest first, each advanced to its current state."""
        with self.lock:
            tasks = list(self._index.of_family(family))
            for task in tasks:
                self.advance(task)
            return tasks

    def find(self, family: Family | None, ident: str) -> FakeTask:
        """The task with ``task_id`` (or ``external_task_id``) ``ident``; 1201 when unknown."""
        with self.lock:
            task = self._index.by_id.get(ident)
            if task is not None and (family is None or task.family is family):
                return task
            if family is None or family.lookup_by_external_id:
                for task in self._index.with_external_id(ident):
                    if family is None or task.family is family:
                        return task
        raise ApiError(1201, task_not_found(ident))

    def page(self, family: Family, page_num: int, page_size: int) -> list[FakeTask]:
        """One page of the family's tasks, newest first (``page_num`` counts from 1)."""
        with self.lock:
            tasks = self._index.of_family(family)
            end = len(tasks) - (page_num - 1) * page_size
            chosen = tasks[max(0, end - page_size) : end] if end > 0 else []
        chosen.reverse()
        return chosen

    def newest(
        self,
        start_ms: int,
        end_ms: int,
        limit: int,
        keep: Callable[[FakeTask], bool],
        *,
        after: str | None = None,
    ) -> list[FakeTask] | None:
        """Up to ``limit`` tasks of either standard created from ``start_ms`` to ``end_ms``
        (inclusive), newest first, that ``keep`` accepts once advanced to their current state.

        With ``after``, only tasks listed after that one (older than it); ``None`` when
        ``after`` is no task created in the window. Only the tasks walked past are advanced.
        """
        with self.lock:
            order = self._index.order
            below = len(order)
            if after is not None:
                position = self._index.position(after)
                if position is None or not start_ms <= order[position].created_at <= end_ms:
                    return None
                below = position
            found: list[FakeTask] = []
            for index in range(self._index.created_by(end_ms, below) - 1, -1, -1):
                if len(found) >= limit:
                    break
                task = order[index]
                if task.created_at > end_ms:
                    continue
                if task.created_at < start_ms:
                    if self._index.ascending:
                        break  # every task further down is older still
                    continue
                self.advance(task)
                if keep(task):
                    found.append(task)
            return found

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
                for other in self._index.with_external_id(external):
                    if other.family is family:
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
            if self.ledger is not None and self.ledger.enforcing():
                self.settle()  # the tasks finished by now have paid: what is left counts
                self.ledger.check(task)
            limit = self.concurrency_limit
            if limit is not None and self._busy_slots() + task.slots > limit:
                raise ApiError(1303, "parallel task over resource pack limit")
            self._index.add(task)
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
            for task in self._index.with_result_id(result_id):
                if task.family is family and not task.deleted:
                    task.deleted = True
                    return task
        raise ApiError(1201, f"{family.result[:-1]} {result_id} not found")

    def charges(self) -> list[Charge]:
        """Every charge of the account, oldest first, every task advanced first: what the
        billing details list (an export of the whole account touches every task)."""
        with self.lock:
            for task in self._index.order:
                self.advance(task)
            return self.ledger.all() if self.ledger is not None else []

    def succeeded(self) -> list[FakeTask]:
        """Every task that succeeded, oldest first, each advanced first: what the billing
        details list. It touches every task, as an export of the whole account must."""
        with self.lock:
            for task in self._index.order:
                self.advance(task)
            return [task for task in self._index.order if task.task_status == "succeed"]

    def settle(self) -> None:
        """Advance every unfinished task (a finished one cannot change): what the account has
        paid depends on which tasks have finished. Costs time per unfinished task only."""
        with self.lock:
            for task in list(self._index.unfinished.values()):
                self.advance(task)

    def clear(self) -> None:
        """Forget every task."""
        with self.lock:
            self._index.clear()
            if self.ledger is not None:
                self.ledger.clear()
            self.sessions.clear()
            self.custom_elements.clear()

    # ------------------------------------------------------------------------------ helpers

    def _busy_slots(self) -> int:
        """Slots held by unfinished tasks, advancing only the tasks not yet seen finished."""
        busy = 0
        for task in list(self._index.unfinished.values()):
            self.advance(task)
            if task.is_finished:
                self._index.track(task)  # finished without a transition (set by hand)
            else:
                busy += task.slots
        return busy

    def _transition(self, task: FakeTask, status: TaskStatus, at: float) -> None:
        task.task_status = status
        if status == "succeed" and task.charged is None:
            # Kling deducts a task's cost when it finishes, and its answers say how much.
            ledger = self.ledger
            task.charged = ledger.charge(task) if ledger is not None else charge_of(task)
        self._index.track(task)
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
                if task_id not in self._index.by_id:
                    return task_id

    @staticmethod
    def _result_id(family: Family) -> str:
        if family.result == "elements":
            return new_task_id()  # element ids are numbers (``long``) in Kling's docs
        return str(uuid.uuid4())
