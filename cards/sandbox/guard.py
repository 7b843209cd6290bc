"""The runtime attribute guard: the second layer behind the AST policy.

torch and its submodules re-export the modules they import as plain attributes
(`torch.os`, `torch.hub.shutil`, `torch.utils.collect_env.subprocess`…), so no list of
attribute names can close every path to the host. Before quiz code is compiled, every
attribute *read* `a.b` is rewritten into `__sandbox_attr__(a, "b")`; the guard returns the
attribute unless it is a module outside the allow-list, and then it records a violation
and raises. Quiz code cannot name the guard or touch its state: the policy refuses names
that start with `_`.

Pure Python; no torch import.
"""

from __future__ import annotations

import ast
import builtins
import sys
from collections.abc import Callable, Mapping, Sequence
from types import CodeType, FrameType, ModuleType, TracebackType
from typing import Any

from cards.sandbox.policy import format_field_attr

GUARD_NAME = "__sandbox_attr__"

# Modules quiz code may reach through attributes, as dotted prefixes. `torch` itself is
# listed exactly (a prefix match on "torch" would admit torch.hub and torch.serialization).
ALLOWED_MODULES_EXACT = frozenset({"torch", "torch.utils", "math"})
ALLOWED_MODULE_PREFIXES = (
    "torch.nn",
    "torch.functional",
    "torch.linalg",
    "torch.fft",
    "torch.special",
    "torch.autograd",
    "torch.fx",
    "torch.distributions",
    "torch.optim",
    "torch.utils.data",
    "torch.utils.checkpoint",
    "torch.jit",
    "torch.func",
    "torch.masked",
    "torch.sparse",
    "torch.nested",
    "torch.random",
    "torch.types",
    "torch.testing",
    "torch.cuda",
    "torch.mps",
    "torch.backends",
    "torch.amp",
    "torch.return_types",
    "torch.version",
    "torch.signal",
    "numpy",
)


class SandboxViolation(BaseException):
    """Raised by the guard. A BaseException so that `except Exception` in quiz code cannot
    swallow it; the guard also records the violation, so even a bare `except:` is caught."""


def module_allowed(name: str) -> bool:
    """Whether quiz code may hold the module called `name`."""
    if name in ALLOWED_MODULES_EXACT:
        return True
    return any(name == p or name.startswith(p + ".") for p in ALLOWED_MODULE_PREFIXES)


# Objects that lead out of the quiz namespace whatever path reached them.
_INTROSPECTION_TYPES = (FrameType, CodeType, TracebackType)
# Host modules whose functions, classes and instances torch re-exports as plain names
# (`from os import path`-style); quiz code gets none of them.
_HOST_MODULES = frozenset(
    {
        *("os", "posix", "posixpath", "io", "_io", "sys", "builtins", "pathlib", "shutil"),
        *("subprocess", "importlib", "ctypes", "_ctypes", "tempfile", "glob", "pickle", "gc"),
        *("inspect", "threading", "multiprocessing", "socket", "mmap", "fcntl", "marshal"),
    }
)
_FORMAT_METHODS = frozenset({"format", "format_map"})


def _host_origin(value: object) -> str | None:
    """The host module `value` comes from, if it is one of theirs (a function or class
    defined there, or an instance of such a class)."""
    for origin in (getattr(value, "__module__", None), type(value).__module__):
        if isinstance(origin, str) and origin.split(".")[0] in _HOST_MODULES:
            return origin
    return None


def refusal(value: object) -> str | None:
    """Why quiz code may not hold `value`, or None if it may."""
    if isinstance(value, ModuleType):
        if module_allowed(value.__name__):
            return None
        return f"the module {value.__name__} is not available in the sandbox"
    if isinstance(value, _INTROSPECTION_TYPES):
        return f"{type(value).__name__} objects are not available in the sandbox"
    origin = _host_origin(value)
    if origin is not None and origin != "builtins":
        return f"objects from the module {origin} are not available in the sandbox"
    return None


def make_guard(record: Callable[[str], None]) -> Callable[[object, str], object]:
    """The guard function to bind as `GUARD_NAME`; `record` receives each violation."""

    def refuse(reason: str) -> SandboxViolation:
        record(reason)
        return SandboxViolation(reason)

    def checked_format(method: Callable[..., str], template: object) -> Callable[..., str]:
        # A format template is a string-based attribute lookup that the AST cannot see
        # when the template is built at run time ("{0." + "gi_frame}").
        def format_checked(*args: Any, **kwargs: Any) -> str:
            text = template if isinstance(template, str) else (args[0] if args else "")
            if isinstance(text, str) and (attr := format_field_attr(text)) is not None:
                raise refuse(f"format fields that read .{attr} are not allowed")
            return method(*args, **kwargs)

        return format_checked

    def guard(obj: object, name: str) -> object:
        value = getattr(obj, name)
        if (reason := refusal(value)) is not None:
            raise refuse(reason)
        if name in _FORMAT_METHODS and (
            isinstance(obj, str) or (isinstance(obj, type) and issubclass(obj, str))
        ):
            return checked_format(value, obj)
        return value

    return guard


def guarded_import(
    name: str,
    globals: Mapping[str, object] | None = None,
    locals: Mapping[str, object] | None = None,
    fromlist: Sequence[str] = (),
    level: int = 0,
) -> ModuleType:
    """The `__import__` in quiz code's builtins. Quiz code cannot call it (the policy refuses
    `import` and every `_` name); it is there because torch's C++ side imports lazily
    through the builtins of whatever code is running (e.g. `torch.storage` when a tensor
    is first built from a list), and would fail with none. It serves only torch, math,
    numpy and modules that are already loaded."""
    if level != 0 or not (module_allowed(name) or name in sys.modules):
        raise ImportError(f"import of {name} is not allowed in the sandbox")
    return builtins.__import__(name, globals, locals, fromlist, level)


class _GuardAttributeReads(ast.NodeTransformer):
    """Rewrites `a.b` (reads only) into `GUARD_NAME(a, "b")`."""

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        if not isinstance(node.ctx, ast.Load):
            # Stores and deletes (`x.requires_grad = True`) hand nothing back to the code.
            return node
        call = ast.Call(
            func=ast.Name(id=GUARD_NAME, ctx=ast.Load()),
            args=[node.value, ast.Constant(value=node.attr)],
            keywords=[],
        )
        return ast.copy_location(call, node)


def guarded(tree: ast.Module | ast.Expression) -> ast.Module | ast.Expression:
    """`tree` with every attribute read routed through the guard, ready to compile."""
    new = _GuardAttributeReads().visit(tree)
    assert isinstance(new, ast.Module | ast.Expression)
    return ast.fix_missing_locations(new)
