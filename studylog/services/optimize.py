"""Fitting FSRS parameters to the learner's own review log."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studylog.errors import StudylogError

if TYPE_CHECKING:
    from studylog.services.reviews import ReviewService
    from studylog.store.reviews import Answer

# fsrs.Optimizer keeps the defaults until it has this many reviews made on a later day
# than the card's previous review (its own mini-batch size).
MIN_REVIEWS = 512


@dataclass(frozen=True)
class Fit:
    """What `optimize` did: how much history it had, and the parameters before and after."""

    usable_reviews: int
    before: tuple[float, ...]
    after: tuple[float, ...] | None

    @property
    def needed(self) -> int:
        """How many more usable reviews the optimizer needs."""
        return max(0, MIN_REVIEWS - self.usable_reviews)


def usable_reviews(history: list[Answer]) -> int:
    """Reviews at least a day after the same card's previous one, as the optimizer counts."""
    last: dict[int, dt.datetime] = {}
    count = 0
    for answer in history:
        previous = last.get(answer.card_id)
        if previous is not None and (answer.reviewed_at - previous).days > 0:
            count += 1
        last[answer.card_id] = answer.reviewed_at
    return count


def optimize(reviews: ReviewService, timeout_s: float = 900) -> Fit:
    """Fit parameters on the whole review log and store them, if there is enough of it."""
    history = reviews.history()
    before = tuple(reviews.scheduler().parameters)
    usable = usable_reviews(history)
    if usable < MIN_REVIEWS:
        return Fit(usable, before, None)
    payload = json.dumps([[a.card_id, int(a.rating), a.reviewed_at.isoformat()] for a in history])
    try:
        done = subprocess.run(
            [sys.executable, "-m", "studylog.fsrs_fit"],
            input=payload,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise StudylogError(f"optimize: gave up after {timeout_s:.0f} s") from None
    if done.returncode != 0:
        last_line = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise StudylogError(f"optimize: the optimizer failed ({last_line})")
    after = tuple(json.loads(done.stdout))
    reviews.store_parameters(list(after))
    return Fit(usable, before, after)
