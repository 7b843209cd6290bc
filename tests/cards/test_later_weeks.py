"""A later week's notes yield cards about that week, and every verdict on them is true.

torch's value is computed here, in the test process, without studylog: each card's code is
run with torch directly, the value is written in every notation a learner types, and the
real checker (with the real sandbox) must accept each of them and refuse each near miss.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from typing import Any

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from cards.checker import check_exercise
from cards.deck import (
    BuiltinSpec,
    CallSpec,
    CardSpec,
    Deck,
    deck_for_entry,
    exercise_for,
    prompt_for,
)
from cards.generators.concepts import CONCEPTS
from cards.model import Exercise, Kind
from cards.prompt_check import check_prompt
from cards.sandbox import Sandbox
from journal.model import Entry
from tests.conftest import CLI, DATA

LATER = DATA / "2022-02-15-later-week.md"
SEEDS = (0, 7)
ERROR = object()


@pytest.fixture(scope="module")
def deck() -> Deck:
    return deck_for_entry(Entry(date=dt.date(2022, 2, 15), markdown=LATER.read_text("utf-8")))


def executable(deck: Deck) -> list[CardSpec]:
    return [spec for spec in deck.cards if spec.executable]


def torch_value(exercise: Exercise) -> Any:
    """What the card's code gives, with torch alone (an exception counts as a value)."""
    namespace: dict[str, Any] = {"torch": torch, "nn": nn, "F": F, "np": np, "math": math}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(exercise.code, namespace)
            return eval(exercise.expr, namespace)
        except Exception as err:
            return err


def dims(shape: tuple[int, ...] | list[int]) -> list[str]:
    inner = ", ".join(map(str, shape))
    forms = [
        f"[{inner}]",
        f"torch.Size([{inner}])",
        f"({inner},)" if len(shape) == 1 else f"({inner})",
    ]
    if len(shape) >= 2:
        forms += ["x".join(map(str, shape)), "×".join(map(str, shape))]
    return forms


def first_moved(data: Any, by: float) -> Any:
    if isinstance(data, list):
        return [first_moved(data[0], by), *data[1:]]
    return (not data) if isinstance(data, bool) else data + by


def notations(value: Any) -> tuple[list[str], list[str]]:
    """torch's value in each form a learner types it, and near misses of it."""
    if isinstance(value, Exception):
        other = "ValueError" if not isinstance(value, ValueError) else "RuntimeError"
        return [type(value).__name__], [other]
    if isinstance(value, torch.Size):
        shape = list(value)
        near = [dims([*shape, 1])[0]]
        if shape:
            near.append(dims([shape[0] + 1, *shape[1:]])[1])
        if len(shape) >= 2 and shape[0] != shape[1]:
            near.append(dims([shape[1], shape[0], *shape[2:]])[2])
        return dims(shape), near
    if isinstance(value, torch.Tensor):
        data = value.tolist()
        right = [f"tensor({data})", str(value)]
        if isinstance(data, list):
            right.append(str(data))
        other = torch.float64 if value.dtype != torch.float64 else torch.float32
        near = [f"tensor({first_moved(data, 1)})", f"tensor({data}, dtype={other})"]
        if value.dtype != torch.bool:
            near.append(f"tensor({first_moved(data, 0.01)})")
        return right, near
    if isinstance(value, bool):
        return [str(value), "참" if value else "거짓"], [str(not value), "거짓" if value else "참"]
    if isinstance(value, int | float):
        return [repr(value)], [repr(value + 1), repr(value + 0.01)]
    if isinstance(value, torch.dtype):
        other = torch.float64 if value != torch.float64 else torch.float32
        return [str(value), str(value).removeprefix("torch.")], [str(other)]
    if value is None:
        return ["None"], ["0"]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [repr(value)], [repr(value[:-1])]
    raise AssertionError(f"no notation for {value!r}")


def test_the_week_is_asked_about(deck: Deck) -> None:
    code = "\n".join(
        f"{ex.code}\n{ex.expr}"
        for spec in executable(deck)
        for ex in (exercise_for(spec, seed) for seed in range(10))
    )
    for used in (
        "nn.Conv2d", "MaxPool2d", "avg_pool2d", "nn.LSTM", "nn.GRU", "MultiheadAttention",
        "nn.Embedding", ".gather(", "einsum", ".expand(", ".repeat(", "keepdim=True",
        "masked_fill", "from_numpy", "DataLoader", "state_dict", "_(", "//",
        "register_forward_hook", "parameters()",
    ):  # fmt: skip
        assert used in code, used
    # Modules with several outputs get a card for each.
    asked = {(s.call, s.output) for s in deck.cards if isinstance(s, CallSpec)}
    lstm = "nn.LSTM(16, 32, num_layers=2)"
    assert {(lstm, "output"), (lstm, "h_n"), (lstm, "c_n")} <= asked
    # The Python block's prints and last expression are cards too.
    assert {s.expr for s in deck.cards if s.key.startswith("block:")} == {
        "a.sum(dim=0)",
        "a.t().shape",
    }


