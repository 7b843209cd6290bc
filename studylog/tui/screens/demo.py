"""First run: an empty journal is offered the demo entries."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class DemoOfferScreen(ModalScreen[bool]):
    """Asks whether to fill the empty journal with the sample entries. Dismisses a bool."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "y",
            "answer(True)",
            "Load demo",
            tooltip="Import the five sample entries and their cards",
            id="demo.yes",
        ),
        Binding(
            "n,escape",
            "answer(False)",
            "Start empty",
            tooltip="Keep the journal empty",
            id="demo.no",
        ),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="demo-dialog", classes="dialog"):
            yield Static("[b]Your journal is empty[/b]", classes="dialog-title")
            yield Static(
                "studylog can load a demo journal: five days of PyTorch lecture notes in "
                "the Korean template, with their cards and tasks. You can delete them "
                "later or start a new database."
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Load the demo (y)", variant="primary", id="demo-yes")
                yield Button("Start empty (n)", id="demo-no")

    def on_mount(self) -> None:
        self.query_one("#demo-yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "demo-yes")

    def action_answer(self, load: bool) -> None:
        """Close the dialog with the learner's answer."""
        self.dismiss(load)
