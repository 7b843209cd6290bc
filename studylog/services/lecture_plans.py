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
from typing import TYPE_CHECKING

from journal.lecture_refs import lecture_numbers
from studylog.store import tasks as stored_tasks
from studylog.store.entries import RecordedLecture, recorded_after
from studylog.store.tasks import Closure

if TYPE_CHECKING:
    from sqlalchemy import Connection


def _closer(
    numbers: tuple[int, ...], day: dt.date, category: str | None, recorded: list[RecordedLecture]
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
        (task, numbers)
        for task in stored_tasks.closable(conn)
        if (numbers := lecture_numbers(task.text))
    ]
    if not candidates:
        return
    recorded = recorded_after(conn, min(task.day for task, _ in candidates))
    changes = []
    for task, numbers in candidates:
        closer = _closer(numbers, task.day, task.category, recorded)
        if closer != task.closed_by:
            changes.append(Closure(task.id, closer, now if closer is not None else None))
    stored_tasks.set_closures(conn, changes)
