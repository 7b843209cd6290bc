"""The AST allow-list every piece of quiz code and every typed answer passes before it runs.

The policy is the first of several layers (see `guard`, `confine` and the worker's limits):
it refuses, by reading the syntax tree only, code that imports, reaches for dunder
attributes, turns strings into code or attribute lookups, or touches files, processes and
the interpreter. It never executes anything, so it is safe to call in the UI process.

All rules are data: the frozensets and tables below are the whole policy.
"""

from __future__ import annotations

import ast
import re
import string
import warnings
from typing import Literal

Mode = Literal["exec", "eval"]

# Longer code than this is not a quiz snippet; refusing it also keeps the parser and the
# compiler (which recurse on deeply nested input) away from pathological sizes.
MAX_SOURCE_CHARS = 20_000

# Statements and expressions that have no place in a quiz snippet, with the reason shown.
FORBIDDEN_NODES: dict[type[ast.AST], str] = {
    ast.Import: "imports are not allowed",
    ast.ImportFrom: "imports are not allowed",
    ast.Global: "global statements are not allowed",
    ast.Nonlocal: "nonlocal statements are not allowed",
    ast.AsyncFunctionDef: "async code is not allowed",
    ast.AsyncFor: "async code is not allowed",
    ast.AsyncWith: "async code is not allowed",
    ast.Await: "async code is not allowed",
}

# Builtins that run strings as code, look attributes up by string, reach the interpreter's
# namespaces or files, or block on the terminal. Refused as names wherever they appear, so
# no string can ever be passed to them.
BANNED_NAMES = frozenset(
    {
        "eval",
        "exec",
        "compile",
        "open",
        "getattr",
        "setattr",
        "delattr",
        "vars",
        "globals",
        "locals",
        "input",
        "breakpoint",
        "help",
        "exit",
        "quit",
        "memoryview",
    }
)

# Attribute names refused on any object. Three groups, kept apart so each reads clearly.
# 1. torch (and numpy) I/O, loaders and native-code entry points.
TORCH_IO_ATTRS = frozenset(
    {
        "save",
        "load",
        "from_file",
        "hub",
        "model_zoo",
        "load_library",
        "classes",
        "cpp_extension",
        "serialization",
        "package",
        "onnx",
        "tofile",
        "fromfile",
        "savetxt",
        "loadtxt",
        "genfromtxt",
        "memmap",
        "open",
        "to_folder",
        "export_chrome_trace",
        "load_state_dict_from_url",
        "download_url_to_file",
    }
)
# 2. Host modules that torch and friends re-export as plain attributes (torch.os, torch.sys…).
#    The runtime guard refuses every non-torch module anyway; naming the common ones here
#    gives a clear message before anything runs.
HOST_MODULE_ATTRS = frozenset(
    {
        "os",
        "sys",
        "subprocess",
        "builtins",
        "importlib",
        "ctypes",
        "shutil",
        "pathlib",
        "pickle",
        "marshal",
        "socket",
        "tempfile",
        "threading",
        "inspect",
        "platform",
        "gc",
        "runpy",
        "pdb",
        "glob",
        "tarfile",
        "zipfile",
        "mmap",
        "fcntl",
        "pty",
        "asyncio",
        "urllib",
        "http",
        "linecache",
        "operator",
        "copyreg",
        "posix",
        "io",
    }
)
# 3. Ways to start processes, threads or compilers (torch.compile spawns workers and
#    writes caches).
PROCESS_ATTRS = frozenset(
    {
        "multiprocessing",
        "distributed",
        "compile",
        "collect_env",
        "system",
        "popen",
        "spawn",
        "fork",
        # more threads than one would need new tasks, which the child may not create
        "set_num_threads",
        "set_num_interop_threads",
    }
)
# 4. Frames, code objects and tracebacks, reached from generators, coroutines and
#    exceptions: a frame's f_back/f_globals/f_builtins lead out of the quiz namespace into
#    the sandbox's own (where the result channel lives). The guard refuses these objects
#    at run time too, however they were reached.
FRAME_ATTRS = frozenset(
    {
        *("gi_frame", "gi_code", "gi_yieldfrom", "gi_running", "gi_suspended"),
        *("cr_frame", "cr_code", "cr_await", "cr_origin", "cr_running", "cr_suspended"),
        *("ag_frame", "ag_code", "ag_await", "ag_running"),
        *("f_back", "f_globals", "f_locals", "f_builtins", "f_code", "f_trace", "f_lasti"),
        *("tb_frame", "tb_next", "tb_lasti", "tb_lineno", "with_traceback"),
        *("co_code", "co_consts", "co_names", "co_varnames", "co_filename", "co_lines"),
        *("func_globals", "func_code", "im_func", "im_self", "mro"),
    }
)
BANNED_ATTRS = TORCH_IO_ATTRS | HOST_MODULE_ATTRS | PROCESS_ATTRS | FRAME_ATTRS | {"fromregex"}

# Dunders that are allowed as names and attributes: defining and chaining `__init__` is
# how nn.Module subclasses are written, and `__init__` leads nowhere without a second dunder.
ALLOWED_DUNDERS = frozenset({"__init__"})

# `with` is refused except around these autograd context managers, which the autograd cards
# need (`with torch.no_grad(): …`); nothing else a snippet could open is worth the surface.
WITH_ALLOWED_CALLS = frozenset({"no_grad", "enable_grad", "set_grad_enabled", "inference_mode"})

