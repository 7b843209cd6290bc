"""Reading one call's syntax tree: what it calls, and its arguments bound to parameter names.

Only what can be read without running anything counts: literals are evaluated with
`ast.literal_eval`, a bare name is a tensor the card will make, and `torch.<name>` (a
dtype, say) is kept as written. Anything else makes the call unreadable, so no card.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

# Module aliases as the sandbox names them, and the prefixes learners write for them.
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("torch.nn.functional.", "F."),
    ("nn.functional.", "F."),
    ("torch.nn.", "nn."),
)
NAMESPACES = frozenset({"torch", "nn", "F", "np", "math"})


def dotted(node: ast.expr) -> str | None:
    """`torch.nn.Conv2d` for the attribute chain, None for anything but names and dots."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def callee(call: ast.Call) -> tuple[str, str | None] | None:
    """The family key of a call and its receiver: ("nn.Conv2d", None), ("torch.sum", None)
    or (".sum", "x") for a method on the variable x; None for anything else."""
    name = dotted(call.func)
    if name is None or "." not in name:
        return None
    for long, short in _PREFIXES:
        if name.startswith(long):
            name = short + name[len(long) :]
            break
    head, _, attr = name.rpartition(".")
    if head in NAMESPACES:
        return name, None
    if "." in head or head.startswith("_"):
        return None
    return f".{attr}", head


@dataclass(frozen=True)
class Arg:
    """One argument: its literal value (`literal` is True), a variable `name`, or neither
    (an expression kept verbatim, such as `torch.float64` or `x > 0`)."""

    node: ast.expr | str
    value: Any = None
    literal: bool = False
    name: str | None = None
    names: frozenset[str] = field(default_factory=frozenset)
    items: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """The argument as code (written out only when asked: most cards never ask)."""
        return self.node if isinstance(self.node, str) else ast.unparse(self.node)


@dataclass(frozen=True)
class Bound:
    """A call's arguments by parameter name, plus extra positionals for a `*args` family."""

    args: dict[str, Arg]
    extra: tuple[Arg, ...] = ()

    def has(self, param: str) -> bool:
        """Whether the call passed `param`."""
        return param in self.args

    def value(self, param: str, default: Any = None) -> Any:
        """The literal value of `param`, or `default` when it was not passed."""
        arg = self.args.get(param)
        return default if arg is None else arg.value

    def is_literal(self, *params: str) -> bool:
        """Whether every one of `params` that was passed is a literal."""
        return all(self.args[p].literal for p in params if p in self.args)

    def names(self) -> frozenset[str]:
        """Every variable the arguments use."""
        found: set[str] = set()
        for arg in (*self.args.values(), *self.extra):
            found |= arg.names
        return frozenset(found)


def _names_in(node: ast.expr) -> frozenset[str] | None:
    """The variables an expression reads, or None if it calls anything or reads more than
    names, constants, operators and `torch.<name>` attributes."""
    found: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call | ast.Lambda | ast.NamedExpr | ast.Starred):
            return None
        if isinstance(sub, ast.Attribute) and dotted(sub) is None:
            return None
        if isinstance(sub, ast.Name) and sub.id not in NAMESPACES:
            found.add(sub.id)
    return frozenset(found)


def read_arg(node: ast.expr) -> Arg | None:
    """An `Arg` for one argument expression, or None when it cannot be read safely."""
    source = node
    try:
        return Arg(source, ast.literal_eval(node), literal=True)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        pass
    names = _names_in(node)
    if names is None:
        return None
    if isinstance(node, ast.Name):
        return Arg(source, name=node.id, names=names)
    if isinstance(node, ast.List | ast.Tuple):
        items = tuple(e.id for e in node.elts if isinstance(e, ast.Name))
        if len(items) == len(node.elts):
            return Arg(source, names=names, items=items)
    return Arg(source, names=names)


def bind(call: ast.Call, params: tuple[str, ...], *, varargs: bool = False) -> Bound | None:
    """`call`'s arguments matched to `params` the way Python would; None for an unknown
    keyword, too many positionals, a repeated parameter, `*`/`**` or an unreadable value."""
    bound: dict[str, Arg] = {}
    extra: list[Arg] = []
    for index, node in enumerate(call.args):
        arg = read_arg(node) if not isinstance(node, ast.Starred) else None
        if arg is None:
            return None
        if index < len(params):
            bound[params[index]] = arg
        elif varargs:
            extra.append(arg)
        else:
            return None
    for kw in call.keywords:
        if kw.arg is None or kw.arg not in params or kw.arg in bound:
            return None
        arg = read_arg(kw.value)
        if arg is None:
            return None
        bound[kw.arg] = arg
    return Bound(bound, tuple(extra))
