"""The app's clock: real time, or a fixed instant set with `--now` for scripts and tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from studylog.errors import StudylogError


def parse_instant(text: str) -> dt.datetime:
    """An ISO date or datetime; naive values are taken as local time. Returns UTC."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise StudylogError(f"--now '{text}': not an ISO date or datetime") from None
    if value.tzinfo is None:
        value = value.astimezone()
    return value.astimezone(dt.UTC)


@dataclass(frozen=True)
class Clock:
    """Gives the current UTC time and the learning day, which starts at `day_starts_at`."""

    fixed: dt.datetime | None = None
    day_starts_at: int = 4

    def now(self) -> dt.datetime:
        """The current instant, in UTC."""
        return self.fixed if self.fixed is not None else dt.datetime.now(dt.UTC)

    def today(self) -> dt.date:
        """The learning day: like Anki, a day that ends at `day_starts_at` o'clock local."""
        local = self.now().astimezone()
        return (local - dt.timedelta(hours=self.day_starts_at)).date()
