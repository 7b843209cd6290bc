"""Planned tasks: listing what is due, ticking tasks off, adding tasks by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, select, update

from studylog.clock import Clock
from studylog.errors import StudylogError
from studylog.store.tables import EntryRow, TaskRow, table_of

TASK = table_of(TaskRow)
ENTRY = table_of(EntryRow)
_SELECT = select(TASK.c.id, TASK.c.text, TASK.c.due, TASK.c.done, ENTRY.c.day).outerjoin(
    ENTRY, ENTRY.c.id == TASK.c.entry_id
)


@dataclass(frozen=True)
class TaskView:
    """A task as listed, with whether it is overdue on the current learning day."""

    id: int
    text: str
    due: dt.date
    done: bool
    entry_day: dt.date | None
    overdue: bool

    def to_dict(self) -> dict[str, object]:
        """The `tasks --json` shape."""
        return {
            "id": self.id,
            "text": self.text,
            "due": self.due.isoformat(),
            "done": self.done,
            "entry_date": self.entry_day.isoformat() if self.entry_day else None,
            "overdue": self.overdue,
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
        return TaskView(row.id, row.text, row.due, row.done, row.day, overdue)

    def set_done(self, task_id: int, done: bool = True) -> TaskView:
        """Tick a task off (or back on)."""
        with self.engine.begin() as conn:
            changed = conn.execute(
                update(TASK)
                .where(TASK.c.id == task_id)
                .values(done=done, done_at=self.clock.now() if done else None)
            ).rowcount
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
