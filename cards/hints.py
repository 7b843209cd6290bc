"""Teaching hints the checker adds to a wrong answer's message.

Two tables: operation hints, picked by what the card's code and expression use and by what
kind of mistake was made; and error hints, picked by torch's own error message. Both are
plain data, so a new hint is one more row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# What kind of mistake a hint explains.
About = Literal["shape", "value", "dtype", "view", "error", "bool", "none"]


@dataclass(frozen=True)
class Hint:
    """A hint shown when `pattern` occurs in the card's code/expression and the mistake
    is one of `about`."""

    pattern: re.Pattern[str]
    about: frozenset[About]
    text: str


def _hint(pattern: str, about: set[About], text: str) -> Hint:
    return Hint(re.compile(pattern), frozenset(about), text)


MATMUL = (
    "matmul (@) broadcasts the batch dimensions and multiplies the last two: "
    "(…, n, k) @ (…, k, m) → (…, n, m); a 1-D operand gets a dimension added for the "
    "product and removed again."
)
VIEW = (
    "view never copies, so it needs strides compatible with the new shape: it fails on a "
    "non-contiguous tensor (e.g. after .t() or transpose). Call .contiguous() first, or "
    "use reshape."
)
DEFAULT_DTYPE = (
    "torch.tensor infers the dtype from the data: Python ints give torch.int64, floats the "
    "default dtype torch.float32, bools torch.bool; ones/zeros/rand use torch.float32; "
    "true division (/) always gives a floating result. torch.float is float32, "
    "torch.int is int32, torch.long is int64."
)

OPERATION_HINTS: tuple[Hint, ...] = (
    _hint(r"@|\bmatmul\b", {"shape", "error"}, MATMUL),
    _hint(
        r"\bbmm\b",
        {"shape", "error"},
        "bmm takes two 3-D tensors with the same batch size: (b, n, k) @ (b, k, m) → "
        "(b, n, m). It does not broadcast.",
    ),
    _hint(
        r"\bmm\b",
        {"shape", "error"},
        "mm is strictly 2-D: (n, k) @ (k, m) → (n, m). For batches or broadcasting, use matmul.",
    ),
    _hint(
        r"\bdot\b",
        {"shape", "error", "value"},
        "torch.dot takes two 1-D tensors of the same length and returns a 0-dim tensor "
        "(unlike numpy.dot, it does not accept 2-D).",
    ),
    _hint(r"\.view\b", {"shape", "error", "view"}, VIEW),
    _hint(
        r"\breshape\b",
        {"shape", "view", "value", "bool"},
        "reshape returns a view whenever the strides allow it and copies only when they "
        "do not (e.g. after a transpose); it does not always copy.",
    ),
    _hint(
        r"\bunsqueeze\b",
        {"shape"},
        "unsqueeze(d) inserts a new dimension of size 1 at position d; a negative d counts "
        "from the end of the result.",
    ),
    _hint(
        r"\bsqueeze\b",
        {"shape"},
        "squeeze removes only dimensions of size 1 (all of them, or just dim d if given); "
        "a dimension of any other size stays.",
    ),
    _hint(
        r"\bstack\b",
        {"shape", "error"},
        "stack adds a new dimension: stacking n tensors of shape s along dim 0 gives "
        "(n, *s), and all inputs must have the same shape.",
    ),
    _hint(
        r"\bcat\b",
        {"shape", "error"},
        "cat joins along an existing dimension: the sizes add up on that dimension and "
        "must match on all the others; no new dimension appears.",
    ),
    _hint(
        r"\.t\(\)|\.T\b|\btranspose\b|\bpermute\b",
        {"shape", "bool", "view"},
        "transpose, .t() and permute swap strides instead of moving data: the result is a "
        "view that is not contiguous.",
    ),
    _hint(
        r"\b(?:sum|mean|prod|std|var|amax|amin|argmax|argmin|max|min)\(",
        {"shape"},
        "reductions drop the reduced dimension unless keepdim=True; without a dim they "
        "reduce everything to a 0-dim tensor.",
    ),
    _hint(
        r"\bsoftmax\b",
        {"value", "shape"},
        "softmax keeps the shape and rescales the values along dim so that they are "
        "positive and sum to 1.",
    ),
    _hint(
        r"\bone_hot\b",
        {"shape", "dtype", "value"},
        "one_hot adds a last dimension of size num_classes (max label + 1 if not given) and "
        "returns int64.",
    ),
    _hint(
        r"\bcross_entropy\b",
        {"shape", "value"},
        "cross_entropy takes raw logits (N, C) and class indices (N,), applies log_softmax "
        "itself and averages over the batch by default, giving a 0-dim tensor.",
    ),
    _hint(
        r"\bno_grad\b",
        {"bool", "none", "value"},
        "inside torch.no_grad() results do not require grad and have no grad_fn.",
    ),
    _hint(
        r"\brequires_grad\b|\bParameter\b|\bLinear\b",
        {"bool"},
        "tensors you create have requires_grad=False unless you ask; nn.Parameter (so "
        "nn.Linear's weight and bias) has True; a result requires grad if any input does.",
    ),
    _hint(
        r"\bbackward\b|\.grad\b",
        {"value", "none"},
        "each backward() adds into .grad (it accumulates until you zero it); only leaf "
        "tensors with requires_grad keep .grad, a non-leaf's .grad is None unless you "
        "call retain_grad().",
    ),
    _hint(
        r"\bsymbolic_trace\b",
        {"value", "error"},
        "symbolic_trace records the operations once, ahead of time (define-and-run): a "
        "Python branch is baked into the graph, and control flow that depends on tensor "
        "values cannot be traced at all.",
    ),
    _hint(
        r"\bgrad_fn\b",
        {"value", "none"},
        "every op on a tensor that requires grad records its backward node (grad_fn) the "
        "moment it runs: the graph is built by running (define-by-run). Leaves have none.",
    ),
)

# torch error message → what it means.
ERROR_HINTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), text)
    for pattern, text in (
        (
            r"shapes cannot be multiplied",
            "for a matrix product the inner sizes must agree: (n, k) @ (k, m).",
        ),
        (r"view size is not compatible", VIEW),
        (
            r"must match the size of tensor b",
            "broadcasting lines shapes up from the right; each pair of sizes must be equal "
            "or one of them must be 1.",
        ),
        (
            r"sizes of tensors must match except in dimension",
            "cat needs equal sizes in every dimension except the one it joins along.",
        ),
        (
            r"stack expects each tensor to be equal size",
            "stack needs inputs of exactly the same shape.",
        ),
        (
            r"is invalid for input of size",
            "view and reshape keep the number of elements: the product of the new sizes must "
            "equal numel().",
        ),
        (
            r"dimension out of range",
            "an n-dim tensor has dims -n … n-1 (unsqueeze allows one more).",
        ),
        (r"1D tensors expected", "torch.dot takes only 1-D tensors."),
        (r"batch1 must be a 3D tensor|expected 3D tensor", "bmm takes only 3-D tensors."),
        (
            r"grad can be implicitly created only for scalar outputs",
            "backward() without an argument works only on a scalar: reduce first (e.g. "
            ".sum()) or pass gradient=torch.ones_like(y).",
        ),
        (
            r"does not require grad and does not have a grad_fn",
            "backward needs a graph: some input must have requires_grad=True, outside no_grad().",
        ),
        (
            r"backward through the graph a second time",
            "backward frees the graph; a second backward needs retain_graph=True on the first.",
        ),
        (
            r"leaf Variable that requires grad is being used in an in-place operation",
            "a leaf that requires grad cannot be changed in place; wrap the update in "
            "torch.no_grad().",
        ),
        (
            r"symbolically traced variables cannot be used as inputs to control flow",
            "symbolic_trace runs the function on proxies, not data: an if/while on a "
            "tensor's value cannot be recorded in a static graph.",
        ),
        (
            r"out of bounds|index .* is out of range",
            "valid indices for a dimension of size n are -n … n-1.",
        ),
        (
            r"expected scalar type|expected .* dtype|can't be cast|result type",
            "the operands' dtypes do not fit together; convert one with .float()/.long()/"
            ".to(dtype).",
        ),
    )
)


def operation_hints(source: str, about: About, limit: int = 2) -> list[str]:
    """Hints for a mistake of kind `about` in a card whose code+expression is `source`."""
    found = [h.text for h in OPERATION_HINTS if about in h.about and h.pattern.search(source)]
    return list(dict.fromkeys(found))[:limit]


def error_hint(message: str | None) -> str | None:
    """What torch's error `message` means, if it is a familiar one."""
    if not message:
        return None
    for pattern, text in ERROR_HINTS:
        if pattern.search(message):
            return text
    return None
