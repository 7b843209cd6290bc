"""Due dates as people write them: an ISO date, or a word counted from the learning day.

One reading for every front end: the Tasks screen's dialog and the CLI's `task add --due`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_WEEKDAYS = (
    ("mon", "monday", "월", "월요일"),
    ("tue", "tuesday", "화", "화요일"),
    ("wed", "wednesday", "수", "수요일"),
    ("thu", "thursday", "목", "목요일"),
    ("fri", "friday", "금", "금요일"),
    ("sat", "saturday", "토", "토요일"),
    ("sun", "sunday", "일", "일요일"),
)
WEEKDAY_NAMES = {name: number for number, names in enumerate(_WEEKDAYS) for name in names}
HINT = "use YYYY-MM-DD, today, tomorrow, +N or a weekday (fri, friday, 금요일)"


@dataclass(frozen=True)
class OnDay:
    """A date written out."""

    day: dt.date


@dataclass(frozen=True)
class DaysAhead:
    """`today` (0), `tomorrow` (1) or `+N`."""

    days: int


@dataclass(frozen=True)
class NextWeekday:
    """A weekday's name: the next such day after today (a week ahead if today is one)."""

    weekday: int  # Monday is 0, as in `date.weekday()`


DueDate = OnDay | DaysAhead | NextWeekday


def read_due(text: str) -> DueDate:
    """What `text` names, before it is known which day is today; ValueError if nothing."""
    cleaned = text.strip().lower()
    if cleaned in ("", "today"):
        return DaysAhead(0)
    if cleaned == "tomorrow":
        return DaysAhead(1)
    if re.fullmatch(r"\+\d{1,4}", cleaned):
        return DaysAhead(int(cleaned[1:]))
    if cleaned in WEEKDAY_NAMES:
        return NextWeekday(WEEKDAY_NAMES[cleaned])
    try:
        return OnDay(dt.date.fromisoformat(cleaned))
    except ValueError:
        raise ValueError(f"'{text}' is not a date: {HINT}") from None


def due_on(due: DueDate, today: dt.date) -> dt.date:
    """The day `due` names, counted from `today`."""
    match due:
        case OnDay(day):
            return day
        case DaysAhead(days):
            return today + dt.timedelta(days=days)
        case NextWeekday(weekday):
            return today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def parse_due(text: str, today: dt.date) -> dt.date:
    """The day `text` names, counted from `today`; ValueError if it names none."""
    return due_on(read_due(text), today)
