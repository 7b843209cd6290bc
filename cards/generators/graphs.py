"""Graph types shown by execution: PyTorch builds the graph while it runs (define-by-run);
torch.fx.symbolic_trace records one graph ahead of time (define-and-run)."""

from __future__ import annotations

from random import Random

from cards.generators.autograd import leaf
from cards.generators.base import Draft, Generator, predict
from cards.generators.sampling import code, floats
from cards.topics import Topic

# An op on `x` and the grad_fn it leaves behind: what the recorded graph node is called.
_OPS: tuple[str, ...] = (
    "x * {k}",
    "x + {k}",
    "x - {k}",
    "x / {k}",
    "x ** {k}",
    "x.exp()",
    "x.sum()",
    "x.mean()",
    "torch.sin(x)",
    "x.relu()",
)


def _branchy(rng: Random) -> str:
    """Code defining `f`, whose branch depends on the data in x."""
    k, limit = rng.randint(2, 5), rng.randint(-2, 3)
    return code(
        "def f(x):",
        f"    if x.sum() > {limit}:",
        f"        return x * {k}",
        f"    return x - {k}",
    )


@predict("graph.grad_fn", Topic.GRAPH_TYPES, Topic.AUTOGRAD)
def grad_fn_after_op(rng: Random) -> Draft:
    """Each op records its backward node (grad_fn) the moment it runs; leaves have none."""
    op = rng.choice(_OPS).format(k=rng.randint(2, 4))
    expr = "x.grad_fn is None" if rng.random() < 0.2 else "y.grad_fn.name()"
    return Draft(
        "The graph is built as the code runs (define-by-run). What is it?",
        code(leaf(rng), f"y = {op}"),
        expr,
    )


@predict("graph.eager_branch", Topic.GRAPH_TYPES)
def eager_branch(rng: Random) -> Draft:
    """Eager control flow: which branch ran, and so which graph was built, depends on x."""
    fn = _branchy(rng)
    return Draft(
        "Python decides the branch for this x, so which node ends the graph? "
        "(동적 그래프: 입력마다 다른 그래프)",
        code(fn, leaf(rng, n=rng.randint(2, 3)), "y = f(x)"),
        "y.grad_fn.name()",
    )


@predict("graph.eager_loop", Topic.GRAPH_TYPES, Topic.AUTOGRAD)
def eager_loop(rng: Random) -> Draft:
    """A data-dependent loop: the graph is as long as the loop ran, and so is the gradient."""
    start, limit = rng.randint(1, 3), rng.choice((10, 20, 50, 100))
    return Draft(
        "The loop runs until y reaches the limit; the graph records every step. What is x.grad?",
        code(
            f"x = torch.tensor({float(start)!r}, requires_grad=True)",
            "y = x",
            f"while y.item() < {limit}:",
            "    y = y * 2",
            "y.backward()",
        ),
        "x.grad",
    )


@predict("graph.fx_baked_branch", Topic.GRAPH_TYPES)
def fx_baked_branch(rng: Random) -> Draft:
    """symbolic_trace records one graph up front: a Python-level branch is baked in."""
    k = rng.randint(2, 5)
    modes = ["scale", "shift"]
    rng.shuffle(modes)
    traced, later = modes
    return Draft(
        "gm was traced ahead of time (define-and-run); then mode changed. What does gm give? "
        "(정적 그래프)",
        code(
            f"mode = {traced!r}",
            "def f(x):",
            "    if mode == 'scale':",
            f"        return x * {k}",
            f"    return x + {k}",
            "gm = torch.fx.symbolic_trace(f)",
            f"mode = {later!r}",
        ),
        f"gm(torch.tensor({floats(rng, rng.randint(2, 3), 0, 5)!r}))",
    )


@predict("graph.fx_data_dependent", Topic.GRAPH_TYPES)
def fx_data_dependent(rng: Random) -> Draft:
    """symbolic_trace refuses control flow that depends on tensor values (TraceError)."""
    fn = _branchy(rng)
    return Draft(
        "Can a static graph be traced from f? What does symbolic_trace give? "
        "If it raises, name the error.",
        fn,
        "torch.fx.symbolic_trace(f)",
    )


GENERATORS: tuple[Generator, ...] = (
    grad_fn_after_op,
    eager_branch,
    eager_loop,
    fx_baked_branch,
    fx_data_dependent,
)
