"""Making tensors from lists (the way an ndarray is made) and reading `ndim`/`shape`."""

from __future__ import annotations

from random import Random

from cards.generators.base import Draft, Generator, predict, produce, write_then_read
from cards.generators.sampling import Shape, code, dims, nested
from cards.topics import Topic


def _nested_shape(rng: Random, max_ndim: int = 3) -> Shape:
    # Deep tensors get small sizes so the literal stays readable.
    ndim = rng.randint(1, max_ndim)
    return dims(rng, ndim, 2 if ndim == 1 else 1, 4 if ndim <= 2 else 2)


@predict("creation.shape", Topic.CREATION, Topic.SHAPE)
def from_list_shape(rng: Random) -> Draft:
    """The shape of a tensor made from a nested list."""
    data = nested(rng, _nested_shape(rng))
    return Draft(
        "A tensor made from a nested list: what is its shape? (리스트로 만든 텐서의 shape)",
        code(f"x = torch.tensor({data!r})"),
        "x.shape",
    )


@predict("creation.ndim", Topic.CREATION, Topic.SHAPE)
def from_list_ndim(rng: Random) -> Draft:
    """How many dimensions a tensor made from a nested list has."""
    data = nested(rng, _nested_shape(rng, max_ndim=4))
    return Draft(
        "How many dimensions does x have? (ndim = 차원 수)",
        code(f"x = torch.tensor({data!r})"),
        "x.ndim",
    )


@predict("creation.dtype", Topic.CREATION)
def from_list_dtype(rng: Random) -> Draft:
    """The dtype torch.tensor infers from Python ints, floats, bools or a mix."""
    n = rng.randint(2, 4)
    kinds: dict[str, list[int] | list[float] | list[bool]] = {
        "int": [rng.randint(-5, 9) for _ in range(n)],
        "float": [rng.randint(-5, 9) + 0.5 for _ in range(n)],
        "bool": [rng.random() < 0.5 for _ in range(n)],
        "mixed": [rng.randint(0, 9) for _ in range(n - 1)] + [rng.randint(0, 9) + 0.25],
    }
    values = kinds[rng.choice(sorted(kinds))]
    rng.shuffle(values)
    return Draft(
        "Which dtype does torch.tensor infer from this list?",
        code(f"x = torch.tensor({values!r})"),
        "x.dtype",
    )


@predict("creation.copies_list", Topic.CREATION)
def from_list_copies(rng: Random) -> Draft:
    """torch.tensor copies its data: changing the source list later leaves the tensor alone."""
    rows, cols = rng.randint(2, 3), rng.randint(2, 4)
    data = nested(rng, (rows, cols))
    i, j = rng.randrange(rows), rng.randrange(cols)
    question = (
        "`data` is built like an ndarray, as nested lists. After changing data, what is "
        "x[i, j]? (torch.tensor는 데이터를 복사할까?)"
    )
    setup = (f"data = {data!r}", "x = torch.tensor(data)")
    return write_then_read(question, setup, f"data[{i}][{j}] = 100", f"x[{i}, {j}]")


@produce("creation.from_list", Topic.CREATION)
def make_float_tensor(rng: Random) -> Draft:
    """Make a float32 tensor from a nested list of ints."""
    data = nested(rng, dims(rng, rng.randint(1, 2), 2, 3))
    return Draft(
        "Make a float32 tensor holding the values of `data`. (List로 텐서 만들기)",
        code(f"data = {data!r}"),
        "torch.tensor(data, dtype=torch.float32)",
    )


GENERATORS: tuple[Generator, ...] = (
    from_list_shape,
    from_list_ndim,
    from_list_dtype,
    from_list_copies,
    make_float_tensor,
)