# A string that names a dunder is only useful for string-based attribute lookups
# ("{0.__class__}".format(x), fx get_attr targets…), so it is refused too.
_DUNDER_STRING = re.compile(r"__\w+__")


class Rejected(ValueError):
    """Raised when code fails the policy. `str(exc)` is "rejected: <reason>"."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"rejected: {reason}")
        self.reason = reason


def check_source(code: str, *, mode: Mode) -> None:
    """Check `code` against the allow-list without running it; raise `Rejected` if it fails.

    `mode` is "exec" for setup code and "eval" for a single expression (an answer, or the
    expression a card asks about).
    """
    if len(code) > MAX_SOURCE_CHARS:
        raise Rejected(f"code is too long (over {MAX_SOURCE_CHARS} characters)")
    tree = _parse(code, mode)
    for node in ast.walk(tree):
        _check_node(node)


def quiet_parse(code: str, mode: Mode) -> ast.AST:
    """`ast.parse` without SyntaxWarnings ("invalid decimal literal" for `2x3`…): in the
    UI process they would be printed over the terminal."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        return ast.parse(code, filename="<quiz>", mode=mode)


def _parse(code: str, mode: Mode) -> ast.AST:
    try:
        return quiet_parse(code, mode)
    except SyntaxError as exc:
        if mode == "eval" and _is_statement(code):
            raise Rejected("expected an expression, not a statement") from None
        line = exc.lineno if exc.lineno is not None else 1
        raise Rejected(f"syntax error at line {line}: {exc.msg}") from None
    except ValueError as exc:  # e.g. null bytes in the source
        raise Rejected(f"unreadable code: {exc}") from None
    except (RecursionError, MemoryError):
        raise Rejected("code is nested too deeply") from None


def _is_statement(code: str) -> bool:
    """Whether `code`, refused as an expression, is a valid statement; if that statement
    breaks a rule (`import os`), say which rule rather than "syntax error"."""
    try:
        tree = quiet_parse(code, "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    for node in ast.walk(tree):
        _check_node(node)
    return True


def _check_node(node: ast.AST) -> None:
    for node_type, reason in FORBIDDEN_NODES.items():
        if isinstance(node, node_type):
            raise Rejected(reason)
    if isinstance(node, ast.With):
        _check_with(node)
    elif isinstance(node, ast.Name):
        _check_name(node.id)
    elif isinstance(node, ast.Attribute):
        _check_attribute(node.attr)
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        if _DUNDER_STRING.search(node.value):
            raise Rejected("strings that name dunder attributes are not allowed")
        if (attr := format_field_attr(node.value)) is not None:
            raise Rejected(f"format fields that read .{attr} are not allowed")
    elif isinstance(node, ast.MatchClass) and node.kwd_attrs:
        # `case object(gi_frame=f)` reads an attribute without an ast.Attribute node, and
        # so past both this policy's attribute rules and the runtime guard.
        raise Rejected("class patterns that capture attributes are not allowed")
    else:
        for identifier in _declared_identifiers(node):
            _check_identifier(identifier)


def _check_name(name: str) -> None:
    if name in BANNED_NAMES or name == "__import__":
        raise Rejected(f"{name}() is not allowed")
    _check_identifier(name)


def _check_attribute(attr: str) -> None:
    if attr in BANNED_ATTRS:
        raise Rejected(f"the attribute .{attr} is not allowed (no files, processes or modules)")
    _check_identifier(attr)


def _check_identifier(name: str) -> None:
    # A lone `_` is the usual throwaway loop variable and reaches nothing.
    if name.startswith("_") and name != "_" and name not in ALLOWED_DUNDERS:
        raise Rejected(f"names starting with '_' are not allowed: {name}")


def format_field_attr(template: str) -> str | None:
    """The first refused attribute a str.format template reads (`"{0.gi_frame}"`), if any:
    format fields are string-based attribute lookups."""
    try:
        fields = [f for _, f, spec, _ in string.Formatter().parse(template) for f in (f, spec)]
    except ValueError:
        return None  # not a valid template: .format would refuse it too
    for field in fields:
        if not field:
            continue
        if any(c in field for c in "{}") and (nested := format_field_attr(field)) is not None:
            return nested
        for attr in re.findall(r"\.([^.\[\]{}!:]*)", field):
            if attr in BANNED_ATTRS or (attr.startswith("_") and attr != "_"):
                return str(attr)
    return None


def _check_with(node: ast.With) -> None:
    for item in node.items:
        call = item.context_expr
        func = call.func if isinstance(call, ast.Call) else None
        name = (
            func.attr
            if isinstance(func, ast.Attribute)
            else func.id
            if isinstance(func, ast.Name)
            else None
        )
        if name not in WITH_ALLOWED_CALLS:
            allowed = ", ".join(sorted(WITH_ALLOWED_CALLS))
            raise Rejected(f"with blocks are allowed only for torch.{{{allowed}}}()")


def _declared_identifiers(node: ast.AST) -> list[str]:
    """Identifiers a node declares rather than looks up: defs, parameters, keywords…"""
    if isinstance(node, ast.FunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, ast.keyword):
        return [node.arg] if node.arg is not None else []
    if isinstance(node, ast.ExceptHandler):
        return [node.name] if node.name is not None else []
    if isinstance(node, ast.MatchAs | ast.MatchStar):
        return [node.name] if node.name is not None else []
    if isinstance(node, ast.MatchMapping):
        return [node.rest] if node.rest is not None else []
    if isinstance(node, ast.MatchClass):
        return list(node.kwd_attrs)
    return []