def test_first_week_cards_only_for_their_topics(deck: Deck) -> None:
    keys = {spec.key for spec in deck.cards}
    for first_week in ("view", "squeeze", "unsqueeze", "autograd", "graph", "one_hot", "dot"):
        assert not [k for k in keys if k.startswith(f"gen:{first_week}.")], first_week
    for spec in deck.cards:
        if isinstance(spec, BuiltinSpec):
            assert spec.topics[0] in deck.topics, spec.key


def test_every_verdict_is_true(deck: Deck, sandbox: Sandbox) -> None:
    wrong_accepted: list[str] = []
    right_rejected: list[str] = []
    for spec in executable(deck):
        for seed in SEEDS:
            exercise = exercise_for(spec, seed)
            if exercise.kind is Kind.PRODUCE:
                assert check_exercise(exercise, exercise.expr, sandbox).correct, spec.key
                continue
            right, near = notations(torch_value(exercise))
            for answer in right:
                if not check_exercise(exercise, answer, sandbox).correct:
                    right_rejected.append(f"{spec.key} seed {seed}: {answer}")
            for answer in near:
                if check_exercise(exercise, answer, sandbox).correct:
                    wrong_accepted.append(f"{spec.key} seed {seed}: {answer}")
    assert not wrong_accepted
    assert not right_rejected


def test_cli_check_in_each_notation(cli: CLI) -> None:
    assert cli("import", str(LATER)).code == 0
    cards = cli("cards", "list", "--json").json()
    by_key = {card["key"]: card["id"] for card in cards}
    spec = next(
        s
        for s in deck_for_entry(Entry(dt.date(2022, 2, 15), LATER.read_text("utf-8"))).cards
        if isinstance(s, CallSpec)
        and (s.call, s.output) == ("nn.LSTM(16, 32, num_layers=2)", "h_n")
    )
    shape = tuple(torch_value(exercise_for(spec, 3)))
    card = str(by_key[spec.key])
    for answer in dims(shape):
        assert cli("check", card, answer, "--seed", "3", "--json").json()["correct"] is True
    swapped = f"({shape[0]}, {shape[2]}, {shape[1]})"  # hidden size and batch transposed
    assert cli("check", card, swapped, "--seed", "3", "--json").json()["correct"] is False


GRAPH_SYNONYMS = {
    "define-by-run": ("define-by-run", "define by run", "dynamic graph", "동적 그래프", "dynamic"),
    "define-and-run": ("define-and-run", "define and run", "static graph", "정적 그래프", "static"),
}


@pytest.mark.parametrize("card", CONCEPTS, ids=lambda c: c.id)
def test_concept_cards_take_synonyms_and_paraphrases(card: Any) -> None:
    for seed in range(6):
        prompt = card.build(seed)
        if prompt.kind is Kind.RECALL:
            assert check_prompt(prompt, prompt.back).correct is True
            paraphrase = "Roughly: " + " ".join(reversed(prompt.back.split()))
            assert check_prompt(prompt, paraphrase).correct is None
            continue
        right = prompt.choices[prompt.answer]
        for style, words in GRAPH_SYNONYMS.items():
            if right.startswith(style):
                for word in words:
                    assert check_prompt(prompt, word).correct is True, word
            elif style in " ".join(prompt.choices):
                for word in words:
                    assert check_prompt(prompt, word).correct is False, word
        for index, choice in enumerate(prompt.choices):
            assert check_prompt(prompt, choice).correct is (index == prompt.answer)


def test_recall_cards_never_call_a_paraphrase_wrong() -> None:
    spec = next(
        s
        for s in (
            deck_for_entry(Entry(dt.date(2022, 1, 1), "what :: a view shares storage\n")).cards
        )
    )
    prompt = prompt_for(spec, 0)
    assert check_prompt(prompt, "a view shares storage").correct is True
    assert check_prompt(prompt, "it uses the same memory as the original").correct is None
