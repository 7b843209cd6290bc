"""`doctor` names the schema version on both engines, and says when there is no journal."""

from __future__ import annotations

from pathlib import Path

import pytest

from studylog.store.schema import SCHEMA_VERSION
from tests.conftest import CLI

pytestmark = pytest.mark.engines


def test_doctor_reports_the_schema_version(cli: CLI, db: str) -> None:
    assert cli("entries").code == 0  # creates and migrates the database
    run = cli("doctor")
    assert (run.code, run.err) == (0, "")
    assert run.out == f"{db}: sound (schema version {SCHEMA_VERSION} of {SCHEMA_VERSION})\n"
    report = cli("--json", "doctor").json()
    assert (report["sound"], report["schema_version"], report["problem"]) == (
        True,
        SCHEMA_VERSION,
        None,
    )


def test_doctor_on_a_database_that_is_not_there_fails_in_one_line(
    cli: CLI, db: str, tmp_path: Path
) -> None:
    if "://" in db:
        from tests.pg_databases import database_url

        missing = database_url(db, "sltest_no_such_database")
        said = "cannot connect ("
    else:
        missing = str(tmp_path / "missing.db")
        said = "damaged (no such database file)"
    run = cli("--db", missing, "doctor")
    assert run.code == 1
    assert run.err.count("\n") == 1 and run.err.startswith(f"studylog: error: {missing}: {said}")
