"""`search` and `entries` read with plain sqlite3: they see only committed writes (WAL),
never wait for a writer, refuse a newer schema in one line, and leave a database that must
be created first to the engine."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from studylog.store.schema import SCHEMA_VERSION
from tests.conftest import CLI, EXAMPLE


def test_search_sees_committed_writes_only_and_never_waits(cli: CLI, db: Path) -> None:
    assert cli("import", str(EXAMPLE)).code == 0
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE entry SET markdown = markdown || '\n\n새로운단어 메모\n'")
    pending = cli("search", "새로운단어")
    assert (pending.code, pending.out) == (1, "")  # not yet committed, and not blocked
    assert cli("entries").out.startswith("2022-01-24  Pytorch")
    writer.execute("COMMIT")
    writer.close()
    found = cli("search", "새로운단어")
    assert found.code == 0
    assert found.out.startswith("2022-01-24  Pytorch  새로운단어 메모")


def test_a_newer_schema_is_refused_in_one_line(cli: CLI, db: Path) -> None:
    assert cli("import", str(EXAMPLE)).code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 99")
    for args in (["search", "텐서"], ["entries"], ["check", "1", "x"]):
        run = cli(*args)
        assert run.code == 1
        assert (
            run.err == "studylog: error: database schema 99 is newer than this studylog "
            f"({SCHEMA_VERSION}); upgrade\n"
        )


def test_a_new_database_is_created_by_the_engine(cli: CLI, db: Path) -> None:
    assert not db.exists()
    assert cli("entries").code == 0
    assert db.exists()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    nothing = cli("search", "텐서")
    assert (nothing.code, nothing.out) == (1, "")
