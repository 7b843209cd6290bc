"""Turning one day's markdown into an `Entry`."""

from __future__ import annotations

from journal.dates import date_from_filename
from journal.errors import EntryError
from journal.markdown import blocks
from journal.model import Entry, Role, Section, find_section
from journal.plans import read_plans
from journal.sections import split_sections
from journal.spec import read_spec
from journal.vocabulary import DEFAULT_VOCABULARY, Vocabulary


def _preamble(text: str, sections: list[Section]) -> str:
    """The text before the first section, where heading-style entries often put the spec."""
    if not sections:
        return text
    first_body = sections[0].body
    cut = text.find(first_body) if first_body else -1
    return text[:cut] if cut > 0 else ""


def parse_entry(
    text: str, source_name: str | None = None, vocabulary: Vocabulary = DEFAULT_VOCABULARY
) -> Entry:
    """Parse an entry; the date comes from the spec, else from `source_name`'s YYYY-MM-DD.

    Raises EntryError, with a one-line reason, when the text is empty or has no usable date.
    """
    if not text.strip():
        raise EntryError("empty entry")
    sections = split_sections(blocks(text), text, vocabulary)
    spec_section = find_section(sections, Role.SPEC)
    spec_text = spec_section.body if spec_section else _preamble(text, sections)
    spec = read_spec(spec_text, vocabulary)
    day = spec.date or (date_from_filename(source_name) if source_name else None)
    if day is None:
        raise EntryError(
            "no date: write 'Date : YY.MM.DD' in the spec or name the file YYYY-MM-DD-….md"
        )
    plan_section = find_section(sections, Role.PLAN)
    plans = read_plans(plan_section.body, vocabulary) if plan_section else []
    return Entry(
        date=day,
        markdown=text,
        category=spec.category,
        lectures=tuple(spec.lectures),
        sections=tuple(sections),
        plans=tuple(plans),
    )
