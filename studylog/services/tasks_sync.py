"""Keeping an entry's tasks in step with its "next plan" list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from journal import PlanItem
from studylog.store.tables import TaskRow


@dataclass(frozen=True)
class TaskSync:
    """How many tasks a re-derivation added, kept and removed."""

    added: int
    kept: int
    removed: int


def sync_plan_tasks(
    session: Session,
    entry_id: int,
    plans: tuple[PlanItem, ...],
    due: dt.date,
    now: dt.datetime,
) -> TaskSync:
    """Match plan items to the entry's tasks by text, keeping each task's done state.

    A `[x]` in the markdown marks a task done; a task ticked in the app stays done even
    though the markdown still says `[ ]`. Open tasks whose item was removed are deleted;
    done ones are kept, since they record work that happened.
    """
    existing = list(
        session.exec(
            select(TaskRow).where(TaskRow.entry_id == entry_id).order_by(col(TaskRow.position))
        )
    )
    unused = list(existing)
    added = 0
    for position, item in enumerate(plans):
        match = next((t for t in unused if t.text == item.text), None)
        if match is None:
            match = TaskRow(entry_id=entry_id, text=item.text, due=due, created_at=now)
            added += 1
        else:
            unused.remove(match)
        match.position = position
        if item.done and not match.done:
            match.done, match.done_at = True, now
        session.add(match)
    removed = 0
    for task in unused:
        if not task.done:
            session.delete(task)
            removed += 1
    return TaskSync(added=added, kept=len(existing) - len(unused), removed=removed)
