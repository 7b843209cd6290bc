"""The CSV export: one file per table, each with a header row, for spreadsheets.

entries.csv, tasks.csv, cards.csv and reviews.csv hold the same rows, in the same order,
as the JSON export (they are read by the same queries); lists become "; "-joined text,
booleans true/false, missing values empty cells, and FSRS states their names.
daily_stats.csv has one row per learning day with reviews. Each file is written to a
temporary name and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studylog.errors import StudylogError
from studylog.services.export_json import card_rows, entry_rows, review_rows, task_rows
from studylog.services.stats import DailyFigure
from studylog.store.snapshot import read_snapshot

if TYPE_CHECKING:
    from sqlalchemy import Engine

HEADERS: dict[str, tuple[str, ...]] = {
    "entries.csv": ("date", "category", "lectures", "topics", "markdown"),
    "tasks.csv": ("id", "text", "entry_date", "due", "done"),
    "cards.csv": (
        "id",
        "key",
        "kind",
        "topics",
        "entry_date",
        "state",
        "step",
        "due",
        "last_review",
        "stability",
        "difficulty",
        "reps",
        "lapses",
    ),
    "reviews.csv": (
        "card_id",
        "reviewed_at",
        "rating",
        "grade",
        "correct",
        "answer",
        "duration_ms",
        "seed",
        "retrievability",
        "state_before",
        "was_new",
    ),
    "daily_stats.csv": ("date", "reviews", "seconds", "correct_rate", "new_cards"),
}

_STATES = {1: "learning", 2: "review", 3: "relearning"}
_GRADES = {1: "again", 2: "hard", 3: "good", 4: "easy"}


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _entry(row: dict[str, Any]) -> dict[str, Any]:
    lectures = "; ".join(f"{lec['number']}. {lec['title']}" for lec in row["lectures"])
    return {**row, "lectures": lectures, "topics": "; ".join(row["topics"])}


def _card(row: dict[str, Any]) -> dict[str, Any]:
    state = _STATES.get(row["state"], str(row["state"])) if row["reps"] else "new"
    return {**row, "topics": "; ".join(row["topics"]), "state": state}


def _review(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "grade": _GRADES.get(row["rating"], ""),
        "state_before": _STATES.get(row["state_before"], str(row["state_before"])),
    }


def _daily(figure: DailyFigure) -> dict[str, Any]:
    rate = figure.correct_rate
    return {
        "date": figure.day.isoformat(),
        "reviews": figure.reviews,
        "seconds": round(figure.seconds, 3),
        "correct_rate": "" if rate is None else round(rate, 4),
        "new_cards": figure.new_cards,
    }


def _write(
    path: Path, header: tuple[str, ...], rows: Iterable[dict[str, Any]], tick: Callable[[], None]
) -> int:
    """Write one CSV file atomically; returns the number of data rows."""
    partial = path.with_name(path.name + ".partial")
    count = 0
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            for row in rows:
                writer.writerow([_cell(row.get(name)) for name in header])
                count += 1
                tick()
        os.replace(partial, path)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise StudylogError(f"{path}: cannot write ({err.strerror})") from None
    return count


def write_csv(
    engine: Engine,
    daily: list[DailyFigure],
    folder: Path,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write the five CSV files into `folder` (created if needed); returns the data rows
    in each. `progress` is called with the rows written so far, every thousand rows."""
    if folder.exists() and not folder.is_dir():
        raise StudylogError(f"{folder}: is a file; the CSV export needs a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StudylogError(f"{folder}: cannot create the folder ({err.strerror})") from None
    written = 0

    def tick() -> None:
        nonlocal written
        written += 1
        if progress is not None and written % 1000 == 0:
            progress(written)

    counts: dict[str, int] = {}
    with read_snapshot(engine) as snap:
        tables: dict[str, Iterator[dict[str, Any]]] = {
            "entries.csv": map(_entry, entry_rows(snap)),
            "tasks.csv": task_rows(snap),
            "cards.csv": map(_card, card_rows(snap)),
            "reviews.csv": map(_review, review_rows(snap)),
        }
        for name, rows in tables.items():
            counts[name] = _write(folder / name, HEADERS[name], rows, tick)
    counts["daily_stats.csv"] = _write(
        folder / "daily_stats.csv", HEADERS["daily_stats.csv"], map(_daily, daily), tick
    )
    if progress is not None:
        progress(written)
    return counts
