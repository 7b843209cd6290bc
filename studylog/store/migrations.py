"""Schema versions, as Alembic revisions (`studylog.store.revisions`).

Version N is revision "000N"; each revision's DDL is written out in its own file and never
edited once shipped, so "version 2" means the same on every machine. A SQLite file from
before Alembic recorded its version only in `PRAGMA user_version`: it is stamped at that
revision, then upgraded in place. The revisions keep `user_version` in step on SQLite, so
the quick readers (`studylog.store.reader`) and an up-to-date database skip Alembic.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from studylog.errors import StudylogError
from studylog.store.schema import SCHEMA_VERSION

REVISIONS = Path(__file__).parent / "revisions"
VERSION_TABLE = "alembic_version"


def revision_id(version: int) -> str:
    """The Alembic revision of schema `version`."""
    return f"{version:04d}"


def _alembic_version(conn: Connection) -> int | None:
    """The version Alembic's table records, or None where there is no such table."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    found = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    return 0 if found is None else int(found)


def schema_version(conn: Connection) -> int:
    """The version a database is at (0 for a new one)."""
    if conn.dialect.name == "sqlite":
        return int(conn.execute(text("PRAGMA user_version")).scalar_one())
    return _alembic_version(conn) or 0


def migrate(engine: Engine) -> None:
    """Bring the database up to SCHEMA_VERSION, one transaction per revision."""
    with engine.connect() as conn:
        current = schema_version(conn)
        stamped = _alembic_version(conn) if current < SCHEMA_VERSION else current
    if current > SCHEMA_VERSION:
        raise StudylogError(
            f"database schema {current} is newer than this studylog ({SCHEMA_VERSION}); upgrade"
        )
    if current == SCHEMA_VERSION:
        return
    # Alembic is imported only when there is something to do.
    from alembic import command
    from alembic.config import Config

    with engine.connect() as conn:
        config = Config()
        config.set_main_option("script_location", str(REVISIONS))
        config.attributes["connection"] = conn
        if stamped is None and current > 0:
            command.stamp(config, revision_id(current))
        command.upgrade(config, revision_id(SCHEMA_VERSION))
