"""Where :class:`~._state.TaskStore` finds its tasks without looking at the others.

Each lookup a request makes (by id, by external id, by result id, by family, the newest tasks, the
unfinished ones) reads only the tasks it answers with, so a fake holding 10,000 tasks answers as
fast as one holding ten. The index takes no lock: the store holds its own around every call.
"""

from __future__ import annotations

from bisect import bisect_right

from ._families import Family
from ._task import FakeTask


class TaskIndex:
    """The tasks of one store, in creation order, and filed by what requests look them up by.

    Lists keep creation order, so "the first task that..." is the first element that qualifies.
    Lists filed under an external id stay short: creates refuse a second task with the same
    external id in a family (legacy) or in the new standard.
    """

    def __init__(self) -> None:
        self.by_id: dict[str, FakeTask] = {}
        """Every task by ``task_id``, in creation order."""
        self.order: list[FakeTask] = []
        """Every task, oldest first."""
        self.unfinished: dict[str, FakeTask] = {}
        """Tasks last seen ``submitted`` or ``processing``: a superset of the unfinished ones,
        since a task's time can run out with nobody advancing it."""
        self.ascending = True
        """Whether ``created_at`` never decreases along :attr:`order` (the wall clock never
        stepped back), so the tasks created in a time window are one run of :attr:`order`."""
        self._position: dict[str, int] = {}
        self._by_family: dict[int, list[FakeTask]] = {}  # by id(): families match by identity
        self._by_external: dict[str, list[FakeTask]] = {}
        self._by_result: dict[str, list[FakeTask]] = {}

    def add(self, task: FakeTask) -> None:
        """File a new task (its id, external id and result ids never change afterwards)."""
        if self.order and task.created_at < self.order[-1].created_at:
            self.ascending = False
        self._position[task.task_id] = len(self.order)
        self.order.append(task)
        self.by_id[task.task_id] = task
        self._by_family.setdefault(id(task.family), []).append(task)
        external = task.external_task_id
        if external is not None:
            self._by_external.setdefault(external, []).append(task)
        for result_id in dict.fromkeys(task.result_ids):
            self._by_result.setdefault(result_id, []).append(task)
        self.track(task)

    def track(self, task: FakeTask) -> None:
        """Note the status ``task`` just took (called on every transition).

        A task no longer held (forgotten by :meth:`clear` while a callback job still moves it
        on) is left out.
        """
        if self.by_id.get(task.task_id) is not task:
            return
        if task.is_finished:
            self.unfinished.pop(task.task_id, None)
        else:
            self.unfinished[task.task_id] = task

    def clear(self) -> None:
        """Forget every task."""
        self.by_id.clear()
        self.order.clear()
        self.unfinished.clear()
        self.ascending = True
        self._position.clear()
        self._by_family.clear()
        self._by_external.clear()
        self._by_result.clear()

    # ------------------------------------------------------------------------------ lookups

    def position(self, task_id: str) -> int | None:
        """Where the task with ``task_id`` is in :attr:`order`, or ``None``."""
        return self._position.get(task_id)

    def of_family(self, family: Family) -> list[FakeTask]:
        """The family's tasks, oldest first (the index's own list: do not change it)."""
        return self._by_family.get(id(family), [])

    def with_external_id(self, external_task_id: str) -> list[FakeTask]:
        """Tasks of any family or standard with that external id, oldest first (a copy)."""
        return list(self._by_external.get(external_task_id, ()))

    def with_result_id(self, result_id: str) -> list[FakeTask]:
        """Tasks one of whose ``result_ids`` is ``result_id``, oldest first (a copy)."""
        return list(self._by_result.get(result_id, ()))

    def created_by(self, end_ms: int, before: int) -> int:
        """How many of the first ``before`` tasks of :attr:`order` a newest-first walk of the
        tasks created by ``end_ms`` must start below: all of them unless :attr:`ascending`."""
        if not self.ascending:
            return before
        return bisect_right(self.order, end_ms, hi=before, key=_created_at)


def _created_at(task: FakeTask) -> int:
    return task.created_at
