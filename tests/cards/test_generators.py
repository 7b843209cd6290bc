"""Every built-in generator, over several seeds: hygienic code, variety, and real torch."""

from __future__ import annotations

import ast
import math
import warnings
from typing import Any

import numpy as np
import pytest
import torch
import torch.fx
from torch import nn
from torch.nn import functional as F

from cards.calls.deriving import FAMILIES
from cards.generators import CONCEPTS, GENERATORS, ConceptCard, Generator, for_topics, lookup
from cards.model import Exercise, Kind
from cards.topics import TOPICS

SEEDS = range(8)
BANNED_CALLS = {"eval", "exec", "open", "getattr", "vars", "globals", "compile", "input"}
BANNED_ATTRS = {"save", "load", "from_file", "hub"}

# Generators whose expression is meant to raise, always or for some seeds.
ALWAYS_RAISES: dict[str, type[Exception]] = {
    "transpose.view_error": RuntimeError,
    "dot.not_2d": RuntimeError,
    "graph.fx_data_dependent": torch.fx.proxy.TraceError,
}
SOMETIMES_RAISES: dict[str, type[Exception]] = {
    "mm.no_broadcast": RuntimeError,
    "bmm.shape": RuntimeError,
    "broadcasting.shape": RuntimeError,
    "autograd.nonscalar_backward": RuntimeError,
    "inplace.saved_tensor": RuntimeError,
}


def run(exercise: Exercise) -> tuple[dict[str, Any], Any]:
    """Run the setup code in a fresh namespace like the sandbox's, then evaluate expr."""
    namespace: dict[str, Any] = {"torch": torch, "nn": nn, "F": F, "np": np, "math": math}
    with warnings.catch_warnings():
        # Reading .grad of a non-leaf warns; the card is about exactly that.
        warnings.simplefilter("ignore")
        exec(exercise.code, namespace)
        return namespace, eval(exercise.expr, namespace)


def names_in(source: str, mode: str) -> list[str]:
    """Every identifier and attribute name the source uses or defines."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, mode=mode)):
        if isinstance(node, ast.Name):
            found.append(node.id)
        elif isinstance(node, ast.Attribute):
            found.append(node.attr)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            found.append(node.name)
        elif isinstance(node, ast.arg):
            found.append(node.arg)
    return found


by_id = pytest.mark.parametrize("gen", GENERATORS, ids=lambda g: g.id)


@by_id
def test_code_is_hygienic(gen: Generator) -> None:
    for seed in SEEDS:
        ex = gen.build(seed)
        for source, mode in ((ex.code, "exec"), (ex.expr, "eval")):
            tree = ast.parse(source, mode=mode)
            assert not [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
            names = names_in(source, mode)
            assert not [n for n in names if n.startswith("_")], source
            calls = {
                n.func.id
                for n in ast.walk(tree)
                if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
            }
            assert not calls & BANNED_CALLS, source
            assert not set(names) & BANNED_ATTRS, source


@by_id
def test_same_seed_same_card_and_seeds_vary(gen: Generator) -> None:
    assert gen.build(5) == gen.build(5)
    assert gen.build(5).kind is gen.kind
    variants = {(ex.code, ex.expr) for ex in map(gen.build, SEEDS)}
    assert len(variants) >= 4, f"{gen.id} hardly varies with the seed"


@by_id
def test_runs_on_real_torch(gen: Generator) -> None:
    for seed in SEEDS:
        ex = gen.build(seed)
        expected = ALWAYS_RAISES.get(gen.id) or SOMETIMES_RAISES.get(gen.id)
        if gen.id in ALWAYS_RAISES:
            with pytest.raises(ALWAYS_RAISES[gen.id]):
                run(ex)
            continue
        try:
            namespace, value = run(ex)
        except Exception as err:
            assert expected is not None and isinstance(err, expected), (gen.id, seed, err)
            continue
        if gen.kind is Kind.PRODUCE:
            assert isinstance(value, torch.Tensor)
            if ex.need_view:
                storages = {
                    t.untyped_storage().data_ptr()
                    for t in namespace.values()
                    if isinstance(t, torch.Tensor)
                }
                assert value.untyped_storage().data_ptr() in storages


@pytest.mark.parametrize("gen_id", sorted(SOMETIMES_RAISES))
def test_sometimes_raising_cards_show_both_outcomes(gen_id: str) -> None:
    gen = lookup(gen_id)
    assert isinstance(gen, Generator)
    outcomes = set()
    for seed in range(40):
        try:
            run(gen.build(seed))
            outcomes.add("value")
        except SOMETIMES_RAISES[gen_id]:
            outcomes.add("error")
    assert outcomes == {"value", "error"}


def test_reshape_misconception_twins() -> None:
    for seed in SEEDS:
        assert run(lookup_gen("reshape.no_copy").build(seed))[1] is True
        assert run(lookup_gen("reshape.copy_after_transpose").build(seed))[1] is False
        assert run(lookup_gen("reshape.write_through").build(seed))[1] == 100


def test_symbolic_trace_raises_trace_error_a_value_error() -> None:
    with pytest.raises(ValueError) as caught:
        run(lookup_gen("graph.fx_data_dependent").build(0))
    assert type(caught.value).__name__ == "TraceError"


def test_eager_branch_builds_a_graph_per_input() -> None:
    names = {run(lookup_gen("graph.eager_branch").build(seed))[1] for seed in range(16)}
    assert names == {"MulBackward0", "SubBackward0"}


def lookup_gen(gen_id: str) -> Generator:
    gen = lookup(gen_id)
    assert isinstance(gen, Generator)
    return gen


def test_registry_ids_unique_and_topics_known() -> None:
    ids = [g.id for g in GENERATORS] + [c.id for c in CONCEPTS]
    assert len(ids) == len(set(ids))
    for card in (*GENERATORS, *CONCEPTS):
        assert card.topics and set(card.topics) <= set(TOPICS), card.id
    assert all(g.kind.executable for g in GENERATORS)
    assert all(not c.kind.executable for c in CONCEPTS)


def test_every_topic_has_an_executable_generator_or_call_family() -> None:
    covered = {topic for g in GENERATORS for topic in g.topics}
    covered |= {family.topic for family in FAMILIES}
    assert covered == set(TOPICS)


def test_for_topics_selects_by_subject() -> None:
    # view.shape is tagged "shape" too, but only an entry about view is offered it.
    assert "view.shape" not in {c.id for c in for_topics({"shape"})}
    assert "view.shape" in {c.id for c in for_topics({"view"})}
    picked = for_topics({"bmm"})
    assert [c.id for c in picked] == ["bmm.shape"]
    assert {c.id for c in for_topics({"graph_types"})} >= {
        "graph.grad_fn",
        "concept.graph.production",
    }


@pytest.mark.parametrize("card", CONCEPTS, ids=lambda c: c.id)
def test_concept_cards(card: ConceptCard) -> None:
    shown = [card.build(seed) for seed in range(12)]
    for prompt in shown:
        assert prompt.kind is card.kind and prompt.front and prompt.back
        if card.kind is Kind.CHOICE:
            assert prompt.answer is not None
            assert prompt.choices[prompt.answer] == card.choices[0]
            assert sorted(prompt.choices) == sorted(card.choices)
        else:
            assert prompt.choices == () and prompt.answer is None
    if card.kind is Kind.CHOICE:
        assert len({p.choices for p in shown}) > 1
