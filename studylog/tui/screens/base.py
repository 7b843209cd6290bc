"""What every studylog screen shares: the services, reloading, and reporting failures."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec, TypeVar, cast

from textual import work
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from studylog.tui.messages import DataChanged, Failed

P = ParamSpec("P")
R = TypeVar("R")

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


def background(
    what: str, *, group: str, exclusive: bool = True
) -> Callable[[Callable[P, R]], Callable[P, Worker[R]]]:
    """`@work` in a thread whose outcome `WorkerOutcomes` posts: the message the function
    returns, or one `Failed` saying it failed while `what` if it raised."""
    return work(
        thread=True, exclusive=exclusive, group=group, description=what, exit_on_error=False
    )


def worker_outcome(event: Worker.StateChanged) -> Message | None:
    """What a worker leaves to post: a `Failed` for its error, or the message it returned
    (dropped if it was cancelled meanwhile); None while it runs."""
    worker = event.worker
    if event.state is WorkerState.ERROR and worker.error is not None:
        error = worker.error
        details = "".join(traceback.format_exception(error))
        return Failed(worker.description, describe_error(error), details)
    if event.state is WorkerState.SUCCESS and not worker.is_cancelled:
        result = worker.result
        return result if isinstance(result, Message) else None
    return None


class WorkerOutcomes(MessagePump):
    """Posts what this node's `background` workers leave: the one way a worker's result
    or error comes back, so no service error can take the app down."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        outcome = worker_outcome(event)
        if outcome is not None:
            self.post_message(outcome)


class StudylogScreen(WorkerOutcomes, Screen[None]):
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
