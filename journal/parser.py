"""Turning one day's markdown into an `Entry`."""

from __future__ import annotations

import datetime as dt

from markdown_it.token import Token

from journal.dates import date_from_filename
from journal.errors import EntryError
from journal.freeform import freeform_lectures
from journal.frontmatter import front_matter_date
from journal.markdown import tokens, within
from journal.model import Entry, Role, find_section
from journal.plans import read_plans
from journal.sections import split_sections
from journal.spec import read_spec
from journal.vocabulary import DEFAULT_VOCABULARY, Vocabulary


def parse_entry(
    text: str, source_name: str | None = None, vocabulary: Vocabulary = DEFAULT_VOCABULARY
) -> Entry:
    """Parse an entry; the date comes from the spec, else from `source_name`'s YYYY-MM-DD.

    Raises EntryError, with a one-line reason, when the text is empty or has no usable date.
    """
    return parse_tokens(text, tokens(text), source_name, vocabulary)


def parse_tokens(
    text: str,
    parsed: list[Token],
    source_name: str | None = None,
    vocabulary: Vocabulary = DEFAULT_VOCABULARY,
    default_date: dt.date | None = None,
) -> Entry:
    """`parse_entry` for text already parsed by `journal.markdown.tokens`, so that callers
    who also read the tokens (the card deck) parse each entry once. `default_date` dates
    a text that names no date itself (`import --date`)."""
    if not text.strip():
        raise EntryError("empty entry")
    sections = split_sections(parsed, text, vocabulary)
    spec_section = find_section(sections, Role.SPEC)
    # Heading-style entries often put the spec lines before the first section.
    preamble = (0, sections[0].lines[0] if sections else len(text.splitlines()) + 1)
    spec_lines = spec_section.lines if spec_section else preamble
    spec = read_spec(within(parsed, *spec_lines), vocabulary)
    day = (
        spec.date
        or front_matter_date(parsed)
        or (date_from_filename(source_name) if source_name else None)
        or default_date
    )
    if day is None:
        raise EntryError(
            "no date: write 'Date : YY.MM.DD' in the spec, name the file YYYY-MM-DD-….md "
            "or import it with --date YYYY-MM-DD"
        )
    lectures = tuple(spec.lectures)
    if not lectures and spec_section is None:
        lectures = freeform_lectures(sections, parsed)
    plan_section = find_section(sections, Role.PLAN)
    plans = read_plans(within(parsed, *plan_section.lines), vocabulary) if plan_section else []
    return Entry(
        date=day,
        markdown=text,
        category=spec.category,
        lectures=lectures,
        sections=tuple(sections),
        plans=tuple(plans),
    )
