"""torch.nn.functional: softmax, one_hot and cross_entropy."""

from __future__ import annotations

from random import Random

from cards.generators.base import Draft, Generator, predict, produce
from cards.generators.sampling import args, code, dims, ints
from cards.topics import Topic


def _scores(rng: Random, rows: int, cols: int) -> str:
    """Setup for `x`: a rows x cols float tensor whose rows have no ties, so argmax is clear."""
    data = [[float(v) for v in rng.sample(range(-4, 8), cols)] for _ in range(rows)]
    return f"x = torch.tensor({data!r})"


def _labels(rng: Random, classes: int) -> tuple[int, str]:
    """A batch size and setup for `y`, integer class labels below `classes`."""
    n = rng.randint(2, 5)
    return n, f"y = torch.tensor({ints(rng, n, 0, classes - 1)!r})"


@predict("softmax.sum", Topic.SOFTMAX, Topic.NN_FUNCTIONAL)
def softmax_sum(rng: Random) -> Draft:
    """softmax sums to 1 along the dim it was taken over (the result keeps the other axes)."""
    rows, cols = dims(rng, 2, 2, 4)
    dim = rng.choice((0, 1, -1))
    return Draft(
        "What does p sum to along that dim (rounded)? (softmax 합)",
        code(_scores(rng, rows, cols), f"p = F.softmax(x, dim={dim})"),
        f"p.sum(dim={dim}).round(decimals=3)",
    )


@predict("softmax.argmax", Topic.SOFTMAX, Topic.NN_FUNCTIONAL)
def softmax_argmax(rng: Random) -> Draft:
    """softmax keeps the order of the scores, so argmax is unchanged."""
    rows, cols = dims(rng, 2, 2, 4)
    return Draft(
        "Which class has the highest probability in each row?",
        code(_scores(rng, rows, cols), "p = F.softmax(x, dim=1)"),
        "p.argmax(dim=1)",
    )


@predict("one_hot.shape", Topic.ONE_HOT, Topic.NN_FUNCTIONAL)
def one_hot_shape(rng: Random) -> Draft:
    """one_hot's shape: without num_classes the width is max label + 1."""
    classes = rng.randint(3, 6)
    _, setup = _labels(rng, classes)
    call = rng.choice(("F.one_hot(y)", f"F.one_hot(y, num_classes={classes})"))
    return Draft("What is the shape of the one-hot tensor? (원-핫)", setup, f"{call}.shape")


@predict("one_hot.dtype", Topic.ONE_HOT, Topic.NN_FUNCTIONAL)
def one_hot_dtype(rng: Random) -> Draft:
    """one_hot returns integers (int64), not floats."""
    classes = rng.randint(3, 6)
    _, setup = _labels(rng, classes)
    return Draft("What dtype does F.one_hot return?", setup, f"F.one_hot(y, {classes}).dtype")


@produce("one_hot.make", Topic.ONE_HOT, Topic.NN_FUNCTIONAL)
def make_one_hot(rng: Random) -> Draft:
    """Make the one-hot matrix of some labels with a given number of classes."""
    classes = rng.randint(3, 6)
    _, setup = _labels(rng, classes)
    return Draft(
        f"Make the one-hot encoding of y with {classes} classes.",
        setup,
        f"F.one_hot(y, num_classes={classes})",
    )


@predict("cross_entropy.uniform", Topic.CROSS_ENTROPY, Topic.NN_FUNCTIONAL)
def cross_entropy_uniform(rng: Random) -> Draft:
    """With equal logits every class gets 1/C, so the loss is ln C whatever the targets."""
    classes = rng.randint(2, 6)
    n, setup = _labels(rng, classes)
    fill = rng.choice((0.0, 1.0, 2.5, -1.0))
    return Draft(
        "What is the loss, rounded to 3 decimals? (손실함수: cross entropy)",
        code(f"logits = torch.full(({n}, {classes}), {fill})", setup),
        "F.cross_entropy(logits, y).round(decimals=3)",
    )


@predict("cross_entropy.reduction", Topic.CROSS_ENTROPY, Topic.NN_FUNCTIONAL)
def cross_entropy_reduction(rng: Random) -> Draft:
    """reduction='none' keeps one loss per sample; 'mean' and 'sum' give a scalar."""
    classes = rng.randint(2, 6)
    n, setup = _labels(rng, classes)
    reduction = rng.choice(("none", "none", "mean", "sum"))
    return Draft(
        "What is the shape of the loss?",
        code(f"logits = torch.zeros({args((n, classes))})", setup),
        f"F.cross_entropy(logits, y, reduction={reduction!r}).shape",
    )


GENERATORS: tuple[Generator, ...] = (
    softmax_sum,
    softmax_argmax,
    one_hot_shape,
    one_hot_dtype,
    make_one_hot,
    cross_entropy_uniform,
    cross_entropy_reduction,
)
