"""Progress statistics, the ones Anki users rely on, computed from the review log."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from fsrs import State

from studylog.clock import Clock
from studylog.store import stats as store
from studylog.store.learning_days import LearningDays
from studylog.store.snapshot import Snapshot, read_snapshot
from studylog.store.stats import Span

if TYPE_CHECKING:
    from sqlalchemy import Engine


@dataclass(frozen=True)
class DayFigure:
    """One day's count (reviews done, cards due, …) and, for reviews, the time spent."""

    day: dt.date
    count: int
    seconds: float = 0.0


@dataclass(frozen=True)
class DailyFigure:
    """One learning day of the review log."""

    day: dt.date
    reviews: int
    seconds: float
    judged: int  # reviews that carry a verdict (correct or not)
    correct: int
    new_cards: int  # cards seen for the first time

    @property
    def correct_rate(self) -> float | None:
        """Correct answers among the judged ones, or None when none was judged."""
        return self.correct / self.judged if self.judged else None


@dataclass(frozen=True)
class Calibration:
    """Predicted recall against actual recall, as the FSRS benchmark reports it."""

    reviews: int
    log_loss: float | None
    rmse_bins: float | None
    bins: list[tuple[float, float, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Stats:
    """Everything `studylog stats` prints and the TUI's stats screen draws."""

    today: dt.date
    streak: int
    entry_days: list[dt.date]
    reviews_per_day: list[DayFigure]
    true_retention: float | None
    retention_by_topic: dict[str, float]
    cards_by_state: dict[str, int]
    forecast: list[DayFigure]
    task_completion: float | None
    calibration: Calibration

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {key: _jsonable(value) for key, value in asdict(self).items()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


T = TypeVar("T")
_STATE_NAMES = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}


class StatsService:
    """Computes `Stats` with a handful of aggregate queries (studylog.store.stats);
    nothing is cached.

    Reads take no write lock (studylog.store.snapshot), and the longest pass runs on a
    second connection.
    """

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def _read(self, work: Callable[[Snapshot], T]) -> T:
        with read_snapshot(self.engine) as snap:
            return work(snap)

    def journal_streak(self) -> int:
        """The journal streak alone: what the Today screen shows, without the review log."""
        days = set(self._read(store.entry_days))
        return streak(days, self.clock.today())

    def snapshot(self, days: int = 365, forecast_days: int = 30) -> Stats:
        """All figures: review history over `days`, forecast over `forecast_days`."""
        today = self.clock.today()
        since = today - dt.timedelta(days=days - 1)
        learning = LearningDays(self.clock.day_starts_at)
        # Read without taking the write lock. The longest pass, retention by topic, runs
        # on a second connection meanwhile (the database driver lets go of the GIL while
        # a query runs); its snapshot is taken the same moment, give or take a write.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="stats") as pool:
            span = self._read(store.review_span)
            by_topic = pool.submit(self._read, lambda r: _retention_by_topic(r, learning, span))
            with read_snapshot(self.engine) as reader:
                entry_days = store.entry_days(reader)
                by_state, forecast = _cards(reader, learning, today, forecast_days)
                recent = today - dt.timedelta(days=29)
                stats = Stats(
                    today=today,
                    streak=streak(set(entry_days), today),
                    entry_days=entry_days,
                    reviews_per_day=_reviews_per_day(reader, learning, since, span),
                    true_retention=_retention(reader, learning, recent, span),
                    retention_by_topic={},
                    cards_by_state=by_state,
                    forecast=forecast,
                    task_completion=_task_completion(reader, today),
                    calibration=_calibration(reader),
                )
            return replace(stats, retention_by_topic=by_topic.result())

    def daily(self) -> list[DailyFigure]:
        """Every learning day with reviews, oldest first: reviews, time spent, correct
        answers and new cards (for the CSV export)."""
        learning = LearningDays(self.clock.day_starts_at)
        return [
            DailyFigure(t.day, t.reviews, t.ms / 1000.0, t.judged, t.correct, t.new_cards)
            for t in self._read(lambda snap: store.daily(snap, learning))
        ]


def _reviews_per_day(
    reader: Snapshot, learning: LearningDays, since: dt.date, span: Span | None
) -> list[DayFigure]:
    """Reviews and time spent on each learning day from `since` on (days with none are
    left out)."""
    if span is None:
        return []
    first = max(since, learning.date(learning.number(span[0])))
    last = learning.date(learning.number(span[1]))
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 2)]
    totals = store.reviews_between(reader, [learning.start_at(day) for day in days])
    return [
        DayFigure(day, count, ms / 1000.0)
        for day, (count, ms) in zip(days, totals, strict=False)
        if count
    ]


def _retention(
    reader: Snapshot, learning: LearningDays, since: dt.date, span: Span | None
) -> float | None:
    """Anki's true retention from `since` on: of review-state cards, the first answer
    per card per day, passed unless rated Again."""
    if span is None:
        return None
    total, passed = store.true_retention(reader, learning, learning.start_at(since), span)
    return passed / total if total else None


def _retention_by_topic(
    reader: Snapshot, learning: LearningDays, span: Span | None
) -> dict[str, float]:
    """True retention per topic, over all time; cards are summed per topic set first, so
    each set's topics are counted once per set."""
    if span is None:
        return {}
    totals: dict[str, list[int]] = {}
    for cards in store.retention_by_topic(reader, learning, span):
        for topic in cards.topics:
            counts = totals.setdefault(topic, [0, 0])
            counts[0] += cards.answers
            counts[1] += cards.passed
    # Sorted by code point (as UTF-8 bytes sort), the same on both engines.
    return {topic: ok / n for topic, (n, ok) in sorted(totals.items())}


def _cards(
    reader: Snapshot, learning: LearningDays, today: dt.date, days: int
) -> tuple[dict[str, int], list[DayFigure]]:
    """Cards by state, and reviewed cards falling due on each of the next `days` days
    (overdue ones count today)."""
    counts = {"new": 0, "learning": 0, "review": 0, "relearning": 0}
    every, unreviewed = store.cards_by_state(reader)
    for state, n in every.items():
        counts[_STATE_NAMES[state]] += n
    # Never-reviewed cards are "new" whatever their state (they are all Learning).
    for state, n in unreviewed.items():
        counts[_STATE_NAMES[state]] -= n
        counts["new"] += n
    due = store.falling_due(reader, learning, today, today + dt.timedelta(days=days))
    forecast = [
        DayFigure(day, due.get(day, 0))
        for day in (today + dt.timedelta(days=n) for n in range(days))
    ]
    return counts, forecast


def _task_completion(reader: Snapshot, today: dt.date) -> float | None:
    total, done = store.tasks_due(reader, today)
    return done / total if total else None


def _calibration(reader: Snapshot) -> Calibration:
    """Log loss and RMSE over bins of the recall FSRS predicted before each review."""
    bins = store.recall_bins(reader)
    n = sum(b.reviews for b in bins)
    if not n:
        return Calibration(reviews=0, log_loss=None, rmse_bins=None)
    loss = math.fsum(b.log_likelihood for b in bins)
    squared = sum(b.reviews * (b.predicted - b.actual) ** 2 for b in bins)
    return Calibration(
        reviews=n,
        log_loss=-loss / n,
        rmse_bins=math.sqrt(squared / n),
        bins=[(b.predicted, b.actual, b.reviews) for b in bins],
    )


def streak(days: set[dt.date], today: dt.date) -> int:
    """Consecutive days with an entry, ending today, or yesterday if today has none yet."""
    day = today if today in days else today - dt.timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= dt.timedelta(days=1)
    return count
