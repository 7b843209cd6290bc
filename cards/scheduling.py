"""The adapter around the `fsrs` package: a card's memory state in, the next state out.

studylog never computes intervals itself; everything goes through `fsrs.Scheduler`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from enum import IntEnum

from fsrs import Card, Rating, Scheduler, State


class Grade(IntEnum):
    """The four answer buttons, numbered as FSRS and Anki number them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @classmethod
    def parse(cls, text: str) -> Grade:
        """`again`/`hard`/`good`/`easy` or `1`–`4`; raises ValueError otherwise."""
        cleaned = text.strip().lower()
        if cleaned.isdigit() and 1 <= int(cleaned) <= 4:
            return cls(int(cleaned))
        try:
            return cls[cleaned.upper()]
        except KeyError:
            raise ValueError(f"rating '{text}' is not again, hard, good or easy") from None


def suggested_grade(correct: bool | None) -> Grade:
    """A wrong answer is Again and a right one is Good; the learner may choose otherwise."""
    return Grade.AGAIN if correct is False else Grade.GOOD


@dataclass(frozen=True)
class Settings:
    """Scheduler settings; the defaults are py-fsrs's own."""

    desired_retention: float = 0.9
    enable_fuzzing: bool = True
    parameters: tuple[float, ...] | None = None
    learning_steps_minutes: tuple[float, ...] = (1.0, 10.0)
    relearning_steps_minutes: tuple[float, ...] = (10.0,)
    maximum_interval: int = 36500

    def scheduler(self) -> Scheduler:
        """The configured `fsrs.Scheduler`."""
        extra = {"parameters": self.parameters} if self.parameters else {}
        return Scheduler(
            desired_retention=self.desired_retention,
            learning_steps=tuple(dt.timedelta(minutes=m) for m in self.learning_steps_minutes),
            relearning_steps=tuple(dt.timedelta(minutes=m) for m in self.relearning_steps_minutes),
            maximum_interval=self.maximum_interval,
            enable_fuzzing=self.enable_fuzzing,
            **extra,
        )


@dataclass(frozen=True)
class Memory:
    """A card's FSRS state. Times are timezone-aware UTC."""

    due: dt.datetime
    state: State = State.Learning
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    last_review: dt.datetime | None = None

    @classmethod
    def new(cls, now: dt.datetime) -> Memory:
        """A card never reviewed, due at once."""
        return cls(due=now)

    def to_card(self) -> Card:
        """The equivalent `fsrs.Card`."""
        # Without an id, fsrs makes one from the clock and sleeps 1 ms to keep ids unique;
        # the id only labels fsrs's own review logs, which studylog does not use.
        # Every field of a Memory is the `fsrs.Card` attribute of the same name.
        return Card(card_id=0, **{f.name: getattr(self, f.name) for f in fields(self)})

    @classmethod
    def from_card(cls, card: Card) -> Memory:
        """The memory state of an `fsrs.Card`."""
        return cls(**{f.name: getattr(card, f.name) for f in fields(cls)})


def review(memory: Memory, grade: Grade, at: dt.datetime, scheduler: Scheduler) -> Memory:
    """The state after answering with `grade` at `at`."""
    card, _log = scheduler.review_card(memory.to_card(), Rating(int(grade)), review_datetime=at)
    return Memory.from_card(card)


def preview(memory: Memory, at: dt.datetime, scheduler: Scheduler) -> dict[Grade, dt.timedelta]:
    """How long until the card is due again for each possible grade, as the buttons show.

    Fuzz is left out of the preview, so the numbers do not jitter between redraws.
    """
    steady = Scheduler.from_dict({**scheduler.to_dict(), "enable_fuzzing": False})
    out: dict[Grade, dt.timedelta] = {}
    for grade in Grade:
        after = review(memory, grade, at, steady)
        out[grade] = after.due - at
    return out


def retrievability(memory: Memory, at: dt.datetime, scheduler: Scheduler) -> float:
    """The predicted chance of recalling the card at `at` (0 for a card never reviewed)."""
    if memory.last_review is None:
        return 0.0
    return float(scheduler.get_card_retrievability(memory.to_card(), current_datetime=at))


def humanize(delta: dt.timedelta) -> str:
    """Anki-style short interval: `<1m`, `10m`, `3h`, `4d`, `2.1mo`, `1.3y`."""
    minutes = delta.total_seconds() / 60
    if minutes < 1:
        return "<1m"
    if minutes < 60:
        return f"{minutes:.0f}m"
    hours = minutes / 60
    if hours < 24:
        return f"{hours:.0f}h"
    days = hours / 24
    if days < 30:
        return f"{days:.0f}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"
