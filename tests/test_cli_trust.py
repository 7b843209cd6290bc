"""The CLI as a new learner meets it: a mistyped --db, a damaged file, the demo journal,
the predict expression on every front, and no silent empty output (issue 17)."""

from __future__ import annotations

import datetime as dt
import html
import sqlite3
import zipfile
from pathlib import Path

from tests.conftest import CLI, EXAMPLE

NOW = "2026-03-10T09:00:00+00:00"  # any day: the demo is dated relative to it


def test_a_missing_db_folder_is_an_error_except_for_import_and_demo(
    cli: CLI, tmp_path: Path
) -> None:
    missing = tmp_path / "no" / "such" / "x.db"
    for command in (("tasks",), ("entries",), ("stats",)):
        run = cli("--db", str(missing), *command)
        assert run.code == 1 and run.out == ""
        assert run.err == (
            f"studylog: error: {missing}: the folder {missing.parent} does not exist "
            "(only import and demo create it)\n"
        )
    assert not (tmp_path / "no").exists()
    made = cli("--db", str(missing), "demo")
    assert made.code == 0, made.err
    assert missing.is_file()
    imported = cli("--db", str(tmp_path / "new" / "y.db"), "import", str(EXAMPLE))
    assert imported.code == 0, imported.err


def test_a_url_of_another_engine_is_refused_in_one_line(cli: CLI, tmp_path: Path) -> None:
    run = cli("--db", "mysql://learner:secret@localhost/studylog", "tasks")
    assert run.code == 1
    assert run.err == (
        "studylog: error: mysql://…: not a database studylog can use "
        "(a SQLite file path, or a postgresql:// URL)\n"
    )
    assert not list(tmp_path.glob("mysql*")) and not Path("mysql:").exists()


def test_a_server_that_is_not_there_is_one_line_without_the_password(
    cli: CLI, tmp_path: Path
) -> None:
    url = f"postgresql://learner:secret@/studylog?host={tmp_path / 'no-server'}"
    run = cli("--db", url, "tasks")
    assert run.code == 1
    masked = f"postgresql://learner:***@/studylog?host={tmp_path / 'no-server'}"
    assert run.err.startswith(f"studylog: error: {masked}: cannot connect (")
    assert run.err.count("\n") == 1 and "secret" not in run.err


def test_a_damaged_database_is_one_line_without_a_library_url(cli: CLI, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"not a database, just bytes " * 200)
    for command in (("tasks",), ("stats",), ("demo",)):
        run = cli("--db", str(damaged), *command)
        assert run.code == 1
        assert run.err.count("\n") == 1 and "sqlalche" not in run.err and "http" not in run.err
        assert run.err.startswith(f"studylog: error: {damaged}: ")


def _demo(cli: CLI) -> list[dict[str, object]]:
    assert cli("--now", NOW, "demo").code == 0
    cards: list[dict[str, object]] = cli("cards", "list", "--json").json()
    return cards


def _predict_with_expression_apart(cli: CLI, cards: list[dict[str, object]]) -> dict[str, str]:
    """A predict card whose expression is not already in its setup code."""
    for card in cards:
        if card["kind"] == "predict":
            shown: dict[str, str] = cli("card", "show", str(card["id"]), "--json").json()
            if shown["expr"] not in shown["code"]:
                return shown
    raise AssertionError("the demo has no predict card with a separate expression")


def test_card_show_prints_the_expression_asked_for(cli: CLI) -> None:
    shown = _predict_with_expression_apart(cli, _demo(cli))
    human = cli("card", "show", str(shown["id"]))
    assert human.code == 0
    assert f"    {shown['expr']}" in human.out.splitlines()


def test_the_anki_front_shows_the_expression_asked_for(cli: CLI, tmp_path: Path) -> None:
    shown = _predict_with_expression_apart(cli, _demo(cli))
    out = tmp_path / "deck.apkg"
    assert cli("export", "--format", "apkg", "--out", str(out)).code == 0
    with zipfile.ZipFile(out) as package:
        package.extract("collection.anki2", tmp_path)
    with sqlite3.connect(tmp_path / "collection.anki2") as anki:
        notes = [row[0].split("\x1f") for row in anki.execute("SELECT flds FROM notes")]
    # Fields: front, back, source ("studylog · entry … · card N (key) · seed …").
    (front,) = (fields[0] for fields in notes if f"card {shown['id']} " in fields[2])
    assert html.escape(shown["expr"]) in front


def test_the_demo_journal_is_dated_up_to_yesterday(cli: CLI) -> None:
    _demo(cli)
    today = dt.date.fromisoformat(NOW[:10])
    entries = cli("--now", NOW, "entries", "--json").json()
    days = sorted(dt.date.fromisoformat(e["date"]) for e in entries)
    assert days[-1] == today - dt.timedelta(days=1)
    assert days == [days[-1] - dt.timedelta(days=n) for n in range(len(days) - 1, -1, -1)]
    stats = cli("--now", NOW, "stats")
    assert f"journal streak {len(days)} days" in stats.out
    tasks = cli("--now", NOW, "tasks", "--json").json()
    late = [(today - dt.date.fromisoformat(t["due"])).days for t in tasks]
    assert tasks and max(late) < len(days)
    # The content is the samples' own: only the dates moved.
    shown = cli("--now", NOW, "show", days[0].isoformat()).out
    assert f">Date : {days[0]:%y.%m.%d}" in shown and "Introduction to Pytorch" in shown


def test_one_day_is_singular(cli: CLI) -> None:
    assert cli("import", str(EXAMPLE)).code == 0
    stats = cli("--now", "2022-01-24T12:00:00+00:00", "stats")
    assert "journal streak 1 day\n" in stats.out


def test_search_without_a_match_says_so_and_exits_1(cli: CLI) -> None:
    assert cli("import", str(EXAMPLE)).code == 0
    run = cli("search", "zzzqqq")
    assert (run.code, run.out) == (1, "")
    assert run.err == "no entries match 'zzzqqq'\n"


def test_check_says_wrong_once_and_then_why(cli: CLI) -> None:
    shown = _predict_with_expression_apart(cli, _demo(cli))
    card = str(shown["id"])
    verdict = cli("check", card, "9x9", "--json").json()
    assert not verdict["correct"] and verdict["message"].startswith("Not quite: ")
    human = cli("check", card, "9x9").out.splitlines()
    assert human[0] == "wrong"
    assert "Not quite" not in "\n".join(human)
    assert human[-1] == "  " + verdict["message"].removeprefix("Not quite: ")
