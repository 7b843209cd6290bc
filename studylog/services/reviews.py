"""Reviewing cards: the queue, recording an answer through FSRS, and undo."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import dataclass
from typing import Any

from fsrs import Scheduler, State
from sqlalchemy import Connection, Engine, bindparam, delete, insert, select, text, update

from cards.keys import CardKey
from cards.scheduling import Grade, Memory, Settings, preview, retrievability, review
from studylog.clock import Clock
from studylog.errors import StudylogError
from studylog.services.asking import StoredSpec
from studylog.store.tables import CardRow, EntryRow, ReviewRow, SettingRow, table_of

CARD = table_of(CardRow)
ENTRY = table_of(EntryRow)
REVIEW = table_of(ReviewRow)
SETTING = table_of(SettingRow)

PARAMETERS_KEY = "fsrs.parameters"
# Fields a review changes; `before` snapshots them so undo restores the card exactly.
_MUTABLE = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
# How many new cards to look at when spreading siblings over days.
_NEW_CANDIDATES = 400


def _family(key: str, entry_day: dt.date | None) -> str:
    return CardKey.parse(key).family(entry_day)


@dataclass(frozen=True)
class CardView(StoredSpec):
    """A stored card as the front ends see it."""

    id: int
    key: str
    spec_json: str
    entry_day: dt.date | None
    memory: Memory
    reps: int
    lapses: int

    @property
    def is_new(self) -> bool:
        """Never reviewed."""
        return self.reps == 0

    @property
    def family(self) -> str:
        """Sibling group: cards of one generator family, or written in the same entry."""
        return _family(self.key, self.entry_day)


@dataclass(frozen=True)
class QueueCounts:
    """Cards due now, the way Anki shows them: new, learning, review."""

    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        """All three together."""
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class Recorded:
    """A review that was stored, with the card's state before and after."""

    review_id: int
    card_id: int
    grade: Grade
    before: Memory
    after: Memory


