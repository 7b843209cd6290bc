"""Keeping an entry's tasks in step with its "next plan" list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, update

from journal import PlanItem
from studylog.store.tables import TaskRow

TASK = TaskRow.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class TaskSync:
    """How many tasks a re-derivation added, kept and removed."""

    added: int
    kept: int
    removed: int


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
    done ones are kept, since they record work that happened. `fresh` says the entry is
    new, so there is nothing to match against.
    """
    existing = (
        []
        if fresh
        else conn.execute(
            select(TASK.c.id, TASK.c.text, TASK.c.done)
            .where(TASK.c.entry_id == entry_id)
            .order_by(TASK.c.position)
        ).all()
    )
    unused = list(existing)
    new_rows = []
    for position, item in enumerate(plans):
        match = next((t for t in unused if t.text == item.text), None)
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
    return TaskSync(added=len(new_rows), kept=len(existing) - len(unused), removed=len(stale))
