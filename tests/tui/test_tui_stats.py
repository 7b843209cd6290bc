"""The stats screen draws what the stats service computes."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Static
from textual_plotext import PlotextPlot
from tui_support import SIZE, Until, make_app, text_of

from cards.scheduling import Grade
from studylog.context import AppContext
from studylog.tui.screens.stats import StatsScreen
from studylog.tui.widgets.heatmap import CalendarHeatmap


async def test_stats_show_the_services_figures(demo_ctx: AppContext, until: Until) -> None:
    for card in demo_ctx.reviews.queue()[:3]:
        demo_ctx.reviews.record(card.id, Grade.GOOD, correct=True)
    expected = demo_ctx.stats.snapshot()
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await until(pilot, lambda: isinstance(app.screen, StatsScreen), "the stats")
        figures = app.screen.query_one("#stats-figures", Static)
        await until(pilot, lambda: "Journal streak" in text_of(figures), "the figures")
        shown = text_of(figures)
        assert f"{expected.streak} days" in shown
        assert f"{expected.cards_by_state['new']} new" in shown
        heatmap = app.screen.query_one("#review-heatmap", CalendarHeatmap)
        assert heatmap.counts == {dt.date(2022, 1, 29): 3}
        assert heatmap.end == expected.today
        charts = list(app.screen.query(PlotextPlot))
        assert len(charts) == 3
        # Not graduated yet: the retention chart gives way to a sentence.
        assert not app.screen.query_one("#retention-chart").display
        assert "retention shows" in text_of(app.screen.query_one("#retention-empty", Static))
        assert not app.failures
