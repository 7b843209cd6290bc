"""Planned tasks: listing what is due, ticking tasks off, adding tasks by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from journal.lecture_refs import lecture_numbers
from studylog.clock import Clock
from studylog.errors import StudylogError
from studylog.store import tasks as stored_tasks
from studylog.store.tasks import ListedTask
from studylog.store.transactions import read, write

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine


def closed_reason(text: str, closed_day: dt.date | None) -> str | None:
    """`closed by 2022-01-25: lectures 4, 5 recorded`, for a task its lectures closed."""
    if closed_day is None:
        return None
    numbers = ", ".join(str(n) for n in lecture_numbers(text))
    noun = "lecture" if "," not in numbers else "lectures"
    return f"closed by {closed_day.isoformat()}: {noun} {numbers} recorded"


@dataclass(frozen=True)
class TaskView:
    """A task as listed, with whether it is overdue on the current learning day."""

    id: int
    text: str
    due: dt.date
    done: bool
    entry_day: dt.date | None
    overdue: bool
    closed: str | None = None

    def to_dict(self) -> dict[str, object]:
        """The `tasks --json` shape."""
        return {
            "id": self.id,
            "text": self.text,
            "due": self.due.isoformat(),
            "done": self.done,
            "entry_date": self.entry_day.isoformat() if self.entry_day else None,
            "overdue": self.overdue,
            "closed": self.closed,
        }


class TaskService:
    """Tasks from each day's plan, plus hand-added ones. Unfinished tasks carry over."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def list(self, *, upcoming_days: int = 0, include_done: bool = False) -> list[TaskView]:
        """Open tasks due up to today (overdue ones included), plus `upcoming_days` ahead."""
        until = self.clock.today() + dt.timedelta(days=upcoming_days)
        found = read(self.engine, lambda conn: stored_tasks.listed(conn, until, include_done))
        return [self._view(task) for task in found]

    def _view(self, task: ListedTask) -> TaskView:
        overdue = not task.done and task.due < self.clock.today()
        closed = closed_reason(task.text, task.closed_day) if task.done else None
        return TaskView(task.id, task.text, task.due, task.done, task.entry_day, overdue, closed)

    def set_done(self, task_id: int, done: bool = True) -> TaskView:
        """Tick a task off (or back on); either way it is the learner's choice from then on.

        Ticking forgets the entry whose lectures closed the task. Reopening one they closed
        keeps it, so the lecture rule sees nothing new and leaves the task open while those
        lectures stay recorded (`lecture_plans`)."""
        now = self.clock.now()

        def work(conn: Connection) -> ListedTask | None:
            if not stored_tasks.set_done(conn, task_id, done, now):
                return None
            return stored_tasks.one(conn, task_id)

        return self._view(self._found(task_id, write(self.engine, work)))

    def get(self, task_id: int) -> TaskView:
        """One task; a one-line error if there is no such task."""
        found = read(self.engine, lambda conn: stored_tasks.one(conn, task_id))
        return self._view(self._found(task_id, found))

    @staticmethod
    def _found(task_id: int, task: ListedTask | None) -> ListedTask:
        if task is None:
            raise StudylogError(f"task {task_id}: no such task")
        return task

    def add(self, text: str, due: dt.date | None = None) -> int:
        """A task of your own, due `due` (default: today's learning day)."""
        if not text.strip():
            raise StudylogError("task text is empty")
        day, now = due or self.clock.today(), self.clock.now()
        return write(self.engine, lambda conn: stored_tasks.add(conn, text.strip(), day, now))
