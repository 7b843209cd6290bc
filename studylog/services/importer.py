"""Importing markdown files and folders: each bad file is reported, the rest go in."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from journal import EntryError, Vocabulary
from studylog.services.journal import JournalService, Pending, SaveResult
from studylog.services.reading import Derived, ImportFailure, derive, derive_file
from studylog.store.entries import sources
from studylog.store.transactions import write

if TYPE_CHECKING:
    from sqlalchemy import Connection

T = TypeVar("T")

# Entries stored per batch of statements.
STORE_BATCH = 200

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 200


class SecondFile(StrEnum):
    """What importing a file does to a day whose entry came from another file."""

    REFUSE = "refuse"
    APPEND = "append"
    REPLACE = "replace"


def _same_file(a: str, b: str) -> bool:
    return a == b or Path(a).resolve() == Path(b).resolve()


def joined(first: str, second: str) -> str:
    """Both texts verbatim, in order, a blank line between them."""
    return first + ("" if first.endswith("\n") else "\n") + "\n" + second


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


def _derived(
    files: list[Path], vocabulary: Vocabulary, default_date: dt.date | None
) -> Iterator[Derived | ImportFailure]:
    """Derived entries in file order; large imports derive in other processes meanwhile.

    Parsing and deriving cards is pure work that takes longer than storing, so spreading
    it over the cores while this process writes roughly halves a large import. Workers
    are spawned, not forked, because the TUI calls this from a thread; they import only
    the light `reading` module, so they start quickly.
    """
    if len(files) < PARALLEL_FROM:
        yield from (derive_file(path, vocabulary, default_date) for path in files)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2, mp_context=context) as pool:
        yield from pool.map(
            partial(derive_file, vocabulary=vocabulary, default_date=default_date),
            files,
            chunksize=32,
        )


class Replayed(Generic[T]):
    """The items of an iterator, drawn from it once and replayed on every later pass, so
    a transaction run again after a serialization failure sees the same input."""

    def __init__(self, items: Iterator[T]) -> None:
        self._items = items
        self._seen: list[T] = []

    def __iter__(self) -> Iterator[T]:
        yield from self._seen
        for item in self._items:
            self._seen.append(item)
            yield item


def _prepared(
    service: JournalService, files: list[Path], default_date: dt.date | None
) -> Iterator[Pending | ImportFailure]:
    for path, parsed in zip(files, _derived(files, service.vocabulary, default_date), strict=True):
        yield parsed if isinstance(parsed, ImportFailure) else service.prepare(parsed, str(path))


def import_files(
    service: JournalService,
    files: list[Path],
    on_progress: Callable[[int], None] | None = None,
    default_date: dt.date | None = None,
    second_file: SecondFile = SecondFile.REFUSE,
) -> ImportReport:
    """Parse and store each file, all in one transaction; a file that names no date is
    dated `default_date`, when given.

    A file for a day whose entry came from another file is refused, appended to that
    entry or replaces it, as `second_file` says; the same file imported again updates it.

    A bad file fails in parsing, before it touches the database, so it needs no savepoint
    of its own; a database error rolls the whole import back and leaves nothing half-done.
    Parsed entries are stored STORE_BATCH at a time: a few statements per batch instead of
    per entry is what makes a large import fast. Files are parsed (and their claims
    checked) once, while they are stored; a transaction run again replays them.
    """
    prepared = Replayed(_prepared(service, files, default_date))

    def work(conn: Connection) -> ImportReport:
        report = ImportReport()
        pending: list[Pending] = []
        for done, item in enumerate(prepared, 1):
            if isinstance(item, ImportFailure):
                report.failures.append(item)
            else:
                pending.append(item)
            if len(pending) == STORE_BATCH or done == len(files):
                _store(service, conn, pending, second_file, report)
                pending.clear()
            if on_progress is not None:
                on_progress(done)
        return report

    return write(service.engine, work)


def _store(
    service: JournalService,
    conn: Connection,
    pending: list[Pending],
    second_file: SecondFile,
    report: ImportReport,
) -> None:
    """Store `pending` in order; a file for a day another file already holds is handled
    as `second_file` says. Sources are looked up once per batch: second files are rare."""
    owners = sources(conn, [item.derived.entry.date for item in pending])
    clear: list[Pending] = []
    for item in pending:
        path = item.source
        assert path is not None
        day = item.derived.entry.date
        owner = owners.get(day)
        if owner is None or _same_file(owner, path) or second_file is SecondFile.REPLACE:
            owners[day] = path
            clear.append(item)
        elif second_file is SecondFile.REFUSE:
            report.failures.append(
                ImportFailure(
                    path,
                    f"{day.isoformat()} already has an entry, from {owner}; use --append "
                    "to add this text to it or --replace to replace it",
                )
            )
        else:
            report.saved.extend(service.store_many(conn, clear))
            clear = []
            appended = _appended(service, conn, item.derived, path)
            if isinstance(appended, ImportFailure):
                report.failures.append(appended)
            else:
                # The entry stays the first file's; the line printed names this one.
                [saved] = service.store_many(conn, [service.prepare(appended, owner)])
                report.saved.append(replace(saved, source=path))
    report.saved.extend(service.store_many(conn, clear))


def _appended(
    service: JournalService, conn: Connection, derived: Derived, path: str
) -> Derived | ImportFailure:
    """The day's stored entry with this file's text after it, parsed again as one entry."""
    day = derived.entry.date
    first = service.markdown_in(conn, day)
    assert first is not None
    try:
        return derive(joined(first, derived.entry.markdown), None, service.vocabulary, day)
    except EntryError as err:
        return ImportFailure(path, f"appended to {day.isoformat()}: {err}")
