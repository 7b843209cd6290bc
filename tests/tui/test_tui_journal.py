"""The journal screen: entries by date, the heatmap, search as you type, opening entries."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Input, TextArea
from tui_support import SIZE, Until, make_app

from studylog.context import AppContext
from studylog.tui.app import StudylogApp
from studylog.tui.screens.editor import EditorScreen
from studylog.tui.screens.journal import JournalScreen
from studylog.tui.widgets.heatmap import CalendarHeatmap


def table(app: StudylogApp) -> DataTable[object]:
    return app.screen.query_one("#entries", DataTable)


async def test_entries_are_listed_by_date_with_a_heatmap(
    demo_ctx: AppContext, until: Until
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, JournalScreen), "the journal")
        await until(pilot, lambda: table(app).row_count == 5, "five entries")
        keys = [row.value for row in table(app).rows]
        assert keys == sorted(keys, reverse=True) and keys[0] == "2022-01-28"
        heatmap = app.screen.query_one(CalendarHeatmap)
        assert set(heatmap.counts) == {dt.date(2022, 1, d) for d in range(24, 29)}
        assert heatmap.first_day() <= dt.date(2022, 1, 24) <= heatmap.end
        assert not app.failures


async def test_search_updates_as_you_type_and_opens_the_hit(
    demo_ctx: AppContext, until: Until
) -> None:
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await until(pilot, lambda: table(app).row_count == 5, "five entries")
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"자동미분")
        await until(pilot, lambda: table(app).row_count == 2, "two matches for 자동미분")
        assert "2 matches" in str(table(app).border_title)
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        await until(pilot, lambda: table(app).row_count == 5, "every entry again")
        await pilot.press(*"unsqueeze")
        await until(pilot, lambda: table(app).row_count == 1, "one match for unsqueeze")
        await pilot.press("enter")  # from the search box to the results
        assert app.focused is table(app)
        await pilot.press("enter")  # open the highlighted entry
        await until(pilot, lambda: isinstance(app.screen, EditorScreen), "the editor")
        area = app.screen.query_one("#editor", TextArea)
        await until(pilot, lambda: "unsqueeze" in area.text, "the entry's text")
        assert area.text == demo_ctx.journal.markdown_of(dt.date(2022, 1, 24))
        assert not app.failures
