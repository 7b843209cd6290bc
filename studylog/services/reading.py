"""Reading, parsing and deriving one markdown file. Pure work, so import workers load
only this module (no database, no UI)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cards.deck import Deck, deck_for_entry
from journal import Entry, EntryError, Vocabulary
from journal.markdown import tokens
from journal.parser import parse_tokens
from studylog.errors import StudylogError


@dataclass(frozen=True)
class ImportFailure:
    """A path that could not be imported, and why, in one line."""

    path: str
    reason: str

    def describe(self) -> str:
        """`PATH: reason`, the form compilers use."""
        return f"{self.path}: {self.reason}"


def read_markdown(path: Path) -> str:
    """The file's text; a byte-order mark is dropped, anything but UTF-8 is refused."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise StudylogError(err.strerror or "cannot be read") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise StudylogError(
            f"not UTF-8 text (byte {err.start} is 0x{raw[err.start]:02x})"
        ) from None


@dataclass(frozen=True)
class Derived:
    """An entry and the deck of cards it yields: everything derived from its markdown."""

    entry: Entry
    deck: Deck


def derive(
    markdown: str,
    source_name: str | None,
    vocabulary: Vocabulary,
    default_date: dt.date | None = None,
) -> Derived:
    """Parse `markdown` once and derive its structure and cards (dated `default_date` if
    it names no date); raises journal.EntryError."""
    parsed = tokens(markdown)
    entry = parse_tokens(markdown, parsed, source_name, vocabulary, default_date)
    return Derived(entry, deck_for_entry(entry, parsed))


def derive_file(
    path: Path, vocabulary: Vocabulary, default_date: dt.date | None = None
) -> Derived | ImportFailure:
    """Read, parse and derive one file; every problem becomes an ImportFailure naming it."""
    try:
        return derive(read_markdown(path), path.name, vocabulary, default_date)
    except (EntryError, StudylogError) as err:
        return ImportFailure(str(path), str(err))
