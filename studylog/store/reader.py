"""Reading the journal with plain sqlite3: search, the entry list, one card.

Commands that only read (`search`, `entries`, `check`) use this instead of the ORM, which
takes longer to import than they take to answer; the services call the same queries
through their engine's connection, so each is written once. A database that does not exist
yet, or is at an older schema version, is left to `studylog.store.engine` (which creates
and migrates it): `open_reader` then returns None.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from studylog.errors import StudylogError
from studylog.store.schema import SCHEMA_VERSION

BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class EntrySummary:
    """An entry as listed: its day, category, lecture titles and highest lecture number."""

    entry_id: int
    day: dt.date
    category: str | None
    lectures: tuple[str, ...]
    last_lecture: int | None = None


@dataclass(frozen=True)
class SearchHit:
    """An entry that matched a search, with a one-line excerpt around the match."""

    entry_id: int
    day: dt.date
    category: str | None
    snippet: str


def open_reader(path: Path) -> sqlite3.Connection | None:
    """A connection for reading the database at `path`, or None when it must first be
    created or migrated. Raises StudylogError for a file that is no studylog database."""
    if not path.is_file():
        return None
    try:
        # mode=rw: never create the file here; reads see committed WAL transactions.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error as err:
        raise StudylogError(f"{path}: not a usable studylog database ({err})") from None
    if version > SCHEMA_VERSION:
        conn.close()
        raise StudylogError(
            f"database schema {version} is newer than this studylog ({SCHEMA_VERSION}); upgrade"
        )
    if version < SCHEMA_VERSION:
        conn.close()
        return None
    return conn


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


def search(conn: sqlite3.Connection, query: str, limit: int = 50) -> list[SearchHit]:
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
        "SELECT e.id, e.day, e.category, e.markdown FROM entry e INDEXED BY ix_entry_day "
        f"WHERE {' AND '.join(clauses)} ORDER BY e.day DESC LIMIT :limit"
    )
    rows = conn.execute(sql, {**params, "limit": limit}).fetchall()
    return [
        SearchHit(entry_id, dt.date.fromisoformat(day), category, snippet(markdown, terms))
        for entry_id, day, category, markdown in rows
    ]


def entries(conn: sqlite3.Connection) -> list[EntrySummary]:
    """Every entry, newest first."""
    lectures: dict[int, list[tuple[int, str]]] = {}
    for entry_id, number, title in conn.execute(
        "SELECT entry_id, number, title FROM lecture ORDER BY number"
    ):
        lectures.setdefault(entry_id, []).append((number, title))
    return [
        EntrySummary(
            entry_id,
            dt.date.fromisoformat(day),
            category,
            tuple(title for _, title in lectures.get(entry_id, ())),
            max((number for number, _ in lectures.get(entry_id, ())), default=None),
        )
        for entry_id, day, category in conn.execute(
            "SELECT id, day, category FROM entry ORDER BY day DESC"
        )
    ]


def card(conn: sqlite3.Connection, card_id: int) -> tuple[str, str, int]:
    """One card's key, spec (JSON) and review count; a one-line error if there is none."""
    row = conn.execute("SELECT key, spec, reps FROM card WHERE id = ?", (card_id,)).fetchone()
    if row is None:
        raise StudylogError(f"card {card_id}: no such card")
    return row[0], row[1], row[2]
