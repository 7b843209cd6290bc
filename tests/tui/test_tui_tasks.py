"""The tasks screen: tick done, show done, add with a due date, overdue highlighted."""

from __future__ import annotations

import datetime as dt

from textual.pilot import Pilot
from textual.widgets import Input, ListView, Static
from tui_support import SIZE, Until, make_app, text_of

from studylog.context import AppContext
from studylog.tui.app import StudylogApp
from studylog.tui.screens.tasks import AddTaskScreen, TasksScreen
from studylog.tui.widgets.tasks import TaskItem


def items(app: StudylogApp) -> list[TaskItem]:
    return list(app.screen.query_one("#task-list", ListView).query(TaskItem))


async def open_tasks(app: StudylogApp, pilot: Pilot[None], until: Until) -> None:
    await pilot.press("f3")
    await until(pilot, lambda: isinstance(app.screen, TasksScreen), "the tasks")
    await until(pilot, lambda: len(items(app)) == 9, "nine open tasks")


async def test_overdue_tasks_are_highlighted(demo_ctx: AppContext, until: Until) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_tasks(app, pilot, until)
        overdue = [i for i in items(app) if i.has_class("-overdue")]
        assert len(overdue) == 6
        assert "6 overdue" in text_of(app.screen.query_one("#tasks-summary", Static))
        first = overdue[0].query_one(".task-due", Static)
        assert text_of(first) == "4d late"
        assert first.styles.color != overdue[0].query_one(".task-text", Static).styles.color


async def test_space_ticks_a_task_done_and_d_shows_done_ones(
    demo_ctx: AppContext, until: Until
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_tasks(app, pilot, until)
        target = items(app)[1].task_view
        await pilot.press("down", "space")
        await until(pilot, lambda: len(items(app)) == 8, "the ticked task to leave the list")
        assert demo_ctx.tasks.get(target.id).done
        await pilot.press("d")
        await until(
            pilot, lambda: any(i.task_view.id == target.id for i in items(app)), "done tasks"
        )
        ticked = next(i for i in items(app) if i.task_view.id == target.id)
        assert ticked.has_class("-done")
        app.screen.query_one("#task-list", ListView).index = items(app).index(ticked)
        await pilot.press("space")
        await until(pilot, lambda: not demo_ctx.tasks.get(target.id).done, "untick")
        assert not app.failures


async def test_done_tasks_say_which_entry_closed_them(demo_ctx: AppContext, until: Until) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_tasks(app, pilot, until)
        await pilot.press("d")
        await until(pilot, lambda: any(i.task_view.done for i in items(app)), "done tasks")
        closed = {
            i.task_view.text: text_of(i.query_one(".task-closed", Static))
            for i in items(app)
            if i.query(".task-closed")
        }
        expected = {t.text: f"({t.closed})" for t in demo_ctx.tasks.list(include_done=True)}
        assert len(closed) == 3
        assert closed == {text: expected[text] for text in closed}
        assert all(reason.startswith("(closed by 2022-01-") for reason in closed.values())
        still_open = [i for i in items(app) if not i.task_view.done]
        assert not any(i.query(".task-closed") for i in still_open)


async def test_a_adds_a_task_with_a_due_date(demo_ctx: AppContext, until: Until) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_tasks(app, pilot, until)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddTaskScreen), "the dialog")
        await pilot.press(*"텐서 복습", "enter")
        due = app.screen.query_one("#task-due", Input)
        assert app.focused is due and due.value == "2022-01-29"
        due.value = "+2"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TasksScreen), "back on the list")
        await until(pilot, lambda: len(items(app)) == 10, "the new task")
        added = next(i.task_view for i in items(app) if i.task_view.text == "텐서 복습")
        assert added.due == dt.date(2022, 1, 31) and added.entry_day is None


async def test_add_dialog_refuses_a_bad_date(demo_ctx: AppContext, until: Until) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_tasks(app, pilot, until)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddTaskScreen), "the dialog")
        await pilot.press(*"x")
        app.screen.query_one("#task-due", Input).value = "someday"
        app.screen.query_one("#task-due", Input).focus()
        await pilot.press("enter")
        assert isinstance(app.screen, AddTaskScreen)
        assert "not a date" in text_of(app.screen.query_one("#task-error", Static))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, TasksScreen), "cancelled")
