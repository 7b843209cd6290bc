"""The quiz: due cards one at a time, answers checked by torch in the sandbox, FSRS ratings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.highlight import highlight
from textual.markup import escape
from textual.reactive import reactive
from textual.widgets import Footer, Header, Input, Static

from cards.scheduling import Grade, humanize, suggested_grade
from studylog.errors import StudylogError
from studylog.tui.format import duration
from studylog.tui.messages import (
    AnswerChecked,
    Failed,
    QuestionReady,
    QueueEmpty,
    ReviewRecorded,
    ReviewUndone,
    SandboxStatus,
)
from studylog.tui.screens.base import StudylogScreen, background
from studylog.tui.widgets.rating import RatingBar
from studylog.wording import plural

if TYPE_CHECKING:
    from cards.model import Verdict
    from studylog.services.quiz import Question
    from studylog.services.reviews import CardView


class QuizPhase(StrEnum):
    """Where the session is with the card on screen; each phase allows its own actions."""

    LOADING = "loading"
    ASKING = "asking"
    CHECKING = "checking"
    VERDICT = "verdict"
    RECORDING = "recording"
    DONE = "done"


@dataclass(frozen=True)
class Outcome:
    """One rated card of this session."""

    card_id: int
    correct: bool | None
    grade: Grade


@dataclass(frozen=True)
class SessionSummary:
    """What the end-of-session panel shows."""

    cards: int
    judged: int
    correct: int
    seconds: float

    @property
    def percent(self) -> float | None:
        """Share of judged answers that were right, in percent."""
        return 100 * self.correct / self.judged if self.judged else None

    def line(self) -> str:
        """`12 cards · 75% correct · 4m 12s`."""
        pct = "no answers judged" if self.percent is None else f"{self.percent:.0f}% correct"
        return f"{plural(self.cards, 'card')} · {pct} · {duration(self.seconds)}"


def _verdict_rows(question: Question[CardView], verdict: Verdict) -> list[tuple[str, str]]:
    """Label the verdict's two values the way the card kind means them."""
    kind = question.kind.value
    if kind == "predict":
        return [("torch returned", verdict.expected), ("you said", verdict.got)]
    if kind == "produce":
        return [("expected", verdict.expected), ("torch returned", verdict.got)]
    return [("expected", verdict.expected), ("you answered", verdict.got)]


