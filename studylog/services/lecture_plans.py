"""Plan items that name lectures ("4강 5강 듣기", "lectures 4 and 5") tick themselves.

A plan's task is closed by the first later entry by which every lecture it names has been
recorded (in that entry or the ones between), counting only entries of the plan's course
when the plan's entry names one. The task remembers that entry (`task.closed_by`), so the
reason can be told, and reopens when the lectures are no longer recorded; a task the
learner ticked, or wrote as `[x]`, is never touched, and one the learner reopened keeps
`closed_by`, so it stays open while those lectures stay recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select, update

from journal.lecture_refs import lecture_numbers
from studylog.store.tables import EntryRow, LectureRow, TaskRow, table_of

TASK = table_of(TaskRow)
ENTRY = table_of(EntryRow)
LECTURE = table_of(LectureRow)

# Plans' tasks that this rule may change: open ones, and the ones it closed itself.
_CANDIDATES = (
    select(TASK.c.id, TASK.c.text, TASK.c.closed_by, ENTRY.c.day, ENTRY.c.category)
    .join(ENTRY, ENTRY.c.id == TASK.c.entry_id)
    .where(TASK.c.done.is_(False) | TASK.c.closed_by.is_not(None))
)
_RECORDED = (
    select(ENTRY.c.id, ENTRY.c.day, ENTRY.c.category, LECTURE.c.number)
    .join(LECTURE, LECTURE.c.entry_id == ENTRY.c.id)
    .where(ENTRY.c.day > bindparam("after"))
    .order_by(ENTRY.c.day)
)
_SET = (
    update(TASK)
    .where(TASK.c.id == bindparam("task_id"))
    .values(
        done=bindparam("new_done"),
        done_at=bindparam("new_done_at"),
        closed_by=bindparam("new_closed_by"),
    )
)


@dataclass(frozen=True)
class _Recorded:
    entry_id: int
    day: dt.date
    category: str | None
    number: int


def _closer(
    numbers: tuple[int, ...], day: dt.date, category: str | None, recorded: list[_Recorded]
) -> int | None:
    """The first entry after `day` by which all of `numbers` have been recorded."""
    missing = set(numbers)
    for lecture in recorded:
        if lecture.day <= day or (category and lecture.category not in (category, None)):
            continue
        missing.discard(lecture.number)
        if not missing:
            return lecture.entry_id
    return None


def tick_lecture_plans(conn: Connection, now: dt.datetime) -> None:
    """Close the plan tasks whose lectures later entries record, reopen the ones this
    closed whose lectures are no longer recorded, inside the caller's transaction."""
    candidates = [
        (row, numbers)
        for row in conn.execute(_CANDIDATES)
        if (numbers := lecture_numbers(row.text))
    ]
    if not candidates:
        return
    after = min(row.day for row, _ in candidates)
    recorded = [_Recorded(*row) for row in conn.execute(_RECORDED, {"after": after})]
    changes = []
    for row, numbers in candidates:
        closer = _closer(numbers, row.day, row.category, recorded)
        if closer != row.closed_by:
            changes.append(
                {
                    "task_id": row.id,
                    "new_done": closer is not None,
                    "new_done_at": now if closer is not None else None,
                    "new_closed_by": closer,
                }
            )
    if changes:
        conn.execute(_SET, changes)
