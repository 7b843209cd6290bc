"""The journal through the real CLI (`run(argv)` in the test process) on a real SQLite file."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import CLI, DATA, EXAMPLE

pytestmark = pytest.mark.engines


def test_import_example(cli: CLI) -> None:
    run = cli("--json", "import", str(EXAMPLE))
    assert run.code == 0, run.err
    [imported] = run.json()["imported"]
    assert imported == {
        "date": "2022-01-24",
        "status": "new",
        "category": "Pytorch",
        "lectures": 3,
        "tasks": 2,
        "path": str(EXAMPLE),
    }
    export = cli("export", "--format", "json").json()
    [entry] = export["entries"]
    assert entry["lectures"] == [
        {"number": 1, "title": "Introduction to Pytorch"},
        {"number": 2, "title": "Pytorch Basics"},
        {"number": 3, "title": "Pytorch 프로젝트 구조 이해하기"},
    ]
    assert entry["markdown"].encode("utf-8") == EXAMPLE.read_bytes()
    assert [(t["text"], t["due"], t["done"]) for t in export["tasks"]] == [
        ("Pytorch 4강 5강 듣고 기본과제 풀기", "2022-01-25", False),
        ("코딩 기본과제 풀기", "2022-01-25", False),
    ]


def test_reimport_updates_instead_of_duplicating(cli: CLI, tmp_path: Path) -> None:
    copy = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, copy)
    assert cli("import", str(copy)).code == 0
    again = cli("import", str(copy))
    assert "0 new, 0 updated, 1 unchanged, 0 failed" in again.out
    copy.write_text(EXAMPLE.read_text(encoding="utf-8").replace("너무 졸렸다", "조금 졸렸다"))
    edited = cli("--json", "import", str(copy)).json()
    assert edited["imported"][0]["status"] == "updated"
    export = cli("export").json()
    assert len(export["entries"]) == 1
    assert len(export["tasks"]) == 2
    assert "조금 졸렸다" in export["entries"][0]["markdown"]


def test_heading_entry_tasks_keep_done_state(cli: CLI) -> None:
    assert cli("import", str(DATA / "2022-02-03-heading.md")).code == 0
    tasks = cli("export").json()["tasks"]
    assert [(t["text"], t["done"], t["due"]) for t in tasks] == [
        ("Finish the tuning assignment", True, "2022-02-04"),
        ("Read the Ray Tune docs", False, "2022-02-04"),
        ("Profile the data loader", False, "2022-02-04"),
    ]


def test_search_korean_and_english(cli: CLI) -> None:
    cli("import", str(EXAMPLE), str(DATA / "2022-02-03-heading.md"))
    korean = cli("search", "파이토치")
    assert korean.code == 0
    assert korean.out.startswith("2022-01-24  Pytorch")
    assert "파이토치" in korean.out
    assert [h["date"] for h in cli("search", "Ray Tune", "--json").json()] == ["2022-02-03"]
    assert [h["date"] for h in cli("--json", "search", "계획").json()] == ["2022-01-24"]
    assert [h["date"] for h in cli("--json", "search", "pytorch").json()] == [
        "2022-02-03",
        "2022-01-24",
    ]
    missing = cli("search", "텐서플로우")
    assert missing.code == 1
    assert missing.out == ""


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "2022-01-30-empty.md"
    empty.write_text("")
    latin = tmp_path / "2022-01-31-latin1.md"
    latin.write_bytes("## Review\n\ncaf\xe9\n".encode("latin-1"))
    bad_date = tmp_path / "bad-date.md"
    bad_date.write_text("## Spec\n\nDate : 22.13.45\n")
    return {
        "empty": (empty, "empty entry"),
        "latin": (latin, "not UTF-8 text"),
        "date": (bad_date, "impossible date '22.13.45'"),
        "missing": (tmp_path / "nope.md", "no such file or folder"),
    }


@pytest.mark.parametrize("case", ["empty", "latin", "date", "missing"])
def test_bad_input_is_one_line_and_changes_nothing(cli: CLI, tmp_path: Path, case: str) -> None:
    assert cli("import", str(EXAMPLE)).code == 0
    before = cli("export").out
    path, message = _bad_files(tmp_path)[case]
    run = cli("import", str(path))
    assert run.code != 0
    assert "Traceback" not in run.err
    [line] = run.err.strip().splitlines()
    assert line.startswith(f"studylog: error: {path}: ")
    assert message in line
    assert cli("export").out == before


def test_folder_import_reports_bad_files_and_imports_the_rest(cli: CLI, tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    nested = folder / "2022" / "01"
    nested.mkdir(parents=True)
    shutil.copy(EXAMPLE, nested / EXAMPLE.name)
    shutil.copy(DATA / "2022-02-03-heading.md", folder / "2022-02-03-heading.md")
    for path, _ in list(_bad_files(folder).values())[:3]:
        path.touch()
    (folder / "2022-01-30-empty.md").write_text("")
    (folder / "2022-01-31-latin1.md").write_bytes(b"caf\xe9")
    (folder / "bad-date.md").write_text("Date : 22.13.45\n")
    run = cli("--json", "import", str(folder))
    assert run.code == 1
    report = run.json()
    assert sorted(i["date"] for i in report["imported"]) == ["2022-01-24", "2022-02-03"]
    assert sorted(Path(f["path"]).name for f in report["failed"]) == [
        "2022-01-30-empty.md",
        "2022-01-31-latin1.md",
        "bad-date.md",
    ]
    assert len(run.err.strip().splitlines()) == 3
    assert "Traceback" not in run.err


@pytest.mark.engines("sqlite")  # reads the SQLite file's pragmas
def test_database_is_wal_with_schema_version(cli: CLI, db: str) -> None:
    cli("import", str(EXAMPLE))
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


@pytest.mark.engines("sqlite")  # a --db path of its own
def test_db_path_that_is_a_folder_is_a_clear_error(cli: CLI, tmp_path: Path) -> None:
    run = cli("--db", str(tmp_path), "search", "x")
    assert run.code == 1
    assert run.err.strip() == f"studylog: error: {tmp_path}: is a directory, not a database file"


def test_bad_now_is_a_clear_error(cli: CLI) -> None:
    run = cli("--now", "yesterday", "search", "x")
    assert run.code == 1
    assert run.err.strip() == "studylog: error: --now 'yesterday': not an ISO date or datetime"
