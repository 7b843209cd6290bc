"""A day's entry to edit: the stored one, or a new one in the learner's own structure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from journal import PlanItem
from journal.template import new_day
from studylog.services.journal import JournalService
from studylog.services.tasks import TaskService


@dataclass(frozen=True)
class Draft:
    """The text to edit for `day`; `is_new` when nothing is stored for that day yet."""

    day: dt.date
    markdown: str
    is_new: bool


def draft_entry(journal: JournalService, tasks: TaskService, day: dt.date) -> Draft:
    """The stored entry of `day`, or a new one from the template.

    A new entry takes the course of the previous entry, numbers its lecture on from that
    entry's last one, and lists that entry's plans that are still open, as the learner
    would copy them over by hand.
    """
    stored = journal.markdown_of(day)
    if stored is not None:
        return Draft(day, stored, is_new=False)
    earlier = [entry for entry in journal.entries() if entry.day < day]
    previous = earlier[0] if earlier else None
    if previous is None:
        return Draft(day, new_day(day, "", ()), is_new=True)
    ahead = max(0, (day - journal.clock.today()).days)
    carried = tuple(
        PlanItem(task.text)
        for task in tasks.list(upcoming_days=ahead)
        if task.entry_day == previous.day and not task.done
    )
    first = (previous.last_lecture or 0) + 1
    markdown = new_day(day, previous.category or "", carried, first_lecture=first)
    return Draft(day, markdown, is_new=True)
