"""App-wide: bindings, the command palette, themes, quitting, first run, startup errors."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.widgets import Digits
from tui_support import NOW, SIZE, Until, make_app

from studylog.context import AppContext
from studylog.tui.app import StudylogApp
from studylog.tui.keymap import declared_bindings
from studylog.tui.screens.demo import DemoOfferScreen
from studylog.tui.screens.editor import EditorScreen
from studylog.tui.screens.quiz import QuizScreen
from studylog.tui.screens.today import TodayScreen


def test_every_binding_has_an_id_a_description_and_a_tooltip() -> None:
    bindings = [(cls.__name__, binding) for cls, binding in declared_bindings()]
    assert len(bindings) > 20
    ids = [binding.id for _, binding in bindings]
    for owner, binding in bindings:
        assert isinstance(binding, Binding), owner
        assert binding.id, f"{owner} {binding.key}: no id"
        assert binding.description, f"{owner} {binding.key}: no description"
        assert binding.tooltip, f"{owner} {binding.key}: no tooltip"
    assert len(ids) == len(set(ids)), "binding ids are unique"


# Textual's own commands quit; the palette does not offer itself.
LEFT_TO_TEXTUAL = ("app.quit", "app.help_quit", "app.command_palette")


def palette_prompts(app: StudylogApp) -> list[str]:
    options = app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_palette_discovers_every_action_and_searches_entries(
    demo_ctx: AppContext, until: Until
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.ready, "the database")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        # Each action once, in the words of one of its bindings: the app's and Today's
        # bindings, and every binding of an app action (those work from any screen).
        wanted: dict[str, set[str]] = {"theme": {"Theme"}}
        for owner, binding in declared_bindings():
            shown_here = owner in (StudylogApp, TodayScreen) or binding.action.startswith("app.")
            if shown_here and binding.id not in (
                "app.quit",
                "app.help_quit",
                "app.command_palette",
            ):
                wanted.setdefault(binding.action, set()).add(binding.description)
        assert {"Quiz", "Add", "Stats", "Undo review"} <= set().union(*wanted.values())
        await until(
            pilot,
            lambda: all(
                any(w in p for w in words for p in palette_prompts(app))
                for words in wanted.values()
            ),
            "every action listed",
        )
        await pilot.press(*"2022-01-24")
        await until(
            pilot,
            lambda: any("Open entry 2022-01-24" in p for p in palette_prompts(app)),
            "the entry as a hit",
        )
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, EditorScreen), "the entry opened")
        await pilot.press("escape", "escape")
        await until(pilot, lambda: isinstance(app.screen, TodayScreen), "back on Today")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"quiz")
        await until(pilot, lambda: palette_prompts(app)[0].startswith("Quiz"), "the quiz first")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, QuizScreen), "the quiz")
        assert not app.failures


async def test_themes_switch(demo_ctx: AppContext, until: Until) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.ready, "the database")
        before = app.screen.query_one("#due-new Digits", Digits).styles.color
        for theme in ("nord", "textual-light", "gruvbox"):
            app.theme = theme
            await pilot.pause()
        after = app.screen.query_one("#due-new Digits", Digits).styles.color
        assert before != after
        assert not app.failures


async def test_ctrl_q_quits_with_status_zero(demo_ctx: AppContext, until: Until) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.ready, "the database")
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_first_run_offers_the_demo(empty_ctx: AppContext, until: Until) -> None:
    app = make_app(empty_ctx, offer_demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, DemoOfferScreen), "the offer")
        await pilot.press("y")
        await until(
            pilot,
            lambda: app.screen.query_one("#due-new Digits", Digits).value == "20",
            "the demo's cards",
        )
        assert len(empty_ctx.journal.entries()) == 5


async def test_no_offer_when_the_journal_has_entries(demo_ctx: AppContext, until: Until) -> None:
    app = make_app(demo_ctx, offer_demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.ready, "the database")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)


async def test_a_database_that_cannot_open_exits_with_an_error(
    tmp_path: Path, until: Until
) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    app = StudylogApp(lambda: AppContext(db=str(folder), now=NOW))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.return_code is not None, "the exit")
    assert app.return_code == 1


async def test_a_damaged_database_exits_with_one_line(
    tmp_path: Path, until: Until, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"not a database " * 500)
    app = StudylogApp(lambda: AppContext(db=str(damaged), now=NOW))
    messages: list[object] = []
    exit_app = app.exit

    def exit_noting_the_message(*args: Any, **kwargs: Any) -> None:
        # The message is printed to the terminal after the app has gone; note it here.
        messages.append(kwargs.get("message"))
        exit_app(*args, **kwargs)

    monkeypatch.setattr(app, "exit", exit_noting_the_message)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.return_code is not None, "the exit")
    assert app.return_code == 1
    [message] = messages
    assert message == (
        f"studylog: error: {damaged}: the database is damaged (not a usable studylog database:"
        " file is not a database); restore from an export"
        " (`studylog --db NEW.db import backup.json`)"
    )


def test_studylog_without_a_terminal_says_so(cli: Any) -> None:
    done = cli()
    assert done.code == 2
    assert "needs a terminal" in done.err


def test_json_without_a_command_is_an_error(cli: Any) -> None:
    done = cli("--json")
    assert done.code == 2 and "--json needs a command" in done.err


async def test_a_failing_worker_posts_one_notice_and_the_app_carries_on(
    demo_ctx: AppContext, until: Until
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.ready, "the database")
        # A real fault under the stats service: its review log is gone.
        with contextlib.closing(sqlite3.connect(demo_ctx.database)) as conn:
            conn.execute("DROP TABLE review")
            conn.commit()
        await pilot.press("f4")
        await until(pilot, lambda: app.failures, "the failure")
        await pilot.pause(0.2)
        [failure] = app.failures
        assert failure.what == "computing stats"
        assert "no such table: review" in failure.error
        assert "Traceback" in failure.details
        [note] = [n for n in app._notifications if n.severity == "error"]
        assert note.title == "Error while computing stats"
        assert note.message == failure.error and not note.markup
        assert app.is_running and app.return_code is None
