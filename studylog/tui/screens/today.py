"""Today: the learning day, the journal streak, the cards due, and today's tasks."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Footer, Header, Label, ListView, Static

from studylog.tui.format import long_date
from studylog.tui.messages import SandboxStatus, TodayLoaded
from studylog.tui.screens.base import StudylogScreen, background
from studylog.tui.widgets.tasks import TaskItem
from studylog.wording import plural

# What the Today screen says of the sandbox, by its state.
_SANDBOX_LINE = {
    SandboxStatus.IDLE: "",
    SandboxStatus.WARMING: "torch is warming up in the sandbox…",
    SandboxStatus.READY: "torch sandbox ready",
    SandboxStatus.FAILED: "the torch sandbox is not available; executable cards will say why",
}


class TodayScreen(StudylogScreen):
    """The first screen: what to study now and what is planned."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "app.start_quiz",
            "Quiz",
            tooltip="Review the cards due now, one at a time",
            id="today.quiz",
        ),
        Binding(
            "w",
            "app.write_today",
            "Write today",
            tooltip="Open today's journal entry (a new one starts from your template)",
            id="today.write",
        ),
        Binding(
            "u",
            "app.undo_review",
            "Undo review",
            tooltip="Revert the most recent review",
            id="today.undo",
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Opening the journal…", id="today-date")
        with Horizontal(id="today-body"):
            with Vertical(id="due-panel", classes="panel"):
                with Horizontal(id="due-counts"):
                    for name in ("new", "learning", "review"):
                        with Vertical(id=f"due-{name}", classes="due-count"):
                            yield Digits("-")
                            yield Label(name)
                yield Static("", id="due-hint")
                yield Static("", id="entry-status")
                yield Static("", id="sandbox-status", classes="sandbox-status")
            with Vertical(id="tasks-panel", classes="panel"):
                yield ListView(id="today-tasks")
                yield Static("", id="tasks-empty")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = "studylog"
        self.sub_title = "Today"
        self.query_one("#due-panel").border_title = "Cards due now"
        self.query_one("#tasks-panel").border_title = "Today's tasks"
        self.watch(self.app, "sandbox_state", self._sandbox_changed)

    def _sandbox_changed(self, state: SandboxStatus) -> None:
        self.query_one("#sandbox-status", Static).update(_SANDBOX_LINE[state])

    def reload(self) -> None:
        self.load()

    @background("loading today", group="today")
    def load(self) -> TodayLoaded:
        """Fetch the counts, the streak and the tasks from the services."""
        ctx = self.ctx

        day = ctx.clock.today()
        return TodayLoaded(
            day=day,
            streak=ctx.stats.journal_streak(),
            counts=ctx.reviews.counts(),
            tasks=ctx.tasks.list(),
            has_entry=ctx.journal.markdown_of(day) is not None,
        )

    async def on_today_loaded(self, message: TodayLoaded) -> None:
        self.studylog.content_shown()
        counts = message.counts
        streak = (
            ""
            if message.streak is None
            else f"   ·   journal streak: {plural(message.streak, 'day')}"
        )
        self.query_one("#today-date", Static).update(
            f"[b]{long_date(message.day)}[/b]   (learning day){streak}"
        )
        for name, count in (
            ("new", counts.new),
            ("learning", counts.learning),
            ("review", counts.review),
        ):
            self.query_one(f"#due-{name} Digits", Digits).update(str(count))
        self.query_one("#due-hint", Static).update(
            f"Press [b]r[/b] to review {plural(counts.total, 'card')}."
            if counts.total
            else "Nothing is due. Well done."
        )
        self.query_one("#entry-status", Static).update(
            "Today's entry is written; [b]w[/b] opens it."
            if message.has_entry
            else "No entry for today yet; [b]w[/b] starts one from your template."
        )
        overdue = sum(task.overdue for task in message.tasks)
        panel = self.query_one("#tasks-panel")
        panel.border_title = f"Today's tasks · {len(message.tasks)} open"
        panel.border_subtitle = f"{overdue} overdue" if overdue else ""
        tasks = self.query_one("#today-tasks", ListView)
        await tasks.clear()
        await tasks.extend(TaskItem(task, message.day) for task in message.tasks)
        self.query_one("#tasks-empty", Static).update(
            "" if message.tasks else "No open tasks for today."
        )

    @on(ListView.Selected, "#today-tasks")
    def _task_chosen(self) -> None:
        self.app.switch_mode("tasks")
