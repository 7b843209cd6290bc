"""The command palette's studylog commands: every action, plus opening any entry."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, NamedTuple, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from studylog.tui.app import StudylogApp


class Command(NamedTuple):
    """One palette entry."""

    name: str
    help: str
    run: Callable[[], object]


class StudylogCommands(Provider):
    """Offers every studylog action (discover lists them; search filters them), and,
    when searching, the journal's entries by date, course and lecture title."""

    _entries: tuple[Command, ...] = ()

    @property
    def studylog(self) -> StudylogApp:
        """The app, typed."""
        return cast("StudylogApp", self.app)

    def actions(self) -> list[Command]:
        """Every action the app has, each once."""
        app = self.studylog
        return [
            Command("Start quiz", "Review the cards due now", app.action_start_quiz),
            Command(
                "Write today's entry",
                "Open today's entry, or start one from your template",
                app.action_write_today,
            ),
            Command(
                "Search the journal", "Full-text search over entries", app.action_search_journal
            ),
            Command("Add a task", "A task of your own, with a due date", app.action_add_task),
            Command("Undo last review", "Revert the most recent review", app.action_undo_review),
            Command(
                "Go to Today", "Cards due and today's tasks", partial(app.switch_mode, "today")
            ),
            Command(
                "Go to Journal",
                "Entries by date, search, heatmap",
                partial(app.switch_mode, "journal"),
            ),
            Command("Go to Tasks", "Planned and overdue tasks", partial(app.switch_mode, "tasks")),
            Command(
                "Go to Stats",
                "Review heatmap, retention, forecast",
                partial(app.switch_mode, "stats"),
            ),
            Command(
                "Load the demo journal",
                "Fill an empty journal with the sample entries",
                app.action_load_demo,
            ),
        ]

    async def startup(self) -> None:
        app = self.studylog
        if not app.ready:
            return
        entries = await asyncio.to_thread(app.context.journal.entries)
        self._entries = tuple(
            Command(
                f"Open entry {entry.day.isoformat()} {entry.category or ''}".rstrip(),
                ", ".join(entry.lectures) or "journal entry",
                partial(app.action_open_entry, entry.day.isoformat()),
            )
            for entry in entries
        )

    async def discover(self) -> Hits:
        for command in self.actions():
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in [*self.actions(), *self._entries]:
            score = max(matcher.match(command.name), matcher.match(command.help) * 0.5)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, help=command.help)
