"""Importing markdown files and folders: each bad file is reported, the rest go in."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session

from journal import EntryError
from studylog.errors import StudylogError
from studylog.services.journal import JournalService, SaveResult


@dataclass(frozen=True)
class ImportFailure:
    """A path that could not be imported, and why, in one line."""

    path: str
    reason: str

    def describe(self) -> str:
        """`PATH: reason`, the form compilers use."""
        return f"{self.path}: {self.reason}"


@dataclass
class ImportReport:
    """Everything an import did, in the order the files were read."""

    saved: list[SaveResult] = field(default_factory=list)
    failures: list[ImportFailure] = field(default_factory=list)


def collect_markdown(paths: Iterable[str]) -> tuple[list[Path], list[ImportFailure]]:
    """Files named directly, plus every `.md` below each folder, sorted; missing paths fail."""
    files: list[Path] = []
    failures: list[ImportFailure] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.md") if p.is_file()))
        elif path.is_file():
            files.append(path)
        elif path.exists():
            failures.append(ImportFailure(name, "not a regular file or folder"))
        else:
            failures.append(ImportFailure(name, "no such file or folder"))
    return files, failures


def read_markdown(path: Path) -> str:
    """The file's text; a byte-order mark is dropped, anything but UTF-8 is refused."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise StudylogError(err.strerror or "cannot be read") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise StudylogError(f"not UTF-8 text (byte {err.start} is 0x{raw[err.start]:02x})") from None


def import_files(
    service: JournalService,
    files: list[Path],
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Parse and store each file; one transaction, with a savepoint per file.

    Parsing happens before the savepoint opens, so a bad file never touches the database.
    """
    report = ImportReport()
    with Session(service.engine) as session:
        for done, path in enumerate(files, 1):
            try:
                entry = service.parse(read_markdown(path), path.name)
            except (EntryError, StudylogError) as err:
                report.failures.append(ImportFailure(str(path), str(err)))
            else:
                with session.begin_nested():
                    report.saved.append(service.store(session, entry, str(path)))
            if on_progress is not None:
                on_progress(done)
        session.commit()
    return report
