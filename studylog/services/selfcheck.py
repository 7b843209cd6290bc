"""`cards check`: every built-in generator, run against the installed torch.

For each generator and seed, the card's own code must run in the sandbox, the checker must
accept the value torch produced, and it must refuse a wrong one. Concept cards must accept
their right choice. This is how a torch upgrade that changes an answer gets caught.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cards.checker import check_exercise, shown
from cards.generators.concepts import ConceptCard
from cards.generators.registry import CONCEPTS, GENERATORS, Generator
from cards.model import Kind
from cards.prompt_check import check_prompt
from cards.sandbox.runner import Sandbox

WRONG_ANSWER = "-987654.25"


@dataclass(frozen=True)
class GeneratorReport:
    """How one generator fared over the seeds tried."""

    id: str
    kind: str
    seeds: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """No seed had a problem."""
        return not self.problems


def _check_generator(gen: Generator, seeds: range, sandbox: Sandbox) -> GeneratorReport:
    problems: list[str] = []
    for seed in seeds:
        exercise = gen.build(seed)
        if exercise.kind is Kind.PRODUCE:
            right = exercise.expr
        else:
            truth = sandbox.run(exercise.code, [exercise.expr])
            if truth.failure is not None:
                problems.append(f"seed {seed}: the card's code failed: {truth.failure}")
                continue
            right = shown(truth.values[0])
        verdict = check_exercise(exercise, right, sandbox)
        if not verdict.correct:
            problems.append(
                f"seed {seed}: torch's own answer {right!r} judged wrong: {verdict.message}"
            )
        if check_exercise(exercise, WRONG_ANSWER, sandbox).correct:
            problems.append(f"seed {seed}: a wrong answer was judged right")
    return GeneratorReport(gen.id, gen.kind.value, len(seeds), tuple(problems))


def _check_concept(card: ConceptCard, seeds: range) -> GeneratorReport:
    problems = []
    for seed in seeds:
        prompt = card.build(seed)
        right = prompt.back if prompt.answer is None else str(prompt.answer + 1)
        if not check_prompt(prompt, right).correct:
            problems.append(f"seed {seed}: the right answer was judged wrong")
    return GeneratorReport(card.id, card.kind.value, len(seeds), tuple(problems))


def check_all(sandbox: Sandbox, seeds: int = 5) -> Iterator[GeneratorReport]:
    """One report per built-in generator and concept card, as each finishes."""
    tried = range(seeds)
    for gen in GENERATORS:
        yield _check_generator(gen, tried, sandbox)
    for card in CONCEPTS:
        yield _check_concept(card, tried)
