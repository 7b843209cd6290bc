"""Markdown in, a structured `Entry` out. Pure: no database, no UI."""

from journal.errors import EntryError
from journal.model import Entry, Lecture, PlanItem, Role, Section
from journal.parser import parse_entry
from journal.vocabulary import Vocabulary

__all__ = [
    "Entry",
    "EntryError",
    "Lecture",
    "PlanItem",
    "Role",
    "Section",
    "Vocabulary",
    "parse_entry",
]
