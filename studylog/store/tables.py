"""The SQLModel tables. Times are stored in UTC; days are plain dates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Table, inspect
from sqlmodel import Field, SQLModel


class EntryRow(SQLModel, table=True):
    """One day's entry: the markdown exactly as written, plus fields derived from it."""

    __tablename__ = "entry"

    id: int | None = Field(default=None, primary_key=True)
    day: dt.date = Field(index=True, unique=True)
    category: str | None = None
    markdown: str
    source: str | None = None
    created_at: dt.datetime
    updated_at: dt.datetime


class EntryRevisionRow(SQLModel, table=True):
    """Markdown an entry had before it was replaced, so no import or save loses text."""

    __tablename__ = "entry_revision"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True, ondelete="CASCADE")
    markdown: str
    replaced_at: dt.datetime


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

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int | None = Field(
        default=None, foreign_key="entry.id", index=True, ondelete="SET NULL"
    )
    text: str
    due: dt.date = Field(index=True)
    done: bool = False
    done_at: dt.datetime | None = None
    position: int = 0
    created_at: dt.datetime
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

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    entry_id: int | None = Field(
        default=None, foreign_key="entry.id", index=True, ondelete="SET NULL"
    )
    kind: str
    topics: str
    spec: str
    created_at: dt.datetime
    state: int = 1
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    due: dt.datetime = Field(index=True)
    last_review: dt.datetime | None = None
    reps: int = 0
    lapses: int = 0


class ReviewRow(SQLModel, table=True):
    """One answered review. `before` is the card's state before it, as JSON, for undo;
    `retrievability` is the recall FSRS predicted at that moment, for calibration."""

    __tablename__ = "review"

    id: int | None = Field(default=None, primary_key=True)
    card_id: int = Field(foreign_key="card.id", index=True, ondelete="CASCADE")
    reviewed_at: dt.datetime = Field(index=True)
    rating: int
    correct: bool | None = None
    answer: str | None = None
    duration_ms: int | None = None
    seed: int | None = None
    retrievability: float | None = None
    state_before: int
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


def table_of(row: type[SQLModel]) -> Table:
    """The SQLAlchemy `Table` behind a SQLModel table class, for Core queries.

    SQLModel sets `__table__` at class creation without declaring it; its mapper's table is
    typed, and checked here once rather than ignored at every use.
    """
    table = inspect(row).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{row.__name__} is not a SQLModel table")
    return table
