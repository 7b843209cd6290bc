"""`studylog export --format csv|md|apkg` through the real CLI, on one real journal: the
example entry and the demo entries, with a few reviews recorded at fixed times."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CLI, EXAMPLE, make_cli

DEMO = Path(__file__).resolve().parent.parent / "studylog" / "demo"
NOW = "2022-02-01T09:00:00+00:00"
# Learning days 2022-01-29 and 2022-01-30 in any time zone west of UTC+10 (day starts 04:00).
REVIEW_TIMES = (
    "2022-01-29T09:00:00+00:00",
    "2022-01-29T09:20:00+00:00",
    "2022-01-30T10:00:00+00:00",
)


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> CLI:
    """The CLI on a journal with entries, tasks, cards and reviews (built once: the tests
    here only export)."""
    folder = tmp_path_factory.mktemp("journal")
    run = make_cli(folder / "studylog.db", folder / "config.toml")
    imported = run(
        "--now", "2022-01-28T21:00:00+00:00", "import", "--replace", str(EXAMPLE), str(DEMO)
    )
    assert imported.code == 0, imported.err
    cards = run("cards", "list", "--json").json()
    recall = [c["id"] for c in cards if c["kind"] == "recall"][:3]
    assert len(recall) == 3
    for when in REVIEW_TIMES:
        for card_id in recall:
            reviewed = run("--now", when, "review", str(card_id), "x", "--rating", "good")
            assert reviewed.code == 0, reviewed.err
    run("--now", "2022-01-30T10:30:00+00:00", "review", str(recall[0]), "x", "--rating", "again")
    assert run("task", "done", "1").code == 0
    return run


def _card_id(source: str) -> int:
    """The card id an Anki note's Source field names."""
    found = re.search(r"card (\d+) ", source)
    assert found is not None, source
    return int(found.group(1))


def _json_export(run: CLI) -> dict[str, Any]:
    exported = run("--now", NOW, "export", "--format", "json")
    assert exported.code == 0, exported.err
    data: dict[str, Any] = exported.json()
    return data


