"""The lectures of a freeform note, one without a spec: its top-level headings, or else
its front matter's title."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it.token import Token

from journal.frontmatter import front_matter_title
from journal.lecture_refs import lecture_numbers
from journal.model import Lecture, Role, Section


def _headed(sections: Sequence[Section]) -> Sequence[Section]:
    """The sections that stand for lectures: the top-level ones, or the ones under a
    lone title heading that holds the whole note (`# 2022-01-24 TIL` over `## …`)."""
    if len(sections) == 1 and sections[0].children:
        return sections[0].children
    return sections


def freeform_lectures(sections: Sequence[Section], parsed: list[Token]) -> tuple[Lecture, ...]:
    """A lecture per top-level heading that is not a review, content or plan section,
    titled by it; numbered by the number the heading names (`Lecture 6: CNNs`, `4강 …`),
    else one on from the lecture before (the first is 1). With no such heading, the front
    matter's title is lecture 1; with neither, there are none."""
    lectures: list[Lecture] = []
    for section in _headed(sections):
        if section.role is not Role.OTHER or not section.title:
            continue
        named = lecture_numbers(section.title)
        number = named[0] if named else (lectures[-1].number + 1 if lectures else 1)
        lectures.append(Lecture(number, section.title))
    if lectures:
        return tuple(lectures)
    title = front_matter_title(parsed)
    return (Lecture(1, title),) if title else ()
