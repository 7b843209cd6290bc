"""The review log: adding an answered review, reading it back, and taking one back.

Each review row keeps, as JSON in `before`, the fields of the card the review changed, so
undo restores the card exactly. Ratings and states are `fsrs.Rating` and `fsrs.State`
values bound as parameters.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from fsrs import Rating, State
from sqlalchemy import Connection, bindparam, delete, insert, or_, select

from cards.scheduling import Memory
from studylog.store.tables import CardRow, EntryRow, ReviewRow, table_of

CARD = table_of(CardRow)
ENTRY = table_of(EntryRow)
REVIEW = table_of(ReviewRow)

_TIMES = ("due", "last_review")


@dataclass(frozen=True)
class Schedule:
    """What a review changes on its card: the FSRS memory state and the review counts."""

    memory: Memory
    reps: int
    lapses: int

    def to_json(self) -> str:
        """The `before` text of a review row (times as ISO 8601)."""
        m = self.memory
        return json.dumps(
            {
                "state": int(m.state),
                "step": m.step,
                "stability": m.stability,
                "difficulty": m.difficulty,
                "due": m.due.isoformat(),
                "last_review": m.last_review.isoformat() if m.last_review else None,
                "reps": self.reps,
                "lapses": self.lapses,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Schedule:
        """The schedule a review row's `before` holds; times without an offset are UTC
        (rows written before times carried one)."""
        raw: dict[str, Any] = json.loads(text)
        times = {name: _utc(raw[name]) for name in _TIMES}
        due = times["due"]
        assert due is not None
        memory = Memory(
            due=due,
            state=State(raw["state"]),
            step=raw["step"],
            stability=raw["stability"],
            difficulty=raw["difficulty"],
            last_review=times["last_review"],
        )
        return cls(memory, reps=raw["reps"], lapses=raw["lapses"])


def _utc(iso: str | None) -> dt.datetime | None:
    if iso is None:
        return None
    at = dt.datetime.fromisoformat(iso)
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)


@dataclass(frozen=True)
class ReviewRecord:
    """One row of the review log as written: by recording an answer, or by importing an
    export. `before` is the card's `Schedule` before the review, as its JSON; `device` is
    None for reviews from before reviews named their device."""

    card_id: int
    reviewed_at: dt.datetime
    rating: Rating
    correct: bool | None
    answer: str | None
    duration_ms: int | None
    seed: int | None
    retrievability: float | None
    state_before: State
    was_new: bool
    before: str
    device: str | None


@dataclass(frozen=True)
class LastReview:
    """The latest review: which one, of which card, and that card's schedule before it."""

    id: int
    card_id: int
    before: Schedule


@dataclass(frozen=True)
class DoneToday:
    """A review made today: whether it introduced a new card, the state its card was in,
    and that card's key and entry day (None for both when the card is gone)."""

    was_new: bool
    state_before: State
    key: str | None
    entry_day: dt.date | None


@dataclass(frozen=True)
class Answer:
    """One review of the log as the FSRS optimizer reads it."""

    card_id: int
    rating: Rating
    reviewed_at: dt.datetime


# Built once: `add` runs for every answer.
_ADD = insert(REVIEW).returning(REVIEW.c.id)
_LAST = (
    select(REVIEW.c.id, REVIEW.c.card_id, REVIEW.c.before)
    .where(or_(REVIEW.c.device == bindparam("device"), REVIEW.c.device.is_(None)))
    .order_by(REVIEW.c.id.desc())
    .limit(1)
)


def add(conn: Connection, review: ReviewRecord) -> int:
    """Store an answered review; returns its id."""
    return int(conn.execute(_ADD, asdict(review)).scalar_one())


def add_all(conn: Connection, reviews: Sequence[ReviewRecord]) -> None:
    """Store many reviews (an import's), one statement for all."""
    if reviews:
        conn.execute(insert(REVIEW), [asdict(review) for review in reviews])


def last(conn: Connection, device: str) -> LastReview | None:
    """The latest review recorded by `device`, or None. Reviews stored before reviews named
    their device (schema v3 and older) count as every device's own."""
    row = conn.execute(_LAST, {"device": device}).first()
    if row is None:
        return None
    return LastReview(row.id, row.card_id, Schedule.from_json(row.before))


def remove(conn: Connection, review_id: int) -> None:
    """Delete one review from the log."""
    conn.execute(delete(REVIEW).where(REVIEW.c.id == review_id))


def done_since(conn: Connection, start: dt.datetime) -> list[DoneToday]:
    """Every review made at or after `start`.

    A range of the index on reviewed_at (a few hundred rows at most): given a
    `state_before = ?` term, SQLite would rather walk a whole index that starts with
    state_before, which is most of the log (0.4 s at 1M reviews), so the caller filters.
    """
    rows = conn.execute(
        select(REVIEW.c.was_new, REVIEW.c.state_before, CARD.c.key, ENTRY.c.day)
        .select_from(REVIEW)
        .outerjoin(CARD, CARD.c.id == REVIEW.c.card_id)
        .outerjoin(ENTRY, ENTRY.c.id == CARD.c.entry_id)
        .where(REVIEW.c.reviewed_at >= start)
    )
    return [DoneToday(r.was_new, State(r.state_before), r.key, r.day) for r in rows]


def history(conn: Connection) -> list[Answer]:
    """The whole log in the order it was made."""
    rows = conn.execute(
        select(REVIEW.c.card_id, REVIEW.c.rating, REVIEW.c.reviewed_at).order_by(
            REVIEW.c.reviewed_at, REVIEW.c.id
        )
    )
    return [Answer(r.card_id, Rating(r.rating), r.reviewed_at) for r in rows]
