"""Full-text search over entries, on either engine, through one function.

SQLite: an FTS5 table with the trigram tokenizer (Korean words carry particles, so any
substring must be findable); terms shorter than a trigram fall back to a substring scan.
PostgreSQL: every term is an ILIKE pattern, which pg_trgm's GIN index on entry.markdown
serves; terms too short for a trigram are checked against each row, so they match too.
Like `reader`, this module imports no SQLAlchemy, so `studylog search` on a SQLite file
runs with plain sqlite3.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from studylog.store.reader import Reading, as_date, plain, rows


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


def _sqlite_query(terms: list[str], limit: int) -> tuple[str, dict[str, Any]]:
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
    return sql, {**params, "limit": limit}


def _like_pattern(term: str) -> str:
    """`term` anywhere, its LIKE wildcards taken literally (escaped with a backslash)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _trigram_rows(conn: Reading, terms: list[str], limit: int) -> list[tuple[Any, ...]]:
    # Only reached through an engine, which has imported SQLAlchemy and the tables already.
    from sqlalchemy import Connection, select

    from studylog.store.tables import EntryRow, table_of

    assert isinstance(conn, Connection)
    entry = table_of(EntryRow)
    query = (
        select(entry.c.id, entry.c.day, entry.c.category, entry.c.markdown)
        .where(*(entry.c.markdown.ilike(_like_pattern(term), escape="\\") for term in terms))
        .order_by(entry.c.day.desc())
        .limit(limit)
    )
    return [tuple(row) for row in conn.execute(query)]


def search(conn: Reading, query: str, limit: int = 50) -> list[SearchHit]:
    """Entries containing every word of `query`, newest first, at most `limit`."""
    terms = query.split()
    if not terms:
        return []
    if plain(conn) is not None:
        found = rows(conn, *_sqlite_query(terms, limit))
    else:
        found = _trigram_rows(conn, terms, limit)
    return [
        SearchHit(entry_id, as_date(day), category, snippet(markdown, terms))
        for entry_id, day, category, markdown in found
    ]
