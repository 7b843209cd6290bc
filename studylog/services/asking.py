"""Asking one card and judging an answer, from the card alone.

This is all `studylog check` needs, so it imports neither the review service, the ORM nor
FSRS: `QuizService` uses it with the cards the review service reads, `check` with a card
read by `studylog.store.reader`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from cards.checker import check_exercise
from cards.deck import BuiltinSpec, CardSpec, exercise_for, prompt_for
from cards.model import Exercise, Kind, Verdict
from cards.prompt_check import check_prompt
from cards.prompts import Prompt
from cards.stored import StoredSpec
from studylog.errors import StudylogError

if TYPE_CHECKING:
    from cards.sandbox.runner import Sandbox


class AskedCard(Protocol):
    """What asking a card needs of it."""

    @property
    def id(self) -> int: ...

    @property
    def spec(self) -> CardSpec: ...

    def seed(self) -> int: ...


C = TypeVar("C", bound=AskedCard)


@dataclass(frozen=True)
class StoredCard(StoredSpec):
    """A card as stored, with only what asking it needs."""

    id: int
    key: str
    spec_json: str
    reps: int


@dataclass(frozen=True)
class Question(Generic[C]):
    """One card made concrete for one seed: what to show and what to check against."""

    card: C
    seed: int
    exercise: Exercise | None = None
    prompt: Prompt | None = None

    @property
    def kind(self) -> Kind:
        """The card's kind."""
        return self.card.spec.kind

    @property
    def text(self) -> str:
        """The question as worded for the learner."""
        if self.exercise is not None:
            return self.exercise.question
        assert self.prompt is not None
        return self.prompt.front

    @property
    def listing(self) -> str:
        """The code the learner reads: the card's setup and, for a predict card, the
        expression whose value is asked for (a produce card's expression is its answer)."""
        exercise = self.exercise
        if exercise is None:
            return ""
        setup = exercise.code.strip("\n")
        if self.kind is not Kind.PREDICT:
            return setup
        asked = f"# what is the value of:\n{exercise.expr}"
        return f"{setup}\n\n{asked}" if setup.strip() else asked

    def to_dict(self) -> dict[str, Any]:
        """The `card show --json` shape from docs/ARCHITECTURE.md, plus the seed and any choices."""
        return {
            "id": self.card.id,
            "kind": self.kind.value,
            "topics": list(self.card.spec.topics),
            "question": self.text,
            "code": self.exercise.code if self.exercise else None,
            "expr": self.exercise.expr if self.exercise else None,
            "seed": self.seed,
            "choices": list(self.prompt.choices) if self.prompt else [],
        }


def ask(card: C, seed: int | None = None) -> Question[C]:
    """The card for `seed`, or for the card's own seed of this review."""
    chosen = card.seed() if seed is None else seed
    try:
        if card.spec.executable:
            return Question(card, chosen, exercise=exercise_for(card.spec, chosen))
        return Question(card, chosen, prompt=prompt_for(card.spec, chosen))
    except KeyError:
        spec = card.spec
        made_by = spec.generator_id if isinstance(spec, BuiltinSpec) else spec.key
        raise StudylogError(f"card {card.id}: its generator '{made_by}' no longer exists") from None


def judge(question: Question[Any], answer: str, sandbox: Callable[[], Sandbox]) -> Verdict:
    """The verdict on `answer`; executable cards run torch, in the sandbox."""
    if question.exercise is not None:
        return check_exercise(question.exercise, answer, sandbox())
    assert question.prompt is not None
    return check_prompt(question.prompt, answer)
