"""Text from notes and cards is shown as written: never read as Textual/Rich markup."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Static
from textual.widgets._toast import Toast
from tui_support import SIZE, Until, make_app, text_of

from studylog.context import AppContext
from studylog.tui.app import StudylogApp
from studylog.tui.screens.quiz import QuizScreen

MARKUP = "[on red]x[/] and [link=https://e.x]y[/link]"
ENTRY = f"""# Writing Specification

Date : 2022-01-29

강좌 분류 : Course [b]bold[/b]

# 강의 내용

Untrusted {MARKUP} :: shown as written

# 차기 계획

- tick {MARKUP}
"""


async def test_card_note_and_task_text_shows_markup_literally(
    empty_ctx: AppContext, until: Until
) -> None:
    empty_ctx.journal.save(ENTRY)
    [card] = [c for c in empty_ctx.reviews.cards() if c.spec.kind.value == "recall"]
    app = make_app(empty_ctx)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: app.ready, "the database")

        # The quiz: the card's front, as written.
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, QuizScreen), "the quiz")
        screen = app.screen
        screen.next_card(prefer=card.id)
        await until(
            pilot,
            lambda: screen.phase == "asking" and screen.question.card.id == card.id,
            "the recall card",
        )
        question = text_of(screen.query_one("#quiz-question", Static))
        assert f"Untrusted {MARKUP}" in question
        await pilot.press("escape", "escape")

        # The journal's table: the course as written.
        await pilot.press("f2")
        table = app.screen.query_one("#entries", DataTable)
        await until(pilot, lambda: table.row_count == 1, "the entry row")
        assert str(table.get_row_at(0)[1]) == "Course [b]bold[/b]"

        # Tasks: the row, and the notice when it is ticked off.
        await pilot.press("f3")
        await until(pilot, lambda: f"tick {MARKUP}" in rendered(app), "the task")
        await pilot.press("space")
        await until(pilot, lambda: app.screen.query(Toast), "the notice")
        notices = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert any(f"Done: tick {MARKUP}" in notice for notice in notices), notices
        assert empty_ctx.tasks.list(include_done=True, upcoming_days=7)[0].done
        assert not app.failures
    assert dt.date(2022, 1, 29) in {e.day for e in empty_ctx.journal.entries()}


def rendered(app: StudylogApp) -> str:
    """Every Label/Static of the screen, as plain text."""
    screen = app.screen
    return "\n".join(text_of(widget) for widget in screen.query(Static))
