"""Saving entries and deriving their lectures and tasks; listing and searching them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, Engine, bindparam, delete, insert, text, update
from sqlmodel import Session, col, select

from journal import Entry, Vocabulary, parse_entry
from studylog.clock import Clock
from studylog.services.cards_sync import CardSync, sync_cards
from studylog.services.reading import Derived, derive
from studylog.services.tasks_sync import TaskSync, sync_plan_tasks
from studylog.store.tables import EntryRevisionRow, EntryRow, LectureRow

ENTRY = EntryRow.__table__  # type: ignore[attr-defined]
_FIND_DAY = select(ENTRY.c.id, ENTRY.c.markdown).where(ENTRY.c.day == bindparam("day"))
LECTURE = LectureRow.__table__  # type: ignore[attr-defined]
REVISION = EntryRevisionRow.__table__  # type: ignore[attr-defined]


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

    def describe(self) -> str:
        """One line, e.g. `new 2022-01-24 Pytorch: 3 lectures, 2 tasks, 12 new cards`."""
        label = f"{self.day.isoformat()} {self.category or ''}".strip()
        tasks = self.tasks.total
        line = f"{self.status.value} {label}: {self.lectures} lectures, {tasks} tasks"
        return line + f", {self.cards.added} new cards"


@dataclass(frozen=True)
class EntrySummary:
    """An entry as listed: its day, category and lecture titles."""

    entry_id: int
    day: dt.date
    category: str | None
    lectures: tuple[str, ...]


@dataclass(frozen=True)
class SearchHit:
    """An entry that matched a search, with a one-line excerpt around the match."""

    entry_id: int
    day: dt.date
    category: str | None
    snippet: str


def snippet(markdown: str, terms: list[str], width: int = 90) -> str:
    """The line holding the first of `terms` found, trimmed to `width` around the match."""
    folded = [t.casefold() for t in terms]
    for line in markdown.splitlines():
        lowered = line.casefold()
        at = min((i for i in (lowered.find(t) for t in folded) if i >= 0), default=-1)
        if at < 0:
            continue
        start = max(0, at - width // 3)
        piece = line[start : start + width].strip()
        return ("…" if start else "") + piece + ("…" if start + width < len(line) else "")
    return ""


class JournalService:
    """Entries in, derived rows kept in step; the markdown is always the source of truth."""

    def __init__(self, engine: Engine, clock: Clock, vocabulary: Vocabulary | None = None):
        self.engine = engine
        self.clock = clock
        self.vocabulary = vocabulary or Vocabulary()

    def parse(self, markdown: str, source_name: str | None = None) -> Entry:
        """Parse with this journal's vocabulary; raises journal.EntryError."""
        return parse_entry(markdown, source_name, self.vocabulary)

    def save(self, markdown: str, source: str | None = None) -> SaveResult:
        """Parse, derive and store one entry in a single transaction."""
        derived = derive(markdown, source, self.vocabulary)
        with self.engine.begin() as conn:
            return self.store(conn, derived, source)

    def store(self, conn: Connection, derived: Derived, source: str | None) -> SaveResult:
        """Store `entry` for its day inside the caller's transaction and derive its rows.

        The previous markdown of that day, if different, is kept as a revision. This runs
        once per imported file, so it speaks SQL Core rather than building ORM objects.
        """
        entry = derived.entry
        now = self.clock.now()
        found = conn.execute(_FIND_DAY, {"day": entry.date}).first()
        fields = {"category": entry.category, "markdown": entry.markdown, "updated_at": now}
        if source:
            fields["source"] = source
        if found is None:
            status = SaveStatus.NEW
            inserted = conn.execute(
                insert(ENTRY), {"day": entry.date, "created_at": now, "source": None, **fields}
            )
            entry_id = int(inserted.inserted_primary_key[0])
        else:
            entry_id = found.id
            if found.markdown == entry.markdown:
                status = SaveStatus.UNCHANGED
                del fields["updated_at"]
            else:
                status = SaveStatus.UPDATED
                conn.execute(
                    insert(REVISION).values(
                        entry_id=entry_id, markdown=found.markdown, replaced_at=now
                    )
                )
            conn.execute(update(ENTRY).where(ENTRY.c.id == entry_id).values(**fields))
            conn.execute(delete(LECTURE).where(LECTURE.c.entry_id == entry_id))
        if entry.lectures:
            conn.execute(
                insert(LECTURE),
                [
                    {"entry_id": entry_id, "number": lec.number, "title": lec.title}
                    for lec in entry.lectures
                ],
            )
        tasks = sync_plan_tasks(
            conn,
            entry_id,
            entry.plans,
            entry.date + dt.timedelta(days=1),
            now,
            fresh=status is SaveStatus.NEW,
        )
        cards = sync_cards(
            conn, entry_id, entry.date, derived.deck, now, fresh=status is SaveStatus.NEW
        )
        return SaveResult(
            entry_id, entry.date, status, entry.category, len(entry.lectures), tasks, cards, source
        )

    def entries(self) -> list[EntrySummary]:
        """Every entry, newest first."""
        with Session(self.engine) as session:
            rows = session.exec(select(EntryRow).order_by(col(EntryRow.day).desc())).all()
            lectures: dict[int, list[str]] = {}
            for lec in session.exec(select(LectureRow).order_by(col(LectureRow.number))):
                lectures.setdefault(lec.entry_id, []).append(lec.title)
            return [
                EntrySummary(r.id or 0, r.day, r.category, tuple(lectures.get(r.id or 0, ())))
                for r in rows
            ]

    def markdown_of(self, day: dt.date) -> str | None:
        """The stored markdown of a day's entry, exactly as written."""
        with Session(self.engine) as session:
            row = session.exec(select(EntryRow).where(EntryRow.day == day)).first()
            return row.markdown if row else None

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Entries containing every word of `query`, newest first.

        Words of three characters or more use the trigram index; shorter ones (common in
        Korean, e.g. 계획) fall back to a substring scan, which the index cannot answer.
        """
        terms = query.split()
        if not terms:
            return []
        clauses, params = [], {}
        for n, term in enumerate(terms):
            if len(term) >= 3:
                clauses.append(f"e.id IN (SELECT rowid FROM entry_fts WHERE entry_fts MATCH :t{n})")
                params[f"t{n}"] = '"' + term.replace('"', '""') + '"'
            else:
                clauses.append(f"instr(lower(e.markdown), :t{n}) > 0")
                params[f"t{n}"] = term.lower()
        # Walking the day index newest-first stops after `limit` hits; letting SQLite sort
        # every match instead costs 3x on common words.
        sql = (
            "SELECT e.id FROM entry e INDEXED BY ix_entry_day WHERE "
            + " AND ".join(clauses)
            + " ORDER BY e.day DESC LIMIT :limit"
        )
        with self.engine.connect() as conn:
            ids = [row[0] for row in conn.execute(text(sql), {**params, "limit": limit})]
            found = conn.execute(
                select(ENTRY.c.id, ENTRY.c.day, ENTRY.c.category, ENTRY.c.markdown).where(
                    ENTRY.c.id.in_(ids)
                )
            ).all()
        by_id = {row.id: row for row in found}
        rows = [by_id[i] for i in ids]
        return [SearchHit(r.id, r.day, r.category, snippet(r.markdown, terms)) for r in rows]
