"""view, reshape, transpose/contiguous, squeeze and unsqueeze."""

from __future__ import annotations

from math import prod
from random import Random

from cards.generators.base import Draft, Generator, predict, produce, shape_of, write_then_read
from cards.generators.sampling import args, code, dims, factor_pair, show
from cards.topics import Topic


def _with_inferred(rng: Random, shape: tuple[int, ...]) -> str:
    """`shape` as arguments, one size replaced by -1 half of the time."""
    sizes = [str(s) for s in shape]
    if rng.random() < 0.5:
        sizes[rng.randrange(len(sizes))] = "-1"
    return ", ".join(sizes)


def _transposed(rng: Random) -> tuple[int, int, int, str]:
    """Sizes a, b (both > 1, so the transpose really is non-contiguous), their product,
    and setup code that makes `x` (a, b) and `y` its transpose."""
    a, b, n = factor_pair(rng, 2, 5)
    swap = rng.choice(("x.t()", "x.transpose(0, 1)", "x.T"))
    return a, b, n, code(f"x = torch.arange({n}).view({a}, {b})", f"y = {swap}")


@predict("view.shape", Topic.VIEW, Topic.SHAPE)
def view_shape(rng: Random) -> Draft:
    """The shape `view` gives, sometimes with a -1 to infer."""
    shape = dims(rng, rng.randint(2, 3), 2, 4)
    n = prod(shape)
    return Draft(
        "What is the shape of y?",
        code(f"x = torch.arange({n})", f"y = x.view({_with_inferred(rng, shape)})"),
        "y.shape",
    )


def write_through(rng: Random, method: str) -> Draft:
    """Reshape with `method`, write into the result, then read the source: a view shares it."""
    a, b, n = factor_pair(rng, 2, 4)
    i, j = rng.randrange(a), rng.randrange(b)
    question = f"y comes from x.{method}(...). After writing into y, what is x[{i * b + j}]?"
    setup = (f"x = torch.arange({n})", f"y = x.{method}({a}, {b})")
    copies = "(값을 참조할까, 복사할까?)"
    return write_then_read(f"{question} {copies}", setup, f"y[{i}, {j}] = 100", f"x[{i * b + j}]")


@predict("view.shares_storage", Topic.VIEW)
def view_shares(rng: Random) -> Draft:
    """Writing into a view changes the tensor it views."""
    return write_through(rng, "view")


@produce("view.make", Topic.VIEW, Topic.SHAPE)
def make_view(rng: Random) -> Draft:
    """Make a view of a 1-D tensor with a given 2-D shape."""
    a, b, n = factor_pair(rng, 2, 5)
    return Draft(
        f"Make a {show((a, b))} view of x (복사 없이).",
        code(f"x = torch.arange({n})"),
        f"x.view({a}, {b})",
        need_view=True,
    )


@predict("transpose.view_error", Topic.VIEW, Topic.TRANSPOSE, Topic.CONTIGUOUS)
def view_after_transpose(rng: Random) -> Draft:
    """`view` on a transposed tensor raises, because it is not contiguous."""
    _, _, n, setup = _transposed(rng)
    target = rng.choice((str(n), "-1"))
    return Draft(
        "What does y.view(...) give? If it raises, name the error.",
        setup,
        f"y.view({target})",
    )


@predict("transpose.shape", Topic.TRANSPOSE, Topic.SHAPE)
def transpose_shape(rng: Random) -> Draft:
    """The shape after transpose or permute."""
    shape = dims(rng, 3, 2, 6)
    i, j = rng.sample(range(3), 2)
    order = list(range(3))
    rng.shuffle(order)
    op = rng.choice((f"x.transpose({i}, {j})", f"x.permute({args(order)})"))
    return Draft(
        "What is the shape of y?", code(f"x = torch.zeros({args(shape)})", f"y = {op}"), "y.shape"
    )


@predict("contiguous.check", Topic.CONTIGUOUS, Topic.TRANSPOSE)
def contiguity(rng: Random) -> Draft:
    """Which tensors are contiguous: a transpose is not, `.contiguous()` makes a copy that is."""
    _, _, _, setup = _transposed(rng)
    expr = rng.choice(
        (
            "y.is_contiguous()",
            "x.is_contiguous()",
            "y.contiguous().is_contiguous()",
            "y.t().is_contiguous()",
        )
    )
    return Draft("True or False?", setup, expr)


@produce("contiguous.flatten", Topic.CONTIGUOUS, Topic.VIEW, Topic.TRANSPOSE)
def flatten_transposed(rng: Random) -> Draft:
    """Flatten a transposed tensor, where a plain view fails."""
    _, _, _, setup = _transposed(rng)
    return Draft(
        "Flatten y to 1-D, in y's own order. (y.view(-1) fails here: why?)",
        setup,
        "y.contiguous().view(-1)",
    )


@predict("reshape.shape", Topic.RESHAPE, Topic.SHAPE)
def reshape_shape(rng: Random) -> Draft:
    """The shape `reshape` gives a 3-D tensor, sometimes with a -1."""
    shape = dims(rng, 3, 2, 4)
    lead = rng.choice(shape)
    n = prod(shape)
    return Draft(
        "What is the shape of y?",
        code(
            f"x = torch.zeros({args(shape)})",
            f"y = x.reshape({_with_inferred(rng, (lead, n // lead))})",
        ),
        "y.shape",
    )


@predict("squeeze.shape", Topic.SQUEEZE, Topic.SHAPE)
def squeeze_shape(rng: Random) -> Draft:
    """Which size-1 axes squeeze removes: all of them, or only the one named (if it is 1)."""
    shape = tuple(1 if rng.random() < 0.4 else s for s in dims(rng, rng.randint(3, 4), 2, 5))
    if 1 not in shape:
        shape = (*shape[:1], 1, *shape[1:])
    op = rng.choice(("x.squeeze()", f"x.squeeze({rng.randrange(len(shape))})"))
    return shape_of("What is the shape after squeeze? (크기 1인 차원 삭제)", shape, op)


@predict("unsqueeze.shape", Topic.UNSQUEEZE, Topic.SHAPE)
def unsqueeze_shape(rng: Random) -> Draft:
    """Where unsqueeze inserts the new size-1 axis, for positive and negative positions."""
    shape = dims(rng, rng.randint(1, 3), 2, 5)
    where = rng.randint(-len(shape) - 1, len(shape))
    question = "What is the shape after unsqueeze? (크기 1인 차원 추가)"
    return shape_of(question, shape, f"x.unsqueeze({where})")


@produce("unsqueeze.make", Topic.UNSQUEEZE, Topic.VIEW)
def make_column(rng: Random) -> Draft:
    """Turn a 1-D tensor into a row or a column, as a view."""
    n = rng.randint(2, 6)
    axis = rng.randint(0, 1)
    target = (1, n) if axis == 0 else (n, 1)
    return Draft(
        f"Make a {show(target)} view of x.",
        code(f"x = torch.arange({n})"),
        f"x.unsqueeze({axis})",
        need_view=True,
    )


GENERATORS: tuple[Generator, ...] = (
    view_shape,
    view_shares,
    make_view,
    view_after_transpose,
    transpose_shape,
    contiguity,
    flatten_transposed,
    reshape_shape,
    squeeze_shape,
    unsqueeze_shape,
    make_column,
)
