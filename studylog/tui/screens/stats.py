"""Stats: the review heatmap, reviews per day, retention and the due forecast.

Every figure comes from the stats service; this screen only draws them (textual-plotext).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Static
from textual_plotext import PlotextPlot

from studylog.tui.messages import StatsLoaded
from studylog.tui.screens.base import StudylogScreen, background
from studylog.tui.widgets.heatmap import CalendarHeatmap
from studylog.wording import plural

if TYPE_CHECKING:
    from studylog.services.stats import DayFigure, Stats

RECENT_DAYS = 30
MAX_TOPICS = 10


def _integer_ticks(top: int, most: int = 5) -> list[float]:
    """Whole-number ticks from 0 to `top`, at most about `most` of them."""
    step = max(1, -(-top // most))
    return list(range(0, top + 1, step))


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


class StatsScreen(StudylogScreen):
    """Progress at a glance, Anki style."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "reload_stats",
            "Refresh",
            tooltip="Compute the figures again",
            id="stats.refresh",
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="stats-top"):
            yield CalendarHeatmap(id="review-heatmap", classes="panel")
            yield Static("Computing…", id="stats-figures", classes="panel")
        with Horizontal(id="stats-charts"):
            yield PlotextPlot(id="reviews-chart", classes="panel")
            yield PlotextPlot(id="forecast-chart", classes="panel")
        with Vertical(id="retention-panel", classes="panel"):
            yield Static("", id="retention-empty")
            yield PlotextPlot(id="retention-chart")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = "Stats"
        self.query_one("#review-heatmap").border_title = "Reviews per day"
        self.query_one("#stats-figures").border_title = "Figures"
        self.query_one("#reviews-chart").border_title = f"Reviews, last {RECENT_DAYS} days"
        self.query_one("#forecast-chart").border_title = "Due forecast"
        self.query_one("#retention-panel").border_title = "Retention by topic, weakest first"
        # Bar colours come from the theme: draw again when it changes.
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: object) -> None:
        if self.studylog.ready and self.is_current:
            self.load()

    def reload(self) -> None:
        self.load()

    def action_reload_stats(self) -> None:
        """Compute the figures again."""
        self.load()

    @background("computing stats", group="stats")
    def load(self) -> StatsLoaded:
        """Ask the stats service for a snapshot."""
        ctx = self.ctx
        return StatsLoaded(ctx.stats.snapshot())

    def on_stats_loaded(self, message: StatsLoaded) -> None:
        self.studylog.content_shown()
        stats = message.stats
        heatmap = self.query_one("#review-heatmap", CalendarHeatmap)
        heatmap.set_data({f.day: f.count for f in stats.reviews_per_day}, stats.today)
        total = sum(f.count for f in stats.reviews_per_day)
        heatmap.border_subtitle = f"{plural(total, 'review')} in the last year"
        self.query_one("#stats-figures", Static).update(self._figures(stats))
        recent = self._recent(stats.reviews_per_day, stats.today)
        self._bars("#reviews-chart", recent, "reviews")
        self._bars("#forecast-chart", stats.forecast, "cards due")
        self._retention(stats.retention_by_topic)

    def _figures(self, stats: Stats) -> str:
        states = stats.cards_by_state
        calibration = stats.calibration
        lines = [
            f"[b]Journal streak[/b]   {plural(stats.streak, 'day')}",
            f"[b]Entries[/b]          {len(stats.entry_days)}",
            f"[b]True retention[/b]   {_percent(stats.true_retention)} (30 days)",
            f"[b]Tasks done[/b]       {_percent(stats.task_completion)}",
            "",
            "[b]Cards[/b]",
            f"  [$text-primary]{states.get('new', 0)} new[/]  ·  "
            f"[$text-error]{states.get('learning', 0) + states.get('relearning', 0)} learning[/]"
            f"  ·  [$text-success]{states.get('review', 0)} review[/]",
        ]
        if calibration.reviews:
            lines += [
                "",
                f"[b]Calibration[/b]  log loss {calibration.log_loss:.3f} · "
                f"RMSE {calibration.rmse_bins:.3f} over {calibration.reviews} reviews",
            ]
        return "\n".join(lines)

    @staticmethod
    def _recent(figures: Sequence[DayFigure], today: dt.date) -> list[tuple[dt.date, int]]:
        counts = {f.day: f.count for f in figures}
        days = [today - dt.timedelta(days=n) for n in range(RECENT_DAYS - 1, -1, -1)]
        return [(day, counts.get(day, 0)) for day in days]

    def _theme_rgb(self, name: str) -> tuple[int, int, int]:
        return Color.parse(self.app.theme_variables[name]).rgb

    def _bars(
        self, selector: str, figures: Sequence[DayFigure] | Sequence[tuple[dt.date, int]], what: str
    ) -> None:
        pairs = [(f.day, f.count) if not isinstance(f, tuple) else f for f in figures]
        chart = self.query_one(selector, PlotextPlot)
        plt = chart.plt
        plt.clear_data()
        plt.clear_figure()
        xs: list[float] = list(range(len(pairs)))  # plotext asks for floats; ints are numbers too
        counts = [count for _, count in pairs]
        busy = [(x, count) for x, count in zip(xs, counts, strict=True) if count]
        if busy:  # plotext draws a zero-height bar as a block, so leave zeros out
            plt.bar(
                [x for x, _ in busy],
                [count for _, count in busy],
                color=self._theme_rgb("primary"),
                width=0.6,
            )
        step = max(1, len(pairs) // 6)
        plt.xticks(xs[::step], [f"{day:%m-%d}" for day, _ in pairs][::step])
        plt.xlim(-0.5, len(pairs) - 0.5)
        top = max(4, *counts)
        plt.ylim(0, top)
        plt.yticks(_integer_ticks(top))
        plt.ylabel(what)
        chart.refresh()

    def _retention(self, by_topic: dict[str, float]) -> None:
        chart = self.query_one("#retention-chart", PlotextPlot)
        empty = self.query_one("#retention-empty", Static)
        chart.display = bool(by_topic)
        empty.display = not by_topic
        empty.update(
            "No answers to review-state cards yet: retention shows once cards graduate "
            "from learning."
        )
        plt = chart.plt
        plt.clear_data()
        plt.clear_figure()
        weakest = sorted(by_topic, key=lambda topic: (by_topic[topic], topic))[:MAX_TOPICS]
        if weakest:
            plt.bar(
                weakest[::-1],
                [round(by_topic[t] * 100) for t in weakest][::-1],
                orientation="horizontal",
                color=self._theme_rgb("success"),
                width=0.4,
            )
            plt.xlim(0, 100)
            plt.xlabel("% recalled")
        chart.refresh()
