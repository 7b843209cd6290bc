"""The four answer buttons of a review, each with the interval it would give."""

from __future__ import annotations

from collections.abc import Mapping

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

NAMES = ("Again", "Hard", "Good", "Easy")


class RatingChoice(Static):
    """One answer button: key, name and the next interval."""

    def __init__(self, grade: int) -> None:
        super().__init__(id=f"rating-{grade}", classes="rating-choice")
        self.grade = grade

    def show(self, interval: str, suggested: bool) -> None:
        """Show the interval this grade gives; highlight it when it is the suggestion."""
        self.set_class(suggested, "-suggested")
        hint = "  (suggested)" if suggested else ""
        self.update(f"[b]{self.grade}[/b] {NAMES[self.grade - 1]}{hint}\n{interval}")

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(RatingBar.Chosen(self.grade))


class RatingBar(Horizontal):
    """Again / Hard / Good / Easy; the suggested one is highlighted."""

    class Chosen(Message):
        """A rating was clicked."""

        def __init__(self, grade: int) -> None:
            super().__init__()
            self.grade = grade

    def compose(self) -> ComposeResult:
        for grade in range(1, 5):
            yield RatingChoice(grade)

    def show(self, intervals: Mapping[int, str], suggested: int) -> None:
        """Fill in each grade's interval and mark the suggested grade."""
        for choice in self.query(RatingChoice):
            choice.show(intervals.get(choice.grade, "?"), choice.grade == suggested)

    @property
    def suggested(self) -> int | None:
        """The highlighted grade."""
        for choice in self.query(RatingChoice):
            if choice.has_class("-suggested"):
                return choice.grade
        return None
