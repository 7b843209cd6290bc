"""The demo journal: the project's own sample entries, written in the user's template.

The samples were written over five days in January 2022. They are loaded as if written
over the days up to yesterday, so that a first look shows a live journal (a streak, tasks
due soon) rather than one four years old, and today is left for the learner's own entry.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from importlib.resources import files
from pathlib import Path

from journal.dates import date_from_filename, format_date
from studylog.services.importer import ImportReport, import_files
from studylog.services.journal import JournalService


def _written(day: dt.date) -> tuple[str, ...]:
    """The ways the samples write a date: the spec's YY.MM.DD and ISO in headings."""
    return (format_date(day), day.isoformat())


def shifted(text: str, written_on: dt.date, moved_to: dt.date) -> str:
    """A sample's text with its own date (in each form it is written) moved to `moved_to`."""
    for old, new in zip(_written(written_on), _written(moved_to), strict=True):
        text = text.replace(old, new)
    return text


def load_demo(service: JournalService) -> ImportReport | None:
    """Import the sample entries into an empty journal, the last one dated yesterday;
    None if the journal already has entries."""
    if service.entries():
        return None
    samples = sorted(
        (day, sample)
        for sample in files("studylog").joinpath("demo").iterdir()
        if sample.name.endswith(".md") and (day := date_from_filename(sample.name))
    )
    shift = service.clock.today() - dt.timedelta(days=1) - samples[-1][0]
    with tempfile.TemporaryDirectory(prefix="studylog-demo-") as folder:
        paths = []
        for day, sample in samples:
            moved = day + shift
            path = Path(folder) / sample.name.replace(day.isoformat(), moved.isoformat())
            path.write_text(shifted(sample.read_text(encoding="utf-8"), day, moved), "utf-8")
            paths.append(path)
        return import_files(service, paths)
