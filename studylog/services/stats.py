"""Progress statistics, the ones Anki users rely on, computed from the review log."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from typing import Any, TypeVar

from fsrs import State
from sqlalchemy import Engine

from studylog.clock import Clock
from studylog.services.learning_days import LearningDays, epoch_of, stored
from studylog.store.snapshot import Snapshot, read_snapshot


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
_STATE_NAMES = {1: "learning", 2: "review", 3: "relearning"}
_CALIBRATION_BINS = 10
_EPS = 1e-6
# The calibration bin of a review; the same text as the expression index on review
# (studylog.store.migrations), so the grouping walks that index instead of sorting.
RECALL_BIN = f"min(CAST(retrievability * {_CALIBRATION_BINS} AS INTEGER), {_CALIBRATION_BINS - 1})"


Rows = list[tuple[Any, ...]]


class StatsService:
    """Computes `Stats` with a handful of aggregate queries; nothing is cached.

    Learning days are computed as SQLite's `date(t, 'localtime', '-N hours')` would, but
    as integers (see `learning_days`); every pass over the review log walks a covering
    index (studylog.store.migrations) instead of sorting; reads take no write lock
    (studylog.store.snapshot); and the longest pass runs on a second connection.
    """

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def _read(self, work: Callable[[Snapshot], T]) -> T:
        with read_snapshot(self.engine) as snap:
            return work(snap)

    def journal_streak(self) -> int:
        """The journal streak alone: what the Today screen shows, without the review log."""
        with read_snapshot(self.engine) as reader:
            days = {dt.date.fromisoformat(d) for (d,) in reader.rows(_DAYS)}
        return streak(days, self.clock.today())

    def snapshot(self, days: int = 365, forecast_days: int = 30) -> Stats:
        """All figures: review history over `days`, forecast over `forecast_days`."""
        today = self.clock.today()
        since = today - dt.timedelta(days=days - 1)
        learning = LearningDays(self.clock.day_starts_at)
        # Read without taking the write lock. The longest pass, retention by topic, runs
        # on a second connection meanwhile (sqlite3 lets go of the GIL while a query
        # runs); its snapshot is taken the same moment, give or take a write.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="stats") as pool:
            span = self._read(_review_span)
            by_topic = pool.submit(
                self._read, lambda r: self._retention_by_topic(r, learning, span)
            )
            with read_snapshot(self.engine) as reader:
                entry_days = [dt.date.fromisoformat(d) for (d,) in reader.rows(_DAYS)]
                by_state, forecast = self._cards(reader, learning, today, forecast_days)
                recent = today - dt.timedelta(days=29)
                stats = Stats(
                    today=today,
                    streak=streak(set(entry_days), today),
                    entry_days=entry_days,
                    reviews_per_day=self._reviews_per_day(reader, learning, since, span),
                    true_retention=self._retention(reader, learning, recent, span),
                    retention_by_topic={},
                    cards_by_state=by_state,
                    forecast=forecast,
                    task_completion=self._task_completion(reader, today),
                    calibration=self._calibration(reader),
                )
            return replace(stats, retention_by_topic=by_topic.result())

    def daily(self) -> list[DailyFigure]:
        """Every learning day with reviews, oldest first: reviews, time spent, correct
        answers and new cards (for the CSV export)."""
        learning = LearningDays(self.clock.day_starts_at)

        def work(reader: Snapshot) -> Rows:
            span = _review_span(reader)
            if span is None:
                return []
            day = learning.sql("reviewed_at", *span)
            return reader.rows(
                f"SELECT {day} AS d, count(*), coalesce(sum(duration_ms), 0), "
                "count(correct), coalesce(sum(correct), 0), coalesce(sum(was_new), 0) "
                "FROM review GROUP BY d ORDER BY d"
            )

        return [
            DailyFigure(learning.date(d), n, ms / 1000.0, judged, correct, new)
            for d, n, ms, judged, correct, new in self._read(work)
        ]

    def _reviews_per_day(
        self,
        reader: Snapshot,
        learning: LearningDays,
        since: dt.date,
        span: tuple[int, int] | None,
    ) -> list[DayFigure]:
        """Reviews and time spent on each learning day from `since` on (days with none are
        left out). One index range per day: the covering index on (reviewed_at,
        duration_ms) is walked in order, and nothing is sorted."""
        if span is None:
            return []
        last = learning.date(learning.number(span[1]))
        day = max(since, learning.date(learning.number(span[0])))
        figures = []
        bound = stored(learning.start(day))
        while day <= last:
            following = day + dt.timedelta(days=1)
            next_bound = stored(learning.start(following))
            count, ms = reader.one(
                "SELECT count(*), coalesce(sum(duration_ms), 0) FROM review "
                "WHERE reviewed_at >= :lo AND reviewed_at < :hi",
                {"lo": bound, "hi": next_bound},
            )
            if count:
                figures.append(DayFigure(day, count, ms / 1000.0))
            day, bound = following, next_bound
        return figures

    def _retention(
        self,
        reader: Snapshot,
        learning: LearningDays,
        since: dt.date,
        span: tuple[int, int] | None,
    ) -> float | None:
        """Anki's true retention from `since` on: of review-state cards, the first answer
        per card per day, passed unless rated Again. A few weeks of reviews, found
        through the index on reviewed_at; min(id) makes the bare column that of the
        day's first answer."""
        if span is None:
            return None
        day = learning.sql("reviewed_at", *span)
        total, passed = reader.one(
            "SELECT count(*), coalesce(sum(ok), 0) FROM ("
            "SELECT rating > 1 AS ok, min(id) FROM review "
            f"WHERE +state_before = {int(State.Review)} AND reviewed_at >= :recent "
            f"GROUP BY +card_id, {day})",
            {"recent": stored(learning.start(since))},
        )
        return passed / total if total else None

    def _retention_by_topic(
        self, reader: Snapshot, learning: LearningDays, span: tuple[int, int] | None
    ) -> dict[str, float]:
        """True retention per topic, over all time.

        One walk of the (state_before, card_id, reviewed_at, rating) index, grouped by card
        without a sort. A card answered at most once a day in review state (nearly every
        card) counts every such answer; only the others are grouped by day. Cards are then
        summed per topic set, so each set's JSON is parsed once."""
        if span is None:
            return {}
        review = int(State.Review)
        day = learning.sql("reviewed_at", *span)
        totals: dict[str, list[int]] = {}
        for topics, n, ok in reader.rows(
            "WITH per_card AS ("
            f"SELECT card_id, count(*) AS n, count(DISTINCT {day}) AS days, "
            f"sum(rating > 1) AS ok FROM review WHERE state_before = {review} "
            "GROUP BY card_id), "
            "day_firsts AS ("
            "SELECT card_id, rating > 1 AS ok, min(id) FROM review "
            f"WHERE state_before = {review} "
            "AND card_id IN (SELECT card_id FROM per_card WHERE n > days) "
            f"GROUP BY card_id, {day}), "
            "firsts AS ("
            "SELECT card_id, n, ok FROM per_card WHERE n = days "
            "UNION ALL "
            "SELECT card_id, count(*), sum(ok) FROM day_firsts GROUP BY card_id) "
            "SELECT c.topics, sum(f.n), sum(f.ok) FROM firsts f "
            "JOIN card c ON c.id = f.card_id GROUP BY c.topics"
        ):
            for topic in json.loads(topics):
                counts = totals.setdefault(topic, [0, 0])
                counts[0] += n
                counts[1] += ok
        # Sorted as SQLite's BINARY collation sorts (code points, as UTF-8 bytes do).
        return {topic: ok / n for topic, (n, ok) in sorted(totals.items())}

    def _cards(
        self, reader: Snapshot, learning: LearningDays, today: dt.date, days: int
    ) -> tuple[dict[str, int], list[DayFigure]]:
        """Cards by state, and reviewed cards falling due on each of the next `days` days
        (overdue ones count today). Both walk the (state, due) index: counting needs no
        row, and the forecast only the cards due before the horizon."""
        counts = {"new": 0, "learning": 0, "review": 0, "relearning": 0}
        for state, n in reader.rows("SELECT state, count(*) FROM card GROUP BY state"):
            counts[_STATE_NAMES.get(state, "review")] += n
        # Never-reviewed cards are "new" whatever their state (they are all Learning).
        for state, n in reader.rows(
            "SELECT state, count(*) FROM card WHERE reps = 0 GROUP BY state"
        ):
            counts[_STATE_NAMES.get(state, "review")] -= n
            counts["new"] += n
        until = today + dt.timedelta(days=days)
        horizon = learning.start(until)
        first = reader.one("SELECT min(due) FROM card")[0]
        due: dict[dt.date, int] = {}
        if first is not None:
            day = learning.sql("due", epoch_of(first), max(epoch_of(first), horizon))
            for d, n in reader.rows(
                f"SELECT max({day}, :today), count(*) FROM card "
                "WHERE state IN (2, 3) AND due < :horizon GROUP BY 1 "
                "UNION ALL "
                f"SELECT max({day}, :today), count(*) FROM card "
                "WHERE state = 1 AND due < :horizon AND reps > 0 GROUP BY 1",
                {"today": learning.number_of(today), "horizon": stored(horizon)},
            ):
                when = learning.date(d)
                due[when] = due.get(when, 0) + n
        forecast = [
            DayFigure(day, due.get(day, 0))
            for day in (today + dt.timedelta(days=n) for n in range(days))
        ]
        return counts, forecast

    def _task_completion(self, reader: Snapshot, today: dt.date) -> float | None:
        total, done = reader.one(
            "SELECT count(*), coalesce(sum(done), 0) FROM task WHERE due <= :today",
            {"today": today.isoformat()},
        )
        return done / total if total else None

    def _calibration(self, reader: Snapshot) -> Calibration:
        """Log loss and RMSE over bins of the recall FSRS predicted before each review.
        One walk of the expression index on the bin gives both, without a sort."""
        # Clamped with CASE rather than min()/max(): no function calls per review.
        p = (
            f"(CASE WHEN retrievability < {_EPS} THEN {_EPS} "
            f"WHEN retrievability > {1 - _EPS} THEN {1 - _EPS} ELSE retrievability END)"
        )
        rows = reader.rows(
            f"SELECT avg(retrievability), avg(rating > 1), count(*), "
            f"sum(ln(CASE WHEN rating > 1 THEN {p} ELSE 1 - {p} END)) "
            f"FROM review WHERE retrievability IS NOT NULL GROUP BY {RECALL_BIN} ORDER BY 1"
        )
        n = sum(int(count) for _, _, count, _ in rows)
        if not n:
            return Calibration(reviews=0, log_loss=None, rmse_bins=None)
        bins = [(float(pred), float(actual), int(count)) for pred, actual, count, _ in rows]
        loss = math.fsum(float(part) for *_, part in rows)
        squared = sum(count * (pred - actual) ** 2 for pred, actual, count in bins)
        return Calibration(
            reviews=n,
            log_loss=-loss / n,
            rmse_bins=math.sqrt(squared / n),
            bins=bins,
        )


_DAYS = "SELECT day FROM entry ORDER BY day"


def _review_span(reader: Snapshot) -> tuple[int, int] | None:
    """Unix seconds of the first and last review, or None without reviews (two index
    look-ups)."""
    first, last = reader.one(
        "SELECT (SELECT min(reviewed_at) FROM review), (SELECT max(reviewed_at) FROM review)"
    )
    if first is None:
        return None
    return epoch_of(first), epoch_of(last)


def streak(days: set[dt.date], today: dt.date) -> int:
    """Consecutive days with an entry, ending today, or yesterday if today has none yet."""
    day = today if today in days else today - dt.timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= dt.timedelta(days=1)
    return count
