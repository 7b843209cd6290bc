"""Schema versions. `PRAGMA user_version` records how far a database has been migrated.

Each step runs in its own transaction, so a database is always at one exact version.
Add a step to `STEPS` for every schema change; never edit a step that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, text

from studylog.errors import StudylogError
from studylog.store.schema import SCHEMA_VERSION
from studylog.store.tables import (
    CardRow,
    EntryRevisionRow,
    EntryRow,
    EntryTopicRow,
    LectureRow,
    ReviewRow,
    SettingRow,
    TaskRow,
    table_of,
)


def _v1_journal(conn: Connection) -> None:
    for table in (EntryRow, EntryRevisionRow, LectureRow, TaskRow):
        table_of(table).create(conn, checkfirst=True)
    # Trigram tokens make any 3+ character substring searchable, which is what Korean needs:
    # words carry particles (파이토치는, 파이토치를) that a word tokenizer would not split off.
    conn.execute(
        text(
            "CREATE VIRTUAL TABLE entry_fts USING fts5("
            "markdown, content='entry', content_rowid='id', tokenize='trigram')"
        )
    )
    for statement in (
        "CREATE TRIGGER entry_fts_insert AFTER INSERT ON entry BEGIN "
        "INSERT INTO entry_fts(rowid, markdown) VALUES (new.id, new.markdown); END",
        "CREATE TRIGGER entry_fts_delete AFTER DELETE ON entry BEGIN "
        "INSERT INTO entry_fts(entry_fts, rowid, markdown) "
        "VALUES ('delete', old.id, old.markdown); END",
        "CREATE TRIGGER entry_fts_update AFTER UPDATE OF markdown ON entry BEGIN "
        "INSERT INTO entry_fts(entry_fts, rowid, markdown) "
        "VALUES ('delete', old.id, old.markdown); "
        "INSERT INTO entry_fts(rowid, markdown) VALUES (new.id, new.markdown); END",
    ):
        conn.execute(text(statement))


def _v2_cards(conn: Connection) -> None:
    for table in (EntryTopicRow, CardRow, ReviewRow, SettingRow):
        table_of(table).create(conn, checkfirst=True)
    # The queue asks for due cards by state, and stats walk reviews by time.
    conn.execute(text("CREATE INDEX ix_card_state_due ON card (state, due)"))
    # Carried-over plans look up open tasks by text on every entry saved.
    conn.execute(text("CREATE INDEX ix_task_open_text ON task (done, text)"))
    conn.execute(text("CREATE INDEX ix_card_new ON card (reps, entry_id)"))
    # (Re)learning cards due now, without walking the new cards, which share state 1.
    conn.execute(text("CREATE INDEX ix_card_learning ON card (state, reps, due)"))
    conn.execute(text("CREATE INDEX ix_review_card_time ON review (card_id, reviewed_at)"))
    # Covering indexes for the stats, so that each pass over a large review log is one
    # ordered index walk with no row look-ups and no sort (benchmarks/bench_stats_export.py):
    # reviews per learning day take one range of the first per day; true retention groups
    # the second by card; calibration groups the third by its bin (the expression is
    # studylog.services.stats.RECALL_BIN, and must stay the same text).
    for statement in (
        "CREATE INDEX ix_review_time_duration ON review (reviewed_at, duration_ms)",
        "CREATE INDEX ix_review_firsts ON review (state_before, card_id, reviewed_at, rating)",
        "CREATE INDEX ix_review_recall ON review "
        "(min(CAST(retrievability * 10 AS INTEGER), 9), retrievability, rating)",
    ):
        conn.execute(text(statement))


def _add_column(conn: Connection, table: str, column: str, ddl: str) -> None:
    # A database made at v0 got every column from today's model in its first steps; older
    # ones need the column added.
    columns = {row[1] for row in conn.execute(text(f"PRAGMA table_info({table})"))}
    if column not in columns:
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}"))


def _v3_task_closed_by(conn: Connection) -> None:
    _add_column(conn, "task", "closed_by", "INTEGER REFERENCES entry (id) ON DELETE SET NULL")


def _v4_review_device(conn: Connection) -> None:
    _add_column(conn, "review", "device", "TEXT")


STEPS: tuple[Callable[[Connection], None], ...] = (
    _v1_journal,
    _v2_cards,
    _v3_task_closed_by,
    _v4_review_device,
)
if len(STEPS) != SCHEMA_VERSION:
    raise RuntimeError(f"{len(STEPS)} migration steps, but store.schema says {SCHEMA_VERSION}")


def schema_version(conn: Connection) -> int:
    """The version a database is at (0 for a new file)."""
    return int(conn.execute(text("PRAGMA user_version")).scalar_one())


def migrate(engine: Engine) -> None:
    """Bring the database up to SCHEMA_VERSION, one transaction per step."""
    with engine.connect() as conn:
        current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise StudylogError(
            f"database schema {current} is newer than this studylog ({SCHEMA_VERSION}); upgrade"
        )
    for version in range(current, SCHEMA_VERSION):
        with engine.begin() as conn:
            STEPS[version](conn)
            conn.execute(text(f"PRAGMA user_version={version + 1}"))
