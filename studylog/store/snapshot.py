"""Long reads (stats, exports) on one consistent snapshot, without the write lock.

SQLAlchemy begins every transaction with BEGIN IMMEDIATE (studylog.store.engine), which
is right for writes but would make a multi-second export hold the write lock, so that
recording a review waits for it. Here the reads run through the sqlite3 cursor inside a
plain deferred transaction instead: in WAL mode that is a snapshot of the database as of
the first read, and writers carry on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine


class Snapshot:
    """Read-only SQL on one snapshot; rows are plain tuples from sqlite3."""

    def __init__(self, dbapi: Any) -> None:
        self._dbapi = dbapi

    def cursor(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        """An open sqlite3 cursor over the rows of `sql` (close it when done)."""
        cursor = self._dbapi.cursor()
        cursor.execute(sql, params or {})
        return cursor

    def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """All rows of `sql`."""
        cursor = self.cursor(sql, params)
        try:
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def iterate(self, sql: str, params: dict[str, Any] | None = None) -> Iterator[tuple[Any, ...]]:
        """The rows of `sql`, fetched as they are consumed."""
        cursor = self.cursor(sql, params)
        try:
            yield from cursor
        finally:
            cursor.close()

    def one(self, sql: str, params: dict[str, Any] | None = None) -> tuple[Any, ...]:
        """The first row of `sql`."""
        return self.rows(sql, params)[0]


@contextmanager
def read_snapshot(engine: Engine) -> Iterator[Snapshot]:
    """A `Snapshot` on a pooled connection, released (rolled back) afterwards."""
    with engine.connect() as conn:
        dbapi = conn.connection
        begin = dbapi.cursor()
        begin.execute("BEGIN DEFERRED")
        begin.close()
        try:
            yield Snapshot(dbapi)
        finally:
            end = dbapi.cursor()
            end.execute("ROLLBACK")
            end.close()
