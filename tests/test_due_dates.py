"""Due dates in words, as the Tasks dialog and `task add --due` read them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from studylog.services.dates import WEEKDAY_NAMES, parse_due

SATURDAY = dt.date(2022, 1, 29)


def test_parse_due() -> None:
    today = SATURDAY
    assert parse_due("", today) == today
    assert parse_due("tomorrow", today) == dt.date(2022, 1, 30)
    assert parse_due("+10", today) == dt.date(2022, 2, 8)
    assert parse_due("2022-03-01", today) == dt.date(2022, 3, 1)


@pytest.mark.parametrize("name", sorted(WEEKDAY_NAMES))
def test_a_weekday_is_the_next_such_day(name: str) -> None:
    due = parse_due(name.upper(), SATURDAY)
    assert SATURDAY < due <= SATURDAY + dt.timedelta(days=7)
    assert due.weekday() == WEEKDAY_NAMES[name]


@pytest.mark.parametrize("text", ["someday", "+", "-1", "fri day", "2022-02-30"])
def test_other_words_are_refused_naming_them(text: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(repr(text))} is not a date: use YYYY-MM-DD"):
        parse_due(text, SATURDAY)
