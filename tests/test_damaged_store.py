"""A damaged, truncated, empty or foreign database file: one line naming the file and what
to do from every command, never a traceback; `doctor` tells sound from damaged."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from studylog.store.schema import SCHEMA_VERSION
from tests.conftest import CLI, EXAMPLE

COMMANDS = (
    ["cards", "list"],
    ["stats", "--json"],
    ["due"],
    ["export"],
    ["import", str(EXAMPLE)],
    ["review", "1", "x", "--rating", "good"],
)


def _damage_card_table(db: Path) -> None:
    """Overwrite the card table's root page, in the middle of the file, with garbage."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'card'").fetchone()[0]
    conn.close()
    assert 1 < root < pages
    with db.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\x0d\xff\xff\xff\xff\xff\xff\xff" * 64)


def test_a_damaged_page_gets_one_line_from_every_command(cli: CLI, db: Path) -> None:
    assert cli("import", str(EXAMPLE)).code == 0
    version = f"{SCHEMA_VERSION} of {SCHEMA_VERSION}"
    assert cli("doctor").out == f"{db}: sound (schema version {version})\n"
    _damage_card_table(db)

    for command in (*COMMANDS, ["doctor"]):
        run = cli(*command)
        assert run.code == 1, command
        assert run.err.count("\n") == 1 and "Traceback" not in run.err, (command, run.err)
        assert run.err.startswith(f"studylog: error: {db}: "), run.err
        assert "restore from an export" in run.err


@pytest.mark.parametrize(
    "content",
    [b"", b"SQLite format 3\x00" + b"\x10\x00" * 40, b"hello, not a database\n" * 200],
    ids=["empty", "truncated", "not-a-database"],
)
def test_a_file_that_is_no_database_is_refused_in_one_line(
    cli: CLI, db: Path, content: bytes
) -> None:
    db.write_bytes(content)
    for command in (*COMMANDS, ["doctor"]):
        run = cli(*command)
        assert run.code == 1, command
        assert run.err.count("\n") == 1 and "Traceback" not in run.err, (command, run.err)
        assert run.err.startswith(f"studylog: error: {db}: "), run.err
        assert "restore from an export" in run.err
    assert db.read_bytes() == content
