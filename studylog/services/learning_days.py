"""Learning days as integers, computed the way SQLite's `date(t, 'localtime', '-N hours')`
computes them, but cheaply enough for a million rows.

A learning day is the local calendar date of (local time − N hours), N being the hour the
day starts at. SQLite's date functions get it right but cost about a microsecond a row;
over a year of reviews that alone is most of the stats budget, and grouping by the text
they return forces a sort. Here a day is a number (days since 1970-01-01) and a stored
time's day is integer arithmetic on its Unix time plus the local UTC offset, which is
constant between the (few) offset changes in the range of interest, so SQL can carry it
as a CASE over those changes. Offsets come from `time.localtime`, the same C library
call SQLite's 'localtime' makes, so both agree instant for instant.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
import time
from dataclasses import dataclass

EPOCH = dt.date(1970, 1, 1)
DAY_S = 86_400
# How far apart two checks for an offset change may be. Zones change offset at most a
# few times a year and never twice within a day.
_STEP_S = DAY_S
STAMP = "%Y-%m-%d %H:%M:%S.%f+00:00"  # how UtcDateTime stores an instant in SQLite


def _offset(epoch_s: int) -> int:
    return time.localtime(epoch_s).tm_gmtoff


def unix_sql(column: str) -> str:
    """SQL for the whole Unix seconds of a stored UTC time; unixepoch() where SQLite has
    it (3.38+), which is several times cheaper than strftime('%s')."""
    if sqlite3.sqlite_version_info >= (3, 38, 0):
        return f"unixepoch({column})"
    return f"CAST(strftime('%s', {column}) AS INTEGER)"


def stored(epoch_s: int) -> str:
    """An instant in the stored text form, for comparisons in SQL."""
    return dt.datetime.fromtimestamp(epoch_s, dt.UTC).strftime(STAMP)


def epoch_of(stored_text: str) -> int:
    """Whole Unix seconds of a stored UTC time."""
    value = dt.datetime.fromisoformat(stored_text)
    return int(value.timestamp() // 1)


@dataclass(frozen=True)
class Piece:
    """From `since` (Unix seconds; None: from the start of time) the local UTC offset is
    `offset` seconds, until the next piece."""

    since: int | None
    offset: int


@dataclass(frozen=True)
class LearningDays:
    """Learning-day numbers for a day that starts at `starts_at` o'clock local time."""

    starts_at: int

    def number(self, epoch_s: int) -> int:
        """The learning day of an instant, as days since 1970-01-01."""
        return (epoch_s + _offset(epoch_s) - self.starts_at * 3600) // DAY_S

    def start(self, day: dt.date) -> int:
        """The first instant (Unix seconds) of learning day `day`."""
        target = (day - EPOCH).days
        # Offsets lie within ±26 h, so the boundary is within two days of the naive one.
        low = target * DAY_S + self.starts_at * 3600 - 2 * DAY_S
        high = low + 4 * DAY_S
        while low < high:
            mid = (low + high) // 2
            if self.number(mid) >= target:
                high = mid
            else:
                low = mid + 1
        return low

    def pieces(self, first_s: int, last_s: int) -> list[Piece]:
        """The local offset over [first_s, last_s], piece by piece; the first piece also
        covers everything before, the last everything after."""
        found = [Piece(None, _offset(first_s))]
        at = first_s
        while at < last_s:
            step = min(_STEP_S, last_s - at)
            if _offset(at + step) != found[-1].offset:
                low, high = at, at + step  # offset(low) is the old one, offset(high) new
                while high - low > 1:
                    mid = (low + high) // 2
                    if _offset(mid) == found[-1].offset:
                        low = mid
                    else:
                        high = mid
                found.append(Piece(high, _offset(high)))
            at += step
        return found

    def sql(self, column: str, first_s: int, last_s: int) -> str:
        """SQL for the learning-day number of a stored UTC time in `column`, exact for
        every instant in [first_s, last_s] (the span of the data queried)."""
        pieces = self.pieces(first_s, last_s)
        shift = -self.starts_at * 3600
        if len(pieces) == 1:
            offset = f"{pieces[0].offset + shift}"
        else:
            # Stored times compare correctly as text; a change at whole second T applies
            # from T on, as localtime() sees it.
            cases = " ".join(
                f"WHEN {column} < '{stored(nxt.since)}' THEN {piece.offset + shift}"
                for piece, nxt in itertools.pairwise(pieces)
                if nxt.since is not None
            )
            offset = f"(CASE {cases} ELSE {pieces[-1].offset + shift} END)"
        return f"(({unix_sql(column)} + {offset}) / {DAY_S})"

    @staticmethod
    def date(number: int) -> dt.date:
        """The date of a learning-day number."""
        return EPOCH + dt.timedelta(days=number)

    @staticmethod
    def number_of(day: dt.date) -> int:
        """The learning-day number of a date."""
        return (day - EPOCH).days
