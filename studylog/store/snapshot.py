"""Long reads (stats, exports) on one consistent snapshot, without the write lock.

SQLite: SQLAlchemy begins every transaction with BEGIN IMMEDIATE (studylog.store.engine),
which is right for writes but would make a multi-second export hold the write lock, so that
recording a review waits for it. Here the reads run through the sqlite3 cursor inside a
plain deferred transaction instead: in WAL mode that is a snapshot of the database as of
the first read, and writers carry on. Statements are still SQLAlchemy statements, compiled
once per snapshot for the sqlite3 cursor; their rows come back as sqlite3 gives them (text
for times and days, 0/1 for flags), without SQLAlchemy's per-row processing, which would
cost more than the queries over a million reviews.

PostgreSQL: a READ ONLY transaction at REPEATABLE READ sees one snapshot and takes no
lock a writer waits for; rows come back typed (datetimes, dates, bools), and long results
are streamed through a server-side cursor.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, Select, TextClause
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.sql.compiler import Compiled

Params = Mapping[str, Any]
Statement = Select[*tuple[Any, ...]] | TextClause
Record = tuple[Any, ...]
BATCH = 2000

# Named parameters, so that the compiled text takes a dict as sqlite3 binds it.
_SQLITE = SQLiteDialect_pysqlite(paramstyle="named")


class _Prepared:
    """A statement compiled for the sqlite3 cursor, with its parameters' converters."""

    def __init__(self, statement: Statement) -> None:
        compiled: Compiled = statement.compile(
            dialect=_SQLITE, compile_kwargs={"render_postcompile": True}
        )
        self.sql = str(compiled)
        self.compiled = compiled
        binds = getattr(compiled, "binds", {})
        self.processors = {
            name: processor
            for name, bind in binds.items()
            if (processor := bind.type.dialect_impl(_SQLITE).bind_processor(_SQLITE)) is not None
        }

    def params(self, given: Params | None) -> dict[str, Any]:
        values = dict(self.compiled.construct_params(dict(given) if given else None) or {})
        for name, process in self.processors.items():
            if name in values and values[name] is not None:
                values[name] = process(values[name])
        return values


class Snapshot:
    """Read-only statements on one snapshot; rows are plain tuples."""

    def __init__(self, conn: Connection, dbapi: Any | None = None) -> None:
        self.conn = conn
        self.dialect = conn.dialect.name
        self._dbapi = dbapi
        self._prepared: dict[int, tuple[Statement, _Prepared]] = {}

    @property
    def sqlite(self) -> bool:
        """Whether rows come from sqlite3 (raw values) rather than PostgreSQL (typed)."""
        return self._dbapi is not None

    def _prepare(self, statement: Statement) -> _Prepared:
        # Keyed by identity and holding the statement, so a statement run once per day of
        # a loop is compiled once.
        found = self._prepared.get(id(statement))
        if found is None:
            found = (statement, _Prepared(statement))
            self._prepared[id(statement)] = found
        return found[1]

    def iterate(self, statement: Statement, params: Params | None = None) -> Iterator[Record]:
        """The rows of `statement`, fetched as they are consumed."""
        for batch in self.batches(statement, params):
            yield from batch

    def batches(
        self, statement: Statement, params: Params | None = None, size: int = BATCH
    ) -> Iterator[list[Record]]:
        """The rows of `statement` in lists of up to `size`, fetched as they are consumed."""
        if self._dbapi is not None:
            prepared = self._prepare(statement)
            cursor = self._dbapi.cursor()
            try:
                cursor.execute(prepared.sql, prepared.params(params))
                while batch := cursor.fetchmany(size):
                    yield batch
            finally:
                cursor.close()
            return
        result = self.conn.execution_options(yield_per=size).execute(statement, params or {})
        try:
            for partition in result.partitions():
                yield [tuple(row) for row in partition]
        finally:
            result.close()

    def rows(self, statement: Statement, params: Params | None = None) -> list[Record]:
        """All rows of `statement`."""
        if self._dbapi is not None:
            prepared = self._prepare(statement)
            cursor = self._dbapi.cursor()
            try:
                cursor.execute(prepared.sql, prepared.params(params))
                return list(cursor.fetchall())
            finally:
                cursor.close()
        return [tuple(row) for row in self.conn.execute(statement, params or {})]

    def one(self, statement: Statement, params: Params | None = None) -> Record:
        """The first row of `statement`."""
        return self.rows(statement, params)[0]


@contextmanager
def read_snapshot(engine: Engine) -> Iterator[Snapshot]:
    """A `Snapshot` on a pooled connection, released (rolled back) afterwards."""
    with engine.connect() as conn:
        if engine.dialect.name != "sqlite":
            reading = conn.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            transaction = reading.begin()
            try:
                yield Snapshot(reading)
            finally:
                transaction.rollback()
            return
        dbapi = conn.connection
        begin = dbapi.cursor()
        begin.execute("BEGIN DEFERRED")
        begin.close()
        try:
            yield Snapshot(conn, dbapi)
        finally:
            end = dbapi.cursor()
            end.execute("ROLLBACK")
            end.close()
