"""Planned tasks: listing what is due, ticking tasks off, adding tasks by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select, update

from journal.lecture_refs import lecture_numbers
from studylog.clock import Clock
from studylog.errors import StudylogError
from studylog.store.tables import EntryRow, TaskRow, table_of

TASK = table_of(TaskRow)
ENTRY = table_of(EntryRow)
CLOSER = ENTRY.alias("closer")
_SELECT = (
    select(
        TASK.c.id,
        TASK.c.text,
        TASK.c.due,
        TASK.c.done,
        ENTRY.c.day,
        CLOSER.c.day.label("closed_day"),
    )
    .outerjoin(ENTRY, ENTRY.c.id == TASK.c.entry_id)
    .outerjoin(CLOSER, CLOSER.c.id == TASK.c.closed_by)
)


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
        query = _SELECT.where(TASK.c.due <= until).order_by(TASK.c.due, TASK.c.position, TASK.c.id)
        if not include_done:
            query = query.where(TASK.c.done.is_(False))
        with self.engine.connect() as conn:
            return [self._view(row) for row in conn.execute(query)]

    def _view(self, row: Any) -> TaskView:
        overdue = not row.done and row.due < self.clock.today()
        closed = closed_reason(row.text, row.closed_day) if row.done else None
        return TaskView(row.id, row.text, row.due, row.done, row.day, overdue, closed)

    def set_done(self, task_id: int, done: bool = True) -> TaskView:
        """Tick a task off (or back on); either way it is the learner's choice from then on.

        Ticking forgets the entry whose lectures closed the task. Reopening one they closed
        keeps it, so the lecture rule sees nothing new and leaves the task open while those
        lectures stay recorded (`lecture_plans`)."""
        values = {"done": done, "done_at": self.clock.now() if done else None}
        if done:
            values["closed_by"] = None
        with self.engine.begin() as conn:
            changed = conn.execute(update(TASK).where(TASK.c.id == task_id).values(values)).rowcount
            if not changed:
                raise StudylogError(f"task {task_id}: no such task")
            return self._view(conn.execute(_SELECT.where(TASK.c.id == task_id)).one())

    def get(self, task_id: int) -> TaskView:
        """One task; a one-line error if there is no such task."""
        with self.engine.connect() as conn:
            row = conn.execute(_SELECT.where(TASK.c.id == task_id)).first()
        if row is None:
            raise StudylogError(f"task {task_id}: no such task")
        return self._view(row)

    def add(self, text: str, due: dt.date | None = None) -> int:
        """A task of your own, due `due` (default: today's learning day)."""
        if not text.strip():
            raise StudylogError("task text is empty")
        with self.engine.begin() as conn:
            inserted = conn.execute(
                insert(TASK).values(
                    text=text.strip(),
                    due=due or self.clock.today(),
                    created_at=self.clock.now(),
                    position=0,
                    done=False,
                )
            )
        return inserted.lastrowid
