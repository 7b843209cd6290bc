"""The demo journal: the project's own sample entries, written in the user's template."""

from __future__ import annotations

from importlib.resources import as_file, files

from studylog.services.importer import ImportReport, import_files
from studylog.services.journal import JournalService


def load_demo(service: JournalService) -> ImportReport | None:
    """Import the sample entries into an empty journal; None if it already has entries."""
    if service.entries():
        return None
    with as_file(files("studylog") / "demo") as folder:
        return import_files(service, sorted(folder.glob("*.md")))
