"""Card keys: where a card comes from, and which siblings it is held back with.

A key is stored as text, `SOURCE:NAME`: `gen:view.shape` for a built-in card (its registry
id), `authored:3f2a…`, `call:…` and `block:…` for cards made from the notes (a digest of
their content). Every place that groups cards asks the key, so the sibling rule is written
once: built-in cards are siblings within their generator family (`gen:view.*`), cards made
from one entry's notes are siblings of each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Source(StrEnum):
    """Where a card comes from."""

    GENERATED = "gen"
    AUTHORED = "authored"
    CALL = "call"
    BLOCK = "block"


@dataclass(frozen=True)
class CardKey:
    """A card's stable identity: its source and a name unique within that source."""

    source: Source
    name: str

    @classmethod
    def parse(cls, text: str) -> CardKey:
        """The key stored as `text`; ValueError for text that is not `SOURCE:NAME`."""
        source, sep, name = text.partition(":")
        if not sep or not name:
            raise ValueError(f"not a card key: {text!r}")
        return cls(Source(source), name)

    def __str__(self) -> str:
        return f"{self.source}:{self.name}"

    @property
    def builtin(self) -> bool:
        """A built-in generator or concept card, owned by the earliest entry that calls for it."""
        return self.source is Source.GENERATED

    def family(self, entry_day: dt.date | None) -> str:
        """The sibling group: the generator family of a built-in card, else the entry's day
        (`entry_day`, None for a card without an entry)."""
        if self.builtin:
            return f"{Source.GENERATED}:{self.name.split('.')[0]}"
        return f"entry:{entry_day}"
