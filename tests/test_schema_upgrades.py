"""A database written by each earlier release upgrades in place, with nothing lost, and the
schema the migrations make is the one the tables describe."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import DateTime
from sqlalchemy.types import TypeEngine

from studylog.paths import DatabaseTarget
from studylog.store.engine import open_engine
from studylog.store.migrations import REVISIONS
from studylog.store.revisions.versions.r0005_aware_times import INSTANTS
from studylog.store.schema import SCHEMA_VERSION
from studylog.store.tables import METADATA
from studylog.store.types import UtcDateTime
from tests.conftest import CLI

RELEASES = Path(__file__).parent / "releases"
RELEASED = sorted(int(path.stem[1:]) for path in RELEASES.glob("v*.db"))
# SQLite's own tables and the FTS5 index (kept by triggers) are no tables of the models.
_NOT_MODELLED = ("sqlite_", "entry_fts", "alembic_version")


def _tables(conn: sqlite3.Connection) -> list[str]:
    names = [row[0] for row in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")]
    return sorted(name for name in names if not name.startswith(_NOT_MODELLED))


def _contents(db: Path) -> dict[str, list[dict[str, object]]]:
    """Every row of every table, as column → value, in rowid order."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return {
            table: [dict(row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid")]
            for table in _tables(conn)
        }
    finally:
        conn.close()


def _with_offset(table: str, row: dict[str, object]) -> dict[str, object]:
    """`row` as schema 5 writes it: every instant with its UTC offset."""
    return {
        column: f"{value}+00:00" if column in INSTANTS.get(table, ()) and value else value
        for column, value in row.items()
    }


def _copy(version: int, db: Path) -> Path:
    shutil.copyfile(RELEASES / f"v{version}.db", db)
    return db


def test_every_earlier_schema_version_has_a_release_file() -> None:
    assert list(range(1, SCHEMA_VERSION)) == RELEASED


@pytest.mark.parametrize("version", RELEASED)
def test_a_release_database_upgrades_in_place_with_nothing_lost(
    version: int, cli: CLI, db: Path
) -> None:
    before = _contents(_copy(version, db))
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version

    found = f"schema version {version} of 5; the next command upgrades it in place"
    assert cli("doctor").out == f"{db}: sound ({found})\n"

    assert cli("entries").code == 0

    assert cli("doctor").out == f"{db}: sound (schema version 5 of 5)\n"
    after = _contents(db)
    assert set(after) >= set(before)
    for table, rows in before.items():
        kept = [{column: row[column] for column in rows[0]} for row in after[table]] if rows else []
        assert kept == [_with_offset(table, row) for row in rows], table
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0005",)]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    # The search index came through too.
    assert cli("search", "파이토치").out.startswith("2022-01-24")


def test_a_schema_1_plan_is_closed_by_lectures_recorded_after_the_upgrade(
    cli: CLI, db: Path, tmp_path: Path
) -> None:
    _copy(1, db)
    later = tmp_path / "2022-01-25.md"
    lectures = "".join(f"Lecture : {n}\n\nTitle : Lecture {n}\n\n" for n in (4, 5))
    later.write_text(
        f"## Spec\n\nDate : 22.01.25\n\nCategory : Pytorch\n\n{lectures}## Review\n\nok\n",
        encoding="utf-8",
    )
    assert cli("import", str(later)).code == 0
    tasks = {t["text"]: t for t in cli("--json", "tasks", "--all").json()}
    plan = tasks["Pytorch 4강 5강 듣고 기본과제 풀기"]
    assert plan["closed"] == "closed by 2022-01-25: lectures 4, 5 recorded"


def test_a_review_from_before_devices_is_still_the_callers_to_undo(cli: CLI, db: Path) -> None:
    _copy(3, db)
    undone = cli("--json", "undo")
    assert undone.code == 0, undone.err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT card_id, rating FROM review").fetchall() == [(1, 1)]


def _modelled(obj: object, name: str | None, kind: str, reflected: bool, other: object) -> bool:
    """Whether compare_metadata looks at `name`: not at the FTS5 tables (kept by triggers),
    nor at ix_review_recall, an expression index made by the revision alone, nor at foreign
    keys, whose ON DELETE SQLAlchemy cannot read back from a column SQLite added by ALTER
    TABLE (`test_every_foreign_key_deletes_as_the_tables_say` checks them instead)."""
    if kind == "foreign_key_constraint":
        return False
    return not (name or "").startswith(_NOT_MODELLED) and name != "ix_review_recall"


def _same_type(
    context: object,
    inspected: object,
    metadata: object,
    inspected_type: TypeEngine[object],
    metadata_type: TypeEngine[object],
) -> bool | None:
    """An instant column is DATETIME on SQLite and timestamptz on PostgreSQL: what
    UtcDateTime stores there; anything else is compared as Alembic does."""
    if isinstance(metadata_type, UtcDateTime):
        return not isinstance(inspected_type, DateTime)
    return None


def _differences(target: DatabaseTarget) -> list[object]:
    engine = open_engine(target)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": _modelled, "compare_type": _same_type}
            )
            return list(compare_metadata(context, METADATA))
    finally:
        engine.dispose()


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_the_migrated_schema_is_the_one_the_tables_describe(db: Path) -> None:
    assert _differences(db) == []


def test_every_foreign_key_deletes_as_the_tables_say(db: Path) -> None:
    open_engine(db).dispose()
    expected = {
        (table.name, fk.parent.name, fk.column.table.name, fk.ondelete)
        for table in METADATA.tables.values()
        for fk in table.foreign_keys
    }
    conn = sqlite3.connect(db)
    try:
        found = {
            (table, row[3], row[2], row[6])
            for table in _tables(conn)
            for row in conn.execute(f"PRAGMA foreign_key_list({table})")
        }
    finally:
        conn.close()
    assert found == expected


def test_the_newest_revision_is_the_schema_version() -> None:
    newest = max(path.name for path in (REVISIONS / "versions").glob("r0*.py"))
    assert newest.startswith(f"r{SCHEMA_VERSION:04d}_")
