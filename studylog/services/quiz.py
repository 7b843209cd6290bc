"""Asking a card and judging the answer: torch in the sandbox for executable cards."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from cards.answers import ExpressionAnswer, parse_answer
from cards.model import ErrorValue, Kind, Value, Verdict
from cards.sandbox.protocol import Failure, FailureKind
from cards.sandbox.runner import Sandbox
from cards.scheduling import Grade, suggested_grade
from studylog.errors import StudylogError
from studylog.services.asking import Question, ask, judge
from studylog.services.reviews import CardView, Recorded, ReviewService

__all__ = ["Question", "QuizService", "Solution"]


@dataclass(frozen=True)
class Solution:
    """What torch computed for an executable question: the value of its expression
    (predict) or of its reference expression (produce); or, when the card itself cannot
    produce one (its code times out, raises in setup, …), the reason in `problem`."""

    value: Value | None
    problem: str | None = None


def unreadable(question: Question[CardView], answer: str) -> str | None:
    """Why `answer` cannot be read at all (a typo such as an unclosed bracket), or None.

    Such an answer is not wrong, it is unfinished: the learner fixes it rather than being
    graded on it. A blank answer is readable (it says "I don't know").
    """
    raw = answer.strip()
    if question.exercise is None or not raw:
        return None
    if question.kind is Kind.PREDICT and not isinstance(parse_answer(raw), ExpressionAnswer):
        return None
    try:
        ast.parse(raw, mode="eval")
    except SyntaxError as err:
        where = f" at column {err.offset}" if err.offset else ""
        return f"Cannot read {raw!r}: {err.msg}{where}. Fix it and press enter again."
    return None


class QuizService:
    """Builds questions and checks answers; the sandbox starts only when first needed."""

    def __init__(self, reviews: ReviewService, sandbox: Callable[[], Sandbox]) -> None:
        self.reviews = reviews
        self._sandbox = sandbox

    def question(self, card_id: int, seed: int | None = None) -> Question[CardView]:
        """The card for `seed`, or for the card's own seed of this review."""
        return ask(self.reviews.card(card_id), seed)

    def check(self, question: Question[CardView], answer: str) -> Verdict:
        """The verdict on `answer`; executable cards run torch, in the sandbox."""
        return judge(question, answer, self._sandbox)

    def solve(self, question: Question[CardView]) -> Solution:
        """Run an executable question in the sandbox for the answer torch gives; the
        truth is never a stored string. Raises StudylogError when the sandbox itself is
        unavailable (then no card can be solved)."""
        exercise = question.exercise
        if exercise is None:
            raise ValueError(f"card {question.card.id} is not executable")
        result = self._sandbox().run(exercise.code, [exercise.expr])
        match result.failure:
            case Failure(kind=FailureKind.UNAVAILABLE, message=message):
                raise StudylogError(message)
            case Failure(message=message):
                return Solution(None, f"its code could not run: {message}")
        value = result.values[0]
        if question.kind is Kind.PRODUCE:
            # A predict card may ask for an error; a produce card whose reference raises
            # is broken.
            if result.setup_error is not None:
                return Solution(None, f"its code raised {result.setup_error.text}")
            if isinstance(value, ErrorValue):
                return Solution(None, f"its reference expression raised {value.text}")
        return Solution(value)

    def answer(
        self,
        question: Question[CardView],
        answer: str,
        grade: Grade | None = None,
        duration_ms: int | None = None,
    ) -> tuple[Verdict, Recorded]:
        """Check, then record the review: a wrong answer suggests Again, a right one Good,
        and an explicit `grade` always wins."""
        verdict = self.check(question, answer)
        recorded = self.reviews.record(
            question.card.id,
            grade or suggested_grade(verdict.correct),
            correct=verdict.correct,
            answer=answer,
            duration_ms=duration_ms,
            seed=question.seed,
        )
        return verdict, recorded
