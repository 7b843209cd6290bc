"""Reviewing cards: the queue, recording an answer through FSRS, and undo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fsrs import Rating, Scheduler, State

from cards.scheduling import Grade, Memory, Settings, preview, retrievability, review
from studylog.clock import Clock
from studylog.errors import StudylogError
from studylog.store import cards as stored_cards
from studylog.store import reviews as review_log
from studylog.store import settings as stored_settings
from studylog.store.cards import CardView
from studylog.store.reviews import ReviewRecord, Schedule
from studylog.store.transactions import read, write

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

__all__ = ["CardView", "QueueCounts", "Recorded", "ReviewService"]

# How many new cards to look at when spreading siblings over days.
_NEW_CANDIDATES = 400


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


def _fresh(candidates: Iterable[CardView], limit: int, families_today: set[str]) -> list[CardView]:
    """Up to `limit` of `candidates`, one per sibling family not yet started today."""
    fresh: list[CardView] = []
    seen = set(families_today)
    for view in candidates:
        if len(fresh) >= limit:
            break
        if view.family not in seen:  # before parsing the spec: most families repeat
            seen.add(view.family)
            fresh.append(view)
    return fresh


class ReviewService:
    """The review queue and the review log, scheduled by FSRS.

    `device` names the machine that records reviews, so that `undo` takes back only the
    reviews made here (see `studylog.config.device_name`).
    """

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        settings: Settings,
        new_per_day: int = 20,
        reviews_per_day: int = 200,
        device: str = "",
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.settings = settings
        self.new_per_day = new_per_day
        self.reviews_per_day = reviews_per_day
        self.device = device

    def scheduler(self) -> Scheduler:
        """The FSRS scheduler, with fitted parameters when `optimize` has stored some."""
        return read(self.engine, self._scheduler)

    def _scheduler(self, conn: Connection) -> Scheduler:
        """`scheduler()`, looking the parameters up on a connection already open."""
        stored = stored_settings.get(conn, stored_settings.FSRS_PARAMETERS)
        if stored is None:
            return self.settings.scheduler()
        return Settings(
            desired_retention=self.settings.desired_retention,
            enable_fuzzing=self.settings.enable_fuzzing,
            parameters=tuple(stored),
            learning_steps_minutes=self.settings.learning_steps_minutes,
            relearning_steps_minutes=self.settings.relearning_steps_minutes,
            maximum_interval=self.settings.maximum_interval,
        ).scheduler()

    def card(self, card_id: int) -> CardView:
        """One card; a one-line error if there is no such card."""
        view = read(self.engine, lambda conn: stored_cards.card(conn, card_id))
        if view is None:
            raise StudylogError(f"card {card_id}: no such card")
        return view

    def cards(self) -> list[CardView]:
        """Every card, in id order."""
        return read(self.engine, stored_cards.all_cards)

    def _day_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The current learning day as a UTC interval."""
        start_local = dt.datetime.combine(
            self.clock.today(), dt.time(self.clock.day_starts_at)
        ).astimezone()
        start = start_local.astimezone(dt.UTC)
        return start, start + dt.timedelta(days=1)

    def queue(self) -> list[CardView]:
        """Cards to study now: learning first, then due reviews, then new cards.

        New cards come by entry date, at most one per sibling family a day (like Anki
        burying siblings), within the daily new-card limit; reviews respect their limit.
        """
        now = self.clock.now()
        start, end = self._day_bounds()

        def build(conn: Connection) -> list[CardView]:
            today = review_log.done_since(conn, start)
            new = {(r.key, r.entry_day) for r in today if r.was_new and r.key is not None}
            families_today = {stored_cards.family_of(key, day) for key, day in new}
            reviews_done = sum(r.state_before is State.Review for r in today)
            learning = stored_cards.learning_due(conn, now)
            review_limit = max(0, self.reviews_per_day - reviews_done)
            reviews = stored_cards.reviews_due(conn, end, review_limit)
            new_limit = max(0, self.new_per_day - len({key for key, _ in new}))
            fresh = (
                _fresh(stored_cards.new_cards(conn, _NEW_CANDIDATES), new_limit, families_today)
                if new_limit
                else []
            )
            return [*learning, *reviews, *fresh]

        return read(self.engine, build)

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
        """Reschedule the card and log the review, both in one transaction.

        The card is read under its row lock, so an answer given at the same moment on
        another device is scheduled from this one's result, never from the same state;
        the clock is read once the lock is held, so a card's reviews are timed in the
        order they were applied.
        """

        def answer_card(conn: Connection) -> Recorded:
            scheduler = self._scheduler(conn)
            view = stored_cards.card(conn, card_id, lock=True)
            if view is None:
                raise StudylogError(f"card {card_id}: no such card")
            now = self.clock.now()
            before = view.memory
            predicted = retrievability(before, now, scheduler) if before.last_review else None
            after = review(before, grade, now, scheduler)
            lapsed = before.state == State.Review and grade is Grade.AGAIN
            review_id = review_log.add(
                conn,
                ReviewRecord(
                    card_id=card_id,
                    reviewed_at=now,
                    rating=Rating(int(grade)),
                    correct=correct,
                    answer=answer,
                    duration_ms=duration_ms,
                    seed=seed,
                    retrievability=predicted,
                    state_before=before.state,
                    was_new=view.reps == 0,
                    before=Schedule(before, view.reps, view.lapses).to_json(),
                    device=self.device,
                ),
            )
            stored_cards.set_memory(
                conn, card_id, after, reps=view.reps + 1, lapses=view.lapses + int(lapsed)
            )
            return Recorded(review_id, card_id, grade, before, after)

        return write(self.engine, answer_card)

    def undo(self) -> int | None:
        """Revert this device's most recent review: restore its card exactly and delete the
        log row. Returns the card's id, or None when there is no review to undo."""

        def take_back(conn: Connection) -> int | None:
            last = review_log.last(conn, self.device)
            if last is None:
                return None
            before = last.before
            stored_cards.set_memory(
                conn, last.card_id, before.memory, reps=before.reps, lapses=before.lapses
            )
            review_log.remove(conn, last.id)
            return last.card_id

        return write(self.engine, take_back)

    def store_parameters(self, parameters: list[float]) -> None:
        """Keep fitted FSRS parameters with the collection."""
        write(
            self.engine,
            lambda conn: stored_settings.put(conn, stored_settings.FSRS_PARAMETERS, parameters),
        )

    def history(self) -> list[review_log.Answer]:
        """The whole review log in the order it was made, as the FSRS optimizer reads it."""
        return read(self.engine, review_log.history)
