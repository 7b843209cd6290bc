"""Telling a damaged database file from a sound one, and saying what to do about it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from studylog.paths import DatabaseTarget, ServerDatabase
from studylog.store.schema import SCHEMA_VERSION

RESTORE_HINT = "restore from an export (`studylog --db NEW.db import backup.json`)"
# sqlite3's messages for a file that is not, or no longer, a sound database.
_DAMAGE_WORDS = ("malformed", "not a database", "corrupt", "disk i/o error")


def _is_damage(message: str) -> bool:
    """Whether SQLite's `message` says the file itself is damaged."""
    lowered = message.lower()
    return any(word in lowered for word in _DAMAGE_WORDS)


def describe_failure(target: DatabaseTarget, message: str) -> str:
    """One line for a database error: the database, the engine's words, and what to do."""
    if _is_damage(message):
        return f"{target}: the database is damaged ({message}); {RESTORE_HINT}"
    return f"{target}: {message}"


@dataclass(frozen=True)
class Health:
    """What the engine's check found in one database: `PRAGMA integrity_check` on SQLite;
    on PostgreSQL, that every table can be read."""

    path: DatabaseTarget
    sound: bool
    schema_version: int | None
    problem: str | None
    # The server could not be reached: nothing is known of the data, so no restore is due.
    unreachable: bool = False

    def describe(self) -> str:
        """One line for the learner."""
        if self.unreachable:
            return f"{self.path}: cannot connect ({self.problem})"
        version = f"schema version {self.schema_version} of {SCHEMA_VERSION}"
        if self.sound:
            behind = self.schema_version is not None and self.schema_version < SCHEMA_VERSION
            upgrade = "; the next command upgrades it in place" if behind else ""
            return f"{self.path}: sound ({version}{upgrade})"
        where = f"; {version}" if self.schema_version is not None else ""
        return f"{self.path}: damaged ({self.problem}{where}); {RESTORE_HINT}"


def check_health(target: DatabaseTarget) -> Health:
    """Check the database at `target` without creating or migrating anything."""
    if isinstance(target, ServerDatabase):
        return _check_server(target)
    return _check_file(target)


def _check_server(database: ServerDatabase) -> Health:
    # SQLAlchemy only here: the SQLite check stays a plain-sqlite3 one.
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    from studylog.errors import one_line
    from studylog.store.migrations import schema_version
    from studylog.store.tables import METADATA

    engine = create_engine(database.sqlalchemy_url)
    try:
        with engine.connect() as conn:
            version = schema_version(conn)
            if version == 0:
                return Health(database, False, None, "no studylog schema in this database")
            present = set(inspect(conn).get_table_names())
            missing = sorted(set(METADATA.tables) - present)
            if missing:
                return Health(database, False, version, f"missing tables: {', '.join(missing)}")
            for table in sorted(METADATA.tables):
                conn.execute(text(f"SELECT count(*) FROM {table}"))
    except OperationalError as err:
        return Health(database, False, None, one_line(err), unreachable=True)
    except SQLAlchemyError as err:
        return Health(database, False, None, one_line(err))
    finally:
        engine.dispose()
    return Health(database, True, version, None)


def _check_file(path: Path) -> Health:
    if not path.is_file():
        return Health(path, False, None, "no such database file")
    if path.stat().st_size == 0:
        return Health(path, False, None, "the file is empty")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as err:
        return Health(path, False, None, str(err))
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        findings = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.Error as err:
        return Health(path, False, None, str(err))
    finally:
        conn.close()
    if findings != ["ok"]:
        extra = f" and {len(findings) - 1} more" if len(findings) > 1 else ""
        return Health(path, False, version, findings[0] + extra)
    return Health(path, True, version, None)
