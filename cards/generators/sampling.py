"""Small helpers the recipes share: sampling shapes and values, and writing them as code."""

from __future__ import annotations

import random
from collections.abc import Sequence

Shape = tuple[int, ...]
Nested = int | float | bool | list["Nested"]


def dims(rng: random.Random, ndim: int, lo: int = 2, hi: int = 5) -> Shape:
    """A random shape with `ndim` sizes in [lo, hi]."""
    return tuple(rng.randint(lo, hi) for _ in range(ndim))


def factor_pair(rng: random.Random, lo: int = 2, hi: int = 5) -> tuple[int, int, int]:
    """Sizes (a, b) in [lo, hi] and their product n, for reshaping n elements into (a, b)."""
    a, b = rng.randint(lo, hi), rng.randint(lo, hi)
    return a, b, a * b


def ints(rng: random.Random, n: int, lo: int = -3, hi: int = 5) -> list[int]:
    """`n` random integers in [lo, hi]."""
    return [rng.randint(lo, hi) for _ in range(n)]


def floats(rng: random.Random, n: int, lo: int = -3, hi: int = 4) -> list[float]:
    """`n` random whole-number floats in [lo, hi]: exact in float32, easy to compute with."""
    return [float(v) for v in ints(rng, n, lo, hi)]


def nested(rng: random.Random, shape: Shape, lo: int = 0, hi: int = 9) -> Nested:
    """A nested list of random integers with the given shape."""
    if not shape:
        return rng.randint(lo, hi)
    return [nested(rng, shape[1:], lo, hi) for _ in range(shape[0])]


def show(shape: Sequence[int]) -> str:
    """A shape the way Python writes a tuple: (2, 3), (4,), ()."""
    return repr(tuple(shape))


def args(shape: Sequence[int]) -> str:
    """A shape as call arguments: `2, 3` for torch.zeros(2, 3)."""
    return ", ".join(str(s) for s in shape)


def code(*lines: str) -> str:
    """Lines of setup code joined into one snippet."""
    return "\n".join(lines)


def broadcastable(rng: random.Random, ndim: int) -> tuple[Shape, Shape]:
    """Two shapes that broadcast together: per axis each keeps the size or has 1, and the
    second may drop leading axes."""
    full = dims(rng, ndim, 2, 5)
    a = tuple(s if rng.random() < 0.6 else 1 for s in full)
    b = tuple(s if rng.random() < 0.6 else 1 for s in full)
    return a, b[rng.randint(0, ndim - 1) :]


def clashing(rng: random.Random, ndim: int) -> tuple[Shape, Shape]:
    """Two shapes that do not broadcast: aligned on one axis with two different sizes > 1."""
    a, b = broadcastable(rng, ndim)
    offset = len(a) - len(b)
    axis = rng.randrange(len(b))
    size_a, size_b = rng.sample(range(2, 6), 2)
    return (
        (*a[: offset + axis], size_a, *a[offset + axis + 1 :]),
        (*b[:axis], size_b, *b[axis + 1 :]),
    )
