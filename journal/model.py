"""Typed values that describe one journal entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a section of an entry is for, recognised from its title."""

    SPEC = "spec"
    REVIEW = "review"
    CONTENT = "content"
    PLAN = "plan"
    OTHER = "other"


@dataclass(frozen=True)
class Lecture:
    """One lecture heard that day, as listed in the spec section."""

    number: int
    title: str


@dataclass(frozen=True)
class PlanItem:
    """One item of the "next plan" list; `done` comes from a GFM `- [x]` box."""

    text: str
    done: bool = False


@dataclass(frozen=True)
class Section:
    """A titled part of an entry: a `<details>` block or a heading and what follows it.

    `body` is the markdown between the section's opening and its end, exactly as written,
    including any nested sections, which are also listed in `children`. `lines` are the
    0-based source lines the body spans, end exclusive.
    """

    title: str
    role: Role
    body: str
    children: tuple[Section, ...] = ()
    lines: tuple[int, int] = (0, 0)

    def find(self, title: str) -> Section | None:
        """The direct child whose title matches `title` (case-insensitive), if any."""
        wanted = title.strip().casefold()
        return next((c for c in self.children if c.title.strip().casefold() == wanted), None)


def find_section(sections: Sequence[Section], role: Role) -> Section | None:
    """The first section with `role`, looking inside sections that have no role.

    Heading-style entries often put every `##` section under one `#` title, so the search
    goes depth-first but never into a section that already has a role.
    """
    stack = list(reversed(sections))
    while stack:
        current = stack.pop()
        if current.role is role:
            return current
        if current.role is Role.OTHER:
            stack.extend(reversed(current.children))
    return None


@dataclass(frozen=True)
class Entry:
    """One day's notes: the structure derived from `markdown`, which is kept verbatim."""

    date: dt.date
    markdown: str
    category: str | None = None
    lectures: tuple[Lecture, ...] = ()
    sections: tuple[Section, ...] = ()
    plans: tuple[PlanItem, ...] = ()

    def section(self, role: Role) -> Section | None:
        """The first section with the given role (see `find_section`)."""
        return find_section(self.sections, role)

    def lecture_notes(self) -> dict[str, Section]:
        """The content section's subsections, keyed by their titles (one per lecture)."""
        content = self.section(Role.CONTENT)
        if content is None:
            return {}
        return {child.title: child for child in content.children}
