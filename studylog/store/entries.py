"""Entries, their lectures and the revisions they replaced.

Written for batches: an import stores hundreds of entries per batch, so lookups take a
list of days and writes are multi-row INSERTs or executemany, a statement per batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from studylog.store.chunks import chunks
from studylog.store.tables import EntryRevisionRow, EntryRow, LectureRow, table_of

ENTRY = table_of(EntryRow)
LECTURE = table_of(LectureRow)
REVISION = table_of(EntryRevisionRow)

# Built once: they run for every imported batch, and building a statement per call costs
# more than running it.
_FIND_DAYS = select(ENTRY.c.id, ENTRY.c.day, ENTRY.c.markdown).where(
    ENTRY.c.day.in_(bindparam("days", expanding=True))
)
_SOURCES = select(ENTRY.c.day, ENTRY.c.source).where(
    ENTRY.c.day.in_(bindparam("days", expanding=True)), ENTRY.c.source.is_not(None)
)
_RECORDED = (
    select(ENTRY.c.id, ENTRY.c.day, ENTRY.c.category, LECTURE.c.number)
    .join(LECTURE, LECTURE.c.entry_id == ENTRY.c.id)
    .where(ENTRY.c.day > bindparam("after"))
    .order_by(ENTRY.c.day, LECTURE.c.number)
)


@dataclass(frozen=True)
class StoredEntry:
    """A stored entry's id, day and markdown."""

    id: int
    day: dt.date
    markdown: str


@dataclass(frozen=True)
class NewEntry:
    """An entry to insert for a day that has none."""

    day: dt.date
    category: str | None
    markdown: str
    source: str | None


@dataclass(frozen=True)
class Lecture:
    """A lecture an entry's spec lists."""

    entry_id: int
    number: int
    title: str


@dataclass(frozen=True)
class RecordedLecture:
    """A lecture as recorded by an entry of a day and course."""

    entry_id: int
    day: dt.date
    category: str | None
    number: int


def find_days(conn: Connection, days: Sequence[dt.date]) -> dict[dt.date, StoredEntry]:
    """The stored entries of these days, by day."""
    return {
        row.day: StoredEntry(row.id, row.day, row.markdown)
        for part in chunks(days)
        for row in conn.execute(_FIND_DAYS, {"days": part})
    }


def markdown_of(conn: Connection, day: dt.date) -> str | None:
    """The stored markdown of a day's entry, exactly as written."""
    found = find_days(conn, [day]).get(day)
    return found.markdown if found else None


def sources(conn: Connection, days: Sequence[dt.date]) -> dict[dt.date, str]:
    """The files the stored entries of these days were imported from, by day (days
    written in the editor or restored from an export have none)."""
    return {
        row.day: row.source
        for part in chunks(days)
        for row in conn.execute(_SOURCES, {"days": part})
    }


def day_ids(conn: Connection) -> dict[dt.date, int]:
    """Every entry's id, by day."""
    return {row.day: row.id for row in conn.execute(select(ENTRY.c.id, ENTRY.c.day))}


def insert_entries(
    conn: Connection, new: Sequence[NewEntry], now: dt.datetime
) -> dict[dt.date, int]:
    """Insert entries for days that have none yet; their ids by day.

    Multi-row INSERTs rather than a row per statement: SQLite's full-text trigger flushes
    its index at the end of every statement, so row by row costs three times as much.
    """
    for part in chunks(new):
        conn.execute(
            insert(ENTRY).values(
                [
                    {
                        "day": e.day,
                        "category": e.category,
                        "markdown": e.markdown,
                        "source": e.source,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for e in part
                ]
            )
        )
    return {day: found.id for day, found in find_days(conn, [e.day for e in new]).items()}


def rewrite(conn: Connection, stored: StoredEntry, entry: NewEntry, now: dt.datetime) -> bool:
    """Put `entry` over the stored one of its day (keeping its source unless `entry`
    names one); changed markdown is kept as a revision. Whether the markdown changed."""
    fields: dict[str, object] = {"category": entry.category, "markdown": entry.markdown}
    if entry.source:
        fields["source"] = entry.source
    changed = stored.markdown != entry.markdown
    if changed:
        fields["updated_at"] = now
        conn.execute(
            insert(REVISION).values(entry_id=stored.id, markdown=stored.markdown, replaced_at=now)
        )
    conn.execute(update(ENTRY).where(ENTRY.c.id == stored.id).values(**fields))
    return changed


def replace_lectures(conn: Connection, stale: Sequence[int], lectures: Sequence[Lecture]) -> None:
    """Drop the lectures of the entries `stale`, then insert `lectures`."""
    for part in chunks(stale):
        conn.execute(delete(LECTURE).where(LECTURE.c.entry_id.in_(part)))
    if lectures:
        conn.execute(
            insert(LECTURE),
            [{"entry_id": x.entry_id, "number": x.number, "title": x.title} for x in lectures],
        )


def recorded_after(conn: Connection, after: dt.date) -> list[RecordedLecture]:
    """The lectures entries after `after` record, in the order of their days."""
    return [RecordedLecture(*row) for row in conn.execute(_RECORDED, {"after": after})]
