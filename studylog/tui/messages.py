"""Typed messages: what thread workers post back to the UI thread.

Workers never touch widgets; they call services, then post one of these. Every message
carries plain values (dataclasses from the services), never live database objects.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from cards.model import Verdict
    from cards.scheduling import Grade
    from studylog.context import AppContext
    from studylog.services.journal import EntrySummary, SaveResult, SearchHit
    from studylog.services.quiz import Question
    from studylog.services.reviews import CardView, QueueCounts, Recorded
    from studylog.services.stats import Stats
    from studylog.services.tasks import TaskView
    from studylog.services.verify import Verdict as ClaimVerdict
    from studylog.unsaved import Kept


class ContextReady(Message):
    """The database is open and migrated; `empty` says the journal has no entries yet."""

    def __init__(self, ctx: AppContext, empty: bool, unsaved: list[dt.date]) -> None:
        super().__init__()
        self.ctx = ctx
        self.empty = empty
        self.unsaved = unsaved
        """Days whose editor text was never saved (kept by `studylog.unsaved`)."""


class ContextFailed(Message):
    """The database or configuration could not be opened."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class SandboxStatus(StrEnum):
    """Where the torch sandbox is: not started, importing torch, ready, or unavailable."""

    IDLE = "idle"
    WARMING = "warming"
    READY = "ready"
    FAILED = "failed"


class SandboxState(Message):
    """The torch sandbox changed state: warming, ready or failed."""

    def __init__(self, state: SandboxStatus, detail: str = "") -> None:
        super().__init__()
        self.state = state
        self.detail = detail


class Failed(Message):
    """A worker's call into a service failed; `what` says what was being done."""

    def __init__(self, what: str, error: str, details: str = "") -> None:
        super().__init__()
        self.what = what
        self.error = error
        self.details = details


class DataChanged(Message):
    """Something was written (a review, a task, an entry); screens should reload."""

    def __init__(self, summary: str = "") -> None:
        super().__init__()
        self.summary = summary


class TodayLoaded(Message):
    """The figures of the Today screen."""

    def __init__(
        self,
        day: dt.date,
        streak: int | None,
        counts: QueueCounts,
        tasks: list[TaskView],
        has_entry: bool,
    ) -> None:
        super().__init__()
        self.day = day
        self.streak = streak
        self.counts = counts
        self.tasks = tasks
        self.has_entry = has_entry


class EntriesLoaded(Message):
    """Every journal entry, newest first, and the learning day they are measured from."""

    def __init__(self, entries: list[EntrySummary], today: dt.date) -> None:
        super().__init__()
        self.entries = entries
        self.today = today


class SearchResults(Message):
    """Entries matching `query`, newest first."""

    def __init__(self, query: str, hits: list[SearchHit]) -> None:
        super().__init__()
        self.query = query
        self.hits = hits


class EntryLoaded(Message):
    """The text to edit: a stored entry, or a new day's template (`is_new`)."""

    def __init__(self, day: dt.date, markdown: str, is_new: bool, kept: Kept | None = None) -> None:
        super().__init__()
        self.day = day
        self.markdown = markdown
        self.is_new = is_new
        self.kept = kept
        """Text typed for this day and never saved (the editor closed unexpectedly)."""


class EntrySaved(Message):
    """An entry was saved and its lectures, tasks and cards derived again."""

    def __init__(self, result: SaveResult, markdown: str) -> None:
        super().__init__()
        self.result = result
        self.markdown = markdown


class ClaimsChecked(Message):
    """Torch's verdicts on the claims in an entry's code (`markdown`), or why there are
    none (`error`: the sandbox could not run them)."""

    def __init__(
        self, markdown: str, verdicts: tuple[ClaimVerdict, ...], error: str | None = None
    ) -> None:
        super().__init__()
        self.markdown = markdown
        self.verdicts = verdicts
        self.error = error


class QuestionReady(Message):
    """The next card to ask, the interval each grade would give it, and what is left."""

    def __init__(
        self,
        question: Question[CardView],
        intervals: dict[Grade, dt.timedelta],
        counts: QueueCounts,
    ) -> None:
        super().__init__()
        self.question = question
        self.intervals = intervals
        self.counts = counts


class QueueEmpty(Message):
    """No card is due any more (or every due card was skipped)."""


class AnswerChecked(Message):
    """The verdict on the typed answer; nothing is recorded yet."""

    def __init__(self, card_id: int, answer: str, verdict: Verdict) -> None:
        super().__init__()
        self.card_id = card_id
        self.answer = answer
        self.verdict = verdict


class ReviewRecorded(Message):
    """A rating was stored and the card rescheduled."""

    def __init__(self, recorded: Recorded, correct: bool | None) -> None:
        super().__init__()
        self.recorded = recorded
        self.correct = correct


class ReviewUndone(Message):
    """The last review was reverted; `card_id` is None when there was none."""

    def __init__(self, card_id: int | None) -> None:
        super().__init__()
        self.card_id = card_id


class TasksLoaded(Message):
    """The task list as the Tasks screen shows it."""

    def __init__(self, tasks: list[TaskView], today: dt.date) -> None:
        super().__init__()
        self.tasks = tasks
        self.today = today


class StatsLoaded(Message):
    """A statistics snapshot from the stats service."""

    def __init__(self, stats: Stats) -> None:
        super().__init__()
        self.stats = stats
