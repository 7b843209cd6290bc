"""The studylog app: modes for Today, Journal, Tasks and Stats; quiz and editor on top.

Startup is built for a fast first paint: this module imports only Textual and the
screens (which import only Textual). The services, SQLAlchemy and the card generators are
imported by a thread worker after the first frame, and the torch sandbox is warmed up in
another worker process, so the UI process never maps libtorch.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from studylog.tui.commands import StudylogCommands
from studylog.tui.messages import (
    ContextFailed,
    ContextReady,
    DataChanged,
    Failed,
    SandboxState,
    SandboxStatus,
)
from studylog.tui.screens.base import WorkerOutcomes, background, describe_error
from studylog.tui.screens.today import TodayScreen

if TYPE_CHECKING:
    from studylog.context import AppContext

SANDBOX_STARTUP_S = 180.0


def _journal_screen() -> Screen[None]:
    from studylog.tui.screens.journal import JournalScreen

    return JournalScreen()


def _tasks_screen() -> Screen[None]:
    from studylog.tui.screens.tasks import TasksScreen

    return TasksScreen()


def _stats_screen() -> Screen[None]:
    from studylog.tui.screens.stats import StatsScreen

    return StatsScreen()


class StudylogApp(WorkerOutcomes, App[None]):
    """The terminal UI. Give it an `AppContext`, or a function that builds one."""

    CSS_PATH = Path(__file__).with_name("studylog.tcss")
    TITLE = "studylog"
    MODES: ClassVar[dict[str, str | Callable[[], Screen[None]]]] = {
        "today": TodayScreen,
        "journal": _journal_screen,
        "tasks": _tasks_screen,
        "stats": _stats_screen,
    }
    DEFAULT_MODE = "today"
    COMMANDS = App.COMMANDS | {StudylogCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            tooltip="Quit studylog (unsaved editor text asks first)",
            priority=True,
            id="app.quit",
        ),
        Binding(
            "ctrl+c",
            "help_quit",
            "How to quit",
            show=False,
            system=True,
            tooltip="Explains that ctrl+q quits",
            id="app.help_quit",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            show=False,  # the footer shows the palette key on its right already
            tooltip="Every action, searchable; also switches themes",
            priority=True,
            id="app.command_palette",
        ),
        Binding(
            "f1",
            "switch_mode('today')",
            "Today",
            tooltip="Cards due now and today's tasks",
            id="app.today",
        ),
        Binding(
            "f2",
            "switch_mode('journal')",
            "Journal",
            tooltip="Entries by date, search, heatmap",
            id="app.journal",
        ),
        Binding(
            "f3",
            "switch_mode('tasks')",
            "Tasks",
            tooltip="Planned tasks: tick, add, see what is overdue",
            id="app.tasks",
        ),
        Binding(
            "f4",
            "switch_mode('stats')",
            "Stats",
            tooltip="Reviews, retention and the due forecast",
            id="app.stats",
        ),
    ]

    ready: reactive[bool] = reactive(False)
    """True once the database is open; screens load their figures then."""
    sandbox_state: reactive[SandboxStatus] = reactive(SandboxStatus.IDLE)
    """Where the torch sandbox is, for the status lines."""

    def __init__(
        self,
        context: AppContext | Callable[[], AppContext],
        *,
        warm_sandbox: bool = True,
        offer_demo: bool = True,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._source = context
        self._ctx: AppContext | None = None
        self.warm_sandbox = warm_sandbox
        self.offer_demo = offer_demo
        self.monotonic = monotonic
        self.failures: list[Failed] = []

    # -- startup --------------------------------------------------------------------------

    @property
    def context(self) -> AppContext:
        """The services; only valid once `ready` is true."""
        if self._ctx is None:
            raise RuntimeError("the database is not open yet")
        return self._ctx

    def on_mount(self) -> None:
        # Let the first frame reach the terminal before anything heavy is imported.
        self.call_after_refresh(self._open_context)

    @work(thread=True, exclusive=True, group="context")
    def _open_context(self) -> None:
        from studylog.unsaved import kept_days

        source = self._source
        try:
            ctx = source() if callable(source) else source
            ctx.engine  # opens and migrates the database  # noqa: B018
            empty = not ctx.journal.entries()
            unsaved = kept_days(ctx.database)
        except Exception as err:
            self.post_message(ContextFailed(describe_error(err)))
            return
        self.post_message(ContextReady(ctx, empty, unsaved))

    def on_context_ready(self, message: ContextReady) -> None:
        self._ctx = message.ctx
        self._apply_keymap(message.ctx.config.keymap)
        self.ready = True
        if message.unsaved:
            days = ", ".join(day.isoformat() for day in message.unsaved)
            self.notify(
                f"Text typed for {days} was never saved: open that entry to get it back.",
                title="Unsaved text kept",
                severity="warning",
                timeout=20,
            )
        if message.empty and self.offer_demo:
            self.action_load_demo()

    def _apply_keymap(self, keymap: dict[str, str]) -> None:
        """Rebind keys as config.toml's `[keymap]` asks; ids that name no binding are
        pointed out rather than silently ignored."""
        if not keymap:
            return
        from studylog.paths import config_path
        from studylog.tui.keymap import unknown_ids

        unknown = unknown_ids(keymap)
        if unknown:
            self.notify(
                f"{config_path()} [keymap]: no binding with id {', '.join(unknown)}",
                title="Unknown key binding",
                severity="warning",
                timeout=10,
                markup=False,
            )
        self.set_keymap(keymap)

    def on_context_failed(self, message: ContextFailed) -> None:
        self.exit(return_code=1, message=f"studylog: error: {message.error}")

    def content_shown(self) -> None:
        """A screen has shown its first figures: now warm up the sandbox.

        torch's import takes seconds of CPU in the worker process; starting it only now
        keeps it from slowing down the first screen.
        """
        if self.warm_sandbox and self.sandbox_state is SandboxStatus.IDLE:
            self.sandbox_state = SandboxStatus.WARMING
            self._warm_sandbox()

    def _warm_sandbox(self) -> None:
        # A daemon thread rather than a worker: waiting for torch can take a while, and
        # quitting must never wait for it (the sandbox process is closed at exit).
        threading.Thread(target=self._watch_sandbox, name="sandbox-warm-up", daemon=True).start()

    def _watch_sandbox(self) -> None:
        """Attach to the shared sandbox server if one runs, else start a worker process of
        the app's own (it imports torch there), and wait for it."""
        try:
            ready = self.context.sandbox().wait_ready(SANDBOX_STARTUP_S)
        except Exception as err:
            self.post_message(SandboxState(SandboxStatus.FAILED, describe_error(err)))
            return
        self.post_message(SandboxState(SandboxStatus.READY if ready else SandboxStatus.FAILED))

    def on_sandbox_state(self, message: SandboxState) -> None:
        self.sandbox_state = message.state

    # -- failures and changes -------------------------------------------------------------

    def report_failure(self, failure: Failed) -> None:
        """Tell the learner what went wrong; the app carries on."""
        self.failures.append(failure)
        if failure.details:
            self.log.error(failure.details)
        # An error may quote a card, a note or a value: shown as written, never as markup.
        self.notify(
            failure.error, title=f"Error while {failure.what}", severity="error", markup=False
        )

    def on_failed(self, message: Failed) -> None:
        self.report_failure(message)

    def changed(self, summary: str = "") -> None:
        """Data was written: the current screen reloads (others reload when shown)."""
        self.screen.post_message(DataChanged(summary))

    # -- actions (bound to keys, and all offered in the command palette) ------------------

    def _require_ready(self) -> bool:
        if not self.ready:
            self.notify("Still opening the journal…", severity="warning")
        return self.ready

    async def action_quit(self) -> None:
        """Quit; unsaved text in the editor asks first, as leaving the editor does."""
        from studylog.tui.screens.base import StudylogScreen

        screen = self.screen
        if isinstance(screen, StudylogScreen) and not screen.may_quit():
            return
        self.exit()

    def action_start_quiz(self) -> None:
        """Review the cards due now."""
        from studylog.tui.screens.quiz import QuizScreen

        if self._require_ready() and not isinstance(self.screen, QuizScreen):
            self.push_screen(QuizScreen())

    def action_write_today(self) -> None:
        """Open today's entry, or a new one from the template."""
        self.action_open_entry(None)

    def action_open_entry(self, day: str | None) -> None:
        """Open the entry of `day` (ISO date) in the editor; None means today."""
        from studylog.tui.screens.editor import EditorScreen

        if self._require_ready():
            self.push_screen(EditorScreen(dt.date.fromisoformat(day) if day else None))

    def action_search_journal(self) -> None:
        """Go to the journal and put the cursor in the search box."""
        self.switch_mode("journal")
        self.call_after_refresh(self._focus_search)

    def _focus_search(self) -> None:
        from textual.widgets import Input

        for search in self.screen.query("#search").results(Input):
            search.focus()

    def action_add_task(self) -> None:
        """Add a task of your own, with a due date."""
        from studylog.tui.screens.tasks import AddTaskScreen

        if self._require_ready():
            self.push_screen(AddTaskScreen(self.context.clock.today()), self._task_added)

    def _task_added(self, task: tuple[str, dt.date] | None) -> None:
        if task is not None:
            self._add_task(*task)

    @background("adding a task", group="write", exclusive=False)
    def _add_task(self, text: str, due: dt.date) -> None:
        self.context.tasks.add(text, due)
        self.call_from_thread(self.changed, f"Task added, due {due.isoformat()}")

    def action_undo_review(self) -> None:
        """Revert the most recent review."""
        if self._require_ready():
            self._undo_review()

    @background("undoing a review", group="write", exclusive=False)
    def _undo_review(self) -> None:
        card_id = self.context.reviews.undo()
        summary = "No review to undo" if card_id is None else f"Undid the review of card {card_id}"
        self.call_from_thread(self.changed, summary)

    def action_load_demo(self) -> None:
        """Offer to fill an empty journal with the demo entries."""
        from studylog.tui.screens.demo import DemoOfferScreen

        if self._require_ready():
            self.push_screen(DemoOfferScreen(), self._demo_answered)

    def _demo_answered(self, load: bool | None) -> None:
        if load:
            self._load_demo()

    @background("loading the demo", group="write", exclusive=False)
    def _load_demo(self) -> None:
        from studylog.services.demo import load_demo

        report = load_demo(self.context.journal)
        if report is None:
            summary = "The journal already has entries; the demo was not added"
        else:
            cards = sum(saved.cards.added for saved in report.saved)
            summary = f"Demo journal loaded: {len(report.saved)} entries, {cards} cards"
        self.call_from_thread(self.changed, summary)


def run_app(db: str | None = None, now: dt.datetime | None = None) -> int:
    """Open the TUI on the database at `db` (default: the data dir); the exit status."""

    def build() -> AppContext:
        from studylog.context import AppContext

        # A server already running is used; the app never leaves one behind itself.
        return AppContext(db=db, now=now, start_sandbox_server=False)

    app = StudylogApp(build)
    app.run()
    return app.return_code or 0
