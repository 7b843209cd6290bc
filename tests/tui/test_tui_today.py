"""The Today screen: learning day, streak, cards due, tasks; keys to quiz and to write."""

from __future__ import annotations

import pytest
from textual.widgets import Digits, ListView, Static
from tui_support import SIZE, Until, make_app

from studylog.context import AppContext
from studylog.tui.app import StudylogApp
from studylog.tui.screens.editor import EditorScreen
from studylog.tui.screens.quiz import QuizScreen
from studylog.tui.screens.today import TodayScreen
from studylog.tui.widgets.tasks import TaskItem

# The Today screen reads the most (due counts, streak, tasks, stats): run on both engines.
pytestmark = pytest.mark.engines


def digits(app: StudylogApp, name: str) -> str:
    return app.screen.query_one(f"#due-{name} Digits", Digits).value


async def test_today_shows_the_day_streak_due_cards_and_tasks(
    demo_ctx: AppContext, until: Until
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, TodayScreen)
        await until(pilot, lambda: digits(app, "new") == "20", "the due counts")
        assert (digits(app, "learning"), digits(app, "review")) == ("0", "0")
        header = str(app.screen.query_one("#today-date", Static).render())
        assert "Saturday 29 January 2022" in header
        assert "journal streak: 5 days" in header
        tasks = list(app.screen.query_one("#today-tasks", ListView).query(TaskItem))
        # Three of the demo's plans name lectures that later days record: they are closed.
        assert len(tasks) == 9
        overdue = [t for t in tasks if t.has_class("-overdue")]
        assert len(overdue) == 6  # due before 2022-01-29; the 01-28 entry's plans are due today
        assert all(t.task_view.due < demo_ctx.clock.today() for t in overdue)
        assert not app.failures


async def test_r_starts_the_quiz_and_w_writes_today(demo_ctx: AppContext, until: Until) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.ready, "the database")
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, EditorScreen), "the editor")
        await pilot.press("escape", "escape")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "back on Today")
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, QuizScreen), "the quiz")
        assert not app.failures
