"""Writing entries in the user's own structure: the new-day template and its round trip."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from journal.dates import format_date
from journal.markdown import tokens
from journal.model import Entry, Lecture, PlanItem, Role, Section
from journal.plans import plan_marker
from journal.vocabulary import Vocabulary

SPEC_TITLE = "Writing Specification"
REVIEW_TITLE = "오늘 들은 강의 총평"
CONTENT_TITLE = "강의 내용"
PLAN_TITLE = "후일담 및 차기 계획"
PLAN_MARKER = "차기 계획"


@dataclass(frozen=True)
class Outline:
    """What an entry is written from: the spec fields and the text of each section."""

    date: dt.date
    category: str = ""
    lectures: tuple[Lecture, ...] = ()
    review: str = ""
    notes: tuple[str, ...] = ()
    afterword: str = ""
    plans: tuple[PlanItem, ...] = ()


def _details(title: str, body: str) -> str:
    inner = body.strip("\n")
    middle = f"\n{inner}\n" if inner else ""
    return (
        f'<details>\n<summary>{title}</summary>\n<div markdown="1">\n{middle}\n</div>\n</details>\n'
    )


def _spec_body(outline: Outline) -> str:
    lines = [f">Date : {format_date(outline.date)}", ">", f">강좌 분류 : {outline.category}"]
    for lecture in outline.lectures:
        lines += [">", f">>강좌 번호 : {lecture.number}", ">>", f">>제목 : {lecture.title}"]
    return "\n".join(lines)


def _plan_body(outline: Outline) -> str:
    items = [
        f"{n}. {'[x] ' if item.done else ''}{item.text}" for n, item in enumerate(outline.plans, 1)
    ]
    parts = [outline.afterword.strip("\n"), PLAN_MARKER, "\n\n".join(items) or "1. "]
    return "\n\n".join(p for p in parts if p)


def render(outline: Outline) -> str:
    """The markdown of an entry in the user's `<details>` template."""
    notes = [
        _details(lecture.title, outline.notes[i] if i < len(outline.notes) else "")
        for i, lecture in enumerate(outline.lectures)
    ]
    return "\n".join(
        [
            _details(SPEC_TITLE, _spec_body(outline)),
            _details(REVIEW_TITLE, outline.review),
            _details(CONTENT_TITLE, "\n".join(notes)),
            _details(PLAN_TITLE, _plan_body(outline)),
        ]
    )


def new_day(
    day: dt.date,
    category: str = "",
    carried: tuple[PlanItem, ...] = (),
    lectures: int = 1,
    first_lecture: int = 1,
) -> str:
    """Today's blank entry: the user's template with empty lectures, numbered on from
    `first_lecture` (courses number their lectures across days), and yesterday's open
    plans."""
    blank = tuple(Lecture(n, "") for n in range(first_lecture, first_lecture + lectures))
    return render(Outline(date=day, category=category, lectures=blank, plans=carried))


def _text_of(section: Section | None) -> str:
    return section.body.strip("\n") if section else ""


def _afterword(section: Section | None, vocabulary: Vocabulary) -> str:
    """The plan section's text before its "next plan" line, found in the tokens as
    `read_plans` finds it."""
    if section is None:
        return ""
    marker = plan_marker(tokens(section.body), vocabulary)
    lines = section.body.split("\n")
    kept = lines if marker is None else lines[: marker.line]
    return "\n".join(kept).strip("\n")


def outline_of(entry: Entry, vocabulary: Vocabulary | None = None) -> Outline:
    """The outline an entry was written from; `render(outline_of(e))` rewrites it."""
    vocab = vocabulary or Vocabulary()
    notes = entry.lecture_notes()
    return Outline(
        date=entry.date,
        category=entry.category or "",
        lectures=entry.lectures,
        review=_text_of(entry.section(Role.REVIEW)),
        notes=tuple(_text_of(notes.get(lecture.title)) for lecture in entry.lectures),
        afterword=_afterword(entry.section(Role.PLAN), vocab),
        plans=entry.plans,
    )
