"""Helpers the planners share: reading sizes from arguments, drawing input sizes, and
writing the card's lines for a module call or for a function/method call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from math import prod
from random import Random
from typing import Any

from cards.calls.family import Output, Plan, Site
from cards.generators.sampling import args

# Inputs larger than this are not worth a card (and would crowd the sandbox's memory).
MAX_ELEMENTS = 1_000_000
# A kernel, channel count or length beyond this is not something to make an input for.
MAX_SIZE = 512


def is_int(value: Any) -> bool:
    """A plain int (bools are not sizes)."""
    return isinstance(value, int) and not isinstance(value, bool)


def size(value: Any, lo: int = 1) -> int | None:
    """`value` if it is an int size in [lo, MAX_SIZE], else None."""
    return value if is_int(value) and lo <= value <= MAX_SIZE else None


def per_dim(value: Any, n: int, lo: int = 0) -> tuple[int, ...] | None:
    """An int or an n-tuple of ints (each in [lo, MAX_SIZE]) as an n-tuple, else None."""
    items = (value,) * n if is_int(value) else value
    if not isinstance(items, tuple | list) or len(items) != n:
        return None
    if not all(is_int(v) and lo <= v <= MAX_SIZE for v in items):
        return None
    return tuple(items)


def zeros(shape: Sequence[int]) -> str:
    """Code for a tensor of zeros of `shape` (a 0-dim one too)."""
    return f"torch.zeros({args(shape) if shape else '()'})"


def randn(*shape: int) -> str:
    """Code for a random float tensor: only its shape matters to the card."""
    return f"torch.randn({args(shape)})"


def literal_tensor(rng: Random, shape: Sequence[int], *, floats: bool = False) -> str:
    """Code for a small tensor of distinct whole numbers (as floats when `floats`), written
    out so the learner can work the values out."""
    count = prod(shape)
    values = rng.sample(range(max(10, count)), count)
    flat = [f"{v}." if floats else str(v) for v in values]
    return f"torch.tensor({nest(flat, shape)})"


def literal_bools(rng: Random, shape: Sequence[int]) -> str:
    """Code for a small bool tensor, written out."""
    flat = [str(rng.random() < 0.5) for _ in range(prod(shape))]
    return f"torch.tensor({nest(flat, shape)})"


def nest(flat: Sequence[object], shape: Sequence[int]) -> str:
    """Flat values written as a nested list literal of `shape`."""
    if not shape:
        return str(flat[0])
    step = prod(shape[1:])
    parts = [nest(flat[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]
    return "[" + ", ".join(parts) + "]"


def fits(*shapes: Sequence[int]) -> bool:
    """Whether tensors of these shapes are small enough to make."""
    return all(prod(shape) <= MAX_ELEMENTS for shape in shapes)


def module_plan(
    site: Site, inputs: Sequence[tuple[str, str]], targets: str, outputs: tuple[Output, ...]
) -> Plan | None:
    """`layer = <the call>`, the inputs, and `targets = layer(inputs)`; None when any
    argument of the call is not a literal (a module is built from constants only)."""
    if site.receiver is not None or site.bound.extra:
        return None
    if not all(arg.literal for arg in site.bound.args.values()):
        return None
    names = ", ".join(name for name, _ in inputs)
    return Plan(
        (
            f"layer = {site.source}",
            *(f"{name} = {decl}" for name, decl in inputs),
            f"{targets} = layer({names})",
        ),
        outputs,
    )


def tensor_plan(
    site: Site,
    decls: Mapping[str, str],
    outputs: tuple[Output, ...],
    target: str = "y",
    variables: Mapping[str, str] | None = None,
) -> Plan | None:
    """The tensors the call names, made as `decls` says (by parameter), then
    `target = <the call>`.

    Every variable the call uses must be the whole argument of a parameter in `decls`
    (or the receiver, bound to the first parameter), or be made by `variables` (by name);
    a variable that only appears inside a larger expression (`x > 0`) must be made one
    of those ways. Otherwise None: there is no telling what the variable should be."""
    made: dict[str, str] = dict(variables or {})
    wanted = dict(site.bound.args)
    for param, arg in wanted.items():
        if arg.name is None:
            continue
        decl = decls.get(param)
        if decl is None or made.setdefault(arg.name, decl) != decl:
            return None
    if not all(arg.literal or arg.name in made for arg in site.bound.extra):
        return None
    used = site.bound.names()
    if not used <= made.keys():
        return None
    return Plan(
        (*(f"{name} = {decl}" for name, decl in made.items()), f"{target} = {site.source}"),
        outputs,
    )
