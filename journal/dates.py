"""Reading the dates learners write: `22.01.24`, `2022-01-24`, `2022.01.24`."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath

from journal.errors import EntryError

# One value, not a document: a small pattern is the clearest way to accept these forms.
_DATE = re.compile(r"(?P<y>\d{4}|\d{2})\s*[.\-/]\s*(?P<m>\d{1,2})\s*[.\-/]\s*(?P<d>\d{1,2})\.?")
_FILE_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def parse_date(text: str) -> dt.date:
    """Parse YY.MM.DD, YYYY-MM-DD or YYYY.MM.DD; raise EntryError for anything else."""
    value = text.strip()
    match = _DATE.fullmatch(value)
    if match is None:
        raise EntryError(f"unreadable date '{value}' (expected YY.MM.DD or YYYY-MM-DD)")
    year = int(match["y"])
    if len(match["y"]) == 2:
        year += 2000
    return _make(year, int(match["m"]), int(match["d"]), value)


def date_from_filename(name: str) -> dt.date | None:
    """The YYYY-MM-DD date at the start of a file name such as `2022-01-27-notes.md`."""
    match = _FILE_DATE.search(PurePath(name).name)
    if match is None:
        return None
    return _make(int(match[1]), int(match[2]), int(match[3]), match[0])


def format_date(day: dt.date) -> str:
    """The user's own spec style, YY.MM.DD, where two digits name the year unambiguously."""
    if 2000 <= day.year <= 2099:
        return f"{day.year % 100:02d}.{day.month:02d}.{day.day:02d}"
    return day.isoformat()


def _make(year: int, month: int, day: int, written: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as err:
        raise EntryError(f"impossible date '{written}' ({err})") from None
