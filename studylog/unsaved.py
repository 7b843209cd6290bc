"""Editor text not saved yet, kept on disk so that a crash or a kill never loses it.

One file per database and day under the platform state directory. The editor writes it
shortly after each change, removes it once the text is saved or knowingly discarded, and
offers it back the next time that day's entry is opened.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_state_path

from studylog.paths import APP_NAME, DatabaseTarget


@dataclass(frozen=True)
class Kept:
    """Unsaved text of one day, and when it was last written."""

    day: dt.date
    text: str
    written: dt.datetime


def _folder(db: DatabaseTarget) -> Path:
    # One folder per database, so two journals never offer each other's text.
    name = str(db.resolve()) if isinstance(db, Path) else str(db)
    key = hashlib.sha256(name.encode()).hexdigest()[:16]
    return user_state_path(APP_NAME) / "unsaved" / key


def keep(db: DatabaseTarget, day: dt.date, text: str) -> None:
    """Write `text` as the unsaved text of `day` (replaced whole, never half-written)."""
    folder = _folder(db)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{day.isoformat()}.md"
    partial = target.with_suffix(".tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)


def forget(db: DatabaseTarget, day: dt.date) -> None:
    """The text of `day` was saved or discarded: nothing to offer any more."""
    (_folder(db) / f"{day.isoformat()}.md").unlink(missing_ok=True)


def kept_days(db: DatabaseTarget) -> list[dt.date]:
    """Every day with unsaved text for the database at `db`, oldest first."""
    folder = _folder(db)
    days = []
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else ():
        try:
            days.append(dt.date.fromisoformat(path.stem))
        except ValueError:
            continue  # not one of ours
    return days


def kept_for(db: DatabaseTarget, day: dt.date) -> Kept | None:
    """The unsaved text of `day`, if any."""
    path = _folder(db) / f"{day.isoformat()}.md"
    try:
        text = path.read_text(encoding="utf-8")
        written = dt.datetime.fromtimestamp(path.stat().st_mtime).astimezone()
    except FileNotFoundError:
        return None
    return Kept(day, text, written)
