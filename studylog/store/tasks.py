"""Tasks: listing and ticking them, adding them by hand, and the batched reads and writes
that keep plans' tasks in step with their entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Update, bindparam, delete, insert, select, update

from studylog.store.chunks import chunks
from studylog.store.tables import EntryRow, TaskRow, table_of

TASK = table_of(TaskRow)
ENTRY = table_of(EntryRow)
CLOSER = ENTRY.alias("closer")

_LISTED = (
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
_PLAN_COLUMNS = (
    TASK.c.id,
    TASK.c.entry_id,
    TASK.c.text,
    TASK.c.due,
    TASK.c.done,
    TASK.c.done_at,
    TASK.c.position,
)
_OWN = select(*_PLAN_COLUMNS).where(TASK.c.entry_id.in_(bindparam("keys", expanding=True)))
_OPEN_WITH_TEXT = select(*_PLAN_COLUMNS).where(
    TASK.c.done.is_(False), TASK.c.text.in_(bindparam("keys", expanding=True))
)


def _update_by_id(*columns: str) -> Update:
    """An executemany-ready update of `columns` of the task `task_id`; each value is bound
    as `new_<column>` (a bind name may not repeat a column's name in SQLAlchemy updates)."""
    return (
        update(TASK)
        .where(TASK.c.id == bindparam("task_id"))
        .values({column: bindparam(f"new_{column}") for column in columns})
    )


_UPDATE_PLAN = _update_by_id("entry_id", "due", "done", "done_at", "position")
# Plans' tasks that the lecture rule may change: open ones, and the ones it closed itself.
_CLOSABLE = (
    select(TASK.c.id, TASK.c.text, TASK.c.closed_by, ENTRY.c.day, ENTRY.c.category)
    .join(ENTRY, ENTRY.c.id == TASK.c.entry_id)
    .where(TASK.c.done.is_(False) | TASK.c.closed_by.is_not(None))
    .order_by(TASK.c.id)
)
_CLOSE = _update_by_id("done", "done_at", "closed_by")


@dataclass(frozen=True)
class ListedTask:
    """A task as listed: the day of the entry that planned it, and of the one that
    closed it (by recording its lectures), if any."""

    id: int
    text: str
    due: dt.date
    done: bool
    entry_day: dt.date | None
    closed_day: dt.date | None


@dataclass(frozen=True)
class PlanTask:
    """A task row as plan syncing reads and writes it; `id` is None for one to insert."""

    id: int | None
    entry_id: int | None
    text: str
    due: dt.date
    done: bool
    done_at: dt.datetime | None
    position: int


@dataclass(frozen=True)
class ClosableTask:
    """A plan's task the lecture rule may close or reopen, with its entry's day and course."""

    id: int
    text: str
    closed_by: int | None
    day: dt.date
    category: str | None


@dataclass(frozen=True)
class Closure:
    """A task closed by the entry `closed_by` at `at`, or reopened (both None)."""

    task_id: int
    closed_by: int | None
    at: dt.datetime | None


def listed(conn: Connection, until: dt.date, include_done: bool) -> list[ListedTask]:
    """Tasks due up to `until`, by due day and plan order; open ones only unless asked."""
    query = _LISTED.where(TASK.c.due <= until).order_by(TASK.c.due, TASK.c.position, TASK.c.id)
    if not include_done:
        query = query.where(TASK.c.done.is_(False))
    return [ListedTask(*row) for row in conn.execute(query)]


def one(conn: Connection, task_id: int) -> ListedTask | None:
    """One task as listed; None if there is no such task."""
    row = conn.execute(_LISTED.where(TASK.c.id == task_id)).first()
    return ListedTask(*row) if row else None


def set_done(conn: Connection, task_id: int, done: bool, now: dt.datetime) -> bool:
    """Tick a task off (forgetting the entry that closed it) or back on; False if there
    is no such task."""
    values: dict[str, object] = {"done": done, "done_at": now if done else None}
    if done:
        values["closed_by"] = None
    return bool(conn.execute(update(TASK).where(TASK.c.id == task_id).values(values)).rowcount)


def add(conn: Connection, text: str, due: dt.date, now: dt.datetime) -> int:
    """A task of the learner's own, belonging to no entry; its id."""
    inserted = conn.execute(
        insert(TASK).values(text=text, due=due, created_at=now, position=0, done=False)
    )
    key = inserted.inserted_primary_key
    assert key is not None
    return int(key[0])


def plan_tasks(conn: Connection, entry_ids: Sequence[int], texts: Sequence[str]) -> list[PlanTask]:
    """The tasks of these entries, and the open tasks with these texts, each once."""
    found: dict[int, PlanTask] = {}
    for statement, keys in ((_OWN, entry_ids), (_OPEN_WITH_TEXT, texts)):
        for part in chunks(keys):
            for row in conn.execute(statement, {"keys": part}):
                found.setdefault(row.id, PlanTask(*row))
    return list(found.values())


def write_plan_tasks(
    conn: Connection,
    created: Sequence[PlanTask],
    changed: Sequence[PlanTask],
    deleted: Sequence[int],
    now: dt.datetime,
) -> None:
    """Insert, update and delete plans' tasks, a statement for each kind of change."""
    if created:
        conn.execute(
            insert(TASK),
            [
                {
                    "entry_id": t.entry_id,
                    "text": t.text,
                    "due": t.due,
                    "done": t.done,
                    "done_at": t.done_at,
                    "position": t.position,
                    "created_at": now,
                }
                for t in created
            ],
        )
    if changed:
        conn.execute(
            _UPDATE_PLAN,
            [
                {
                    "task_id": t.id,
                    "new_entry_id": t.entry_id,
                    "new_due": t.due,
                    "new_done": t.done,
                    "new_done_at": t.done_at,
                    "new_position": t.position,
                }
                for t in changed
            ],
        )
    for part in chunks(deleted):
        conn.execute(delete(TASK).where(TASK.c.id.in_(part)))


def closable(conn: Connection) -> list[ClosableTask]:
    """Plans' tasks that are open, or closed by an entry's lectures."""
    return [ClosableTask(*row) for row in conn.execute(_CLOSABLE)]


def set_closures(conn: Connection, closures: Sequence[Closure]) -> None:
    """Close or reopen tasks as the lecture rule decided."""
    if closures:
        conn.execute(
            _CLOSE,
            [
                {
                    "task_id": c.task_id,
                    "new_done": c.closed_by is not None,
                    "new_done_at": c.at,
                    "new_closed_by": c.closed_by,
                }
                for c in closures
            ],
        )


def restore(conn: Connection, task: PlanTask, now: dt.datetime) -> None:
    """Lay an exported task over its entry's task of the same text (for a task added by
    hand, over the hand-added task of that text), or add it."""
    values = {"due": task.due, "done": task.done, "done_at": task.done_at}
    owner = TASK.c.entry_id.is_(None) if task.entry_id is None else TASK.c.entry_id == task.entry_id
    found = conn.execute(select(TASK.c.id).where(owner, TASK.c.text == task.text)).first()
    if found:
        conn.execute(update(TASK).where(TASK.c.id == found.id).values(**values))
    else:
        conn.execute(
            insert(TASK).values(
                entry_id=task.entry_id, text=task.text, created_at=now, position=0, **values
            )
        )