# -- csv ---------------------------------------------------------------------------------


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def test_csv_files_read_back_with_the_rows_of_the_json_export(journal: CLI, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    exported = journal("--now", NOW, "export", "--format", "csv", "--out", str(out))
    assert exported.code == 0, exported.err
    assert sorted(p.name for p in out.iterdir()) == [
        "cards.csv",
        "daily_stats.csv",
        "entries.csv",
        "reviews.csv",
        "tasks.csv",
    ]
    data = _json_export(journal)
    expected_headers = {
        "entries.csv": ["date", "category", "lectures", "topics", "markdown"],
        "tasks.csv": ["id", "text", "entry_date", "due", "done"],
        "cards.csv": [
            "id",
            "key",
            "kind",
            "topics",
            "entry_date",
            "state",
            "step",
            "due",
            "last_review",
            "stability",
            "difficulty",
            "reps",
            "lapses",
        ],
        "reviews.csv": [
            "card_id",
            "reviewed_at",
            "rating",
            "grade",
            "correct",
            "answer",
            "duration_ms",
            "seed",
            "retrievability",
            "state_before",
            "was_new",
        ],
        "daily_stats.csv": ["date", "reviews", "seconds", "correct_rate", "new_cards"],
    }
    tables = {}
    for name, header in expected_headers.items():
        fields, rows = _read_csv(out / name)
        assert fields == header, name
        tables[name] = rows
    for name, key in (
        ("entries.csv", "entries"),
        ("tasks.csv", "tasks"),
        ("cards.csv", "cards"),
        ("reviews.csv", "reviews"),
    ):
        assert len(tables[name]) == len(data[key]) > 0, name

    # Same rows in the same order as the JSON export, flattened for spreadsheets.
    reviews = tables["reviews.csv"]
    assert [(r["card_id"], r["reviewed_at"]) for r in reviews] == [
        (str(r["card_id"]), r["reviewed_at"]) for r in data["reviews"]
    ]
    assert [r["grade"] for r in reviews].count("again") == 1
    entry = tables["entries.csv"][0]
    assert entry["date"] == "2022-01-24"
    assert entry["lectures"].startswith("1. Introduction to Pytorch; 2. Pytorch Basics")
    assert entry["markdown"] == data["entries"][0]["markdown"]  # multi-line text survives
    assert [t["done"] for t in tables["tasks.csv"]] == [
        "true" if t["done"] else "false" for t in data["tasks"]
    ]
    states = {c["state"] for c in tables["cards.csv"]}
    assert "new" in states and states <= {"new", "learning", "review", "relearning"}

    # One row per learning day with reviews; the same figures `stats` shows.
    stats = journal("--now", NOW, "stats", "--json").json()
    daily = tables["daily_stats.csv"]
    assert [(d["date"], int(d["reviews"])) for d in daily] == [
        (f["day"], f["count"]) for f in stats["reviews_per_day"]
    ]
    assert sum(int(d["reviews"]) for d in daily) == len(data["reviews"]) == 10
    assert sum(int(d["new_cards"]) for d in daily) == 3  # the three cards' first reviews


def test_csv_export_into_a_file_is_a_one_line_error(journal: CLI, tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder")
    run = journal("export", "--format", "csv", "--out", str(blocker))
    assert run.code == 1
    assert run.err == f"studylog: error: {blocker}: is a file; the CSV export needs a folder\n"


# -- md ----------------------------------------------------------------------------------


def test_markdown_report_has_the_sections_and_figures(journal: CLI, tmp_path: Path) -> None:
    report = journal("--now", NOW, "export", "--format", "md")
    assert report.code == 0, report.err
    text = report.out
    stats = journal("--now", NOW, "stats", "--json").json()
    cards = journal("cards", "list", "--json").json()
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings == [
        "At a glance",
        "Cards by state",
        "Reviews per day, last 30 days",
        "Retention",
        "The next 30 days",
        "Tasks",
        "Lectures covered",
        "Calibration",
    ]
    assert text.startswith("# Pytorch progress report\n")
    assert "**2022-01-24 → 2022-02-01**" in text  # first entry to the learning day
    assert f"- **Cards:** {len(cards)} in the deck, 3 studied so far." in text
    assert "- **Reviews, last 30 days:** 10 on 2 days." in text
    retention = stats["true_retention"]
    assert f"True retention over the last 30 days: **{retention:.0%}**" in text
    for state, n in stats["cards_by_state"].items():
        assert f"| {state} | {n} |" in text
    # The review chart: one line per day from the first entry, bars in a code block.
    chart = text.split("## Reviews per day, last 30 days\n\n```text\n", 1)[1].split("```", 1)[0]
    lines = chart.splitlines()
    assert lines[0].startswith("Mon 01-24    · │")
    assert re.match(r"Sat 01-29    6 │█+$", lines[5])
    assert len(lines) == 9  # 01-24 … 02-01
    # Tasks: the rate from stats, open tasks with their state.
    assert f"Done: **{stats['task_completion']:.0%}**" in text
    assert (
        "- [ ] 코딩 기본과제 풀기 — **overdue 7 days** (due 2022-01-25), planned 2022-01-24" in text
    )
    assert "| 2022-01-24 | Pytorch | 1. Introduction to Pytorch · 2. Pytorch Basics" in text
    calibration = stats["calibration"]
    assert f"over {calibration['reviews']} reviews: log loss {calibration['log_loss']:.3f}" in text

    # --out writes the same report to a file, atomically.
    out = tmp_path / "report.md"
    written = journal("--now", NOW, "export", "--format", "md", "--out", str(out))
    assert written.code == 0, written.err
    assert out.read_text(encoding="utf-8") == text
    assert not (tmp_path / "report.md.partial").exists()


# -- apkg --------------------------------------------------------------------------------


def _plain(field: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", field)).strip()


def test_anki_package_imports_into_a_real_anki_collection(journal: CLI, tmp_path: Path) -> None:
    anki_collection = pytest.importorskip("anki.collection")
    out = tmp_path / "deck.apkg"
    exported = journal("--now", NOW, "export", "--format", "apkg", "--out", str(out))
    assert exported.code == 0, exported.err
    cards = journal("cards", "list", "--json").json()
    assert f"exported {len(cards)} notes to {out}" in exported.err

    (tmp_path / "anki").mkdir()
    collection = anki_collection.Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        collection.import_anki_package(
            anki_collection.ImportAnkiPackageRequest(
                package_path=str(out),
                options=anki_collection.ImportAnkiPackageOptions(),
            )
        )
        assert collection.note_count() == len(cards)
        topics = {topic for card in cards for topic in card["topics"]}
        assert set(collection.tags.all()) == topics
        notes = [collection.get_note(nid) for nid in collection.find_notes("")]
        by_card = {_card_id(n["Source"]): n for n in notes}
        assert sorted(by_card) == sorted(c["id"] for c in cards)
        for card in cards:
            note = by_card[card["id"]]
            assert sorted(note.tags) == sorted(card["topics"])
            note_type = note.note_type()
            assert note_type is not None
            kind = note_type["name"]
            assert kind == ("studylog cloze" if card["kind"] == "cloze" else "studylog basic")
        cloze = next(by_card[c["id"]] for c in cards if c["kind"] == "cloze")
        assert "{{c1::누적}}" in cloze["Text"]
        choice = next(by_card[c["id"]] for c in cards if c["kind"] == "choice")
        assert '<ol type="A">' in choice["Front"]
    finally:
        collection.close()

    # An executable card's back is what torch computes for the card's own seed: the CLI's
    # checker, which runs torch again, accepts it as the answer.
    predict = next(c for c in cards if c["key"] == "gen:view.shape")
    note = by_card[predict["id"]]
    shown = journal("card", "show", str(predict["id"]), "--json").json()
    assert shown["code"] in _plain(note["Front"])
    answer = _plain(note["Back"])
    verdict = journal("check", str(predict["id"]), answer, "--json").json()
    assert verdict["correct"], (answer, verdict)


def test_apkg_into_a_missing_folder_is_a_one_line_error(journal: CLI, tmp_path: Path) -> None:
    out = tmp_path / "missing" / "deck.apkg"
    run = journal("export", "--format", "apkg", "--out", str(out))
    assert run.code == 1
    assert run.err == f"studylog: error: {out.parent}: no such folder\n"
