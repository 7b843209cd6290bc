"""What the exports read: every entry, task, card and review, in an order fixed by content.

Each function reads on a `Snapshot` (studylog.store.snapshot) and gives the same plain
values on both engines: days as ISO date text, flags as 0/1, FSRS states and ratings as
ints, and instants as UTC text "YYYY-MM-DD HH:MM:SS.ffffff" (on SQLite the stored text,
which may carry a "+00:00" after it; PostgreSQL formats its timestamptz so in SQL), which
`iso` turns into `datetime.isoformat()` text by slicing: parsing and formatting a million
datetimes would cost more than the rest of an export together.

Every ORDER BY sorts on content, not on ids, so an export of a restored copy lines up with
the original row for row; the trailing id only keeps ties in insertion order. Text sorts
by code point on both engines (SQLite's BINARY, PostgreSQL's "C" collation).
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from typing import cast as typed

from sqlalchemy import ColumnElement, Integer, Select, Text, cast, func, select, type_coerce

from journal.model import Lecture
from studylog.store.snapshot import Snapshot
from studylog.store.tables import (
    CardRow,
    EntryRow,
    EntryTopicRow,
    LectureRow,
    ReviewRow,
    TaskRow,
    table_of,
)

_entry = table_of(EntryRow)
_lecture = table_of(LectureRow)
_topic = table_of(EntryTopicRow)
_task = table_of(TaskRow)
_card = table_of(CardRow)
_review = table_of(ReviewRow)


@dataclass(frozen=True)
class EntryRecord:
    """One entry with its lectures (by number) and topics (by name)."""

    day: str
    category: str | None
    markdown: str
    lectures: tuple[Lecture, ...]
    topics: tuple[str, ...]


@dataclass(frozen=True)
class TaskRecord:
    """One task; `entry_day` is the day of the entry that planned it."""

    id: int
    text: str
    entry_day: str | None
    due: str
    done: bool


# Cards and reviews are plain tuples rather than dataclasses: there are a million reviews,
# and the JSON writer unpacks each at once. The fields, in order:
CARD_FIELDS = (
    "id", "key", "kind", "topics", "entry_date", "state", "step", "due", "last_review",
    "stability", "difficulty", "reps", "lapses",
)  # fmt: skip
CardRecord = tuple[
    int, str, str, str, str | None, int, int | None, str, str | None,
    float | None, float | None, int, int,
]  # fmt: skip  # topics: the stored JSON list; due, last_review: stored instants
REVIEW_FIELDS = (
    "id", "card_id", "reviewed_at", "rating", "correct", "answer", "duration_ms", "seed",
    "retrievability", "state_before", "was_new", "before",
)  # fmt: skip
ReviewTuple = tuple[
    int, int, str, int, int | None, str | None, int | None, int | None,
    float | None, int, int, str,
]  # fmt: skip  # reviewed_at: a stored instant; correct, was_new: 0/1; before: JSON


def iso(stored: str | None) -> str | None:
    """A stored instant as `datetime.isoformat()` gives it for the aware UTC value:
    microseconds only when non-zero, and a +00:00 offset."""
    if stored is None:
        return None
    fraction = stored[20:26]
    seconds = f"{stored[:10]}T{stored[11:19]}"
    return f"{seconds}+00:00" if fraction in ("", "000000") else f"{seconds}.{fraction}+00:00"


# -- the same plain values from both engines ---------------------------------------------


def _instant(snap: Snapshot, column: ColumnElement[Any]) -> ColumnElement[Any]:
    if snap.sqlite:
        return column
    return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24:MI:SS.US")


def _day(snap: Snapshot, column: ColumnElement[Any]) -> ColumnElement[Any]:
    return column if snap.sqlite else cast(column, Text)


def _number(snap: Snapshot, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """An enum or flag column as the int it is stored as."""
    return column if snap.sqlite else cast(column, Integer)


def _ordered(snap: Snapshot, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """A text column, to sort by code point on this engine."""
    return column if snap.sqlite else column.collate("C")


# -- the tables ------------------------------------------------------------------------


def entries(snap: Snapshot) -> Iterator[EntryRecord]:
    """Every entry, oldest first, with its lectures (by number) and topics (by name)."""
    lectures: dict[int, list[Lecture]] = {}
    for entry_id, number, title in snap.iterate(
        select(_lecture.c.entry_id, _lecture.c.number, _lecture.c.title).order_by(
            _lecture.c.number, _lecture.c.id
        )
    ):
        lectures.setdefault(entry_id, []).append(Lecture(number, title))
    topics: dict[int, list[str]] = {}
    for entry_id, topic in snap.iterate(
        select(_topic.c.entry_id, _topic.c.topic).order_by(_ordered(snap, _topic.c.topic))
    ):
        topics.setdefault(entry_id, []).append(topic)
    for entry_id, day, category, markdown in snap.iterate(
        select(
            _entry.c.id, _day(snap, _entry.c.day), _entry.c.category, _entry.c.markdown
        ).order_by(_entry.c.day)
    ):
        yield EntryRecord(
            day,
            category,
            markdown,
            tuple(lectures.get(entry_id, ())),
            tuple(topics.get(entry_id, ())),
        )


def tasks(snap: Snapshot) -> Iterator[TaskRecord]:
    """Every task, by due date, then by the entry that planned it (hand-added ones last),
    then in plan order."""
    statement = (
        select(
            _task.c.id,
            _task.c.text,
            _day(snap, _entry.c.day),
            _day(snap, _task.c.due),
            _task.c.done,
        )
        .select_from(_task.outerjoin(_entry, _entry.c.id == _task.c.entry_id))
        .order_by(
            _task.c.due,
            _entry.c.day.is_(None),
            _entry.c.day,
            _task.c.position,
            _ordered(snap, _task.c.text),
            _task.c.id,
        )
    )
    for task_id, text, day, due, done in snap.iterate(statement):
        yield TaskRecord(task_id, text, day, due, bool(done))


def _cards_statement(snap: Snapshot) -> Select[Any]:
    return (
        select(
            _card.c.id,
            _card.c.key,
            type_coerce(_card.c.kind, Text),
            _card.c.topics,
            _day(snap, _entry.c.day),
            _number(snap, _card.c.state),
            _card.c.step,
            _instant(snap, _card.c.due),
            _instant(snap, _card.c.last_review),
            _card.c.stability,
            _card.c.difficulty,
            _card.c.reps,
            _card.c.lapses,
        )
        .select_from(_card.outerjoin(_entry, _entry.c.id == _card.c.entry_id))
        .order_by(_entry.c.day.is_not(None), _entry.c.day, _ordered(snap, _card.c.key))
    )


def card_batches(snap: Snapshot) -> Iterator[list[CardRecord]]:
    """Every card with its FSRS state, in batches: hand-added ones (no entry) first, then
    by the day of the entry that owns it, then by key."""
    for batch in snap.batches(_cards_statement(snap)):
        yield typed("list[CardRecord]", batch)


_REVIEWS = (
    _review.c.id,
    _review.c.card_id,
    _review.c.reviewed_at,
    _review.c.rating,
    _review.c.correct,
    _review.c.answer,
    _review.c.duration_ms,
    _review.c.seed,
    _review.c.retrievability,
    _review.c.state_before,
    _review.c.was_new,
    _review.c.before,
)


def _reviews_statement(snap: Snapshot) -> Select[Any]:
    columns: list[ColumnElement[Any]] = list(_REVIEWS)
    if not snap.sqlite:
        columns[2] = _instant(snap, _review.c.reviewed_at)
        for at in (3, 4, 9, 10):
            columns[at] = _number(snap, _REVIEWS[at])
    return select(*columns).order_by(_review.c.reviewed_at, _review.c.id)


def review_batches(snap: Snapshot) -> Iterator[list[ReviewTuple]]:
    """Every review, oldest first, in batches; reviews at the same instant by card key."""
    # The index on reviewed_at hands the rows over in time order (ties by id) without a
    # sort. Ties are rare (scripts that pin --now), so they are put in card-key order
    # here: far cheaper than having the database sort a million wide rows or join each to
    # its card. A batch is held back from its last run of equal times, so no run is split.
    keys: dict[int, str] = {}
    held: list[ReviewTuple] = []
    for batch in snap.batches(_reviews_statement(snap)):
        fetched = typed("list[ReviewTuple]", batch)
        rows = held + fetched if held else fetched
        cut = len(rows) - 1
        while cut > 0 and rows[cut - 1][2] == rows[-1][2]:
            cut -= 1
        held = rows[cut:]
        if cut:
            yield _by_key(snap, rows[:cut], keys)
    if held:
        yield _by_key(snap, held, keys)


def _by_key(snap: Snapshot, rows: list[ReviewTuple], keys: dict[int, str]) -> list[ReviewTuple]:
    """`rows` (in time order) with any reviews at the same instant ordered by card key."""
    stamps = [row[2] for row in rows]
    if not any(map(operator.eq, stamps, stamps[1:])):
        return rows
    if not keys:
        keys.update(snap.iterate(select(_card.c.id, _card.c.key)))
    return sorted(rows, key=lambda r: (r[2], keys.get(r[1], ""), r[0]))


def counts(snap: Snapshot) -> dict[str, int]:
    """How many rows each exported table holds (for progress bars)."""
    return {
        name: int(snap.one(select(func.count()).select_from(table))[0])
        for name, table in (
            ("entries", _entry),
            ("tasks", _task),
            ("cards", _card),
            ("reviews", _review),
        )
    }
