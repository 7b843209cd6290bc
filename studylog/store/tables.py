"""The SQLModel tables. Times are stored in UTC; days are plain dates."""

from __future__ import annotations

import datetime as dt

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
