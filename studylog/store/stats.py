"""The aggregate queries behind `studylog stats`, on one `Snapshot`, on both engines.

SQLite: every pass over the review log walks a covering index (studylog.store.migrations)
instead of sorting, and learning days are integer arithmetic (studylog.store.learning_days);
some of that needs SQLite's own SQL (a bare column beside min(), unary + to keep a column
off an index, the calibration bin written as the expression index is), so each query that
does is written once per engine here, behind one function. The small portable ones are
SQLAlchemy Core.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import dataclass
from typing import Any

from fsrs import Rating, State
from sqlalchemy import BindParameter, Integer, bindparam, cast, func, select, text

from studylog.store.learning_days import LearningDays, unix_sql
from studylog.store.snapshot import Snapshot
from studylog.store.tables import CardRow, EntryRow, ReviewRow, TaskRow, table_of

_entry = table_of(EntryRow)
_task = table_of(TaskRow)
_card = table_of(CardRow)
_review = table_of(ReviewRow)

CALIBRATION_BINS = 10
_EPS = 1e-6
# The calibration bin of a review on SQLite; the same text as the expression index on
# review (studylog.store.migrations), so the grouping walks that index instead of sorting.
RECALL_BIN = f"min(CAST(retrievability * {CALIBRATION_BINS} AS INTEGER), {CALIBRATION_BINS - 1})"
_PG_RECALL_BIN = (
    f"least(CAST(floor(retrievability * {CALIBRATION_BINS}) AS INTEGER), {CALIBRATION_BINS - 1})"
)

Span = tuple[int, int]  # Unix seconds of the first and last row in a range


@dataclass(frozen=True)
class DayTotals:
    """One learning day of the review log."""

    day: dt.date
    reviews: int
    ms: int
    judged: int
    correct: int
    new_cards: int


@dataclass(frozen=True)
class TopicTotals:
    """First answers of the day in review state, for the cards of one topic set."""

    topics: tuple[str, ...]
    answers: int
    passed: int


@dataclass(frozen=True)
class RecallBin:
    """One calibration bin: mean predicted recall, actual recall, reviews, and the sum of
    the log-likelihood of the outcomes."""

    predicted: float
    actual: float
    reviews: int
    log_likelihood: float


def _instant(name: str) -> BindParameter[Any]:
    """A parameter bound as a stored time (an aware datetime in, the column's form out)."""
    return bindparam(name, type_=_review.c.reviewed_at.type)


_STATES: dict[str, Any] = {
    "review": State.Review,
    "relearning": State.Relearning,
    "learning": State.Learning,
    "again": Rating.Again,
}


# -- what each engine spells its own way -------------------------------------------------


def _as_int(snap: Snapshot, condition: str) -> str:
    """A condition as 0/1, to sum or average: SQLite's comparisons are integers already."""
    return condition if snap.sqlite else f"CAST({condition} AS INTEGER)"


def _greatest(snap: Snapshot, *values: str) -> str:
    """The larger of `values`: SQLite's scalar max(), PostgreSQL's greatest()."""
    return f"{'max' if snap.sqlite else 'greatest'}({', '.join(values)})"


def _recall_bin(snap: Snapshot) -> str:
    return RECALL_BIN if snap.sqlite else _PG_RECALL_BIN


def _off_index(snap: Snapshot, column: str) -> str:
    """`column`, kept by SQLite's unary + from steering the choice of index."""
    return f"+{column}" if snap.sqlite else column


def _day_firsts(
    snap: Snapshot, day: str, where: str, *, card: bool, group_card: str = "card_id"
) -> str:
    """SQL for the first answer of each card on each learning day `day` among the reviews
    `where` holds, as `ok` (passed, 0/1), with its `card_id` when `card`; SQLite groups by
    `group_card` (card_id, or kept off the index)."""
    card_id = "card_id, " if card else ""
    ok = _as_int(snap, "rating > :again")
    if snap.sqlite:
        # min(id) makes the bare columns those of the day's first answer.
        return (
            f"SELECT {card_id}{ok} AS ok, min(id) FROM review WHERE {where} "
            f"GROUP BY {group_card}, {day}"
        )
    return (
        f"SELECT DISTINCT ON (card_id, {day}) {card_id}{ok} AS ok FROM review "
        f"WHERE {where} ORDER BY card_id, {day}, id"
    )


# -- the figures ------------------------------------------------------------------------


def entry_days(snap: Snapshot) -> list[dt.date]:
    """The day of every entry, oldest first."""
    days = snap.rows(select(_entry.c.day).order_by(_entry.c.day))
    return [day if isinstance(day, dt.date) else dt.date.fromisoformat(day) for (day,) in days]


def review_span(snap: Snapshot) -> Span | None:
    """Unix seconds of the first and last review, or None without reviews (two index
    look-ups)."""
    unix = unix_sql(snap.dialect, "t")
    first, last = snap.one(
        text(
            f"SELECT (SELECT {unix} FROM (SELECT min(reviewed_at) AS t FROM review) a), "
            f"(SELECT {unix} FROM (SELECT max(reviewed_at) AS t FROM review) b)"
        )
    )
    return None if first is None else (int(first), int(last))


def daily(snap: Snapshot, learning: LearningDays) -> list[DayTotals]:
    """Every learning day with reviews, oldest first."""
    span = review_span(snap)
    if span is None:
        return []
    day = learning.sql(snap.dialect, "reviewed_at", *span)
    rows = snap.rows(
        text(
            f"SELECT {day} AS d, count(*), coalesce(sum(duration_ms), 0), "
            f"count(correct), coalesce(sum({_as_int(snap, 'correct')}), 0), "
            f"coalesce(sum({_as_int(snap, 'was_new')}), 0) "
            "FROM review GROUP BY d ORDER BY d"
        )
    )
    return [
        DayTotals(learning.date(int(d)), int(n), int(ms), int(judged), int(ok), int(new))
        for d, n, ms, judged, ok, new in rows
    ]


_BETWEEN = select(func.count(), func.coalesce(func.sum(_review.c.duration_ms), 0)).where(
    _review.c.reviewed_at >= _instant("lo"), _review.c.reviewed_at < _instant("hi")
)


def reviews_between(snap: Snapshot, bounds: list[dt.datetime]) -> list[tuple[int, int]]:
    """Reviews and milliseconds spent between each two consecutive `bounds`: one index
    range each (on SQLite the covering index on (reviewed_at, duration_ms), walked in
    order, and nothing sorted)."""
    return [
        (int(count), int(ms))
        for count, ms in (
            snap.one(_BETWEEN, {"lo": lo, "hi": hi}) for lo, hi in itertools.pairwise(bounds)
        )
    ]


def true_retention(
    snap: Snapshot, learning: LearningDays, since: dt.datetime, span: Span
) -> tuple[int, int]:
    """Anki's true retention from `since` on, as (answers, passed): of review-state cards,
    the first answer per card per day, passed unless rated Again. A few weeks of reviews,
    found through the index on reviewed_at."""
    day = learning.sql(snap.dialect, "reviewed_at", *span)
    # A short range on reviewed_at: its index, not the state's or the card's, finds it.
    where = f"{_off_index(snap, 'state_before')} = :review AND reviewed_at >= :recent"
    firsts = _day_firsts(snap, day, where, card=False, group_card=_off_index(snap, "card_id"))
    total, passed = snap.one(
        text(f"SELECT count(*), coalesce(sum(ok), 0) FROM ({firsts}) f").bindparams(
            _instant("recent")
        ),
        {**_STATES, "recent": since},
    )
    return int(total), int(passed)


def retention_by_topic(snap: Snapshot, learning: LearningDays, span: Span) -> list[TopicTotals]:
    """True retention's counts per topic set, over all time.

    On SQLite one walk of the (state_before, card_id, reviewed_at, rating) index, grouped
    by card without a sort. A card answered at most once a day in review state (nearly every
    card) counts every such answer; only the others are grouped by day."""
    day = learning.sql(snap.dialect, "reviewed_at", *span)
    several = "state_before = :review AND card_id IN (SELECT card_id FROM per_card WHERE n > days)"
    firsts = (
        "WITH per_card AS ("
        f"SELECT card_id, count(*) AS n, count(DISTINCT {day}) AS days, "
        f"sum({_as_int(snap, 'rating > :again')}) AS ok FROM review "
        "WHERE state_before = :review GROUP BY card_id), "
        f"day_firsts AS ({_day_firsts(snap, day, several, card=True)}), "
        "firsts AS ("
        "SELECT card_id, n, ok FROM per_card WHERE n = days "
        "UNION ALL "
        "SELECT card_id, count(*), sum(ok) FROM day_firsts GROUP BY card_id) "
    )
    rows = snap.rows(
        text(
            firsts + "SELECT c.topics, sum(f.n), sum(f.ok) FROM firsts f "
            "JOIN card c ON c.id = f.card_id GROUP BY c.topics"
        ),
        _STATES,
    )
    return [TopicTotals(tuple(json.loads(topics)), int(n), int(ok)) for topics, n, ok in rows]


_BY_STATE = select(cast(_card.c.state, Integer), func.count()).group_by(_card.c.state)


def cards_by_state(snap: Snapshot) -> tuple[dict[State, int], dict[State, int]]:
    """Cards in each FSRS state: all of them, and those never reviewed. Both walk the
    (state, due) index: counting needs no row."""
    every = snap.rows(_BY_STATE)
    unreviewed = snap.rows(_BY_STATE.where(_card.c.reps == 0))
    return (
        {State(int(state)): int(n) for state, n in every},
        {State(int(state)): int(n) for state, n in unreviewed},
    )


def falling_due(
    snap: Snapshot, learning: LearningDays, today: dt.date, until: dt.date
) -> dict[dt.date, int]:
    """Reviewed cards falling due on each learning day before `until`, overdue ones
    counting `today`. Walks the (state, due) index for the cards due before the horizon."""
    horizon = learning.start(until)
    unix = unix_sql(snap.dialect, "t")
    (first,) = snap.one(text(f"SELECT {unix} FROM (SELECT min(due) AS t FROM card) a"))
    if first is None:
        return {}
    first = int(first)
    day = learning.sql(snap.dialect, "due", first, max(first, horizon))
    select_day = f"SELECT {_greatest(snap, day, ':today')} AS d, count(*) FROM card "
    rows = snap.rows(
        text(
            select_day + "WHERE state IN (:review, :relearning) AND due < :horizon "
            "GROUP BY d UNION ALL "
            + select_day
            + "WHERE state = :learning AND due < :horizon AND reps > 0 GROUP BY d"
        ).bindparams(bindparam("horizon", type_=_card.c.due.type)),
        {
            **_STATES,
            "today": learning.number_of(today),
            "horizon": dt.datetime.fromtimestamp(horizon, dt.UTC),
        },
    )
    due: dict[dt.date, int] = {}
    for d, n in rows:
        when = learning.date(int(d))
        due[when] = due.get(when, 0) + int(n)
    return due


def tasks_due(snap: Snapshot, today: dt.date) -> tuple[int, int]:
    """Tasks due up to `today`, and how many of them are done."""
    total, done = snap.one(
        select(func.count(), func.coalesce(func.sum(cast(_task.c.done, Integer)), 0)).where(
            _task.c.due <= today
        )
    )
    return int(total), int(done)


def recall_bins(snap: Snapshot) -> list[RecallBin]:
    """Reviews with a predicted recall, in bins of it, by predicted recall. On SQLite one
    walk of the expression index on the bin gives every figure, without a sort."""
    # Clamped with CASE rather than min()/max(): no function calls per review.
    p = (
        f"(CASE WHEN retrievability < {_EPS} THEN {_EPS} "
        f"WHEN retrievability > {1 - _EPS} THEN {1 - _EPS} ELSE retrievability END)"
    )
    rows = snap.rows(
        text(
            f"SELECT avg(retrievability), avg({_as_int(snap, 'rating > :again')}), count(*), "
            f"sum(ln(CASE WHEN rating > :again THEN {p} ELSE 1 - {p} END)) "
            f"FROM review WHERE retrievability IS NOT NULL GROUP BY {_recall_bin(snap)} "
            "ORDER BY 1"
        ),
        _STATES,
    )
    return [
        RecallBin(float(pred), float(actual), int(count), float(loss))
        for pred, actual, count, loss in rows
    ]
