"""Every card's verdicts agree with torch, run independently in this test process.

studylog computes truth in its sandbox; here the same code runs in plain torch and the
value it gives must be judged correct, and a different value wrong, for several seeds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from cards.model import Kind
from studylog.config import Config
from studylog.context import AppContext
from tests.conftest import EXAMPLE, EXAMPLE_CARD_TOPICS

SEEDS = (0, 1, 7)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    db = tmp_path_factory.mktemp("verdicts") / "studylog.db"
    context = AppContext(
        db=str(db), now=dt.datetime(2022, 1, 24, 20, tzinfo=dt.UTC), config=Config()
    )
    context.journal.save(EXAMPLE.read_text(encoding="utf-8"))
    yield context


def torch_value(code: str, expr: str) -> Any:
    """What plain torch gives for `code` then `expr`; an exception is returned, not raised."""
    namespace: dict[str, Any] = {"torch": torch, "nn": nn, "F": F}
    try:
        exec(code, namespace)
        return eval(expr, namespace)
    except Exception as err:  # the error a card asks about is its answer
        return err


def typed(value: Any) -> str:
    """How a learner would type `value`."""
    if isinstance(value, Exception):
        return type(value).__name__
    if isinstance(value, torch.Size):
        return str(tuple(value))
    if isinstance(value, torch.Tensor):
        return str(value.tolist())
    return str(value)


def wrong(value: Any) -> str:
    """A plausible answer that torch says is wrong."""
    if isinstance(value, Exception):
        return "0"
    if isinstance(value, torch.Size):
        return str((*value, 97))
    if isinstance(value, torch.Tensor):
        return "[12345.5, -2.25]" if value.numel() != 2 else "[12345.5]"
    if isinstance(value, bool):
        return str(not value)
    if isinstance(value, int | float):
        return str(value + 11.5)
    if isinstance(value, torch.dtype):
        return "torch.complex128"
    return "something else entirely"


def test_example_yields_executable_cards_over_the_topics(ctx: AppContext) -> None:
    executable = [c for c in ctx.reviews.cards() if c.spec.executable]
    assert len(executable) >= 10
    covered = {topic for card in executable for topic in card.spec.topics}
    assert covered >= EXAMPLE_CARD_TOPICS


def test_verdicts_agree_with_torch(ctx: AppContext) -> None:
    checked = 0
    for card in ctx.reviews.cards():
        if not card.spec.executable:
            continue
        for seed in SEEDS:
            question = ctx.quiz.question(card.id, seed)
            exercise = question.exercise
            assert exercise is not None
            if exercise.kind is Kind.PRODUCE:
                right, bad = exercise.expr, "torch.zeros(1, 1, 1)"
            else:
                truth = torch_value(exercise.code, exercise.expr)
                right, bad = typed(truth), wrong(truth)
            verdict = ctx.quiz.check(question, right)
            assert verdict.correct, (card.key, seed, right, verdict)
            assert not ctx.quiz.check(question, bad).correct, (card.key, seed, bad)
            checked += 1
    assert checked >= 30 * len(SEEDS)


def test_reshape_misconception_card_is_answered_by_torch(ctx: AppContext) -> None:
    card = next(c for c in ctx.reviews.cards() if c.key == "gen:reshape.no_copy")
    assert "misconception" in card.spec.topics
    question = ctx.quiz.question(card.id, 3)
    assert question.exercise is not None
    truth = torch_value(question.exercise.code, question.exercise.expr)
    assert truth is True
    verdict = ctx.quiz.check(question, "False")
    assert not verdict.correct
    assert verdict.expected == "True"
    assert ctx.quiz.check(question, "yes").correct


def test_seeds_vary_the_numbers(ctx: AppContext) -> None:
    card = next(c for c in ctx.reviews.cards() if c.key == "gen:matmul.shape")
    exercises = [ctx.quiz.question(card.id, seed).exercise for seed in range(6)]
    codes = {exercise.code for exercise in exercises if exercise is not None}
    assert len(codes) >= 4


def test_no_file_is_written_by_checks(ctx: AppContext) -> None:
    before = sorted(p.name for p in Path.cwd().iterdir())
    card = next(c for c in ctx.reviews.cards() if c.key == "gen:view.shape")
    ctx.quiz.check(ctx.quiz.question(card.id, 0), "(1, 2)")
    assert sorted(p.name for p in Path.cwd().iterdir()) == before
