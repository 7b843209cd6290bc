"""What a generator is: a named, topic-tagged, seeded recipe for one executable card."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from cards.model import Exercise, Kind
from cards.topics import Topic


@dataclass(frozen=True)
class Draft:
    """What a recipe returns; the generator adds the kind."""

    question: str
    code: str
    expr: str
    need_view: bool = False


Recipe = Callable[[random.Random], Draft]


@dataclass(frozen=True)
class Generator:
    """A family of executable cards: `build(seed)` gives one concrete instance.

    `id` is stable (cards are stored by it), `summary` says in one line what it asks.
    """

    id: str
    topics: tuple[Topic, ...]
    kind: Kind
    summary: str
    recipe: Recipe = field(repr=False, compare=False)

    def build(self, seed: int) -> Exercise:
        """The exercise for `seed`: the same seed always gives the same code."""
        draft = self.recipe(random.Random(seed))
        return Exercise(
            kind=self.kind,
            question=draft.question,
            code=draft.code,
            expr=draft.expr,
            need_view=draft.need_view,
        )


def _register(kind: Kind, gen_id: str, topics: tuple[Topic, ...]) -> Callable[[Recipe], Generator]:
    def wrap(recipe: Recipe) -> Generator:
        summary = (recipe.__doc__ or gen_id).strip().splitlines()[0]
        return Generator(gen_id, topics, kind, summary, recipe)

    return wrap


def predict(gen_id: str, *topics: Topic) -> Callable[[Recipe], Generator]:
    """Decorator: turn a recipe into a predict-kind generator; its docstring is the summary."""
    return _register(Kind.PREDICT, gen_id, topics)


def produce(gen_id: str, *topics: Topic) -> Callable[[Recipe], Generator]:
    """Decorator: turn a recipe into a produce-kind generator; its docstring is the summary."""
    return _register(Kind.PRODUCE, gen_id, topics)
