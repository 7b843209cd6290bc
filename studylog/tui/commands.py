"""The command palette's studylog commands: every action, plus opening any entry."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, NamedTuple, cast

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from textual.dom import DOMNode

if TYPE_CHECKING:
    from studylog.tui.app import StudylogApp


# Bindings the palette leaves out: Textual's own commands offer quitting, and the palette is open.
_NOT_OFFERED = {"app.quit", "app.help_quit", "app.command_palette"}


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
        """Every action, each once: those the bindings name (with their words), then the two
        that no key runs."""
        app = self.studylog
        by_action: dict[str, Command] = {}
        for binding, node in self._bindings():
            if binding.id not in _NOT_OFFERED and binding.action not in by_action:
                run = partial(app.run_action, binding.action, node)
                by_action[binding.action] = Command(binding.description, binding.tooltip, run)
        return [
            *by_action.values(),
            Command(
                "Search the journal", "Full-text search over entries", app.action_search_journal
            ),
            Command(
                "Load the demo journal",
                "Fill an empty journal with the sample entries",
                app.action_load_demo,
            ),
        ]

    def _bindings(self) -> Iterator[tuple[Binding, DOMNode | None]]:
        """The calling screen's active studylog bindings (run where they are bound), then
        every studylog binding that runs an app action, which works from any screen."""
        from studylog.tui.keymap import declared_bindings

        ours = [b for _, b in declared_bindings() if isinstance(b, Binding) and b.id]
        ids = {binding.id for binding in ours}
        for active in self.screen.active_bindings.values():
            if active.binding.id in ids:  # not the widgets' own cursor keys and the like
                yield active.binding, active.node
        for binding in ours:
            if binding.action.startswith("app."):
                yield binding, None

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
