"""Saving entries and deriving their lectures and tasks; listing and searching them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, Row, bindparam, delete, insert, update
from sqlmodel import Session, select

from journal import Entry, Vocabulary, parse_entry
from studylog.clock import Clock
from studylog.services.cards_sync import CardSync, EntryDeck, sync_cards
from studylog.services.claim_cards import with_wrong_claims
from studylog.services.lecture_plans import tick_lecture_plans
from studylog.services.reading import Derived, derive
from studylog.services.tasks_sync import EntryPlans, TaskSync, sync_plan_tasks
from studylog.store import reader
from studylog.store.chunks import chunks
from studylog.store.engine import raw_connection
from studylog.store.reader import EntrySummary, SearchHit
from studylog.store.tables import EntryRevisionRow, EntryRow, LectureRow, table_of

if TYPE_CHECKING:
    from cards.sandbox.runner import Sandbox

# Listing and searching return the store's summaries; the UI takes them from here.
__all__ = ["EntrySummary", "JournalService", "SaveResult", "SaveStatus", "SearchHit"]

ENTRY = table_of(EntryRow)
_FIND_DAYS = select(ENTRY.c.id, ENTRY.c.day, ENTRY.c.markdown).where(
    ENTRY.c.day.in_(bindparam("days", expanding=True))
)
LECTURE = table_of(LectureRow)
REVISION = table_of(EntryRevisionRow)


class SaveStatus(StrEnum):
    """What saving did to the stored entry of that day."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class SaveResult:
    """The outcome of saving one entry, for the learner to read."""

    entry_id: int
    day: dt.date
    status: SaveStatus
    category: str | None
    lectures: int
    tasks: TaskSync
    cards: CardSync
    source: str | None = None
    wrong_claims: int = 0

    def describe(self) -> str:
        """One line, e.g. `new 2022-01-24 Pytorch: 3 lectures, 2 tasks, 12 new cards`, and
        how many claims in the notes torch disagrees with, if any do."""
        label = f"{self.day.isoformat()} {self.category or ''}".strip()
        tasks = self.tasks.total
        line = f"{self.status.value} {label}: {self.lectures} lectures, {tasks} tasks"
        line += f", {self.cards.added} new cards"
        return line + (f"; {self.claims_notice()}" if self.wrong_claims else "")

    def claims_notice(self) -> str:
        """ "2 claims in your notes disagree with torch" ("" when none do)."""
        if not self.wrong_claims:
            return ""
        n = self.wrong_claims
        verb = "disagrees" if n == 1 else "disagree"
        return f"{n} claim{'s' if n != 1 else ''} in your notes {verb} with torch"


def _distinct_days(
    items: Sequence[tuple[Derived, str | None]],
) -> Iterator[list[tuple[Derived, str | None]]]:
    """`items` in order, cut wherever a day repeats, so each batch holds a day once."""
    batch: list[tuple[Derived, str | None]] = []
    days: set[dt.date] = set()
    for item in items:
        if item[0].entry.date in days:
            yield batch
            batch, days = [], set()
        batch.append(item)
        days.add(item[0].entry.date)
    if batch:
        yield batch


@dataclass(frozen=True)
class _Stored:
    """An entry whose row is written, waiting for its lectures, tasks and cards."""

    derived: Derived
    source: str | None
    entry_id: int
    status: SaveStatus

    @property
    def entry(self) -> Entry:
        return self.derived.entry

    @property
    def fresh(self) -> bool:
        return self.status is SaveStatus.NEW

    def plans(self) -> EntryPlans:
        due = self.entry.date + dt.timedelta(days=1)
        return EntryPlans(self.entry_id, self.entry.plans, due, self.fresh)

    def deck(self) -> EntryDeck:
        return EntryDeck(self.entry_id, self.entry.date, self.derived.deck, self.fresh)

    def result(self, tasks: TaskSync, cards: CardSync) -> SaveResult:
        entry = self.entry
        return SaveResult(
            self.entry_id,
            entry.date,
            self.status,
            entry.category,
            len(entry.lectures),
            tasks,
            cards,
            self.source,
        )


def _insert_new(
    conn: Connection, new: list[tuple[Derived, str | None]], now: dt.datetime
) -> dict[dt.date, int]:
    """Insert entries for days that have none yet; their ids by day.

    Multi-row INSERTs rather than a row per statement: the full-text trigger flushes its
    index at the end of every statement, so row by row costs three times as much.
    """
    for part in chunks(new):
        rows = [
            {
                "day": d.entry.date,
                "category": d.entry.category,
                "markdown": d.entry.markdown,
                "source": source,
                "created_at": now,
                "updated_at": now,
            }
            for d, source in part
        ]
        conn.execute(insert(ENTRY).values(rows))
    stored = _stored_days(conn, [d.entry.date for d, _ in new])
    return {day: row.id for day, row in stored.items()}


def stored_sources(conn: Connection, days: list[dt.date]) -> dict[dt.date, str]:
    """The files the stored entries of these days were imported from, by day (days
    written in the editor or restored from an export have none)."""
    query = select(ENTRY.c.day, ENTRY.c.source).where(
        ENTRY.c.day.in_(bindparam("days", expanding=True)), ENTRY.c.source.is_not(None)
    )
    return {
        row.day: row.source for part in chunks(days) for row in conn.execute(query, {"days": part})
    }


