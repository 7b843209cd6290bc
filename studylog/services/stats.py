"""Progress statistics, the ones Anki users rely on, computed from the review log."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from fsrs import State
from sqlalchemy import Connection, Engine, text

from studylog.clock import Clock


@dataclass(frozen=True)
class DayFigure:
    """One day's count (reviews done, cards due, …) and, for reviews, the time spent."""

    day: dt.date
    count: int
    seconds: float = 0.0


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
        raw = asdict(self)
        return _jsonable(raw)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


# SQLite's date modifiers shift a stored UTC time to the learner's learning day: local
# time, minus the hour the day starts at.
def _day_sql(column: str, starts_at: int) -> str:
    return f"date({column}, 'localtime', '-{starts_at} hours')"


_STATE_NAMES = {1: "learning", 2: "review", 3: "relearning"}
_CALIBRATION_BINS = 10
_EPS = 1e-6


class StatsService:
    """Computes `Stats` with a handful of aggregate queries; nothing is cached."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def _day(self, column: str) -> str:
        return _day_sql(column, self.clock.day_starts_at)

    def snapshot(self, days: int = 365, forecast_days: int = 30) -> Stats:
        """All figures: review history over `days`, forecast over `forecast_days`."""
        today = self.clock.today()
        since = today - dt.timedelta(days=days - 1)
        with self.engine.connect() as conn:
            entry_days = [
                dt.date.fromisoformat(str(d))
                for (d,) in conn.execute(text("SELECT day FROM entry ORDER BY day"))
            ]
            per_day = self._reviews_per_day(conn, since)
            retention, by_topic = self._retention(conn, today - dt.timedelta(days=29))
            return Stats(
                today=today,
                streak=streak(set(entry_days), today),
                entry_days=entry_days,
                reviews_per_day=per_day,
                true_retention=retention,
                retention_by_topic=by_topic,
                cards_by_state=self._cards_by_state(conn),
                forecast=self._forecast(conn, today, forecast_days),
                task_completion=self._task_completion(conn, today),
                calibration=self._calibration(conn),
            )

    def _reviews_per_day(self, conn: Connection, since: dt.date) -> list[DayFigure]:
        day = self._day("reviewed_at")
        rows = conn.execute(
            text(
                f"SELECT {day} AS d, count(*), coalesce(sum(duration_ms), 0) / 1000.0 "
                f"FROM review WHERE {day} >= :since GROUP BY d ORDER BY d"
            ),
            {"since": since.isoformat()},
        )
        return [DayFigure(dt.date.fromisoformat(d), n, float(s)) for d, n, s in rows]

    def _retention(self, conn: Connection, since: dt.date) -> tuple[float | None, dict[str, float]]:
        """Anki's true retention: of review-state cards, the first answer per card per day,
        passed unless rated Again. Overall over the window, and per topic over all time."""
        day = self._day("reviewed_at")
        firsts = (
            f"SELECT min(id) AS id FROM review WHERE state_before = {int(State.Review)} "
            f"AND {day} >= :since GROUP BY card_id, {day}"
        )
        total, passed = conn.execute(
            text(
                f"SELECT count(*), coalesce(sum(r.rating > 1), 0) FROM review r "
                f"WHERE r.id IN ({firsts})"
            ),
            {"since": since.isoformat()},
        ).one()
        overall = passed / total if total else None
        by_topic = {
            topic: ok / n
            for topic, n, ok in conn.execute(
                text(
                    "SELECT t.value, count(*), sum(r.rating > 1) FROM review r "
                    "JOIN card c ON c.id = r.card_id, json_each(c.topics) t "
                    f"WHERE r.id IN ({firsts}) GROUP BY t.value ORDER BY t.value"
                ),
                {"since": "0001-01-01"},
            )
        }
        return overall, by_topic

    def _cards_by_state(self, conn: Connection) -> dict[str, int]:
        counts = {"new": 0, "learning": 0, "review": 0, "relearning": 0}
        for state, reps, n in conn.execute(
            text("SELECT state, reps > 0, count(*) FROM card GROUP BY state, reps > 0")
        ):
            counts[_STATE_NAMES.get(state, "review") if reps else "new"] += n
        return counts

    def _forecast(self, conn: Connection, today: dt.date, days: int) -> list[DayFigure]:
        """Reviewed cards falling due on each of the next `days` days; overdue counts today."""
        due = {
            dt.date.fromisoformat(d): n
            for d, n in conn.execute(
                text(
                    f"SELECT max({self._day('due')}, :today) AS d, count(*) FROM card "
                    "WHERE reps > 0 AND d < :until GROUP BY d"
                ),
                {
                    "today": today.isoformat(),
                    "until": (today + dt.timedelta(days=days)).isoformat(),
                },
            )
        }
        return [
            DayFigure(day, due.get(day, 0))
            for day in (today + dt.timedelta(days=n) for n in range(days))
        ]

    def _task_completion(self, conn: Connection, today: dt.date) -> float | None:
        total, done = conn.execute(
            text("SELECT count(*), coalesce(sum(done), 0) FROM task WHERE due <= :today"),
            {"today": today.isoformat()},
        ).one()
        return done / total if total else None

    def _calibration(self, conn: Connection) -> Calibration:
        """Log loss and RMSE over bins of the recall FSRS predicted before each review."""
        p = f"min(max(retrievability, {_EPS}), {1 - _EPS})"
        n, loss = conn.execute(
            text(
                f"SELECT count(*), sum(CASE WHEN rating > 1 THEN ln({p}) ELSE ln(1 - {p}) END) "
                "FROM review WHERE retrievability IS NOT NULL"
            )
        ).one()
        if not n:
            return Calibration(reviews=0, log_loss=None, rmse_bins=None)
        bins = [
            (float(pred), float(actual), int(count))
            for pred, actual, count in conn.execute(
                text(
                    f"SELECT avg(retrievability), avg(rating > 1), count(*) FROM review "
                    f"WHERE retrievability IS NOT NULL "
                    f"GROUP BY min(CAST(retrievability * {_CALIBRATION_BINS} AS INTEGER), "
                    f"{_CALIBRATION_BINS - 1}) ORDER BY 1"
                )
            )
        ]
        squared = sum(count * (pred - actual) ** 2 for pred, actual, count in bins)
        return Calibration(
            reviews=int(n),
            log_loss=-float(loss) / n,
            rmse_bins=math.sqrt(squared / n),
            bins=bins,
        )


def streak(days: set[dt.date], today: dt.date) -> int:
    """Consecutive days with an entry, ending today, or yesterday if today has none yet."""
    day = today if today in days else today - dt.timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= dt.timedelta(days=1)
    return count
