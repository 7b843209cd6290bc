"""What every studylog screen shares: the services, reloading, and reporting failures."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.worker import get_current_worker

from studylog.tui.messages import DataChanged, Failed

if TYPE_CHECKING:
    from studylog.context import AppContext
    from studylog.tui.app import StudylogApp


def describe_error(err: BaseException) -> str:
    """The one line a learner sees: the message of an expected error, else its type too."""
    from journal import EntryError
    from studylog.errors import StudylogError, one_line

    if isinstance(err, StudylogError | EntryError):
        return str(err)
    return f"{type(err).__name__}: {one_line(err)}"


def post_result(target: MessagePump, what: str, produce: Callable[[], Message | None]) -> None:
    """Run `produce` (in a worker thread) and post its message back, or a `Failed`.

    A failure never escapes the worker, so no service error can take the app down. The
    result of a worker that was cancelled meanwhile is dropped.
    """
    try:
        message = produce()
    except Exception as err:
        target.post_message(Failed(what, describe_error(err), traceback.format_exc()))
        return
    if message is not None and not get_current_worker().is_cancelled:
        target.post_message(message)


class StudylogScreen(Screen[None]):
    """A screen that shows figures from the services and fetches them in workers."""

    def on_mount(self) -> None:
        self.watch(self.app, "ready", self._ready_changed, init=False)

    def _ready_changed(self, ready: bool) -> None:
        if ready and self.is_current:
            self.reload()

    def on_screen_resume(self) -> None:
        if self.studylog.ready:
            self.reload()

    def reload(self) -> None:
        """Fetch this screen's figures again (in a worker). Called on show and on change."""

    @property
    def studylog(self) -> StudylogApp:
        """The app, typed."""
        return cast("StudylogApp", self.app)

    @property
    def ctx(self) -> AppContext:
        """The services (only once the app is ready)."""
        return self.studylog.context

    def may_quit(self) -> bool:
        """Whether ctrl+q may quit now; a screen holding unsaved work asks first."""
        return True

    def on_failed(self, message: Failed) -> None:
        message.stop()
        self.studylog.report_failure(message)

    def on_data_changed(self, message: DataChanged) -> None:
        message.stop()
        if message.summary:
            self.notify(message.summary, markup=False)  # may quote a task's own words
        self.reload()
