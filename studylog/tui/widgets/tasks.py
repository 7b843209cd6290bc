"""A task as a list row: tick box, due date, text, why it is closed (when later lectures
closed it), and where it came from."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Label, ListItem

if TYPE_CHECKING:
    from studylog.services.tasks import TaskView


def due_label(due: dt.date, today: dt.date, done: bool) -> str:
    """`today`, `tomorrow`, `in 3 days`, or the date with how late it is."""
    days = (due - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 1:
        return f"in {days} days"
    if done:
        return f"{due:%m-%d}"
    late = -days
    return f"{late}d late" if late < 365 else f"{late // 365}y late"


class TaskItem(ListItem):
    """One task. Classes `-overdue` and `-done` let the stylesheet colour it."""

    def __init__(self, task: TaskView, today: dt.date) -> None:
        classes = " ".join(
            name for name, on in (("-overdue", task.overdue), ("-done", task.done)) if on
        )
        super().__init__(classes=classes)
        self.task_view = task
        self.today = today

    def compose(self) -> ComposeResult:
        task = self.task_view
        yield Label("[x]" if task.done else "[ ]", classes="task-check", markup=False)
        yield Label(due_label(task.due, self.today, task.done), classes="task-due", markup=False)
        yield Label(task.text, classes="task-text", markup=False)
        if task.closed:
            yield Label(f"({task.closed})", classes="task-closed", markup=False)
        origin = f"from {task.entry_day:%m-%d}" if task.entry_day else "by hand"
        yield Label(origin, classes="task-origin", markup=False)
