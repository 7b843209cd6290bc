"""Snapshots of the main screens at 120×40 (pytest-textual-snapshot).

Everything shown is fixed: the clock (2022-01-29 10:00 UTC), the time zone, the demo
journal, card seeds (derived from each card's key) and FSRS fuzz (off). Cursors are told
not to blink. Update with `pytest tests/tui --snapshot-update` after checking the diff.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TextArea
from tui_support import SANDBOX_TIMEOUT_S, SIZE, make_app, wait_until

from cards.scheduling import Grade
from studylog.context import AppContext
from studylog.tui.app import StudylogApp


async def steady(pilot: Pilot[Any]) -> None:
    """No blinking cursors, so the picture does not depend on when it is taken."""
    screen = pilot.app.screen
    for widget in [*screen.query(Input), *screen.query(TextArea)]:
        widget.cursor_blink = False
        # TextArea's line cache does not key on a steady cursor, so a line cached while the
        # cursor had blinked off would keep showing it hidden: draw every line afresh.
        widget.notify_style_update()
        widget.refresh()
    await pilot.pause()


def tasks_shown(pilot: Pilot[Any]) -> bool:
    return bool(pilot.app.screen.query_one("#today-tasks").children)


def test_today(snap_compare: Any, demo_ctx: AppContext) -> None:
    async def ready(pilot: Pilot[Any]) -> None:
        await wait_until(
            pilot, lambda: pilot.app.screen.query_one("#today-tasks").children, "tasks"
        )
        await steady(pilot)

    assert snap_compare(make_app(demo_ctx), terminal_size=SIZE, run_before=ready)


def test_today_light_theme(snap_compare: Any, demo_ctx: AppContext) -> None:
    async def ready(pilot: Pilot[Any]) -> None:
        pilot.app.theme = "textual-light"
        await wait_until(
            pilot, lambda: pilot.app.screen.query_one("#today-tasks").children, "tasks"
        )
        await steady(pilot)

    assert snap_compare(make_app(demo_ctx), terminal_size=SIZE, run_before=ready)


def test_journal_search(snap_compare: Any, demo_ctx: AppContext) -> None:
    async def search(pilot: Pilot[Any]) -> None:
        await pilot.press("f2")
        await wait_until(
            pilot, lambda: pilot.app.screen.query_one("#entries", DataTable).row_count, "entries"
        )
        await pilot.press("slash", *"파이토치")
        await wait_until(
            pilot,
            lambda: "파이토치" in str(pilot.app.screen.query_one("#entries").border_title),
            "the matches",
        )
        await steady(pilot)

    assert snap_compare(make_app(demo_ctx), terminal_size=SIZE, run_before=search)


def test_editor(snap_compare: Any, demo_ctx: AppContext) -> None:
    async def open_entry(pilot: Pilot[Any]) -> None:
        await wait_until(pilot, lambda: pilot.app.ready, "the database")
        assert isinstance(pilot.app, StudylogApp)
        pilot.app.action_open_entry("2022-01-24")
        await wait_until(
            pilot, lambda: pilot.app.screen.query_one("#editor", TextArea).text, "the text"
        )
        editor = pilot.app.screen.query_one("#editor", TextArea)
        # Rendering the preview is asynchronous; wait until all of it is mounted.
        await wait_until(
            pilot, lambda: pilot.app.screen.previewed == editor.text, "the whole preview"
        )
        await wait_until(pilot, lambda: pilot.app.focused is editor, "the editor's focus")
        await steady(pilot)

    assert snap_compare(make_app(demo_ctx), terminal_size=SIZE, run_before=open_entry)


def test_quiz_verdict(snap_compare: Any, demo_ctx: AppContext) -> None:
    async def answer(pilot: Pilot[Any]) -> None:
        await wait_until(pilot, lambda: pilot.app.ready, "the database")
        await pilot.press("r")
        await wait_until(pilot, lambda: getattr(pilot.app.screen, "phase", "") == "asking", "card")
        await pilot.press(*"(3,)", "enter")
        await wait_until(
            pilot, lambda: pilot.app.screen.phase == "verdict", "the verdict", SANDBOX_TIMEOUT_S
        )
        await steady(pilot)

    assert snap_compare(make_app(demo_ctx), terminal_size=SIZE, run_before=answer)


def test_tasks(snap_compare: Any, demo_ctx: AppContext) -> None:
    async def open_tasks(pilot: Pilot[Any]) -> None:
        await pilot.press("f3")
        await wait_until(pilot, lambda: pilot.app.screen.query_one("#task-list").children, "tasks")
        await steady(pilot)

    assert snap_compare(make_app(demo_ctx), terminal_size=SIZE, run_before=open_tasks)


def test_stats(snap_compare: Any, demo_ctx: AppContext) -> None:
    for card in demo_ctx.reviews.queue()[:5]:
        demo_ctx.reviews.record(card.id, Grade.GOOD, correct=True)

    async def open_stats(pilot: Pilot[Any]) -> None:
        await pilot.press("f4")
        await wait_until(
            pilot,
            lambda: "streak" in str(pilot.app.screen.query_one("#stats-figures", Static).render()),
            "the figures",
        )
        await steady(pilot)

    assert snap_compare(make_app(demo_ctx), terminal_size=SIZE, run_before=open_stats)


def test_first_run_offer(snap_compare: Any, empty_ctx: AppContext) -> None:
    async def offered(pilot: Pilot[Any]) -> None:
        await wait_until(
            pilot, lambda: type(pilot.app.screen).__name__ == "DemoOfferScreen", "the offer"
        )
        await steady(pilot)

    app = make_app(empty_ctx, offer_demo=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=offered)
