"""Saving entries and deriving their lectures and tasks; listing and searching them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from journal import Entry, Vocabulary, parse_entry
from studylog.clock import Clock
from studylog.services.cards_sync import CardSync, EntryDeck, sync_cards
from studylog.services.claim_cards import with_wrong_claims
from studylog.services.lecture_plans import tick_lecture_plans
from studylog.services.reading import Derived, derive
from studylog.services.tasks_sync import EntryPlans, TaskSync, sync_plan_tasks
from studylog.store import entries as stored_entries
from studylog.store.entries import Lecture, NewEntry
from studylog.store.reader import EntrySummary
from studylog.store.reader import entries as entry_summaries
from studylog.store.search import SearchHit, search
from studylog.store.transactions import read, write

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from cards.sandbox.runner import Sandbox

# Listing and searching return the store's summaries; the UI takes them from here.
__all__ = ["EntrySummary", "JournalService", "Pending", "SaveResult", "SaveStatus", "SearchHit"]


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


@dataclass(frozen=True)
class Pending:
    """An entry ready to store: what was derived from it, the file it came from, and how
    many claims in its notes torch disagrees with (their cards are in its deck)."""

    derived: Derived
    source: str | None
    wrong_claims: int = 0


def _distinct_days(items: Sequence[Pending]) -> Iterator[list[Pending]]:
    """`items` in order, cut wherever a day repeats, so each batch holds a day once."""
    batch: list[Pending] = []
    days: set[dt.date] = set()
    for item in items:
        if item.derived.entry.date in days:
            yield batch
            batch, days = [], set()
        batch.append(item)
        days.add(item.derived.entry.date)
    if batch:
        yield batch


@dataclass(frozen=True)
class _Stored:
    """An entry whose row is written, waiting for its lectures, tasks and cards."""

    pending: Pending
    entry_id: int
    status: SaveStatus

    @property
    def entry(self) -> Entry:
        return self.pending.derived.entry

    @property
    def fresh(self) -> bool:
        return self.status is SaveStatus.NEW

    def plans(self) -> EntryPlans:
        due = self.entry.date + dt.timedelta(days=1)
        return EntryPlans(self.entry_id, self.entry.plans, due, self.fresh)

    def deck(self) -> EntryDeck:
        return EntryDeck(self.entry_id, self.entry.date, self.pending.derived.deck, self.fresh)

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
            self.pending.source,
            self.pending.wrong_claims,
        )


def _row(item: Pending) -> NewEntry:
    entry = item.derived.entry
    return NewEntry(entry.date, entry.category, entry.markdown, item.source)


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

    def prepare(self, derived: Derived, source: str | None) -> Pending:
        """`derived`, ready to store: with a sandbox, torch checks the claims in its notes.

        Done before the transaction, which may run more than once (see
        `studylog.store.transactions`), so torch is asked once per entry."""
        if self.sandbox is None:
            return Pending(derived, source)
        checked, wrong = with_wrong_claims(derived, self.sandbox)
        return Pending(checked, source, wrong)

    def save(self, markdown: str, source: str | None = None) -> SaveResult:
        """Parse, derive and store one entry in a single transaction."""
        pending = self.prepare(derive(markdown, source, self.vocabulary), source)
        return write(self.engine, lambda conn: self.store_many(conn, [pending])[0])

    def store(self, conn: Connection, derived: Derived, source: str | None) -> SaveResult:
        """Prepare and store one entry inside the caller's transaction; see `store_many`."""
        return self.store_many(conn, [self.prepare(derived, source)])[0]

    def store_many(self, conn: Connection, items: Sequence[Pending]) -> list[SaveResult]:
        """Store entries, each for its day, inside the caller's transaction, and derive
        their lectures, tasks and cards. Results come in the order of `items`.

        The previous markdown of a day, if different, is kept as a revision. Entries are
        written in batches of distinct days, a few statements per batch rather than per
        entry, since SQL round trips dominate a large import.
        """
        results: list[SaveResult] = []
        for batch in _distinct_days(items):
            results.extend(self._store_batch(conn, batch))
        return results

    def _store_batch(self, conn: Connection, batch: list[Pending]) -> list[SaveResult]:
        now = self.clock.now()
        found = stored_entries.find_days(conn, [item.derived.entry.date for item in batch])
        new_ids = stored_entries.insert_entries(
            conn, [_row(item) for item in batch if item.derived.entry.date not in found], now
        )
        stored = []
        for item in batch:
            day = item.derived.entry.date
            if day in new_ids:
                stored.append(_Stored(item, new_ids[day], SaveStatus.NEW))
            else:
                changed = stored_entries.rewrite(conn, found[day], _row(item), now)
                status = SaveStatus.UPDATED if changed else SaveStatus.UNCHANGED
                stored.append(_Stored(item, found[day].id, status))
        stored_entries.replace_lectures(
            conn,
            [s.entry_id for s in stored if not s.fresh],
            [
                Lecture(s.entry_id, lec.number, lec.title)
                for s in stored
                for lec in s.entry.lectures
            ],
        )
        tasks = sync_plan_tasks(conn, [s.plans() for s in stored], now)
        tick_lecture_plans(conn, now)
        cards = sync_cards(conn, [s.deck() for s in stored], now)
        return [s.result(t, c) for s, t, c in zip(stored, tasks, cards, strict=True)]

    def entries(self) -> list[EntrySummary]:
        """Every entry, newest first."""
        return read(self.engine, entry_summaries)

    def markdown_of(self, day: dt.date) -> str | None:
        """The stored markdown of a day's entry, exactly as written."""
        return read(self.engine, lambda conn: stored_entries.markdown_of(conn, day))

    def markdown_in(self, conn: Connection, day: dt.date) -> str | None:
        """`markdown_of`, inside the caller's transaction."""
        return stored_entries.markdown_of(conn, day)

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Entries containing every word of `query`, newest first (see `store.search`)."""
        return read(self.engine, lambda conn: search(conn, query, limit))
