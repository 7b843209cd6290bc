"""Opening the database, migrated to the current schema: a SQLite file (WAL, a busy
timeout, foreign keys, BEGIN IMMEDIATE) or a PostgreSQL database through psycopg 3."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlmodel import create_engine

from studylog.errors import StudylogError, one_line
from studylog.paths import DatabaseTarget, ServerDatabase
from studylog.store.health import describe_failure
from studylog.store.migrations import migrate

BUSY_TIMEOUT_MS = 5000


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # pysqlite's own transaction handling is disabled so that SQLAlchemy's BEGIN is the
    # only one; WAL lets the TUI read while a CLI command writes.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock up front, so two writers wait on the busy timeout
    # instead of failing halfway through a transaction.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def open_engine(target: DatabaseTarget) -> Engine:
    """An engine on `target`, created if need be and migrated to the current schema."""
    engine = _server_engine(target) if isinstance(target, ServerDatabase) else _file_engine(target)
    try:
        migrate(engine)
    except Exception as err:
        engine.dispose()
        if isinstance(err, StudylogError):
            raise
        message = f"not a usable studylog database: {one_line(err)}"
        raise StudylogError(describe_failure(target, message)) from None
    return engine


def _file_engine(path: Path) -> Engine:
    if path.exists() and path.is_dir():
        raise StudylogError(f"{path}: is a directory, not a database file")
    if path.is_file() and path.stat().st_size == 0:
        # SQLite would take an empty file for a new database; one that was emptied by
        # accident must not silently become an empty journal.
        raise StudylogError(describe_failure(path, "the file is empty, not a database"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StudylogError(
            f"{path.parent}: cannot create the data folder ({err.strerror})"
        ) from None
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _server_engine(database: ServerDatabase) -> Engine:
    # psycopg logs a warning for each statement a failed pipeline dropped; a transaction
    # that fails so is run again (store.transactions), so they are no news for the
    # learner's terminal, which Python's last-resort handler would print them to.
    logging.getLogger("psycopg").addHandler(logging.NullHandler())
    try:
        import psycopg  # noqa: F401  (only to say what is missing, before SQLAlchemy does)
    except ImportError:
        raise StudylogError(
            f"{database}: PostgreSQL needs psycopg 3 (pip install 'studylog[postgresql]')"
        ) from None
    engine = create_engine(database.sqlalchemy_url)
    try:
        engine.connect().close()
    except Exception as err:
        engine.dispose()
        raise StudylogError(f"{database}: cannot connect ({one_line(err)})") from None
    return engine


def raw_connection(conn: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under `conn`, for the plain queries of `reader`."""
    raw = conn.connection.dbapi_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw
