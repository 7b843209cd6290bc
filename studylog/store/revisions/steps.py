"""What several revisions do: keep SQLite's `user_version` in step, and add a column that a
database made by an early release may already have."""

import sqlalchemy as sa
from alembic import op


def set_user_version(version: int) -> None:
    """Record `version` in SQLite's header too, where the quick plain-sqlite3 readers
    (`studylog.store.reader`) look for it without asking Alembic."""
    if op.get_context().dialect.name == "sqlite":
        op.execute(f"PRAGMA user_version={version}")


def add_column_if_missing(table: str, column: str, ddl: str) -> None:
    """`ALTER TABLE table ADD COLUMN column ddl`, unless `table` has the column: releases
    before schema 3 created their tables from the models of their day, so a file first
    made then may hold later columns. The DDL is text both engines read (Alembic's own
    add_column cannot add a foreign key on SQLite)."""
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}
    if column not in present:
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}")
