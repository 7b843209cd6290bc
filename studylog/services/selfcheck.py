"""`cards check`: every built-in generator, run against the installed torch.

For each generator and seed, the card's own code must run in the sandbox, the checker must
accept the value torch produced, typed in every form a learner types it, and refuse every
near miss (`cards.audit`). Concept cards must accept their right choice. Predict cards run
in batches, many in one sandbox run. This is how a torch upgrade that changes an answer
gets caught.
"""

from __future__ import annotations

from collections.abc import Iterator

from cards.audit import (
    Report,
    batch_values,
    check_families,
    prompt_problems,
    verdict_problems,
)
from cards.checker import check_exercise
from cards.generators.base import Generator
from cards.generators.concepts import CONCEPTS, ConceptCard
from cards.generators.registry import GENERATORS
from cards.model import Kind
from cards.sandbox.runner import Sandbox

WRONG_ANSWER = "-987654.25"


def _check_produce(gen: Generator, seeds: range, sandbox: Sandbox) -> list[str]:
    problems: list[str] = []
    for seed in seeds:
        exercise = gen.build(seed)
        verdict = check_exercise(exercise, exercise.expr, sandbox)
        if not verdict.correct:
            problems.append(f"seed {seed}: the reference answer judged wrong: {verdict.message}")
        if check_exercise(exercise, WRONG_ANSWER, sandbox).correct:
            problems.append(f"seed {seed}: a wrong answer was judged right")
    return problems


def _check_predict(gen: Generator, seeds: range, sandbox: Sandbox) -> list[str]:
    exercises = [gen.build(seed) for seed in seeds]
    values = batch_values(sandbox, exercises)
    if isinstance(values, str):
        return [f"the cards' code failed: {values}"]
    problems: list[str] = []
    for seed, exercise, value in zip(seeds, exercises, values, strict=True):
        problems += [f"seed {seed}: {problem}" for problem in verdict_problems(exercise, value)]
    return problems


def _check_generator(gen: Generator, seeds: range, sandbox: Sandbox) -> Report:
    check = _check_produce if gen.kind is Kind.PRODUCE else _check_predict
    return Report(gen.id, gen.kind.value, len(seeds), tuple(check(gen, seeds, sandbox)))


def _check_concept(card: ConceptCard, seeds: range) -> Report:
    problems = []
    for seed in seeds:
        problems += [f"seed {seed}: {problem}" for problem in prompt_problems(card.build(seed))]
    return Report(card.id, card.kind.value, len(seeds), tuple(problems))


def check_all(sandbox: Sandbox, seeds: int = 20) -> Iterator[Report]:
    """One report per built-in generator, concept card and call family, as each
    finishes."""
    tried = range(seeds)
    for gen in GENERATORS:
        yield _check_generator(gen, tried, sandbox)
    for card in CONCEPTS:
        yield _check_concept(card, tried)
    yield from check_families(sandbox, seeds)
