"""`studylog optimize`: fsrs.Optimizer on a real review log, run through the CLI."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from cards.scheduling import Grade, Settings
from studylog.clock import Clock
from studylog.config import Config
from studylog.context import AppContext
from studylog.services.reviews import ReviewService
from tests.conftest import CLI, EXAMPLE

pytestmark = pytest.mark.engines


def _review_daily(db: str, days: int) -> int:
    """Answer every card once a day for `days` days, mostly Good, sometimes Again; returns
    how many cards there are."""
    ctx = AppContext(db=str(db), now=dt.datetime(2022, 1, 24, 20, tzinfo=dt.UTC), config=Config())
    ctx.journal.save(EXAMPLE.read_text(encoding="utf-8"))
    ids = [card.id for card in ctx.reviews.cards()]
    rng = random.Random(3)
    for day in range(days):
        at = dt.datetime(2022, 1, 25, 9, tzinfo=dt.UTC) + dt.timedelta(days=day)
        service = ReviewService(ctx.engine, Clock(fixed=at), Settings(enable_fuzzing=False))
        for card_id in ids:
            service.record(card_id, Grade.AGAIN if rng.random() < 0.2 else Grade.GOOD)
    return len(ids)


def test_optimize_says_how_much_history_is_missing(cli: CLI, db: str) -> None:
    cards = _review_daily(db, 3)
    run = cli("optimize", "--json")
    assert run.code == 0, run.err
    result = run.json()
    assert result["after"] is None
    # The first day's reviews of new cards do not count: each card's later two do.
    assert result["usable_reviews"] == 2 * cards
    assert result["needed"] == 512 - 2 * cards
    assert f"so {512 - 2 * cards} more" in cli("optimize").out


@pytest.mark.engines("sqlite")  # the fit is CPU-bound, ~25 s; its store part runs in the other test
def test_optimize_fits_and_stores_parameters(cli: CLI, db: str) -> None:
    cards = _review_daily(db, 12)
    run = cli("optimize", "--json")
    assert run.code == 0, run.err
    result = run.json()
    assert result["usable_reviews"] == 11 * cards
    assert len(result["after"]) == 21
    assert result["after"] != result["before"]
    stored = AppContext(db=str(db), config=Config()).reviews.scheduler().parameters
    assert list(stored) == result["after"]
