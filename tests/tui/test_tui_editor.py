"""The entry editor: today's template, live preview, saving, $EDITOR, leaving."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Markdown, Static
from tui_support import SIZE, Until, make_app, text_of

from studylog import unsaved
from studylog.context import AppContext
from studylog.tui.app import StudylogApp
from studylog.tui.screens.editor import EditorScreen
from studylog.tui.screens.today import TodayScreen
from studylog.tui.widgets.entry_editor import EntryEditor

TODAY = dt.date(2022, 1, 29)
QUIZ = "\n```quiz\nx = torch.ones(2, 3)\n? x.sum(0).shape\n```\n"
CARRIED = (
    "Weekend : put this week's tensor ops (view, transpose, matmul, stack/cat) on one page",
    "Try Ray Tune on the 과제 1 model with a tiny search space",
    "Finally review the hook part of 과제 1",
)


def area(app: StudylogApp) -> EntryEditor:
    return app.screen.query_one("#editor", EntryEditor)


def status(app: StudylogApp) -> str:
    return text_of(app.screen.query_one("#editor-status", Static))


async def open_today(app: StudylogApp, pilot: Pilot[None], until: Until) -> None:
    await until(pilot, lambda: app.ready, "the database")
    await pilot.press("w")
    await until(pilot, lambda: "Date :" in area(app).text, "the entry's text")


async def test_new_entry_is_todays_template_with_yesterdays_open_plans(
    demo_ctx: AppContext, until: Until
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_today(app, pilot, until)
        text = area(app).text
        assert "<summary>Writing Specification</summary>" in text
        assert ">Date : 22.01.29" in text
        assert ">강좌 분류 : Pytorch" in text
        assert "차기 계획" in text
        for plan in CARRIED:
            assert plan in text
        # Plans of older entries, done or not, are not carried.
        assert "코딩 기본과제 풀기" not in text
        assert app.screen.is_new and "new entry 2022-01-29" in app.screen.sub_title
        # Markdown highlighting, <details> tags included (tree-sitter is a dependency).
        assert area(app).highlighted


async def test_preview_follows_the_text(demo_ctx: AppContext, until: Until) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_today(app, pilot, until)
        preview = app.screen.query_one("#preview", Markdown)
        # Sections of the user's <details> template are shown as headings.
        await until(pilot, lambda: "## Writing Specification" in preview.source, "the preview")
        area(app).focus()
        await pilot.press("ctrl+home", *"# 새 제목", "enter")
        await until(pilot, lambda: preview.source.startswith("# 새 제목"), "the typed heading")


async def test_saving_derives_cards_and_tasks_and_says_what_changed(
    demo_ctx: AppContext, until: Until
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_today(app, pilot, until)
        editor = area(app)
        text = editor.text.replace(
            ">>제목 : ",
            ">>제목 : Tensor drills\n\n```quiz\nx = torch.ones(2, 3)\n? x.sum(0).shape\n```",
        )
        editor.load_text(text)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "saved new entry" in status(app), "the save summary")
        summary = status(app)
        assert "2022-01-29" in summary and "new card" in summary and "3 tasks" in summary
        assert "● unsaved" not in summary
        stored = demo_ctx.journal.markdown_of(dt.date(2022, 1, 29))
        assert stored == text
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "no changes" in status(app), "an unchanged save")
        assert not app.failures


async def test_escape_asks_before_dropping_unsaved_text(demo_ctx: AppContext, until: Until) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_today(app, pilot, until)
        await pilot.press(*"draft")
        assert app.screen.dirty
        await pilot.press("escape")  # leaves the text area
        await pilot.press("escape")  # asks
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("escape")  # drops the draft
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "back on Today")
        assert demo_ctx.journal.markdown_of(dt.date(2022, 1, 29)) is None


async def test_quit_asks_before_dropping_unsaved_text(demo_ctx: AppContext, until: Until) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_today(app, pilot, until)
        await pilot.press(*"draft")
        await pilot.press("ctrl+q")  # asks, like escape does
        await until(pilot, lambda: app._notifications, "the warning")
        assert isinstance(app.screen, EditorScreen) and app.return_code is None
        [note] = list(app._notifications)
        assert "ctrl+q again discards them" in note.message
        await until(pilot, lambda: unsaved.kept_for(demo_ctx.database, TODAY), "the kept text")
        await pilot.press("ctrl+q")  # quits without the text, as asked
    assert app.return_code == 0
    assert demo_ctx.journal.markdown_of(TODAY) is None
    assert unsaved.kept_for(demo_ctx.database, TODAY) is None  # knowingly discarded


async def test_typed_text_outlives_a_crash_and_is_offered_back(
    demo_ctx: AppContext, until: Until
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_today(app, pilot, until)
        area(app).focus()
        await pilot.press("ctrl+home", *"# 잃어버리면 안 되는 글", "enter")
        typed = area(app).text
        await until(
            pilot,
            lambda: getattr(unsaved.kept_for(demo_ctx.database, TODAY), "text", None) == typed,
            "the text on disk",
        )
    # The app went away without quitting (as in a crash): the next start offers the text.
    again = make_app(demo_ctx)
    async with again.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: again._notifications, "the notice")
        [note] = list(again._notifications)
        assert "Text typed for 2022-01-29 was never saved" in note.message
        await open_today(again, pilot, until)
        assert area(again).text == typed
        assert again.screen.dirty and "Unsaved text from" in status(again)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "saved new entry" in status(again), "the save")
        assert demo_ctx.journal.markdown_of(TODAY) == typed
        assert unsaved.kept_for(demo_ctx.database, TODAY) is None


@pytest.fixture
def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$EDITOR: a script that appends a line to the file it is given."""
    script = tmp_path / "fake-editor"
    script.write_text('#!/bin/sh\nprintf "\\nfrom the editor\\n" >> "$1"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(script))
    return script


async def test_editor_key_opens_dollar_editor_through_suspend(
    demo_ctx: AppContext, until: Until, fake_editor: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(demo_ctx)
    suspended: list[bool] = []

    @contextlib.contextmanager
    def suspend() -> Iterator[None]:
        # The headless test driver cannot give up a real terminal; record the call.
        suspended.append(True)
        yield

    async with app.run_test(size=SIZE) as pilot:
        monkeypatch.setattr(app, "suspend", suspend)
        await open_today(app, pilot, until)
        before = area(app).text
        await pilot.press("ctrl+o")
        await until(pilot, lambda: area(app).text.endswith("from the editor\n"), "edited text")
        assert suspended == [True]
        assert area(app).text.startswith(before)
        assert app.screen.dirty
        assert os.environ["EDITOR"] == str(fake_editor)
