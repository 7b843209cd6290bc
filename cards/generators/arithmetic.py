"""Division and rounding, type promotion, where/masked_fill, boolean and fancy indexing."""

from __future__ import annotations

from random import Random

from cards.generators.base import Draft, Generator, predict
from cards.generators.sampling import code, ints
from cards.topics import Topic


def _nonzero(rng: Random, n: int) -> list[int]:
    return [rng.choice((-3, -2, -1, 1, 2, 3, 4)) for _ in range(n)]


@predict("division.rounding", Topic.DIVISION)
def division_rounding(rng: Random) -> Draft:
    """`/` is true division even on ints; `//` and rounding_mode='floor' round down,
    'trunc' toward zero (they differ on negatives)."""
    n = rng.randint(2, 4)
    a, b = ints(rng, n, -7, 9), _nonzero(rng, n)
    op = rng.choice(
        (
            "a / b",
            "a // b",
            "torch.div(a, b, rounding_mode='floor')",
            "torch.div(a, b, rounding_mode='trunc')",
            "torch.div(a, b)",
        )
    )
    return Draft(
        f"What is {op}? (정수 나눗셈과 rounding_mode)",
        code(f"a = torch.tensor({a!r})", f"b = torch.tensor({b!r})"),
        op,
    )


@predict("division.dtype", Topic.DIVISION, Topic.TYPE_PROMOTION)
def division_dtype(rng: Random) -> Draft:
    """Dividing int tensors with `/` gives float32; `//` keeps int64."""
    n = rng.randint(2, 4)
    op = rng.choice(("a / b", "a // b", "torch.div(a, b, rounding_mode='trunc')", "a / 2"))
    return Draft(
        f"What is ({op}).dtype?",
        code(
            f"a = torch.tensor({ints(rng, n, 0, 9)!r})", f"b = torch.tensor({_nonzero(rng, n)!r})"
        ),
        f"({op}).dtype",
    )


@predict("type_promotion.dtype", Topic.TYPE_PROMOTION)
def promotion(rng: Random) -> Draft:
    """The dtype of mixed arithmetic: int with float is float, a Python float keeps a
    tensor's float dtype, bool with int is int, float64 wins over float32."""
    left, right = rng.choice(
        (
            ("torch.tensor([1, 2])", "torch.tensor([1.5, 2.0])"),
            ("torch.tensor([1, 2])", "2.5"),
            ("torch.tensor([1.0, 2.0])", "torch.tensor([1.0], dtype=torch.float64)"),
            ("torch.tensor([True, False])", "torch.tensor([3, 4])"),
            ("torch.tensor([1, 2], dtype=torch.int32)", "torch.tensor([3, 4])"),
            ("torch.tensor([1, 2], dtype=torch.int32)", "5"),
            ("torch.tensor([1.0, 2.0], dtype=torch.float16)", "torch.tensor([1, 2])"),
        )
    )
    op = rng.choice(("+", "*"))
    return Draft(
        "What dtype does the result have? (type promotion)",
        code(f"a = {left}", f"b = {right}"),
        f"(a {op} b).dtype",
    )


@predict("indexing.where", Topic.INDEXING)
def where_or_fill(rng: Random) -> Draft:
    """torch.where picks from two tensors by a condition; masked_fill writes where a mask
    is True."""
    n = rng.randint(3, 5)
    x = ints(rng, n, -4, 6)
    t = rng.randint(0, 3)
    op = rng.choice(
        (
            f"torch.where(x > {t}, x, 0)",
            f"torch.where(x > {t}, 1, -1)",
            f"x.masked_fill(x > {t}, 0)",
            f"x.masked_fill(x <= {t}, -1)",
        )
    )
    return Draft(f"What is {op}?", code(f"x = torch.tensor({x!r})"), op)


@predict("indexing.boolean", Topic.INDEXING)
def boolean_indexing(rng: Random) -> Draft:
    """x[mask] picks the elements where the mask is True, as a 1-D tensor (a copy)."""
    a, b = rng.randint(2, 3), rng.randint(2, 3)
    x = [ints(rng, b, 0, 9) for _ in range(a)]
    t = rng.randint(2, 6)
    expr = rng.choice((f"x[x > {t}]", "x[x % 2 == 0]", f"x[x > {t}].shape"))
    return Draft(f"What is {expr}?", code(f"x = torch.tensor({x!r})"), expr)


@predict("indexing.fancy", Topic.INDEXING)
def fancy_indexing(rng: Random) -> Draft:
    """Indexing with lists: x[[i, j]] picks rows, x[[i, j], [k, l]] picks single elements."""
    a, b = rng.randint(2, 4), rng.randint(2, 4)
    rows = [rng.randrange(a) for _ in range(2)]
    cols = [rng.randrange(b) for _ in range(2)]
    expr = rng.choice((f"x[{rows!r}]", f"x[{rows!r}, {cols!r}]", f"x[:, {cols!r}]"))
    return Draft(f"What is {expr}?", code(f"x = torch.arange({a * b}).view({a}, {b})"), expr)


GENERATORS: tuple[Generator, ...] = (
    division_rounding,
    division_dtype,
    promotion,
    where_or_fill,
    boolean_indexing,
    fancy_indexing,
)
