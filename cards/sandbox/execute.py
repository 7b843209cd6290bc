"""Run one request inside a confined sandbox child: build the namespace, run the setup code,
evaluate each expression, and describe the results.

Only ever called in a forked child of the worker; torch is imported inside the functions.
"""

from __future__ import annotations

import ast
import builtins
import io
import sys
from collections.abc import Callable
from typing import Any

from cards.sandbox.describe import describe, describe_error, setup_tensors
from cards.sandbox.guard import (
    GUARD_NAME,
    SandboxViolation,
    guarded,
    guarded_import,
    make_guard,
)
from cards.sandbox.policy import Rejected, check_source
from cards.sandbox.protocol import MAX_STDOUT_CHARS, FailureKind, memory_message

# The builtins quiz code gets. Nothing here reads files, imports, introspects frames or
# namespaces, or turns strings into code or attribute lookups.
SAFE_BUILTINS = frozenset(
    {
        "abs",
        "all",
        "any",
        "bin",
        "bool",
        "callable",
        "chr",
        "classmethod",
        "complex",
        "dict",
        "divmod",
        "enumerate",
        "filter",
        "float",
        "format",
        "frozenset",
        "hash",
        "hex",
        "id",
        "int",
        "isinstance",
        "issubclass",
        "iter",
        "len",
        "list",
        "map",
        "max",
        "min",
        "next",
        "object",
        "oct",
        "ord",
        "pow",
        "print",
        "property",
        "range",
        "repr",
        "reversed",
        "round",
        "set",
        "slice",
        "sorted",
        "staticmethod",
        "str",
        "sum",
        "super",
        "tuple",
        "type",
        "zip",
        # exceptions quiz code may raise or catch
        "ArithmeticError",
        "AssertionError",
        "AttributeError",
        "Exception",
        "IndexError",
        "KeyError",
        "LookupError",
        "NameError",
        "NotImplementedError",
        "OverflowError",
        "RecursionError",
        "RuntimeError",
        "StopIteration",
        "TypeError",
        "ValueError",
        "ZeroDivisionError",
        # `class` statements need it; it only builds a class from an already-run body
        "__build_class__",
    }
)

# How allocation failures read: Python's MemoryError, torch's CPU allocator, CUDA-style OOM.
_OOM_MARKERS = ("can't allocate memory", "DefaultCPUAllocator", "out of memory")


class CappedText(io.StringIO):
    """A stdout stand-in that keeps the first `limit` characters and drops the rest."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.dropped = 0

    def write(self, text: str) -> int:
        """Keep what fits under the limit, count the rest."""
        room = self.limit - self.tell()
        if room > 0:
            super().write(text[:room])
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def captured(self) -> str:
        """What was kept, with a note if anything was dropped."""
        text = self.getvalue()
        return text + (f"\n… ({self.dropped} more characters dropped)" if self.dropped else "")


_TEMPLATE: dict[str, Any] = {}


def prepare() -> None:
    """Build the namespace template once, in the worker before it forks, so that every
    child starts from a ready table instead of rebuilding it."""
    import math

    import torch
    import torch.nn.functional

    _TEMPLATE.clear()
    _TEMPLATE.update(
        {
            "__builtins__": {
                **{name: getattr(builtins, name) for name in SAFE_BUILTINS},
                "__import__": guarded_import,
            },
            # class bodies read __name__ from the globals to set __module__
            "__name__": "quiz",
            "torch": torch,
            "nn": torch.nn,
            "F": torch.nn.functional,
            "math": math,
        }
    )
    numpy = sys.modules.get("numpy")  # imported (or not) by the worker, optional
    if numpy is not None:
        _TEMPLATE["np"] = numpy


def namespace(record_violation: Callable[[str], None]) -> dict[str, Any]:
    """The globals quiz code runs in: torch, nn, F, math, np (if numpy is installed)."""
    if not _TEMPLATE:
        prepare()
    table = dict(_TEMPLATE)
    # A fresh copy: quiz code may rebind builtins, and must not affect the next run.
    table["__builtins__"] = dict(_TEMPLATE["__builtins__"])
    table[GUARD_NAME] = make_guard(record_violation)
    return table


def is_out_of_memory(exc: BaseException) -> bool:
    """Whether an exception means an allocation failed under the address-space limit."""
    if isinstance(exc, MemoryError):
        return True
    return isinstance(exc, RuntimeError) and any(m in str(exc) for m in _OOM_MARKERS)


def run_request(code: str, exprs: list[str], memory_bytes: int) -> dict[str, Any]:
    """Run `code`, then evaluate each of `exprs`; the response fields for the runner.

    Exceptions from the code are values; exhausting memory (`memory_bytes` is the limit,
    for the message) or breaking the guard is a failure.
    """
    out = CappedText(MAX_STDOUT_CHARS)
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = out  # print() must never reach the protocol pipe
    try:
        return _run(code, exprs, memory_bytes, out)
    finally:
        sys.stdout, sys.stderr = saved


def _run(code: str, exprs: list[str], memory_bytes: int, out: CappedText) -> dict[str, Any]:
    try:
        # The runner checked already; checking again here, inside the confined child, means
        # a caller that talks to the worker directly gains nothing.
        check_source(code, mode="exec")
        for expr in exprs:
            check_source(expr, mode="eval")
    except Rejected as exc:
        return _failure(FailureKind.REJECTED, str(exc))
    violations: list[str] = []
    table = namespace(violations.append)
    try:
        setup = compile(guarded(ast.parse(code, "<quiz>", "exec")), "<quiz>", "exec")
        compiled = [
            compile(guarded(ast.parse(e, "<expr>", "eval")), "<expr>", "eval") for e in exprs
        ]
    except (SyntaxError, ValueError, RecursionError) as exc:
        # Unreachable after check_source, short of a compiler limit (e.g. nesting depth).
        return _failure(FailureKind.REJECTED, f"rejected: {exc}")

    setup_exc: BaseException | None = None
    try:
        exec(setup, table)
    except BaseException as exc:  # anything the code raises is a legitimate outcome
        setup_exc = exc
    if (failure := _failure_for(setup_exc, violations, memory_bytes)) is not None:
        return failure

    setup_bound = setup_tensors(table)
    values: list[dict[str, Any]] = []
    for expr_code in compiled:
        if setup_exc is not None:
            values.append(describe_error(setup_exc).to_dict())
            continue
        try:
            result = eval(expr_code, table)
        except BaseException as exc:
            if (failure := _failure_for(exc, violations, memory_bytes)) is not None:
                return failure
            values.append(describe_error(exc).to_dict())
            continue
        values.append(describe(result, setup_bound).to_dict())
    if violations:  # caught and swallowed by the quiz code: still a violation
        return _failure(FailureKind.REJECTED, f"rejected: {violations[0]}")
    return {
        "values": values,
        "setup_error": describe_error(setup_exc).to_dict() if setup_exc is not None else None,
        "stdout": out.captured(),
    }


def _failure_for(
    exc: BaseException | None, violations: list[str], memory_bytes: int
) -> dict[str, Any] | None:
    if violations or isinstance(exc, SandboxViolation):
        reason = violations[0] if violations else str(exc)
        return _failure(FailureKind.REJECTED, f"rejected: {reason}")
    if exc is not None and is_out_of_memory(exc):
        return _failure(FailureKind.MEMORY, memory_message(memory_bytes))
    return None


def _failure(kind: FailureKind, message: str) -> dict[str, Any]:
    return {"failure_kind": str(kind), "failure": message}
