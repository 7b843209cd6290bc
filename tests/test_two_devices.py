"""Two devices, one journal: concurrent reviews and imports lose nothing, and undo and the
queue keep each device's reviews straight."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import fsrs
import pytest
from sqlalchemy import select, text

from cards.scheduling import Grade
from studylog.config import Config
from studylog.context import AppContext
from studylog.store.reviews import REVIEW
from tests.conftest import EXAMPLE

pytestmark = pytest.mark.engines

ROOT = Path(__file__).resolve().parent.parent
REVIEWS_EACH = 500
ENTRIES_EACH = 100


def _entry(day: dt.date, device: str) -> str:
    """A small entry of its own: a call card and a written-in card unique to it."""
    return (
        f"# {day.isoformat()} Pytorch\n\n## Writing Specification\n\n"
        f"> Date : {day:%Y.%m.%d}\n>\n> Category : Pytorch\n\n"
        f"## Lecture content\n\n`torch.zeros({day.day}, {day.month}).view(-1)` flattens.\n\n"
        f"{device} note {day.isoformat()} :: it was written on {day.isoformat()}\n"
    )


def _entries(folder: Path, device: str, first: dt.date) -> Path:
    folder.mkdir()
    for n in range(ENTRIES_EACH):
        day = first + dt.timedelta(days=n)
        (folder / f"{day.isoformat()}.md").write_text(_entry(day, device), encoding="utf-8")
    return folder


def _start(target: str, device: str, seed: int, folder: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.device_worker", target, device, str(seed), str(folder)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _replayed(ratings: list[tuple[fsrs.Rating, dt.datetime]]) -> fsrs.Card:
    """A new card taken through `ratings` by py-fsrs itself."""
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card(card_id=1)
    for rating, at in ratings:
        card, _log = scheduler.review_card(card, rating, review_datetime=at)
    return card


def test_two_processes_reviewing_and_importing_lose_nothing(db: Path | str, tmp_path: Path) -> None:
    target = str(db)
    setup = AppContext(db=target, config=Config(fuzz=False))
    setup.journal.save(EXAMPLE.read_text(encoding="utf-8"))
    setup.close()
    folders = {
        "laptop": _entries(tmp_path / "laptop", "laptop", dt.date(2023, 1, 1)),
        "desktop": _entries(tmp_path / "desktop", "desktop", dt.date(2024, 1, 1)),
    }
    workers = {
        device: _start(target, device, seed, folder)
        for seed, (device, folder) in enumerate(folders.items())
    }
    for worker in workers.values():
        assert worker.stdout is not None and worker.stdout.readline() == "ready\n"
    for worker in workers.values():  # both start at once
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    recorded: dict[str, list[int]] = {}
    for device, worker in workers.items():
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        recorded[device] = json.loads(out)

    ctx = AppContext(db=target, config=Config(fuzz=False))
    with ctx.engine.connect() as conn:
        stored = conn.execute(select(REVIEW.c.id, REVIEW.c.device)).all()
        if conn.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert len(stored) == 2 * REVIEWS_EACH
    for device, ids in recorded.items():
        assert len(set(ids)) == REVIEWS_EACH
        assert {i for i, d in stored if d == device} == set(ids)
    assert len(ctx.journal.entries()) == 1 + 2 * ENTRIES_EACH

    history: dict[int, list[tuple[fsrs.Rating, dt.datetime]]] = defaultdict(list)
    for answer in ctx.reviews.history():
        history[answer.card_id].append((answer.rating, answer.reviewed_at))
    cards = ctx.reviews.cards()
    assert sum(card.reps for card in cards) == 2 * REVIEWS_EACH
    for card in cards:
        replayed = _replayed(history[card.id])
        memory = card.memory
        assert card.reps == len(history[card.id])
        got = (memory.state, memory.step, memory.stability, memory.difficulty)
        assert got == (replayed.state, replayed.step, replayed.stability, replayed.difficulty)
        if card.reps:
            assert (memory.due, memory.last_review) == (replayed.due, replayed.last_review)
    ctx.close()


def _device(db: Path | str, device: str, now: dt.datetime) -> AppContext:
    return AppContext(db=str(db), now=now, config=Config(fuzz=False, device=device))


def test_undo_takes_back_the_callers_own_last_review(db: Path | str) -> None:
    at = dt.datetime(2022, 1, 24, 20, tzinfo=dt.UTC)
    laptop = _device(db, "laptop", at)
    laptop.journal.save(EXAMPLE.read_text(encoding="utf-8"))
    desktop = _device(db, "desktop", at + dt.timedelta(minutes=1))
    first, second = (card.id for card in laptop.reviews.cards()[:2])
    untouched = laptop.reviews.card(first)
    laptop.reviews.record(first, Grade.GOOD)
    desktop.reviews.record(second, Grade.EASY)  # later, on the other device
    desktop_view = desktop.reviews.card(second)

    assert laptop.reviews.undo() == first
    assert laptop.reviews.card(first) == untouched
    assert laptop.reviews.card(second) == desktop_view  # the desktop's review stands
    assert laptop.reviews.undo() is None  # the laptop has nothing more to take back
    assert desktop.reviews.undo() == second
    assert [a.card_id for a in desktop.reviews.history()] == []
    for ctx in (laptop, desktop):
        ctx.close()


def test_a_card_reviewed_on_one_device_is_not_due_on_the_other(db: Path | str) -> None:
    at = dt.datetime(2022, 1, 24, 20, tzinfo=dt.UTC)
    laptop = _device(db, "laptop", at)
    laptop.journal.save(EXAMPLE.read_text(encoding="utf-8"))
    desktop = _device(db, "desktop", at + dt.timedelta(minutes=1))
    queued = desktop.reviews.queue()
    assert queued, "the example entry has new cards due"
    card = queued[0]
    laptop.reviews.record(card.id, Grade.GOOD)

    again = desktop.reviews.queue()
    assert card.id not in {view.id for view in again}
    # One new card of the day is used up, on both devices alike.
    assert desktop.reviews.counts() == laptop.reviews.counts()
    for ctx in (laptop, desktop):
        ctx.close()
