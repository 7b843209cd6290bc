"""Reviews through the real CLI: FSRS replay against py-fsrs, undo, the queue, crashes."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler

from tests.conftest import CLI, EXAMPLE

pytestmark = pytest.mark.engines


@pytest.fixture
def no_fuzz(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[review]\nfuzz = false\n")


def _recall_card(cli: CLI) -> int:
    cards = cli("cards", "list", "--json").json()
    return next(c["id"] for c in cards if c["key"] == "gen:concept.graph.define_by_run")


STEPS = [
    ("2022-01-25T09:00:00+00:00", "good"),
    ("2022-01-25T09:12:00+00:00", "good"),
    ("2022-01-28T10:00:00+00:00", "hard"),
    ("2022-02-05T08:30:00+00:00", "again"),
    ("2022-02-05T08:45:00+00:00", "good"),
    ("2022-02-09T20:00:00+00:00", "easy"),
]


def test_fsrs_replay_matches_py_fsrs(cli: CLI, no_fuzz: None) -> None:
    assert cli("--now", "2022-01-24T20:00:00+00:00", "import", str(EXAMPLE)).code == 0
    card_id = _recall_card(cli)
    reference, scheduler = Card(), Scheduler(enable_fuzzing=False)
    for when, rating in STEPS:
        run = cli("--now", when, "--json", "review", str(card_id), "whatever", "--rating", rating)
        assert run.code == 0, run.err
        got = run.json()
        reference, _ = scheduler.review_card(
            reference, Rating[rating.capitalize()], dt.datetime.fromisoformat(when)
        )
        assert got["rating"] == rating
        assert got["stability"] == pytest.approx(reference.stability, rel=1e-12)
        assert got["difficulty"] == pytest.approx(reference.difficulty, rel=1e-12)
        assert dt.datetime.fromisoformat(got["due"]) == reference.due


def test_undo_restores_the_card_exactly_and_due_lists_it(cli: CLI, no_fuzz: None) -> None:
    cli("--now", "2022-01-24T20:00:00+00:00", "import", str(EXAMPLE))
    card_id = _recall_card(cli)
    cli("--now", "2022-01-25T09:00:00+00:00", "review", str(card_id), "x", "--rating", "good")
    cli("--now", "2022-01-25T09:12:00+00:00", "review", str(card_id), "x", "--rating", "good")
    before = next(c for c in cli("export").json()["cards"] if c["id"] == card_id)
    reviews_before = len(cli("export").json()["reviews"])
    run = cli("--now", "2022-01-28T10:00:00+00:00", "review", str(card_id), "x", "--rating", "easy")
    assert run.code == 0
    assert cli("undo").code == 0
    export = cli("export").json()
    assert next(c for c in export["cards"] if c["id"] == card_id) == before
    assert len(export["reviews"]) == reviews_before
    due_at = dt.datetime.fromisoformat(before["due"])
    early = (due_at - dt.timedelta(days=1)).isoformat()
    late = (due_at + dt.timedelta(minutes=1)).isoformat()
    assert card_id not in [c["id"] for c in cli("--now", early, "due", "--json").json()]
    assert card_id in [c["id"] for c in cli("--now", late, "due", "--json").json()]


def test_undo_with_nothing_to_undo_is_an_error(cli: CLI) -> None:
    cli("import", str(EXAMPLE))
    run = cli("undo", env_vars={"STUDYLOG_DEVICE": "laptop"})
    assert run.code == 1
    expected = "studylog: error: nothing to undo: no reviews recorded on this device (laptop)"
    assert run.err.strip() == expected


def test_due_respects_the_daily_new_limit(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[review]\nnew_per_day = 5\n")
    cli("--now", "2022-01-24T20:00:00+00:00", "import", str(EXAMPLE))
    due = cli("--now", "2022-01-25T09:00:00+00:00", "due", "--json").json()
    assert len(due) == 5
    assert all(c["new"] for c in due)
    families = [c["key"].split(".")[0] for c in due]
    assert len(set(families)) == len(families)
    first = due[0]["id"]
    cli("--now", "2022-01-25T09:01:00+00:00", "review", str(first), "x", "--rating", "easy")
    after = cli("--now", "2022-01-25T09:02:00+00:00", "due", "--json").json()
    assert len([c for c in after if c["new"]]) == 4


def test_bad_rating_and_missing_card_are_one_line_errors(cli: CLI) -> None:
    cli("import", str(EXAMPLE))
    bad = cli("review", "1", "x", "--rating", "great")
    assert bad.code == 2
    assert "rating 'great' is not again, hard, good or easy" in bad.err
    missing = cli("card", "show", "9999")
    assert missing.code == 1
    assert missing.err.strip() == "studylog: error: card 9999: no such card"


@pytest.mark.engines("sqlite")  # reads the SQLite file after SIGKILL
def test_killed_reviews_leave_whole_reviews_or_none(db: str, cli: CLI, tmp_path: Path) -> None:
    cli("import", str(EXAMPLE))
    recall = [c["id"] for c in cli("cards", "list", "--json").json() if c["kind"] == "recall"]
    env = {**os.environ, "STUDYLOG_CONFIG": str(tmp_path / "config.toml")}
    rng = random.Random(5)
    killed = 0
    for n in range(12):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "studylog",
                "--db",
                str(db),
                "review",
                str(recall[n % len(recall)]),
                "x",
                "--rating",
                "good",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        time.sleep(rng.uniform(0.4, 1.6))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait()
    assert killed > 0
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        mismatched = conn.execute(
            "SELECT c.id, c.reps, (SELECT count(*) FROM review r WHERE r.card_id = c.id) "
            "FROM card c WHERE c.reps != (SELECT count(*) FROM review r WHERE r.card_id = c.id)"
        ).fetchall()
    finally:
        conn.close()
    assert mismatched == []
