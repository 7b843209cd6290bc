"""Products and combining tensors: dot, mm, matmul, bmm, broadcasting, stack vs cat."""

from __future__ import annotations

from random import Random

from cards.generators.base import Draft, Generator, predict, produce, shape_of
from cards.generators.sampling import (
    Shape,
    args,
    broadcastable,
    clashing,
    code,
    dims,
    ints,
    show,
)
from cards.topics import Topic

_SHAPE_OR_ERROR = "What is the shape of the result? If it raises, name the error."


def _ones(name: str, shape: Shape) -> str:
    return f"{name} = torch.ones({args(shape)})"


def _operands(a: Shape, b: Shape) -> str:
    return code(_ones("a", a), _ones("b", b))


@predict("dot.value", Topic.DOT)
def dot_value(rng: Random) -> Draft:
    """The value of torch.dot on two short integer vectors."""
    n = rng.randint(2, 4)
    return Draft(
        "What is torch.dot(a, b)? (내적)",
        code(f"a = torch.tensor({ints(rng, n)!r})", f"b = torch.tensor({ints(rng, n)!r})"),
        "torch.dot(a, b)",
    )


@predict("dot.not_2d", Topic.DOT)
def dot_on_matrices(rng: Random) -> Draft:
    """torch.dot takes only 1-D tensors, unlike numpy.dot; on 2-D it raises."""
    n, k = dims(rng, 2, 2, 4)
    second = rng.choice(((n, k), (k,)))
    return Draft(
        "What does torch.dot give here? If it raises, name the error. (Numpy와 다를까?)",
        _operands((n, k), second),
        "torch.dot(a, b)",
    )


@predict("mm.shape", Topic.MM)
def mm_shape(rng: Random) -> Draft:
    """The shape of a matrix product with torch.mm."""
    n, k, m = dims(rng, 3, 1, 6)
    return Draft(
        "What is the shape of the result?", _operands((n, k), (k, m)), "torch.mm(a, b).shape"
    )


@predict("mm.no_broadcast", Topic.MM, Topic.MATMUL, Topic.BROADCASTING)
def mm_batched(rng: Random) -> Draft:
    """torch.mm does not broadcast: a batch of matrices makes it raise, where matmul works."""
    batch, n, k, m = dims(rng, 4, 2, 5)
    fn = rng.choice(("torch.mm", "torch.mm", "torch.matmul"))
    return Draft(_SHAPE_OR_ERROR, _operands((batch, n, k), (k, m)), f"{fn}(a, b).shape")


@predict("matmul.shape", Topic.MATMUL, Topic.BROADCASTING)
def matmul_shape(rng: Random) -> Draft:
    """The shape matmul gives: batch axes broadcast, 1-D operands gain and lose an axis."""
    n, k, m = dims(rng, 3, 2, 6)
    batch_a, batch_b = broadcastable(rng, rng.randint(1, 2))
    a: Shape = (*batch_a, n, k)
    b: Shape = (*batch_b, k, m)
    variant = rng.randrange(3)
    if variant == 1:
        a = (k,)
    elif variant == 2:
        b = (k,)
    return Draft("What is the shape of a @ b?", _operands(a, b), "torch.matmul(a, b).shape")


@predict("bmm.shape", Topic.BMM)
def bmm_shape(rng: Random) -> Draft:
    """The shape bmm gives; it needs equal batch sizes and does not broadcast."""
    batch, n, k, m = dims(rng, 4, 2, 5)
    other_batch = batch if rng.random() < 0.7 else 1
    return Draft(
        _SHAPE_OR_ERROR, _operands((batch, n, k), (other_batch, k, m)), "torch.bmm(a, b).shape"
    )


@predict("broadcasting.shape", Topic.BROADCASTING)
def broadcast_shape(rng: Random) -> Draft:
    """The shape of a + b under broadcasting, or the error when the shapes clash."""
    ndim = rng.randint(2, 3)
    a, b = broadcastable(rng, ndim) if rng.random() < 0.65 else clashing(rng, ndim)
    return Draft(
        _SHAPE_OR_ERROR + " (브로드캐스팅)",
        _operands(a, b),
        "(a + b).shape",
    )


@predict("stack_cat.shape", Topic.STACK_CAT)
def stack_or_cat(rng: Random) -> Draft:
    """stack adds a new axis, cat grows an existing one."""
    shape = dims(rng, rng.randint(1, 2), 2, 5)
    count = rng.randint(2, 4)
    fn = rng.choice(("stack", "cat"))
    dim = rng.randint(0, len(shape) if fn == "stack" else len(shape) - 1)
    parts = ", ".join(["x"] * count)
    return shape_of(
        f"What is the shape of torch.{fn}(...)?", shape, f"torch.{fn}([{parts}], dim={dim})"
    )


@produce("matmul.batched", Topic.MATMUL, Topic.BROADCASTING)
def batched_product(rng: Random) -> Draft:
    """Multiply every matrix in a batch by one matrix."""
    batch, n, k, m = dims(rng, 4, 2, 4)
    return Draft(
        f"a holds {batch} matrices of shape {show((n, k))}. Multiply each by b, giving "
        f"shape {show((batch, n, m))}.",
        code(
            f"a = torch.arange({batch * n * k}.0).view({batch}, {n}, {k})",
            f"b = torch.arange({k * m}.0).view({k}, {m})",
        ),
        "a @ b",
    )


@produce("broadcasting.rows", Topic.BROADCASTING, Topic.UNSQUEEZE)
def add_per_row(rng: Random) -> Draft:
    """Broadcast a vector down the rows instead of across the columns."""
    rows, cols = rng.sample(range(2, 6), 2)
    return Draft(
        "Add v[i] to every element of row i of m. (m + v alone does not work: why?)",
        code(
            f"m = torch.tensor({[ints(rng, cols, 0, 9) for _ in range(rows)]!r})",
            f"v = torch.tensor({ints(rng, rows, 1, 9)!r})",
        ),
        "m + v.unsqueeze(1)",
    )


GENERATORS: tuple[Generator, ...] = (
    dot_value,
    dot_on_matrices,
    mm_shape,
    mm_batched,
    matmul_shape,
    bmm_shape,
    broadcast_shape,
    stack_or_cat,
    batched_product,
    add_per_row,
)
