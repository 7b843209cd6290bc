"""Every built-in card source: the executable generators and the concept cards."""

from __future__ import annotations

from collections.abc import Iterable

from cards.generators import (
    arithmetic,
    autograd,
    creation,
    functional,
    graphs,
    memory,
    misconceptions,
    products,
    shaping,
    training,
)
from cards.generators.base import Generator
from cards.generators.concepts import CONCEPTS, ConceptCard

GENERATORS: tuple[Generator, ...] = (
    *creation.GENERATORS,
    *shaping.GENERATORS,
    *misconceptions.GENERATORS,
    *products.GENERATORS,
    *functional.GENERATORS,
    *autograd.GENERATORS,
    *graphs.GENERATORS,
    *memory.GENERATORS,
    *arithmetic.GENERATORS,
    *training.GENERATORS,
)

_ALL: tuple[Generator | ConceptCard, ...] = (*GENERATORS, *CONCEPTS)
_BY_ID: dict[str, Generator | ConceptCard] = {card.id: card for card in _ALL}
if len(_BY_ID) != len(_ALL):
    raise RuntimeError("two built-in cards share an id")


def lookup(card_id: str) -> Generator | ConceptCard:
    """The generator or concept card with this id; KeyError if there is none."""
    return _BY_ID[card_id]


def generator(gen_id: str) -> Generator:
    """The executable generator with this id; KeyError if there is none."""
    found = _BY_ID[gen_id]
    if not isinstance(found, Generator):
        raise KeyError(gen_id)
    return found


def ids() -> tuple[str, ...]:
    """Every id, generators first, in registry order."""
    return tuple(_BY_ID)


def for_topics(topics: Iterable[str]) -> tuple[Generator | ConceptCard, ...]:
    """The generators and concept cards whose subject (their first topic) is one of
    `topics`, in registry order.

    Only the subject counts: the other tags say what else a card touches ("shape" on
    `view.shape`), and matching on them offered every shape card to any entry that says
    "shape", so a later week's notes were quizzed on the first day's."""
    wanted = frozenset(topics)
    return tuple(card for card in _BY_ID.values() if card.topics[0] in wanted)
