"""What a generator is: a named, topic-tagged, seeded recipe for one executable card."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from cards.generators.sampling import args, code
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


def write_then_read(question: str, setup: tuple[str, ...], write: str, read: str) -> Draft:
    """A card on shared memory: `setup` makes one thing from another, `write` changes one
    of them, and the learner predicts the single element `read` of the other."""
    return Draft(question, code(*setup, write), f"{read}.item()")


def shape_of(question: str, shape: tuple[int, ...], result: str) -> Draft:
    """A card on the shape of `result`, computed from `x`, zeros of `shape`."""
    return Draft(question, code(f"x = torch.zeros({args(shape)})"), f"{result}.shape")


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
        return Exercise(self.kind, draft.question, draft.code, draft.expr, draft.need_view)


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
