"""The training machinery: DataLoader batch counts, state_dict keys, zero_grad and
gradient accumulation, counting parameters, forward hooks."""

from __future__ import annotations

from random import Random

from cards.generators.base import Draft, Generator, predict
from cards.generators.sampling import code
from cards.topics import Topic


def _dataset(n: int) -> str:
    return f"ds = torch.utils.data.TensorDataset(torch.arange({n}))"


@predict("dataloader.batches", Topic.DATALOADER)
def dataloader_batches(rng: Random) -> Draft:
    """len(loader) is ceil(n / batch_size), or floor with drop_last=True."""
    n, size = rng.randint(5, 40), rng.randint(2, 8)
    drop = rng.choice((True, False))
    return Draft(
        f"How many batches does the loader give ({n} samples)? (drop_last={drop})",
        code(
            _dataset(n),
            f"loader = torch.utils.data.DataLoader(ds, batch_size={size}, drop_last={drop})",
        ),
        "len(loader)",
    )


@predict("dataloader.last_batch", Topic.DATALOADER)
def dataloader_last_batch(rng: Random) -> Draft:
    """The last batch holds what is left over, unless drop_last drops it."""
    n, size = rng.randint(5, 30), rng.randint(2, 7)
    drop = rng.choice((True, False))
    return Draft(
        "What is the shape of the last batch's tensor?",
        code(
            _dataset(n),
            f"loader = torch.utils.data.DataLoader(ds, batch_size={size}, drop_last={drop})",
            "batches = [b[0] for b in loader]",
        ),
        "batches[-1].shape",
    )


def _model(rng: Random) -> tuple[str, int]:
    """A small Sequential and how many layers with weights it has."""
    a, b, c = rng.randint(2, 6), rng.randint(2, 6), rng.randint(1, 4)
    norm = rng.choice(("", f"nn.BatchNorm1d({b}), "))
    return f"model = nn.Sequential(nn.Linear({a}, {b}), {norm}nn.ReLU(), nn.Linear({b}, {c}))", a


@predict("state_dict.keys", Topic.STATE_DICT)
def state_dict_keys(rng: Random) -> Draft:
    """state_dict holds every parameter and buffer by dotted name; ReLU has none, and
    BatchNorm adds running statistics."""
    setup, _ = _model(rng)
    expr = rng.choice(("len(model.state_dict())", "list(model.state_dict())"))
    return Draft(f"What is {expr}?", code(setup), expr)


@predict("parameters.count", Topic.PARAMETERS)
def parameter_count(rng: Random) -> Draft:
    """Counting parameters: a Linear(a, b) has a*b weights and b biases."""
    setup, _ = _model(rng)
    expr = rng.choice(
        ("sum(p.numel() for p in model.parameters())", "len(list(model.parameters()))")
    )
    return Draft(f"What is {expr}?", code(setup), expr)


@predict("training.accumulate", Topic.TRAINING_LOOP)
def gradient_accumulation(rng: Random) -> Draft:
    """Gradients add up over backward calls; zero_grad at each step keeps only the last."""
    k, steps = rng.randint(1, 4), rng.randint(2, 3)
    zero = rng.choice((True, False))
    loop = [f"    (layer.weight * {k}).sum().backward()"]
    if zero:
        loop.insert(0, "    layer.zero_grad()")
    return Draft(
        f"What is layer.weight.grad after {steps} steps{' with zero_grad' if zero else ''}? "
        "(gradient accumulation)",
        code(
            f"layer = nn.Linear({rng.randint(2, 3)}, 1)",
            f"for step in range({steps}):",
            *loop,
        ),
        "layer.weight.grad",
    )


@predict("training.zero_grad_none", Topic.TRAINING_LOOP)
def zero_grad_none(rng: Random) -> Draft:
    """zero_grad() sets grads to None by default; set_to_none=False leaves zeros."""
    to_none = rng.choice((True, False))
    return Draft(
        f"After layer.zero_grad(set_to_none={to_none}), what is layer.bias.grad?",
        code(
            f"layer = nn.Linear({rng.randint(2, 4)}, {rng.randint(1, 3)})",
            "layer(torch.ones(1, layer.in_features)).sum().backward()",
            f"layer.zero_grad(set_to_none={to_none})",
        ),
        "layer.bias.grad",
    )


@predict("hooks.forward_shape", Topic.HOOKS)
def forward_hook_shape(rng: Random) -> Draft:
    """A forward hook sees each output as the module makes it."""
    n, a, b, c = rng.randint(1, 4), rng.randint(2, 6), rng.randint(2, 6), rng.randint(1, 4)
    which = rng.choice((0, 2))
    return Draft(
        f"A forward hook on model[{which}] records its output's shape. What is seen[0]?",
        code(
            f"model = nn.Sequential(nn.Linear({a}, {b}), nn.ReLU(), nn.Linear({b}, {c}))",
            "seen = []",
            "def hook(module, inputs, output):",
            "    seen.append(output.shape)",
            f"handle = model[{which}].register_forward_hook(hook)",
            f"y = model(torch.randn({n}, {a}))",
        ),
        "seen[0]",
    )


GENERATORS: tuple[Generator, ...] = (
    dataloader_batches,
    dataloader_last_batch,
    state_dict_keys,
    parameter_count,
    gradient_accumulation,
    zero_grad_none,
    forward_hook_shape,
)