class QuizScreen(StudylogScreen):
    """One review session over the cards due now."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "rate(1)", "Again", show=False, tooltip="Rate: forgot", id="quiz.again"),
        Binding("2", "rate(2)", "Hard", show=False, tooltip="Rate: hard", id="quiz.hard"),
        Binding("3", "rate(3)", "Good", show=False, tooltip="Rate: good", id="quiz.good"),
        Binding("4", "rate(4)", "Easy", show=False, tooltip="Rate: easy", id="quiz.easy"),
        Binding(
            "enter",
            "accept",
            "Accept rating",
            tooltip="Rate with the highlighted (suggested) rating",
            id="quiz.accept",
        ),
        Binding("enter", "back", "Back", tooltip="Close the session summary", id="quiz.back"),
        # The footer shows the ctrl keys: they work in every phase, also while the answer
        # box has the focus. The plain letters are shortcuts for when it has not (a typed
        # `u` or `s` is part of the answer).
        Binding(
            "ctrl+z",
            "undo",
            "Undo",
            priority=True,
            tooltip="Revert the last rating; that card is asked again",
            id="quiz.undo",
        ),
        Binding(
            "u",
            "undo",
            "Undo",
            show=False,
            tooltip="Revert the last rating (when no answer is being typed)",
            id="quiz.undo_letter",
        ),
        Binding(
            "ctrl+s",
            "skip",
            "Skip",
            priority=True,
            tooltip="Leave this card due and go to the next one",
            id="quiz.skip",
        ),
        Binding(
            "s",
            "skip",
            "Skip",
            show=False,
            tooltip="Skip (when no answer is being typed)",
            id="quiz.skip_letter",
        ),
        Binding(
            "escape",
            "finish",
            "End",
            tooltip="End the session and see the summary (or leave it)",
            id="quiz.finish",
        ),
    ]

    phase: reactive[QuizPhase] = reactive(QuizPhase.LOADING, bindings=True)
    """loading → asking → checking → verdict → recording → … → done."""

    def __init__(self) -> None:
        super().__init__()
        self.question: Question[CardView] | None = None
        self.intervals: dict[Grade, dt.timedelta] = {}
        self.verdict: Verdict | None = None
        self.answer = ""
        self.history: list[Outcome] = []
        self.skipped: set[int] = set()
        self.started_at = 0.0
        self.card_started_at = 0.0
        self.answer_ms = 0
        self.summary: SessionSummary | None = None
        # A card whose rating was undone while another card's verdict was on screen: it
        # is asked right after that card is rated.
        self.undone_next: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="quiz-progress")
        with VerticalScroll(id="quiz-card"):
            yield Static("", id="quiz-question")
            yield Static("", id="quiz-code")
            yield Static("", id="quiz-choices")
            yield Input(placeholder="Your answer, then enter", id="answer", disabled=True)
            yield Static("", id="quiz-status", classes="sandbox-status")
            with Vertical(id="verdict"):
                yield Static("", id="verdict-title")
                yield Static("", id="verdict-body")
            yield RatingBar(id="ratings")
        with Vertical(id="quiz-summary"):
            yield Static("", id="summary-title")
            yield Static("", id="summary-body")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = "Quiz"
        self.started_at = self.studylog.monotonic()
        self.query_one("#quiz-code").border_title = "code"
        self.watch(self.app, "sandbox_state", self._sandbox_changed)
        self.next_card()

    def reload(self) -> None:
        """A session follows its own queue; it does not reload on show."""

    # -- which actions apply now ----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        match action, self.phase:
            case "rate" | "accept", phase:
                return phase is QuizPhase.VERDICT
            case "back", phase:
                return phase is QuizPhase.DONE
            case "undo", QuizPhase.ASKING | QuizPhase.VERDICT | QuizPhase.DONE:
                return bool(self.history)
            case "skip", QuizPhase.ASKING | QuizPhase.VERDICT:
                return True
            case "undo" | "skip", _:
                return False
        return True

    def watch_phase(self, phase: QuizPhase) -> None:
        self.set_class(phase is QuizPhase.VERDICT, "-verdict")
        self.set_class(phase is QuizPhase.DONE, "-done")
        answer = self.query_one("#answer", Input)
        answer.disabled = phase is not QuizPhase.ASKING
        if phase is QuizPhase.ASKING:
            answer.focus()
        elif self.focused is answer or phase in (QuizPhase.VERDICT, QuizPhase.DONE):
            self.set_focus(None)
        self._show_status()

    def _sandbox_changed(self, _state: SandboxStatus) -> None:
        self._show_status()

    def _show_status(self) -> None:
        needs_torch = self.question is not None and self.question.exercise is not None
        starting = (SandboxStatus.IDLE, SandboxStatus.WARMING)
        warming = self.studylog.sandbox_state in starting and needs_torch
        match self.phase:
            case QuizPhase.CHECKING if warming:
                text = (
                    "Checking… torch is still warming up in the sandbox; "
                    "this first check waits for it."
                )
            case QuizPhase.CHECKING:
                text = "Checking with torch…"
            case QuizPhase.ASKING if warming:
                text = "torch is warming up in the sandbox; answer away, the check will wait."
            case QuizPhase.LOADING:
                text = "Loading the next card…"
            case _:
                text = ""
        self.query_one("#quiz-status", Static).update(text)

    # -- the next card ----------------------------------------------------------------------

    @background("loading the next card", group="quiz")
    def next_card(self, prefer: int | None = None) -> QuestionReady | QueueEmpty:
        """Pick the next due card (or `prefer`), build its question and its intervals."""
        ctx = self.ctx
        skipped = set(self.skipped)

        ids = [view.id for view in ctx.reviews.queue() if view.id not in skipped]
        if prefer is not None:
            ids = [prefer, *(i for i in ids if i != prefer)]
        for card_id in ids:
            try:
                question = ctx.quiz.question(card_id)
            except StudylogError as err:
                self.post_message(Failed("building a question", str(err)))
                continue
            return QuestionReady(question, ctx.reviews.preview(card_id), ctx.reviews.counts())
        return QueueEmpty()

    def on_question_ready(self, message: QuestionReady) -> None:
        question = self.question = message.question
        self.intervals = message.intervals
        self.verdict = None
        counts = message.counts
        done = len(self.history)
        card = question.card
        topics = escape(", ".join(card.spec.topics))  # a note's words, never markup
        self.query_one("#quiz-progress", Static).update(
            f"[b]Card {done + 1}[/b] · {question.kind.value} · {topics}"
            f"   ·   due: [$text-primary]{counts.new} new[/] · "
            f"[$text-error]{counts.learning} learning[/] · "
            f"[$text-success]{counts.review} review[/]"
        )
        self.query_one("#quiz-question", Static).update(Text(question.text))
        code = self.query_one("#quiz-code", Static)
        exercise = question.exercise
        if exercise is not None:
            code.update(highlight(question.listing, language="python"))
        code.display = exercise is not None
        choices = self.query_one("#quiz-choices", Static)
        prompt = question.prompt
        if prompt is not None and prompt.choices:
            lines = [f"{n}. {choice}" for n, choice in enumerate(prompt.choices, 1)]
            choices.update(Text("\n".join([*lines, "", "Type the number or the answer."])))
        choices.display = bool(prompt and prompt.choices)
        answer = self.query_one("#answer", Input)
        answer.value = ""
        self.card_started_at = self.studylog.monotonic()
        self.phase = QuizPhase.ASKING

    def on_queue_empty(self, _message: QueueEmpty) -> None:
        if self.skipped:
            skipped = plural(len(self.skipped), "skipped card")
            self._finish(f"No more cards this session; {skipped} still due.")
        else:
            self._finish("Nothing more is due. Well done.")

    # -- answering ----------------------------------------------------------------------------

    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.phase is not QuizPhase.ASKING or self.question is None:
            return
        from studylog.services.quiz import unreadable

        problem = unreadable(self.question, event.value)
        if problem is not None:
            # A typo is not a wrong answer: say what cannot be read and let it be fixed.
            self.query_one("#quiz-status", Static).update(Text(problem))
            return
        self.answer = event.value
        self.answer_ms = int((self.studylog.monotonic() - self.card_started_at) * 1000)
        self.phase = QuizPhase.CHECKING
        self.check(self.question, event.value)

    @background("checking the answer", group="quiz")
    def check(self, question: Question[CardView], answer: str) -> AnswerChecked:
        """Judge the answer (torch runs in the sandbox for executable cards)."""
        ctx = self.ctx
        return AnswerChecked(question.card.id, answer, ctx.quiz.check(question, answer))

    def on_answer_checked(self, message: AnswerChecked) -> None:
        if self.question is None or message.card_id != self.question.card.id:
            return
        verdict = self.verdict = message.verdict
        title = self.query_one("#verdict-title", Static)
        title.set_class(verdict.correct is True, "-correct")
        title.set_class(verdict.correct is False, "-wrong")
        title.update(
            {True: "✓ Correct", False: "✗ Not quite", None: "Rate it yourself"}[verdict.correct]
        )
        body = Text()
        for label, value in _verdict_rows(self.question, verdict):
            body.append(f"{label:<15}", style="bold")
            body.append(f"{value or '—'}\n")
        # The title already says whether it was right; the message adds only the why.
        if verdict.why:
            body.append(f"\n{verdict.why}")
        self.query_one("#verdict-body", Static).update(body)
        suggested = suggested_grade(verdict.correct)
        self.query_one(RatingBar).show(
            {int(grade): humanize(delta) for grade, delta in self.intervals.items()},
            int(suggested),
        )
        self.phase = QuizPhase.VERDICT

    @on(RatingBar.Chosen)
    def _rating_clicked(self, event: RatingBar.Chosen) -> None:
        if self.phase is QuizPhase.VERDICT:
            self.action_rate(event.grade)

    def action_accept(self) -> None:
        """Rate with the suggested rating."""
        suggested = self.query_one(RatingBar).suggested
        if suggested is not None:
            self.action_rate(suggested)

    def action_back(self) -> None:
        """Close the session summary."""
        self.dismiss()

    def action_rate(self, grade: int) -> None:
        """Record the review with `grade` (1 Again … 4 Easy)."""
        if self.phase is not QuizPhase.VERDICT or self.question is None or self.verdict is None:
            return
        self.phase = QuizPhase.RECORDING
        self.record(self.question, self.verdict, self.answer, Grade(grade), self.answer_ms)

    @background("recording the review", group="quiz")
    def record(
        self,
        question: Question[CardView],
        verdict: Verdict,
        answer: str,
        grade: Grade,
        answer_ms: int,
    ) -> ReviewRecorded:
        """Store the review; FSRS reschedules the card."""
        ctx = self.ctx

        recorded = ctx.reviews.record(
            question.card.id,
            grade,
            correct=verdict.correct,
            answer=answer,
            duration_ms=answer_ms,
            seed=question.seed,
        )
        return ReviewRecorded(recorded, verdict.correct)

    def on_review_recorded(self, message: ReviewRecorded) -> None:
        recorded = message.recorded
        self.history.append(Outcome(recorded.card_id, message.correct, recorded.grade))
        self.question = None  # rated: never asked (or rated) twice
        interval = self.intervals.get(recorded.grade)
        if interval is not None:
            self.notify(
                f"{recorded.grade.name.title()}: due again in {humanize(interval)}", timeout=2
            )
        self.phase = QuizPhase.LOADING
        prefer, self.undone_next = self.undone_next, None
        self.next_card(prefer=prefer)

    def on_failed(self, message: Failed) -> None:
        super().on_failed(message)
        if self.phase in (QuizPhase.CHECKING, QuizPhase.RECORDING, QuizPhase.LOADING):
            # Let the learner try again, or skip: a failure never loses the session.
            if self.question is None:
                self._finish("The next card could not be loaded.")
            else:
                self.phase = QuizPhase.ASKING

    # -- undo, skip, finish -----------------------------------------------------------------

    def action_undo(self) -> None:
        """Revert the last rating of this session and ask that card again.

        With a verdict on screen, that verdict stays to be rated, and the undone card is
        asked right after it: a verdict is never thrown away unrated.
        """
        if not self.history:
            self.notify("Nothing to undo in this session.")
            return
        if self.phase is not QuizPhase.VERDICT:
            self.phase = QuizPhase.LOADING
        self.undo()

    @background("undoing the review", group="quiz")
    def undo(self) -> ReviewUndone:
        """Undo the most recent review through the review service."""
        ctx = self.ctx
        return ReviewUndone(ctx.reviews.undo())

    def on_review_undone(self, message: ReviewUndone) -> None:
        if message.card_id is None:
            self.notify("There was no review to undo.")
            if self.phase is not QuizPhase.VERDICT:
                self.phase = QuizPhase.ASKING if self.question is not None else QuizPhase.DONE
            return
        if self.history and self.history[-1].card_id == message.card_id:
            self.history.pop()
        self.summary = None
        if self.phase is QuizPhase.VERDICT:
            self.undone_next = message.card_id
            self.notify(f"Undone: card {message.card_id} is asked again after this one.", timeout=3)
            return
        self.notify(f"Undone: card {message.card_id} is asked again.", timeout=2)
        self.next_card(prefer=message.card_id)

    def action_skip(self) -> None:
        """Leave the card due and move on."""
        if self.question is not None:
            self.skipped.add(self.question.card.id)
        self.phase = QuizPhase.LOADING
        self.next_card()

    def action_finish(self) -> None:
        """End the session (summary first; a second escape leaves)."""
        if self.phase is QuizPhase.DONE:
            self.dismiss()
        else:
            self._finish("Session ended.")

    def _finish(self, headline: str) -> None:
        self.workers.cancel_group(self, "quiz")
        judged = [o for o in self.history if o.correct is not None]
        self.summary = SessionSummary(
            cards=len(self.history),
            judged=len(judged),
            correct=sum(1 for o in judged if o.correct),
            seconds=self.studylog.monotonic() - self.started_at,
        )
        self.query_one("#quiz-progress", Static).update("Session summary")
        self.query_one("#summary-title", Static).update(f"[b]{headline}[/b]")
        self.query_one("#summary-body", Static).update(
            f"{self.summary.line()}\n\nenter or escape: back · u: undo the last rating"
        )
        self.phase = QuizPhase.DONE