def _memory(row: Any) -> Memory:
    return Memory(
        due=row.due,
        state=State(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        last_review=row.last_review,
    )


def _snapshot(row: Any) -> str:
    values = {name: getattr(row, name) for name in _MUTABLE}
    for name in ("due", "last_review"):
        if values[name] is not None:
            values[name] = values[name].isoformat()
    return json.dumps(values)


def _restore(snapshot: str) -> dict[str, Any]:
    values: dict[str, Any] = json.loads(snapshot)
    for name in ("due", "last_review"):
        if values[name] is not None:
            values[name] = dt.datetime.fromisoformat(values[name])
    return values


_CARD_COLUMNS = (
    CARD.c.id,
    CARD.c.key,
    CARD.c.spec,
    CARD.c.state,
    CARD.c.step,
    CARD.c.stability,
    CARD.c.difficulty,
    CARD.c.due,
    CARD.c.last_review,
    CARD.c.reps,
    CARD.c.lapses,
    ENTRY.c.day,
)

# New cards in entry-day order. CROSS JOIN keeps `entry` the outer loop (SQLite's documented
# way to pin a join order): the scan walks ix_entry_day and probes ix_card_new (reps,
# entry_id) day by day, stopping at the limit. Left to itself the planner starts from the
# card side, then joins and sorts every new card (10k of them in a 100k-card collection).
# Cards without an entry are fetched separately: their NULL day sorts first.
_NEW_BY_DAY = text(
    'SELECT card.id, card."key", card.spec, card.state, card.step, card.stability, '
    "card.difficulty, card.due, card.last_review, card.reps, card.lapses, entry.day "
    "FROM entry CROSS JOIN card ON card.entry_id = entry.id "
    "WHERE card.reps = 0 ORDER BY entry.day, card.id LIMIT :limit"
).columns(*_CARD_COLUMNS)

# `record` runs these for every answer; built once, they skip SQLAlchemy's per-call
# statement construction.
_PARAMETERS = select(SETTING.c.value).where(SETTING.c.key == PARAMETERS_KEY)
_CARD_ROW = select(CARD).where(CARD.c.id == bindparam("target"))
_INSERT_REVIEW = insert(REVIEW)
_UPDATE_CARD = update(CARD).where(CARD.c.id == bindparam("target"))


def _view(row: Any) -> CardView:
    return CardView(
        id=row.id,
        key=row.key,
        spec_json=row.spec,
        entry_day=row.day,
        memory=_memory(row),
        reps=row.reps,
        lapses=row.lapses,
    )


class ReviewService:
    """The review queue and the review log, scheduled by FSRS."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        settings: Settings,
        new_per_day: int = 20,
        reviews_per_day: int = 200,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.settings = settings
        self.new_per_day = new_per_day
        self.reviews_per_day = reviews_per_day

    def scheduler(self) -> Scheduler:
        """The FSRS scheduler, with fitted parameters when `optimize` has stored some."""
        with self.engine.connect() as conn:
            return self._scheduler(conn)

    def _scheduler(self, conn: Connection) -> Scheduler:
        """`scheduler()`, looking the parameters up on a connection already open."""
        stored = conn.execute(_PARAMETERS).scalar()
        if stored is None:
            return self.settings.scheduler()
        return Settings(
            desired_retention=self.settings.desired_retention,
            enable_fuzzing=self.settings.enable_fuzzing,
            parameters=tuple(json.loads(stored)),
            learning_steps_minutes=self.settings.learning_steps_minutes,
            relearning_steps_minutes=self.settings.relearning_steps_minutes,
            maximum_interval=self.settings.maximum_interval,
        ).scheduler()

    def _select(self) -> Any:
        return select(*_CARD_COLUMNS).outerjoin(ENTRY, ENTRY.c.id == CARD.c.entry_id)

    def card(self, card_id: int) -> CardView:
        """One card; a one-line error if there is no such card."""
        with self.engine.connect() as conn:
            row = conn.execute(self._select().where(CARD.c.id == card_id)).first()
        if row is None:
            raise StudylogError(f"card {card_id}: no such card")
        return _view(row)

    def cards(self) -> list[CardView]:
        """Every card, in id order."""
        with self.engine.connect() as conn:
            rows = conn.execute(self._select().order_by(CARD.c.id)).all()
        return [_view(row) for row in rows]

    def _day_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The current learning day as a UTC interval."""
        start_local = dt.datetime.combine(
            self.clock.today(), dt.time(self.clock.day_starts_at)
        ).astimezone()
        start = start_local.astimezone(dt.UTC)
        return start, start + dt.timedelta(days=1)

    def _done_today(self, conn: Connection, start: dt.datetime) -> tuple[int, int, set[str]]:
        """New cards introduced and review cards answered today, and today's new families.

        One pass over today's reviews, a range of an index on reviewed_at (a few hundred rows
        at most): given a `state_before = ?` term, SQLite would rather walk a whole index that
        starts with state_before, which is most of the log (0.4 s at 1M reviews).
        """
        today = conn.execute(
            select(REVIEW.c.was_new, REVIEW.c.state_before, CARD.c.key, ENTRY.c.day)
            .select_from(REVIEW)
            .outerjoin(CARD, CARD.c.id == REVIEW.c.card_id)
            .outerjoin(ENTRY, ENTRY.c.id == CARD.c.entry_id)
            .where(REVIEW.c.reviewed_at >= start)
        ).all()
        new = {(row.key, row.day) for row in today if row.was_new and row.key is not None}
        new_keys = {key for key, _ in new}
        families = {_family(key, day) for key, day in new}
        reviews = sum(row.state_before == int(State.Review) for row in today)
        return len(new_keys), reviews, families

    def queue(self) -> list[CardView]:
        """Cards to study now: learning first, then due reviews, then new cards.

        New cards come by entry date, at most one per sibling family a day (like Anki
        burying siblings), within the daily new-card limit; reviews respect their limit.
        """
        now = self.clock.now()
        start, end = self._day_bounds()
        with self.engine.connect() as conn:
            new_done, reviews_done, families_today = self._done_today(conn, start)
            learning = conn.execute(
                self._select()
                .where(
                    CARD.c.state.in_([int(State.Learning), int(State.Relearning)]),
                    CARD.c.reps > 0,
                    CARD.c.due <= now,
                )
                .order_by(CARD.c.due)
            ).all()
            review_limit = max(0, self.reviews_per_day - reviews_done)
            reviews = conn.execute(
                self._select()
                .where(CARD.c.state == int(State.Review), CARD.c.due < end)
                .order_by(CARD.c.due)
                .limit(review_limit)
            ).all()
            new_limit = max(0, self.new_per_day - new_done)
            fresh = self._fresh(conn, new_limit, families_today) if new_limit else []
        return [*map(_view, learning), *map(_view, reviews), *fresh]

    def _fresh(self, conn: Connection, limit: int, families_today: set[str]) -> list[CardView]:
        """Up to `limit` new cards, one per sibling family not yet started today.

        Looks at the first `_NEW_CANDIDATES` new cards by entry day, then id (cards without
        an entry first), streaming them so that it reads no further than it needs to.
        """
        orphans = conn.execute(
            self._select()
            .where(CARD.c.reps == 0, CARD.c.entry_id.is_(None))
            .order_by(CARD.c.id)
            .limit(_NEW_CANDIDATES)
        ).all()
        rest = _NEW_CANDIDATES - len(orphans)
        fresh: list[CardView] = []
        seen = set(families_today)
        with conn.execute(_NEW_BY_DAY, {"limit": rest}) as by_day:
            for row in itertools.chain(orphans, by_day):
                if len(fresh) >= limit:
                    break
                family = _family(row.key, row.day)  # before parsing the spec: most repeat
                if family not in seen:
                    seen.add(family)
                    fresh.append(_view(row))
        return fresh

    def counts(self) -> QueueCounts:
        """How many new, learning and review cards the queue holds now."""
        queue = self.queue()
        new = sum(v.is_new for v in queue)
        learning = sum(not v.is_new and v.memory.state != State.Review for v in queue)
        return QueueCounts(new=new, learning=learning, review=len(queue) - new - learning)

    def preview(self, card_id: int) -> dict[Grade, dt.timedelta]:
        """The interval each grade would give the card now."""
        return preview(self.card(card_id).memory, self.clock.now(), self.scheduler())

    def record(
        self,
        card_id: int,
        grade: Grade,
        *,
        correct: bool | None = None,
        answer: str | None = None,
        duration_ms: int | None = None,
        seed: int | None = None,
    ) -> Recorded:
        """Reschedule the card and log the review, both in one transaction."""
        now = self.clock.now()
        with self.engine.begin() as conn:
            scheduler = self._scheduler(conn)
            row = conn.execute(_CARD_ROW, {"target": card_id}).first()
            if row is None:
                raise StudylogError(f"card {card_id}: no such card")
            before = _memory(row)
            predicted = retrievability(before, now, scheduler) if before.last_review else None
            after = review(before, grade, now, scheduler)
            lapsed = before.state == State.Review and grade is Grade.AGAIN
            inserted = conn.execute(
                _INSERT_REVIEW,
                {
                    "card_id": card_id,
                    "reviewed_at": now,
                    "rating": int(grade),
                    "correct": correct,
                    "answer": answer,
                    "duration_ms": duration_ms,
                    "seed": seed,
                    "retrievability": predicted,
                    "state_before": row.state,
                    "was_new": row.reps == 0,
                    "before": _snapshot(row),
                },
            )
            conn.execute(
                _UPDATE_CARD,
                {
                    "target": card_id,
                    "state": int(after.state),
                    "step": after.step,
                    "stability": after.stability,
                    "difficulty": after.difficulty,
                    "due": after.due,
                    "last_review": after.last_review,
                    "reps": row.reps + 1,
                    "lapses": row.lapses + int(lapsed),
                },
            )
        return Recorded(inserted.lastrowid, card_id, grade, before, after)

    def undo(self) -> int | None:
        """Revert the most recent review: restore its card exactly and delete the log row.

        Returns the card's id, or None when there is no review to undo.
        """
        with self.engine.begin() as conn:
            last = conn.execute(
                select(REVIEW.c.id, REVIEW.c.card_id, REVIEW.c.before)
                .order_by(REVIEW.c.id.desc())
                .limit(1)
            ).first()
            if last is None:
                return None
            conn.execute(
                update(CARD).where(CARD.c.id == last.card_id).values(**_restore(last.before))
            )
            conn.execute(delete(REVIEW).where(REVIEW.c.id == last.id))
        return int(last.card_id)

    def store_parameters(self, parameters: list[float]) -> None:
        """Keep fitted FSRS parameters with the collection."""
        with self.engine.begin() as conn:
            conn.execute(delete(SETTING).where(SETTING.c.key == PARAMETERS_KEY))
            conn.execute(insert(SETTING).values(key=PARAMETERS_KEY, value=json.dumps(parameters)))
