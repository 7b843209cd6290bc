"""Quick reads that work with plain sqlite3 as well as through an engine: the entry list
and one card, plus what `search` shares with them.

Commands that only read (`search`, `entries`, `check`) open the SQLite file with plain
sqlite3 instead of an engine, since importing SQLAlchemy takes longer than they take to
answer. Each query here is written once, as SQL text with named parameters: a sqlite3
connection runs it directly, and so does an engine's SQLite connection (its driver
connection); any other engine runs the same text through SQLAlchemy, which binds the
parameters its driver's way. This module imports no SQLAlchemy, so the plain path never
loads it. A database that does not exist yet, or is at an older schema version, is left to
`studylog.store.engine` (which creates and migrates it): `open_reader` then returns None.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from studylog.errors import StudylogError
from studylog.store.schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from sqlalchemy import Connection

# A plain sqlite3 connection (the quick path) or an engine's connection (any engine).
Reading: TypeAlias = "sqlite3.Connection | Connection"

BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class EntrySummary:
    """An entry as listed: its day, category, lecture titles and highest lecture number."""

    entry_id: int
    day: dt.date
    category: str | None
    lectures: tuple[str, ...]
    last_lecture: int | None = None


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


def plain(conn: Reading) -> sqlite3.Connection | None:
    """The sqlite3 connection to run SQLite's SQL on directly; None on another engine."""
    if isinstance(conn, sqlite3.Connection):
        return conn
    if conn.dialect.name != "sqlite":
        return None
    raw = conn.connection.dbapi_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def rows(conn: Reading, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """Every row of `sql` (portable SQL text with :named parameters), as plain tuples."""
    raw = plain(conn)
    if raw is not None:
        return raw.execute(sql, params or {}).fetchall()
    from sqlalchemy import Connection, text

    assert isinstance(conn, Connection)
    return [tuple(row) for row in conn.execute(text(sql), params or {})]


def as_date(value: str | dt.date) -> dt.date:
    """A DATE column's value: sqlite3 gives ISO text, other drivers a date."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


_LECTURES = "SELECT entry_id, number, title FROM lecture ORDER BY number"
_ENTRIES = "SELECT id, day, category FROM entry ORDER BY day DESC"
_CARD = "SELECT key, spec, reps FROM card WHERE id = :card_id"


def entries(conn: Reading) -> list[EntrySummary]:
    """Every entry, newest first."""
    lectures: dict[int, list[tuple[int, str]]] = {}
    for entry_id, number, title in rows(conn, _LECTURES):
        lectures.setdefault(entry_id, []).append((number, title))
    return [
        EntrySummary(
            entry_id,
            as_date(day),
            category,
            tuple(title for _, title in lectures.get(entry_id, ())),
            max((number for number, _ in lectures.get(entry_id, ())), default=None),
        )
        for entry_id, day, category in rows(conn, _ENTRIES)
    ]


def card(conn: Reading, card_id: int) -> tuple[str, str, int]:
    """One card's key, spec (JSON) and review count; a one-line error if there is none."""
    found = rows(conn, _CARD, {"card_id": card_id})
    if not found:
        raise StudylogError(f"card {card_id}: no such card")
    key, spec, reps = found[0]
    return key, spec, reps