def _stored_days(conn: Connection, days: list[dt.date]) -> dict[dt.date, Row[Any]]:
    """The stored entries (id, day, markdown) of these days, by day."""
    return {
        row.day: row for part in chunks(days) for row in conn.execute(_FIND_DAYS, {"days": part})
    }


def _replace(
    conn: Connection, found: Row[Any], entry: Entry, source: str | None, now: dt.datetime
) -> SaveStatus:
    """Put `entry` over the stored one of its day, keeping changed markdown as a revision."""
    fields: dict[str, object] = {"category": entry.category, "markdown": entry.markdown}
    if source:
        fields["source"] = source
    if found.markdown == entry.markdown:
        status = SaveStatus.UNCHANGED
    else:
        status = SaveStatus.UPDATED
        fields["updated_at"] = now
        conn.execute(
            insert(REVISION).values(entry_id=found.id, markdown=found.markdown, replaced_at=now)
        )
    conn.execute(update(ENTRY).where(ENTRY.c.id == found.id).values(**fields))
    return status


class JournalService:
    """Entries in, derived rows kept in step; the markdown is always the source of truth."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        vocabulary: Vocabulary | None = None,
        sandbox: Callable[[], Sandbox] | None = None,
    ):
        self.engine = engine
        self.clock = clock
        self.vocabulary = vocabulary or Vocabulary()
        # Given, claims in the notes that torch disagrees with become cards on every save.
        self.sandbox = sandbox

    def parse(self, markdown: str, source_name: str | None = None) -> Entry:
        """Parse with this journal's vocabulary; raises journal.EntryError."""
        return parse_entry(markdown, source_name, self.vocabulary)

    def save(self, markdown: str, source: str | None = None) -> SaveResult:
        """Parse, derive and store one entry in a single transaction."""
        derived = derive(markdown, source, self.vocabulary)
        with self.engine.begin() as conn:
            return self.store(conn, derived, source)

    def store(self, conn: Connection, derived: Derived, source: str | None) -> SaveResult:
        """Store one entry inside the caller's transaction; see `store_many`."""
        return self.store_many(conn, [(derived, source)])[0]

    def store_many(
        self, conn: Connection, items: Sequence[tuple[Derived, str | None]]
    ) -> list[SaveResult]:
        """Store entries, each for its day, inside the caller's transaction, and derive
        their lectures, tasks and cards. Results come in the order of `items`.

        The previous markdown of a day, if different, is kept as a revision. Entries are
        written in batches of distinct days, a few statements per batch rather than per
        entry, since SQL round trips dominate a large import.
        """
        wrong: list[int] = []
        if self.sandbox is not None:
            checked = [with_wrong_claims(derived, self.sandbox) for derived, _ in items]
            items = [(d, source) for (d, _), (_, source) in zip(checked, items, strict=True)]
            wrong = [n for _, n in checked]
        results: list[SaveResult] = []
        for batch in _distinct_days(items):
            results.extend(self._store_batch(conn, batch))
        if wrong:
            results = [replace(r, wrong_claims=n) for r, n in zip(results, wrong, strict=True)]
        return results

    def _store_batch(
        self, conn: Connection, batch: list[tuple[Derived, str | None]]
    ) -> list[SaveResult]:
        now = self.clock.now()
        found = _stored_days(conn, [derived.entry.date for derived, _ in batch])
        new_ids = _insert_new(conn, [i for i in batch if i[0].entry.date not in found], now)
        stored = [
            _Stored(derived, source, new_ids[derived.entry.date], SaveStatus.NEW)
            if derived.entry.date in new_ids
            else _Stored(
                derived,
                source,
                found[derived.entry.date].id,
                _replace(conn, found[derived.entry.date], derived.entry, source, now),
            )
            for derived, source in batch
        ]
        for part in chunks([s.entry_id for s in stored if not s.fresh]):
            conn.execute(delete(LECTURE).where(LECTURE.c.entry_id.in_(part)))
        lectures = [
            {"entry_id": s.entry_id, "number": lec.number, "title": lec.title}
            for s in stored
            for lec in s.entry.lectures
        ]
        if lectures:
            conn.execute(insert(LECTURE), lectures)
        tasks = sync_plan_tasks(conn, [s.plans() for s in stored], now)
        tick_lecture_plans(conn, now)
        cards = sync_cards(conn, [s.deck() for s in stored], now)
        return [s.result(t, c) for s, t, c in zip(stored, tasks, cards, strict=True)]

    def entries(self) -> list[EntrySummary]:
        """Every entry, newest first."""
        with self.engine.connect() as conn:
            return reader.entries(raw_connection(conn))

    def markdown_of(self, day: dt.date) -> str | None:
        """The stored markdown of a day's entry, exactly as written."""
        with Session(self.engine) as session:
            row = session.exec(select(EntryRow).where(EntryRow.day == day)).first()
            return row.markdown if row else None

    def markdown_in(self, conn: Connection, day: dt.date) -> str | None:
        """`markdown_of`, inside the caller's transaction."""
        found = _stored_days(conn, [day]).get(day)
        return found.markdown if found else None

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Entries containing every word of `query`, newest first (see `reader.search`)."""
        with self.engine.connect() as conn:
            return reader.search(raw_connection(conn), query, limit)
