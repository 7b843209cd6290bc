"""A second file for a day that already has an entry from another file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import CLI, EXAMPLE

pytestmark = pytest.mark.engines

SECOND = "# Autograd\n\n`loss.backward()` fills `.grad`.\n"


def _two_files(tmp_path: Path) -> tuple[Path, Path]:
    first = tmp_path / "a" / EXAMPLE.name
    first.parent.mkdir()
    first.write_bytes(EXAMPLE.read_bytes())
    second = tmp_path / "b.md"
    second.write_text(SECOND, encoding="utf-8")
    return first, second


def _revisions(db: str) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("SELECT markdown FROM entry_revision ORDER BY id")]
    finally:
        conn.close()


def test_second_file_is_refused_naming_both(cli: CLI, tmp_path: Path) -> None:
    first, second = _two_files(tmp_path)
    assert cli("import", str(first)).code == 0
    before = cli("export").json()
    run = cli("import", "--date", "2022-01-24", str(second))
    assert run.code == 1
    assert run.err.strip() == (
        f"studylog: error: {second}: 2022-01-24 already has an entry, from {first}; "
        "use --append to add this text to it or --replace to replace it"
    )
    after = cli("export").json()
    assert after["entries"] == before["entries"]
    assert after["cards"] == before["cards"]


def test_two_files_for_a_day_in_one_import(cli: CLI, tmp_path: Path) -> None:
    first, second = _two_files(tmp_path)
    run = cli("--json", "import", "--date", "2022-01-24", str(first), str(second))
    assert run.code == 1
    assert [i["path"] for i in run.json()["imported"]] == [str(first)]
    assert [f["path"] for f in run.json()["failed"]] == [str(second)]


@pytest.mark.engines("sqlite")  # reads entry_revision from the SQLite file
def test_append_keeps_both_texts_in_order(cli: CLI, db: str, tmp_path: Path) -> None:
    first, second = _two_files(tmp_path)
    assert cli("import", str(first)).code == 0
    run = cli("import", "--append", "--date", "2022-01-24", str(second))
    assert run.code == 0, run.err
    assert "updated 2022-01-24 Pytorch: 3 lectures, 2 tasks" in run.out
    [entry] = cli("export").json()["entries"]
    assert entry["markdown"] == EXAMPLE.read_text(encoding="utf-8") + "\n" + SECOND
    assert _revisions(db) == [EXAMPLE.read_text(encoding="utf-8")]
    # The first file imported again is still that day's own file.
    assert cli("import", str(first)).code == 0


@pytest.mark.engines("sqlite")  # reads entry_revision from the SQLite file
def test_replace_keeps_the_old_text_as_a_revision(cli: CLI, db: str, tmp_path: Path) -> None:
    first, second = _two_files(tmp_path)
    assert cli("import", str(first)).code == 0
    run = cli("import", "--replace", "--date", "2022-01-24", str(second))
    assert run.code == 0, run.err
    [entry] = cli("export").json()["entries"]
    assert entry["markdown"] == SECOND
    assert _revisions(db) == [EXAMPLE.read_text(encoding="utf-8")]
    # The day is now the second file's: importing it again is an update, not a conflict.
    assert cli("import", "--date", "2022-01-24", str(second)).code == 0
    assert cli("import", str(first)).code == 1


def test_append_and_replace_exclude_each_other(cli: CLI, tmp_path: Path) -> None:
    run = cli("import", "--append", "--replace", str(EXAMPLE))
    assert run.code == 2
    assert "not allowed with argument" in run.err
