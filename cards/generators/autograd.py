"""Autograd: requires_grad defaults, gradients of small polynomials, accumulation, leaves,
no_grad and backward on non-scalars."""

from __future__ import annotations

from random import Random

from cards.generators.base import Draft, Generator, predict, produce
from cards.generators.sampling import code, floats
from cards.topics import Topic


def leaf(rng: Random, name: str = "x", n: int | None = None) -> str:
    """Setup for a float leaf tensor that requires grad."""
    size = n if n is not None else rng.randint(2, 4)
    return f"{name} = torch.tensor({floats(rng, size)!r}, requires_grad=True)"


@predict("autograd.requires_grad", Topic.AUTOGRAD)
def requires_grad_default(rng: Random) -> Draft:
    """Who requires grad by default: plain tensors do not, layer weights and Parameters do."""
    a, b = rng.randint(2, 6), rng.randint(2, 6)
    setup, expr = rng.choice(
        (
            (f"x = torch.tensor({floats(rng, a)!r})", "x.requires_grad"),
            (f"layer = nn.Linear({a}, {b})", "layer.weight.requires_grad"),
            (f"layer = nn.Linear({a}, {b})", "layer.bias.requires_grad"),
            (f"w = nn.Parameter(torch.zeros({a}, {b}))", "w.requires_grad"),
            (f"x = torch.ones({a}, {b})\ny = x * 2", "y.requires_grad"),
        )
    )
    return Draft("True or False? (requires_grad의 기본값)", setup, expr)


@predict("autograd.poly_grad", Topic.AUTOGRAD)
def polynomial_gradient(rng: Random) -> Draft:
    """x.grad after backward through a small polynomial: d/dx (a*x**p + b*x) summed."""
    a, b, power = rng.randint(1, 3), rng.randint(-2, 3), rng.choice((2, 3))
    return Draft(
        "What is x.grad after backward? (자동미분)",
        code(leaf(rng), f"y = ({a} * x ** {power} + {b} * x).sum()", "y.backward()"),
        "x.grad",
    )


@predict("autograd.accumulate", Topic.AUTOGRAD)
def accumulated_gradient(rng: Random) -> Draft:
    """Gradients add up over backward calls until they are zeroed."""
    a, b = rng.randint(1, 4), rng.randint(1, 4)
    steps: tuple[str, ...]
    if rng.random() < 0.5:
        steps = (
            f"y = ({a} * x).sum()",
            "y.backward(retain_graph=True)",
            "y.backward()",
        )
    else:
        steps = (f"({a} * x).sum().backward()", f"({b} * x ** 2).sum().backward()")
    return Draft("What is x.grad after both backward calls?", code(leaf(rng), *steps), "x.grad")


@predict("autograd.leaf_grad", Topic.AUTOGRAD)
def leaf_versus_intermediate(rng: Random) -> Draft:
    """Only leaves keep .grad: an intermediate result's .grad stays None."""
    k = rng.randint(2, 5)
    expr = rng.choice(("h.grad is None", "x.grad is None", "h.is_leaf", "x.is_leaf"))
    return Draft(
        "True or False? (leaf 텐서만 .grad를 가진다?)",
        code(leaf(rng), f"h = x * {k}", "y = h.sum()", "y.backward()"),
        expr,
    )


@predict("autograd.no_grad", Topic.AUTOGRAD)
def no_grad_result(rng: Random) -> Draft:
    """Results computed under torch.no_grad (or from a detached tensor) do not require grad."""
    k = rng.randint(2, 5)
    body = rng.choice(
        (
            f"with torch.no_grad():\n    y = x * {k}",
            f"y = x * {k}",
            f"y = x.detach() * {k}",
        )
    )
    return Draft("Does y require grad?", code(leaf(rng), body), "y.requires_grad")


@predict("autograd.nonscalar_backward", Topic.AUTOGRAD)
def nonscalar_backward(rng: Random) -> Draft:
    """backward on a non-scalar needs a gradient argument; without one it raises."""
    k = rng.randint(2, 5)
    setup = code(leaf(rng), f"y = x * {k}")
    variant = rng.randrange(3)
    if variant == 0:
        return Draft("What happens? If it raises, name the error.", setup, "y.backward()")
    call = "y.backward(torch.ones_like(y))" if variant == 1 else "y.sum().backward()"
    return Draft("What is x.grad?", code(setup, call), "x.grad")


@produce("autograd.detach", Topic.AUTOGRAD)
def make_detached(rng: Random) -> Draft:
    """Get x's values without gradient tracking, sharing its memory."""
    return Draft(
        "Give x's values as a tensor that does not track gradients and shares x's memory.",
        leaf(rng, n=rng.randint(2, 5)),
        "x.detach()",
        need_view=True,
    )


GENERATORS: tuple[Generator, ...] = (
    requires_grad_default,
    polynomial_gradient,
    accumulated_gradient,
    leaf_versus_intermediate,
    no_grad_result,
    nonscalar_backward,
    make_detached,
)
