"""What a call family is: the calls it covers, their parameters, and how to plan a card.

A family's planner gets the call's bound arguments and a seeded `Random`, and returns a
`Plan`: setup lines that make inputs fitting the call (sizes drawn from the seed), the line
that runs the learner's call, and the outputs to ask about. It returns None whenever it
cannot be sure the inputs fit; then there is no card.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from random import Random
from typing import Literal

from cards.calls.binding import Bound
from cards.topics import Topic

What = Literal["shape", "value"]


@dataclass(frozen=True)
class Output:
    """One result to ask about: the variable that holds it, and whether the card asks for
    its shape or for its value (small results only)."""

    name: str
    what: What

    @property
    def expr(self) -> str:
        """The expression the card predicts."""
        return f"{self.name}.shape" if self.what == "shape" else self.name

    @property
    def question(self) -> str:
        """How the card asks."""
        if self.what == "shape":
            return f"What is the shape of {self.name}?"
        return f"What is {self.name}? (its values; if it raises, name the error)"


@dataclass(frozen=True)
class Plan:
    """The card's code, line by line, and the outputs it asks about."""

    lines: tuple[str, ...]
    outputs: tuple[Output, ...]


@dataclass(frozen=True)
class Site:
    """One spotted call: its source (as written, runs of whitespace made one space), its
    parsed form, the
    variable it is a method of (if any), and its arguments bound to the family's
    parameters."""

    source: str
    call: ast.Call
    receiver: str | None
    bound: Bound


Planner = Callable[[Site, Random], Plan | None]


@dataclass(frozen=True)
class Family:
    """Calls planned the same way. `keys` are "nn.Conv2d", "F.conv2d", "torch.sum" or
    ".sum" (a method); a method's receiver binds to `params[0]`. `samples` are calls
    `cards check` tries the family with."""

    name: str
    topic: Topic
    keys: tuple[str, ...]
    params: tuple[str, ...]
    plan: Planner
    samples: tuple[str, ...]
    varargs: bool = False


def family(
    name: str,
    topic: Topic,
    keys: tuple[str, ...],
    params: tuple[str, ...],
    plan: Planner,
    *samples: str,
    varargs: bool = False,
) -> Family:
    """A `Family`, its sample calls given last, one per argument."""
    return Family(name, topic, keys, params, plan, samples, varargs)


def shape_outputs(*names: str) -> tuple[Output, ...]:
    """Shape outputs for these variables."""
    return tuple(Output(name, "shape") for name in names)


def index_families(families: tuple[Family, ...]) -> Mapping[str, Family]:
    """Families by key; two families claiming one key is a programming error."""
    table: dict[str, Family] = {}
    for family in families:
        for key in family.keys:
            if key in table:
                raise RuntimeError(f"two call families claim {key}")
            table[key] = family
    return table
