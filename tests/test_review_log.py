"""One review row for both writers: recording an answer and importing an export store the
same `ReviewRecord`, and a restored row is as whole as a recorded one (undo can use it)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from cards.scheduling import Grade
from studylog.config import Config
from studylog.context import AppContext
from studylog.store.reviews import REVIEW, ReviewRecord, Schedule
from tests.conftest import CLI, EXAMPLE

# Recorded on either engine, restored into a SQLite file.
pytestmark = pytest.mark.engines

AT = dt.datetime(2022, 1, 24, 20, tzinfo=dt.UTC)
COLUMNS = [field.name for field in dataclasses.fields(ReviewRecord)]


def _context(db: Path | str, device: str) -> AppContext:
    return AppContext(db=str(db), now=AT, config=Config(fuzz=False, device=device))


def _stored(ctx: AppContext) -> list[ReviewRecord]:
    with ctx.engine.connect() as conn:
        rows = conn.execute(select(*(REVIEW.c[name] for name in COLUMNS)).order_by(REVIEW.c.id))
        return [ReviewRecord(**row._asdict()) for row in rows]


def test_a_recorded_and_a_restored_review_are_the_same_row(
    db: Path | str, cli: CLI, tmp_path: Path
) -> None:
    laptop = _context(db, "laptop")
    laptop.journal.save(EXAMPLE.read_text(encoding="utf-8"))
    card = laptop.reviews.cards()[0]
    laptop.reviews.record(card.id, Grade.GOOD, correct=True, answer="x", duration_ms=1200)
    (recorded,) = _stored(laptop)
    laptop.close()
    assert (recorded.card_id, recorded.device) == (card.id, "laptop")
    assert (recorded.state_before, recorded.was_new) == (card.memory.state, True)
    assert Schedule.from_json(recorded.before) == Schedule(card.memory, card.reps, card.lapses)

    export = tmp_path / "export.json"
    assert cli("export", "--format", "json", "--out", str(export)).code == 0
    other = tmp_path / "other.db"
    assert cli("--db", str(other), "import", str(export)).code == 0

    desktop = _context(other, "desktop")
    (restored,) = _stored(desktop)
    same_card = next(c for c in desktop.reviews.cards() if c.key == card.key)
    # Only the card's id in this database differs, and the device: an export does not
    # carry it, so the review counts as every device's own.
    assert restored == dataclasses.replace(recorded, card_id=same_card.id, device=None)
    assert desktop.reviews.undo() == same_card.id
    assert desktop.reviews.card(same_card.id).memory == card.memory
    assert _stored(desktop) == []
    desktop.close()
