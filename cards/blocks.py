"""Cards from the learner's own Python blocks: what a block prints, or the expression it
ends with, becomes a predict card whose code is the block up to that point.

Deriving stays pure and fast, so whether a block runs is settled without running it: the
block must parse, pass the sandbox's allow-list (so no files, imports or processes), and
use no name it does not define itself (besides torch, nn, F, np, math and the safe
builtins). A block that fails any of these yields no card, silently. What cannot be told
without running it (a shape mismatch, say) shows when the card is first asked: its code
raises in setup, and `cards check`-style audits report it.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass

from markdown_it.token import Token

from cards.sandbox.policy import Rejected, check_source, quiet_parse

PYTHON_INFO = frozenset({"", "python", "py", "python3", "pytorch", "torch"})
# The names a block may use without defining them: the sandbox's globals and Python's
# builtins (the dangerous ones are refused by the allow-list before this is asked; the
# sandbox's own builtins table lives with the worker, which may import torch).
SANDBOX_NAMES = frozenset({"torch", "nn", "F", "np", "math", *dir(builtins)})
MAX_CARDS_PER_BLOCK = 5


@dataclass(frozen=True)
class BlockCard:
    """A predict card from a code block: `code` runs first, then `expr` is asked."""

    code: str
    expr: str


def _self_contained(tree: ast.AST) -> bool:
    """Whether every name the block reads is one it binds somewhere (assignments, loops,
    defs, parameters, …) or one the sandbox provides. One walk collects both."""
    bound: set[str] = set()
    read: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return read <= bound | SANDBOX_NAMES


def _asked(statement: ast.stmt) -> list[ast.expr]:
    """The expressions a top-level statement shows: print's arguments (not plain strings),
    or a bare expression."""
    if not isinstance(statement, ast.Expr):
        return []
    value = statement.value
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        if value.func.id != "print":
            return []
        return [a for a in value.args if not isinstance(a, ast.Constant | ast.JoinedStr)]
    if isinstance(value, ast.Constant):
        return []
    return [value]


def block_cards(source: str) -> list[BlockCard]:
    """The cards one code block yields; none when it cannot be trusted to run."""
    try:
        tree = quiet_parse(source, "exec")
        check_source(source, mode="exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError, Rejected):
        return []
    if not isinstance(tree, ast.Module) or not _self_contained(tree):
        return []
    lines = source.splitlines()
    cards: list[BlockCard] = []
    setup: list[str] = []  # the statements so far, as written, prints left out
    for statement in tree.body:
        asked = _asked(statement)
        for expr in asked:
            cards.append(BlockCard("\n".join(setup), ast.unparse(expr)))
        if not asked and not _is_print(statement):
            end = statement.end_lineno or statement.lineno
            setup += lines[statement.lineno - 1 : end]
    return cards[:MAX_CARDS_PER_BLOCK]


def _is_print(statement: ast.stmt) -> bool:
    call = statement.value if isinstance(statement, ast.Expr) else None
    return (
        isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "print"
    )


def is_python_block(token: Token) -> bool:
    """Whether a fence or indented block holds Python to read (not a quiz, not shell)."""
    if token.type == "code_block":
        return True
    return token.type == "fence" and token.info.strip().lower() in PYTHON_INFO
