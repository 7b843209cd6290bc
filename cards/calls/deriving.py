"""From code in the notes to call cards, and from a stored call card to an exercise.

A call card is stored as the call's source (as written, whitespace runs made one space)
and the output it asks about; its exercise is planned afresh for every seed, so the card
keeps the learner's arguments while the inputs' sizes change from review to review.
"""

from __future__ import annotations

import ast
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from cards.calls import layers, tensor_ops
from cards.calls.binding import Arg, bind, callee
from cards.calls.family import Family, Plan, Site, index_families
from cards.model import Exercise, Kind
from cards.sandbox.policy import quiet_parse

FAMILIES: tuple[Family, ...] = (*layers.FAMILIES, *tensor_ops.FAMILIES)
_BY_KEY: Mapping[str, Family] = index_families(FAMILIES)


@dataclass(frozen=True)
class CallCard:
    """One card a spotted call yields: the call, the output asked about, and its family."""

    source: str
    output: str
    family: Family


def site(source: str) -> tuple[Family, Site] | None:
    """The family and bound site of one call's source; None if no family covers it."""
    try:
        tree = quiet_parse(source, "eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not isinstance(tree, ast.Expression) or not isinstance(tree.body, ast.Call):
        return None
    return _site_of(tree.body, source)


def _site_of(call: ast.Call, code: str) -> tuple[Family, Site] | None:
    """The family and site of a call parsed from `code` (its source is its text there)."""
    found = callee(call)
    if found is None:
        return None
    key, receiver = found
    family = _BY_KEY.get(key)
    if family is None:
        return None
    params = family.params[1:] if receiver is not None else family.params
    bound = bind(call, params, varargs=family.varargs)
    if bound is None:
        return None
    if receiver is not None:
        me = Arg(receiver, name=receiver, names=frozenset({receiver}))
        bound = type(bound)({family.params[0]: me, **bound.args}, bound.extra)
    text = ast.get_source_segment(code, call) or ast.unparse(call)
    return family, Site(" ".join(text.split()), call, receiver, bound)


def plan(source: str, seed: int) -> Plan | None:
    """The plan for a call and a seed, or None when no fitting input can be made."""
    found = site(source)
    if found is None:
        return None
    family, where = found
    return family.plan(where, random.Random(seed))


def _parsed(code: str) -> ast.AST | None:
    try:
        return quiet_parse(code, "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _calls_in(code: str) -> Iterator[tuple[ast.Call, str]]:
    """Every call in a snippet, with the text it was parsed from; a block that does not
    parse is read line by line."""
    if "(" not in code:  # most code spans name something; only calls can make cards
        return
    whole = _parsed(code)
    texts = [code] if whole is not None else [line.strip() for line in code.splitlines()]
    for text in texts:
        tree = whole if whole is not None else _parsed(text)
        if tree is not None:
            yield from ((node, text) for node in ast.walk(tree) if isinstance(node, ast.Call))


def call_cards(code: str) -> list[CallCard]:
    """The call cards one code span or code block yields, one per output of each call a
    family can make fitting inputs for."""
    cards: list[CallCard] = []
    for call, text in _calls_in(code):
        found = _site_of(call, text)
        if found is None:
            continue
        family, where = found
        planned = family.plan(where, random.Random(0))
        if planned is not None:
            cards += [CallCard(where.source, out.name, family) for out in planned.outputs]
    return cards


def exercise(source: str, output: str, seed: int) -> Exercise:
    """The exercise a stored call card gives for `seed`; KeyError when this version can no
    longer plan it."""
    planned = plan(source, seed)
    chosen = [out for out in planned.outputs if out.name == output] if planned else []
    if planned is None or not chosen:
        raise KeyError(source)
    return Exercise(
        kind=Kind.PREDICT,
        question=chosen[0].question,
        code="\n".join(planned.lines),
        expr=chosen[0].expr,
    )
