"""The SQLModel tables, one definition each. Instants are `UtcDateTime` (aware UTC on both
engines); days are plain dates; FSRS states, ratings and card kinds are their enums.

The schema in a database is made by the migrations (`studylog.store.revisions`), whose DDL
is written out; these classes describe it for queries, and a test checks that both agree.
"""

from __future__ import annotations

import datetime as dt

from fsrs import Rating, State
from sqlalchemy import BigInteger, Index, Integer, Table, inspect
from sqlmodel import Field, SQLModel

from cards.model import Kind
from studylog.store.types import EnumColumn, UtcDateTime

INSTANT = UtcDateTime()


class EntryRow(SQLModel, table=True):
    """One day's entry: the markdown exactly as written, plus fields derived from it."""

    __tablename__ = "entry"

    id: int | None = Field(default=None, primary_key=True)
    day: dt.date = Field(index=True, unique=True)
    category: str | None = None
    markdown: str
    source: str | None = None
    created_at: dt.datetime = Field(sa_type=INSTANT)
    updated_at: dt.datetime = Field(sa_type=INSTANT)


class EntryRevisionRow(SQLModel, table=True):
    """Markdown an entry had before it was replaced, so no import or save loses text."""

    __tablename__ = "entry_revision"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True, ondelete="CASCADE")
    markdown: str
    replaced_at: dt.datetime = Field(sa_type=INSTANT)


class LectureRow(SQLModel, table=True):
    """A lecture listed in an entry's spec."""

    __tablename__ = "lecture"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True, ondelete="CASCADE")
    number: int
    title: str


class TaskRow(SQLModel, table=True):
    """A planned task: from an entry's "next plan" list, or added by hand (no entry)."""

    __tablename__ = "task"
    # Carried-over plans look up open tasks by text on every entry saved.
    __table_args__ = (Index("ix_task_open_text", "done", "text"),)

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int | None = Field(
        default=None, foreign_key="entry.id", index=True, ondelete="SET NULL"
    )
    text: str
    due: dt.date = Field(index=True)
    done: bool = False
    done_at: dt.datetime | None = Field(default=None, sa_type=INSTANT)
    position: int = 0
    created_at: dt.datetime = Field(sa_type=INSTANT)
    # The later entry whose lectures closed this plan item ("4강 5강 듣기"); None for a task
    # that is open or was ticked by the learner.
    closed_by: int | None = Field(default=None, foreign_key="entry.id", ondelete="SET NULL")


class EntryTopicRow(SQLModel, table=True):
    """A topic detected in an entry's notes."""

    __tablename__ = "entry_topic"

    entry_id: int = Field(foreign_key="entry.id", primary_key=True, ondelete="CASCADE")
    topic: str = Field(primary_key=True, index=True)


class CardRow(SQLModel, table=True):
    """A quiz card and its FSRS memory state.

    `key` is the card's identity across re-derivations (see cards.deck). A built-in card
    exists once, owned by the earliest entry whose topics call for it; a written-in card
    belongs to the entry it is written in. `spec` is the CardSpec as JSON.
    The FSRS columns mirror `fsrs.Card`; `reps` counts reviews and seeds each new variant.
    """

    __tablename__ = "card"
    # The queue's look-ups: due cards by state, new cards by entry, and (re)learning cards
    # without walking the new ones, which share their state.
    __table_args__ = (
        Index("ix_card_state_due", "state", "due"),
        Index("ix_card_new", "reps", "entry_id"),
        Index("ix_card_learning", "state", "reps", "due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    entry_id: int | None = Field(
        default=None, foreign_key="entry.id", index=True, ondelete="SET NULL"
    )
    kind: Kind = Field(sa_type=EnumColumn(Kind))
    topics: str
    spec: str
    created_at: dt.datetime = Field(sa_type=INSTANT)
    state: State = Field(default=State.Learning, sa_type=EnumColumn(State))
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: dt.datetime = Field(index=True, sa_type=INSTANT)
    last_review: dt.datetime | None = Field(default=None, sa_type=INSTANT)
    reps: int = 0
    lapses: int = 0


class ReviewRow(SQLModel, table=True):
    """One answered review. `before` is the card's state before it, as JSON, for undo;
    `retrievability` is the recall FSRS predicted at that moment, for calibration."""

    __tablename__ = "review"
    # Covering indexes for the stats (see revision 0002), and each card's log in order.
    # ix_review_recall, on an expression per engine, is the revision's alone.
    __table_args__ = (
        Index("ix_review_card_time", "card_id", "reviewed_at"),
        Index("ix_review_time_duration", "reviewed_at", "duration_ms"),
        Index("ix_review_firsts", "state_before", "card_id", "reviewed_at", "rating"),
    )

    id: int | None = Field(default=None, primary_key=True)
    card_id: int = Field(foreign_key="card.id", index=True, ondelete="CASCADE")
    reviewed_at: dt.datetime = Field(index=True, sa_type=INSTANT)
    rating: Rating = Field(sa_type=EnumColumn(Rating))
    correct: bool | None = None
    answer: str | None = None
    duration_ms: int | None = None
    # A variant's seed can be any 64-bit integer.
    seed: int | None = Field(default=None, sa_type=BigInteger().with_variant(Integer(), "sqlite"))
    retrievability: float | None = None
    state_before: State = Field(sa_type=EnumColumn(State))
    was_new: bool = False
    before: str
    # The device that recorded it (config `device`, $STUDYLOG_DEVICE or the host name), so
    # that `undo` takes back only the caller's own review; None for reviews from before v4.
    device: str | None = None


class SettingRow(SQLModel, table=True):
    """Settings that travel with the collection, such as fitted FSRS parameters (JSON)."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str


# Every table above, for the checks that compare a database with them.
METADATA = SQLModel.metadata


def table_of(row: type[SQLModel]) -> Table:
    """The SQLAlchemy `Table` behind a SQLModel table class, for Core queries.

    SQLModel sets `__table__` at class creation without declaring it; its mapper's table is
    typed, and checked here once rather than ignored at every use.
    """
    table = inspect(row).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{row.__name__} is not a SQLModel table")
    return table
