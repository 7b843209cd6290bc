"""Which results share memory: expand vs repeat, from_numpy vs tensor, in-place ops, and
the autograd error when an in-place op changes a value backward needs."""

from __future__ import annotations

from random import Random

from cards.generators.base import Draft, Generator, predict, write_then_read
from cards.generators.sampling import args, code, ints
from cards.topics import Topic


@predict("expand_repeat.shares", Topic.EXPAND_REPEAT)
def expand_or_repeat(rng: Random) -> Draft:
    """Writing into the source shows through `expand` (a view), not through `repeat`."""
    n, times = rng.randint(2, 4), rng.randint(2, 4)
    op = rng.choice((f"x.expand({times}, {n})", f"x.repeat({times}, 1)"))
    value = rng.randint(10, 99)
    question = f"y = {op}. After x[0, 0] = {value}, what is y[{times - 1}, 0]?"
    setup = (f"x = torch.arange({n}).view(1, {n})", f"y = {op}")
    shares = "(expand는 메모리를 공유할까, repeat은?)"
    return write_then_read(
        f"{question} {shares}", setup, f"x[0, 0] = {value}", f"y[{times - 1}, 0]"
    )


@predict("expand_repeat.shape", Topic.EXPAND_REPEAT)
def expand_or_repeat_shape(rng: Random) -> Draft:
    """The shape repeat and expand give: repeat multiplies sizes, expand sets them."""
    a, b = rng.randint(1, 3), rng.randint(2, 4)
    r, s = rng.randint(2, 3), rng.randint(1, 3)
    op = rng.choice(
        (f"x.repeat({r}, {s})", f"x.expand({r}, {b})" if a == 1 else f"x.repeat({r}, 1)")
    )
    return Draft(
        "What is the shape of y?", code(f"x = torch.zeros({a}, {b})", f"y = {op}"), "y.shape"
    )


@predict("numpy.shares", Topic.NUMPY)
def from_numpy_shares(rng: Random) -> Draft:
    """`torch.from_numpy` shares the array's memory; `torch.tensor` copies it."""
    values = ints(rng, rng.randint(2, 4), 0, 9)
    make = rng.choice(("torch.from_numpy(a)", "torch.tensor(a)", "torch.as_tensor(a)"))
    value = rng.randint(10, 99)
    question = f"t = {make}; then a[0] = {value}. What is t[0]? (from_numpy는 메모리를 공유할까?)"
    setup = (f"a = np.array({values!r})", f"t = {make}")
    return write_then_read(question, setup, f"a[0] = {value}", "t[0]")


@predict("numpy.dtype", Topic.NUMPY)
def from_numpy_dtype(rng: Random) -> Draft:
    """A float ndarray is float64, and from_numpy keeps it (torch's default is float32)."""
    values = [float(v) for v in ints(rng, rng.randint(2, 4), 0, 9)]
    make = rng.choice(("torch.from_numpy(a)", "torch.tensor(a)", "torch.tensor(a.tolist())"))
    return Draft("What is t.dtype?", code(f"a = np.array({values!r})", f"t = {make}"), "t.dtype")


@predict("inplace.value", Topic.INPLACE)
def inplace_value(rng: Random) -> Draft:
    """An op ending in _ changes the tensor itself; the one without returns a new tensor."""
    values = ints(rng, rng.randint(2, 4), 0, 5)
    k = rng.randint(2, 4)
    op = rng.choice(
        (
            f"x.add_({k})",
            f"x.add({k})",
            f"x.mul_({k})",
            f"x.mul({k})",
            "x.zero_()",
            f"x.masked_fill_(x > 2, {k})",
            f"x.copy_(torch.full_like(x, {k}))",
        )
    )
    return Draft(
        f"After `{op}`, what is x? (in-place 연산)",
        code(f"x = torch.tensor({values!r})", op),
        "x",
    )


@predict("inplace.alias", Topic.INPLACE)
def inplace_alias(rng: Random) -> Draft:
    """An in-place op on a view changes the tensor it views."""
    n = rng.randint(3, 5)
    k = rng.randint(2, 9)
    return Draft(
        f"v = x[1:]; v.add_({k}). What is x?",
        code(f"x = torch.zeros({n})", "v = x[1:]", f"v.add_({k})"),
        "x",
    )


@predict("inplace.saved_tensor", Topic.INPLACE)
def inplace_breaks_backward(rng: Random) -> Draft:
    """Changing in place a value backward needs makes backward raise; changing one it does
    not need is fine."""
    n = rng.randint(2, 4)
    fn, needs = rng.choice((("exp", True), ("sigmoid", True), ("mul(2)", False)))
    op = rng.choice(("add_(1)", "mul_(2)", "zero_()"))
    what = "y.backward raises?" if needs else "x.grad?"
    return Draft(
        f"y = x.{fn}, then y.{op} before backward. What is x.grad? If it raises, name the "
        f"error. ({what})",
        code(
            f"x = torch.ones({args((n,))}, requires_grad=True)",
            f"y = x.{fn}" if "(" in fn else f"y = x.{fn}()",
            f"y.{op}",
            "y.sum().backward()",
        ),
        "x.grad",
    )


GENERATORS: tuple[Generator, ...] = (
    expand_or_repeat,
    expand_or_repeat_shape,
    from_numpy_shares,
    from_numpy_dtype,
    inplace_value,
    inplace_alias,
    inplace_breaks_backward,
)
