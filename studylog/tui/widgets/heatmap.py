"""A calendar heatmap: one column per week, one row per weekday, shaded by count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

LABEL_WIDTH = 4
CELL_WIDTH = 3  # a two-column day and a gap
_DAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def level(count: int, most: int) -> int:
    """0 for nothing, else 1-4 by quarter of the busiest day."""
    if count <= 0 or most <= 0:
        return 0
    return min(4, max(1, -(-count * 4 // most)))


class CalendarHeatmap(Widget):
    """Days as shaded cells, GitHub style, ending at `end`; as many weeks as fit.

    Shades come from the component classes below, which the app stylesheet sets from
    theme variables, so every theme recolours it.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "heatmap--label",
        "heatmap--empty",
        "heatmap--level-1",
        "heatmap--level-2",
        "heatmap--level-3",
        "heatmap--level-4",
    }

    DEFAULT_CSS = """
    CalendarHeatmap {
        height: 8;
        width: 1fr;
    }
    """

    def __init__(
        self,
        counts: Mapping[dt.date, int] | None = None,
        end: dt.date | None = None,
        *,
        max_weeks: int = 53,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.counts: dict[dt.date, int] = dict(counts or {})
        self.end = end or dt.date.today()
        self.max_weeks = max_weeks

    def set_data(self, counts: Mapping[dt.date, int], end: dt.date) -> None:
        """Show `counts` for the weeks up to the one holding `end`."""
        self.counts = dict(counts)
        self.end = end
        self.refresh()

    def weeks_shown(self) -> int:
        """How many week columns fit the current width."""
        return max(1, min(self.max_weeks, (self.size.width - LABEL_WIDTH) // CELL_WIDTH))

    def first_day(self) -> dt.date:
        """The Monday of the first column."""
        last_monday = self.end - dt.timedelta(days=self.end.weekday())
        return last_monday - dt.timedelta(weeks=self.weeks_shown() - 1)

    def render(self) -> Text:
        weeks = self.weeks_shown()
        start = self.first_day()
        label = self.get_component_rich_style("heatmap--label")
        # Each day is an upper half block in its shade: two columns by half a row is
        # about square, and the lower half leaves a gap between the weekday rows.
        shades = [
            Style(color=self.get_component_rich_style(name).bgcolor)
            for name in (
                "heatmap--empty",
                *(f"heatmap--level-{n}" for n in range(1, 5)),
            )
        ]
        most = max(self.counts.values(), default=0)
        text = Text(no_wrap=True, overflow="crop")
        text.append(self._month_row(start, weeks), label)
        for weekday in range(7):
            text.append("\n")
            text.append(_DAY_LABELS[weekday].ljust(LABEL_WIDTH), label)
            for week in range(weeks):
                day = start + dt.timedelta(weeks=week, days=weekday)
                if day > self.end:
                    text.append(" " * CELL_WIDTH)
                    continue
                shade: Style = shades[level(self.counts.get(day, 0), most)]
                text.append("▀▀", shade)
                text.append(" ")
        return text

    def _month_row(self, start: dt.date, weeks: int) -> str:
        """Month names over the week that holds each month's first day."""
        row = [" "] * (LABEL_WIDTH + weeks * CELL_WIDTH)
        free_from = 0
        for week in range(weeks):
            monday = start + dt.timedelta(weeks=week)
            sunday = monday + dt.timedelta(days=6)
            if monday.day == 1 or (week == 0 and monday.day <= 14):
                month = monday
            elif sunday.month != monday.month:
                month = sunday
            else:
                continue
            name = f"{month:%b}"
            at = LABEL_WIDTH + week * CELL_WIDTH
            if at < free_from or at + len(name) > len(row):
                continue
            row[at : at + len(name)] = name
            free_from = at + len(name) + 1
        return "".join(row).rstrip()
