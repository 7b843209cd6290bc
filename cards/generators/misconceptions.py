"""Cards aimed at the note "reshape copies": torch returns a view whenever it can."""

from __future__ import annotations

from random import Random

from cards.generators.base import Draft, Generator, predict
from cards.generators.sampling import code, factor_pair
from cards.generators.shaping import write_through
from cards.topics import Topic

_SAME_MEMORY = "y.data_ptr() == x.data_ptr()"


@predict("reshape.no_copy", Topic.RESHAPE, Topic.MISCONCEPTION)
def reshape_shares(rng: Random) -> Draft:
    """reshape of a contiguous tensor is a view: same memory, no copy."""
    a, b, n = factor_pair(rng, 2, 5)
    source = rng.choice((f"torch.arange({n})", f"torch.zeros({n})", f"torch.ones({a * b})"))
    return Draft(
        "Does reshape copy here? True if y uses x's memory. (reshape은 항상 복사할까?)",
        code(f"x = {source}", f"y = x.reshape({a}, {b})"),
        _SAME_MEMORY,
    )


@predict("reshape.copy_after_transpose", Topic.RESHAPE, Topic.TRANSPOSE, Topic.MISCONCEPTION)
def reshape_copies(rng: Random) -> Draft:
    """reshape copies only when no view can express the result, e.g. flattening a transpose."""
    a, b, n = factor_pair(rng, 2, 5)
    flat = rng.choice((str(n), "-1"))
    return Draft(
        "Does reshape copy here? True if y uses x's memory. (언제 복사할까?)",
        code(f"x = torch.arange({n}).view({a}, {b})", f"y = x.t().reshape({flat})"),
        _SAME_MEMORY,
    )


@predict("reshape.write_through", Topic.RESHAPE, Topic.MISCONCEPTION)
def reshape_writes_through(rng: Random) -> Draft:
    """Writing into a reshape of a contiguous tensor changes the source."""
    return write_through(rng, "reshape")


GENERATORS: tuple[Generator, ...] = (reshape_shares, reshape_copies, reshape_writes_through)
