"""Tasks: tick them off, add your own, see what is overdue."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Header, Input, Label, ListView, Static

from studylog.services.dates import parse_due
from studylog.tui.messages import DataChanged, TasksLoaded
from studylog.tui.screens.base import StudylogScreen, background
from studylog.tui.widgets.tasks import TaskItem
from studylog.wording import plural

UPCOMING_DAYS = 14


class AddTaskScreen(ModalScreen[tuple[str, dt.date] | None]):
    """Asks for a task's text and due date."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without adding", id="addtask.cancel"),
    ]

    def __init__(self, today: dt.date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="add-task-dialog", classes="dialog"):
            yield Static("[b]New task[/b]", classes="dialog-title")
            yield Label("What")
            yield Input(placeholder="e.g. 기본과제 2 마무리하기", id="task-text")
            yield Label("Due (YYYY-MM-DD, today, tomorrow, +N, fri)")
            yield Input(value=self.today.isoformat(), id="task-due")
            yield Static("", id="task-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add", variant="primary", id="task-add")
                yield Button("Cancel", id="task-cancel")

    def on_mount(self) -> None:
        self.query_one("#task-text", Input).focus()

    @on(Input.Submitted, "#task-text")
    def _next_field(self) -> None:
        self.query_one("#task-due", Input).focus()

    @on(Input.Submitted, "#task-due")
    @on(Button.Pressed, "#task-add")
    def _add(self) -> None:
        text = self.query_one("#task-text", Input).value.strip()
        error = self.query_one("#task-error", Static)
        if not text:
            error.update("Write what the task is.")
            self.query_one("#task-text", Input).focus()
            return
        try:
            due = parse_due(self.query_one("#task-due", Input).value, self.today)
        except ValueError as err:
            error.update(Text(str(err)))  # quotes what was typed
            return
        self.dismiss((text, due))

    @on(Button.Pressed, "#task-cancel")
    def action_cancel(self) -> None:
        """Close without adding."""
        self.dismiss(None)


class TasksScreen(StudylogScreen):
    """Open tasks up to two weeks ahead, overdue ones first; done ones on request."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space",
            "toggle_done",
            "Done/undone",
            tooltip="Tick the highlighted task off, or back on",
            id="tasks.toggle",
        ),
        Binding("a", "app.add_task", "Add", tooltip="Add a task with a due date", id="tasks.add"),
        Binding(
            "d",
            "toggle_show_done",
            "Show done",
            tooltip="Show or hide tasks already done",
            id="tasks.show_done",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_done = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="tasks-summary")
        yield ListView(id="task-list")
        yield Static("", id="tasks-none")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = "Tasks"
        self.query_one("#task-list").border_title = "Tasks"

    def reload(self) -> None:
        self.load()

    @background("listing tasks", group="tasks")
    def load(self) -> TasksLoaded:
        """Fetch the tasks from the task service."""
        ctx = self.ctx
        show_done = self.show_done
        return TasksLoaded(
            ctx.tasks.list(upcoming_days=UPCOMING_DAYS, include_done=show_done),
            ctx.clock.today(),
        )

    async def on_tasks_loaded(self, message: TasksLoaded) -> None:
        self.studylog.content_shown()
        tasks = message.tasks
        listing = self.query_one("#task-list", ListView)
        keep = listing.index
        await listing.clear()
        await listing.extend(TaskItem(task, message.today) for task in tasks)
        if tasks:
            listing.index = min(keep or 0, len(tasks) - 1)
        listing.focus()
        open_tasks = [t for t in tasks if not t.done]
        overdue = sum(t.overdue for t in tasks)
        self.query_one("#tasks-summary", Static).update(
            f"[b]{plural(len(open_tasks), 'open task')}[/b]"
            + (f" · [$text-error]{overdue} overdue[/]" if overdue else "")
            + f" · due up to {message.today + dt.timedelta(days=UPCOMING_DAYS):%Y-%m-%d}"
            + (" · done tasks shown" if self.show_done else "")
        )
        self.query_one("#tasks-none", Static).update(
            "" if tasks else "No tasks. [b]a[/b] adds one; next plans in entries add more."
        )

    def action_toggle_done(self) -> None:
        """Tick the highlighted task off, or back on."""
        item = self.query_one("#task-list", ListView).highlighted_child
        if isinstance(item, TaskItem):
            self.set_done(item.task_view.id, not item.task_view.done)

    @on(ListView.Selected, "#task-list")
    def _selected(self) -> None:
        self.action_toggle_done()

    @background("updating a task", group="tasks-write", exclusive=False)
    def set_done(self, task_id: int, done: bool) -> DataChanged:
        """Store the new state through the task service."""
        ctx = self.ctx

        task = ctx.tasks.set_done(task_id, done)
        return DataChanged(f"{'Done' if done else 'Not done'}: {task.text}")

    def action_toggle_show_done(self) -> None:
        """Show or hide done tasks."""
        self.show_done = not self.show_done
        self.load()
