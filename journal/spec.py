"""Reading the spec section: the date, the course category and the lectures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from markdown_it.token import Token

from journal.dates import parse_date
from journal.errors import EntryError
from journal.markdown import plain_text
from journal.model import Lecture
from journal.vocabulary import Vocabulary


@dataclass
class SpecFields:
    """What a spec section states; any field may be missing."""

    date: dt.date | None = None
    category: str | None = None
    lectures: list[Lecture] = field(default_factory=list)


def _split_field(line: str) -> tuple[str, str] | None:
    for colon in (":", "："):
        label, sep, value = line.partition(colon)
        if sep:
            return label, value.strip()
    return None


def _lecture_number(value: str) -> int:
    digits = "".join(ch for ch in value if ch.isdigit())
    if not digits:
        raise EntryError(f"lecture number '{value}' is not a number")
    return int(digits)


def read_spec(block: list[Token], vocabulary: Vocabulary) -> SpecFields:
    """Collect `label : value` lines from every paragraph of the tokens, quoted or not.

    A lecture number starts a new lecture; a title fills the lecture just started (or
    starts the next one when the number was left out).
    """
    spec = SpecFields()
    pending: Lecture | None = None

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            spec.lectures.append(pending)
            pending = None

    for token in block:
        if token.type != "inline":
            continue
        for line in plain_text(token).splitlines():
            parts = _split_field(line)
            if parts is None:
                continue
            key = vocabulary.key_of(parts[0])
            value = parts[1]
            if key == "date" and value:
                spec.date = parse_date(value)
            elif key == "category" and value:
                spec.category = value
            elif key == "number":
                flush()
                pending = Lecture(_lecture_number(value), "")
            elif key == "title":
                if pending is None or pending.title:
                    flush()
                    previous = spec.lectures[-1].number if spec.lectures else 0
                    pending = Lecture(previous + 1, value)
                else:
                    pending = Lecture(pending.number, value)
    flush()
    return spec
