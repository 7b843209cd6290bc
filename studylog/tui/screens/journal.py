"""Journal: entries by date, a heatmap of the days written, and search as you type."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Static

from studylog.tui.messages import EntriesLoaded, SearchResults
from studylog.tui.screens.base import StudylogScreen, background
from studylog.tui.widgets.heatmap import CalendarHeatmap
from studylog.wording import plural

if TYPE_CHECKING:
    from studylog.services.journal import EntrySummary

# Beyond this gap the heatmap ends at the latest entry instead of today, so an old
# journal (or the demo) still shows its days.
_HEATMAP_SPAN = dt.timedelta(weeks=26)


class JournalScreen(StudylogScreen):
    """Every entry, newest first; typing in the search box filters them at once."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "n",
            "app.write_today",
            "New entry",
            tooltip="Today's entry; a new one starts from your template with open plans",
            id="journal.new",
        ),
        Binding(
            "slash",
            "focus_search",
            "Search",
            tooltip="Full-text search over every entry (Korean works too)",
            id="journal.search",
        ),
        Binding(
            "escape",
            "clear_search",
            "Clear search",
            tooltip="Show every entry again",
            id="journal.clear",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[EntrySummary] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="Search entries as you type: 파이토치, autograd, view…", id="search"
        )
        with Horizontal(id="journal-top"):
            yield CalendarHeatmap(id="entry-heatmap", classes="panel")
            yield Static("", id="journal-summary", classes="panel")
        yield DataTable(id="entries", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = "Journal"
        self.query_one("#entry-heatmap").border_title = "Days with an entry"
        self.query_one("#journal-summary").border_title = "Journal"
        self.query_one(DataTable).focus()

    def reload(self) -> None:
        self.load_entries()

    @background("listing entries", group="entries")
    def load_entries(self) -> EntriesLoaded:
        """Fetch every entry."""
        ctx = self.ctx
        return EntriesLoaded(ctx.journal.entries(), ctx.clock.today())

    def on_entries_loaded(self, message: EntriesLoaded) -> None:
        self.studylog.content_shown()
        self.entries = message.entries
        days = {entry.day: 1 for entry in message.entries}
        latest = max(days, default=message.today)
        end = message.today if message.today - latest < _HEATMAP_SPAN else latest
        heatmap = self.query_one("#entry-heatmap", CalendarHeatmap)
        heatmap.set_data(days, end)
        heatmap.border_subtitle = f"up to {end.isoformat()}"
        summary = self.query_one("#journal-summary", Static)
        if message.entries:
            first = min(days)
            summary.update(
                f"[b]{plural(len(message.entries), 'entry', 'entries')}[/b]\n"
                f"from {first.isoformat()}\nto {latest.isoformat()}\n\n"
                "[b]enter[/b] opens an entry\n[b]n[/b] writes today's\n[b]/[/b] searches"
            )
        else:
            summary.update("No entries yet.\n\n[b]n[/b] writes today's entry.")
        query = self.query_one("#search", Input).value
        if query.strip():
            self.search(query)
        else:
            self._show_entries()

    def _fill(
        self, third: str, rows: list[tuple[dt.date, str | None, str]]
    ) -> DataTable[str | Text]:
        """Refill the entries table: one row per day, with `third` as the last column."""
        table: DataTable[str | Text] = self.query_one("#entries", DataTable)
        table.clear(columns=True)
        table.add_columns("Date", "Course", third)
        for day, category, detail in rows:
            table.add_row(day.isoformat(), Text(category or ""), Text(detail), key=day.isoformat())
        return table

    def _show_entries(self) -> None:
        rows = [(e.day, e.category, " · ".join(e.lectures)) for e in self.entries]
        table = self._fill("Lectures", rows)
        table.border_title = plural(len(self.entries), "entry", "entries")

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        if event.value.strip():
            self.search(event.value)
        else:
            self.workers.cancel_group(self, "search")
            self._show_entries()

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        self.query_one("#entries", DataTable).focus()

    @background("searching", group="search")
    def search(self, query: str) -> SearchResults:
        """Full-text search through the journal service."""
        ctx = self.ctx
        return SearchResults(query, ctx.journal.search(query))

    def on_search_results(self, message: SearchResults) -> None:
        if message.query != self.query_one("#search", Input).value:
            return  # the learner has typed on since
        table = self._fill("Match", [(h.day, h.category, h.snippet) for h in message.hits])
        table.border_title = (
            f"{plural(len(message.hits), 'match', 'matches')} for “{message.query}”"
        )

    @on(DataTable.RowSelected, "#entries")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.studylog.action_open_entry(event.row_key.value)

    def action_focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.query_one("#search", Input).focus()

    def action_clear_search(self) -> None:
        """Empty the search box and list every entry."""
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
        self.query_one("#entries", DataTable).focus()
