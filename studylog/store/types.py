"""Column types that say what a value is: an instant in UTC, or a member of an enum.

Both engines store the same meaning in their own way. An instant is a `timestamptz` on
PostgreSQL and, on SQLite (which has no time type), fixed-width ISO text that carries its
offset, `YYYY-MM-DD HH:MM:SS.ffffff+00:00`: it sorts as text in time order and SQLite's
date functions read it. Enum columns keep the values the schema has always held (FSRS
states and ratings as integers, card kinds as text) and hand back the enum members.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, Generic, TypeVar

from sqlalchemy import DateTime, Dialect, Integer, String
from sqlalchemy.types import TypeDecorator, TypeEngine

# How SQLite holds an instant.
SQLITE_STAMP = "%Y-%m-%d %H:%M:%S.%f+00:00"

E = TypeVar("E", bound=Enum)


def sqlite_stamp(when: dt.datetime) -> str:
    """`when` (timezone-aware) as SQLite stores it."""
    return utc(when).strftime(SQLITE_STAMP)


def utc(when: dt.datetime) -> dt.datetime:
    """`when` in UTC; a naive datetime is refused, since its zone would be a guess."""
    if when.tzinfo is None:
        raise ValueError(f"{when.isoformat()}: a time without a zone cannot be stored")
    return when.astimezone(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An instant: bound as an aware datetime, read back as an aware UTC datetime."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """Text on SQLite (its DATETIME columns hold whatever text is bound), else timestamptz."""
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String())
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        """The stored form of `value`."""
        if value is None:
            return None
        return sqlite_stamp(value) if dialect.name == "sqlite" else utc(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        """An aware UTC datetime; text written before times carried an offset is UTC."""
        if value is None:
            return None
        when = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        assert isinstance(when, dt.datetime)
        return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


class EnumColumn(TypeDecorator[E], Generic[E]):
    """A column of `enum`'s members, stored as their values: integers for an int enum
    (FSRS states and ratings), text otherwise (card kinds)."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[E]) -> None:
        super().__init__()
        self.enum = enum

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """INTEGER for an int enum, else text."""
        return dialect.type_descriptor(Integer() if issubclass(self.enum, int) else String())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        """The member's value; a plain value is checked against the enum first."""
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> E | None:
        """The member stored as `value`."""
        return None if value is None else self.enum(value)
