"""Keeping an entry's tasks in step with its "next plan" list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from journal import PlanItem
from studylog.store.tables import TaskRow

TASK = TaskRow.__table__  # type: ignore[attr-defined]

# Built once: these run for every imported entry.
_OWN_TASKS = (
    select(TASK.c.id, TASK.c.text, TASK.c.done)
    .where(TASK.c.entry_id == bindparam("eid"))
    .order_by(TASK.c.position)
)
_OPEN_WITH_TEXT = (
    select(TASK.c.id, TASK.c.text, TASK.c.due)
    .where(
        TASK.c.done.is_(False),
        TASK.c.text.in_(bindparam("texts", expanding=True)),
        (TASK.c.entry_id != bindparam("eid")) | TASK.c.entry_id.is_(None),
    )
    .order_by(TASK.c.due.desc())
)


def _open_elsewhere(
    conn: Connection, entry_id: int, texts: list[str]
) -> dict[str, tuple[int, dt.date]]:
    """Open tasks with these texts that other plans (or the learner) hold, latest first."""
    if not texts:
        return {}
    rows = conn.execute(_OPEN_WITH_TEXT, {"texts": texts, "eid": entry_id})
    found: dict[str, tuple[int, dt.date]] = {}
    for task_id, text, task_due in rows:
        found.setdefault(text, (task_id, task_due))
    return found


@dataclass(frozen=True)
class TaskSync:
    """How many tasks a re-derivation added, kept, moved here from earlier days, removed."""

    added: int
    kept: int
    removed: int
    moved: int = 0

    @property
    def total(self) -> int:
        """The tasks the entry's plan now holds."""
        return self.added + self.kept + self.moved


def sync_plan_tasks(
    conn: Connection,
    entry_id: int,
    plans: tuple[PlanItem, ...],
    due: dt.date,
    now: dt.datetime,
    *,
    fresh: bool = False,
) -> TaskSync:
    """Match plan items to the entry's tasks by text, keeping each task's done state.

    A `[x]` in the markdown marks a task done; a task ticked in the app stays done even
    though the markdown still says `[ ]`. Open tasks whose item was removed are deleted;
    done ones are kept, since they record work that happened. An item that repeats an
    open task of an earlier day (yesterday's plans carried into today's entry) moves that
    task instead of copying it. `fresh` says the entry is new, so there is nothing of its
    own to match against.
    """
    existing = [] if fresh else conn.execute(_OWN_TASKS, {"eid": entry_id}).all()
    unused = list(existing)
    carried = _open_elsewhere(conn, entry_id, [p.text for p in plans])
    new_rows = []
    moved = 0
    for position, item in enumerate(plans):
        match = next((t for t in unused if t.text == item.text), None)
        if match is None and item.text in carried:
            # The same open task is planned elsewhere too: one copy is enough. One from
            # an earlier day moves here; one already carried on to a later day stays.
            task_id, task_due = carried.pop(item.text)
            moved += 1
            if task_due < due:
                conn.execute(
                    update(TASK)
                    .where(TASK.c.id == task_id)
                    .values(entry_id=entry_id, due=due, position=position)
                )
            continue
        if match is None:
            new_rows.append(
                {
                    "entry_id": entry_id,
                    "text": item.text,
                    "due": due,
                    "done": item.done,
                    "done_at": now if item.done else None,
                    "position": position,
                    "created_at": now,
                }
            )
            continue
        unused.remove(match)
        values: dict[str, object] = {"position": position}
        if item.done and not match.done:
            values |= {"done": True, "done_at": now}
        conn.execute(update(TASK).where(TASK.c.id == match.id).values(**values))
    if new_rows:
        conn.execute(insert(TASK), new_rows)
    stale = [t.id for t in unused if not t.done]
    if stale:
        conn.execute(delete(TASK).where(TASK.c.id.in_(stale)))
    return TaskSync(
        added=len(new_rows), kept=len(existing) - len(unused), removed=len(stale), moved=moved
    )
