"""Claims in a learner's code: the outputs they wrote down beside their code.

A claim is a `# comment` after a top-level `print(...)` or expression
(`print(a.t().is_contiguous())  # True`), or the printed lines after a `>>>` statement
in a REPL transcript. `claim_blocks` turns each Python code block of a note into a
`ClaimBlock`: code the sandbox can run, in which every claimed expression is captured as
text at the point where it stood, and the claims to compare with what it captured.
`agrees` compares a claim with torch's text, tolerant of spacing, `tensor(...)` wrapping
and float printing, never of another value or shape.

Pure: no sandbox, no torch; the service layer runs the blocks.
"""

from __future__ import annotations

import ast
import io
import math
import re
import tokenize
from dataclasses import dataclass

from cards.mdparse import start_line, tokens

PYTHON_INFOS = frozenset({"", "python", "py", "python3", "pycon", "ipython", "pytorch"})
# Imports a note makes that the sandbox already provides under the same names.
PROVIDED_IMPORTS = frozenset(
    {
        ("torch", None),
        ("torch.nn", "nn"),
        ("torch.nn.functional", "F"),
        ("numpy", "np"),
        ("math", None),
    }
)
RANDOM_CALLS = frozenset(
    {
        "rand",
        "randn",
        "randint",
        "rand_like",
        "randn_like",
        "randint_like",
        "randperm",
        "normal",
        "normal_",
        "uniform_",
        "bernoulli",
        "multinomial",
        "random_",
        "dropout",
        "Dropout",
        "shuffle",
        "permutation",
    }
)
SEED_CALLS = frozenset({"manual_seed", "seed"})
CAPTURE_PREFIX = "studylog_claim_"
# What a remembered output looks like, as opposed to a prose comment ("# make zeros").
_VALUE_START = re.compile(
    r"""(tensor\(|torch\.|True\b|False\b|None\b|[-+]?\.?\d|\[|\(|'|"|[A-Z]\w*(Error|Exception)\b|nan\b|inf\b)"""
)
# "-> x", "output: x", "rank: 1", "shape -> torch.Size([7])", "출력: x"
_OUTPUT_PREFIX = re.compile(r"^([\w .]*?\s*(:|->|=>|→)|->|=>|→)\s*")
_ERROR_NAME = re.compile(r"^[A-Z]\w*(Error|Exception)\b")
_TOKEN = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|\w+|\S")
_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
# Keyword arguments torch prints inside tensor(...) that say nothing about the values.
_QUIET_KWARGS = re.compile(r",(requires_grad=True|grad_fn=<\w+>|device='[\w:]+')")
_DTYPE_KWARG = re.compile(r",dtype=(torch\.\w+)")


@dataclass(frozen=True)
class Claim:
    """One remembered output: `expr` at markdown `line` (1-based) is said to show
    `claimed`; `capture` names the variable the block's code stores torch's text in;
    `setup` is the block's code before it, and `asked` the expression a card asks about
    (print's one argument; None for a print of several)."""

    line: int
    expr: str
    claimed: str
    capture: str
    setup: str = ""
    asked: str | None = None


@dataclass(frozen=True)
class ClaimBlock:
    """A code block with claims. `code` runs them (captures included); `not_runnable`
    says why it cannot run at all; `random` whether it draws unseeded random numbers;
    `plain` is the block's own code, without the captures and claims."""

    line: int
    code: str
    claims: tuple[Claim, ...]
    not_runnable: str | None = None
    random: bool = False
    plain: str = ""


@dataclass(frozen=True)
class _Source:
    """A block's Python lines and, for each, its 1-based markdown line; REPL output
    lines are kept apart, keyed by the index of the statement line they follow."""

    lines: tuple[str, ...]
    origins: tuple[int, ...]
    outputs: dict[int, list[str]]


def claim_blocks(markdown: str) -> list[ClaimBlock]:
    """Every Python code block in `markdown` that holds at least one claim, in order."""
    blocks: list[ClaimBlock] = []
    counter = 0
    for token in tokens(markdown):
        if token.type not in ("fence", "code_block"):
            continue
        info = token.info.strip().split(maxsplit=1)[0].lower() if token.info.strip() else ""
        first = start_line(token)
        if info not in PYTHON_INFOS or first is None:
            continue
        offset = first + (2 if token.type == "fence" else 1)
        block = _block(_source(token.content, offset), counter)
        if block is not None and block.claims:
            blocks.append(block)
            counter += len(block.claims)
    return blocks


def _source(content: str, offset: int) -> _Source:
    raw = content.splitlines()
    if not any(line.startswith(">>>") for line in raw):
        return _Source(tuple(raw), tuple(offset + i for i in range(len(raw))), {})
    lines: list[str] = []
    origins: list[int] = []
    outputs: dict[int, list[str]] = {}
    statement = -1
    for i, line in enumerate(raw):
        if line.startswith((">>>", "...")):
            if line.startswith(">>>"):
                statement = len(lines)
            lines.append(line[4:] if line[3:4] == " " else line[3:])
            origins.append(offset + i)
        elif line.strip() and statement >= 0:
            outputs.setdefault(statement, []).append(line.rstrip())
    return _Source(tuple(lines), tuple(origins), outputs)


def _comments(code: str) -> tuple[dict[int, str], dict[int, str]]:
    """Trailing comments and comment-only lines, by 1-based line of `code`."""
    trailing: dict[int, str] = {}
    alone: dict[int, str] = {}
    previous_line = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            if tok.type == tokenize.COMMENT:
                row = tok.start[0]
                (trailing if previous_line == row else alone)[row] = tok.string[1:].strip()
            elif tok.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
                previous_line = tok.end[0]
    except (tokenize.TokenError, SyntaxError):
        pass
    return trailing, alone


def _claimed_text(first: str, row: int, alone: dict[int, str]) -> str | None:
    text = first if _VALUE_START.match(first) else _OUTPUT_PREFIX.sub("", first, count=1).strip()
    if not _VALUE_START.match(text):
        return None
    parts = [text]
    while _open_brackets("\n".join(parts)) > 0 and (row + 1) in alone:
        row += 1
        parts.append(alone[row])
    return "\n".join(parts)


def _open_brackets(text: str) -> int:
    return sum(text.count(c) for c in "([{") - sum(text.count(c) for c in ")]}")


def _block(source: _Source, counter: int) -> ClaimBlock | None:
    code = "\n".join(source.lines) + "\n"
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    trailing, alone = _comments(code)
    out: list[str] = []
    plain: list[str] = []
    claims: list[Claim] = []
    not_runnable: str | None = None
    for stmt in tree.body:
        first, last = stmt.lineno, stmt.end_lineno or stmt.lineno
        text = "\n".join(source.lines[first - 1 : last])
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            missing = _unprovided(stmt)
            if missing and not_runnable is None:
                not_runnable = f"needs {missing}, which the sandbox does not have"
            continue
        claimed = _claim_for(stmt, first, last, source, trailing, alone)
        if claimed is None or not isinstance(stmt, ast.Expr):
            out.append(text)
            plain.append(text)
            continue
        capture = f"{CAPTURE_PREFIX}{counter + len(claims)}"
        expr_text = ast.get_source_segment(code, stmt.value) or text
        setup = "\n".join(plain)
        asked = _asked(stmt.value, code)
        claims.append(Claim(source.origins[first - 1], expr_text, claimed, capture, setup, asked))
        out.append(_capturing(capture, _shown(stmt.value, code)))
        plain.append(ast.get_source_segment(code, stmt, padded=True) or text)
    return ClaimBlock(
        line=source.origins[0] if source.origins else 0,
        code="\n".join(out) + "\n",
        claims=tuple(claims),
        not_runnable=not_runnable,
        random=_unseeded_random(tree),
        plain="\n".join(plain) + "\n",
    )


def _claim_for(
    stmt: ast.stmt,
    first: int,
    last: int,
    source: _Source,
    trailing: dict[int, str],
    alone: dict[int, str],
) -> str | None:
    if first - 1 in source.outputs:
        return "\n".join(source.outputs[first - 1])
    comment = trailing.get(last) or trailing.get(first)
    if comment is None:
        return None
    return _claimed_text(comment, last, alone)


def _unprovided(stmt: ast.Import | ast.ImportFrom) -> str | None:
    if isinstance(stmt, ast.ImportFrom):
        names = [f"{stmt.module}.{alias.name}" for alias in stmt.names]
        provided = stmt.module == "torch" and all(a.name in ("nn",) for a in stmt.names)
        return None if provided else ", ".join(names)
    for alias in stmt.names:
        if (alias.name, alias.asname) not in PROVIDED_IMPORTS:
            return alias.name
    return None


def _is_print(value: ast.expr) -> bool:
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "print"
    )


def _asked(value: ast.expr, code: str) -> str | None:
    if not _is_print(value):
        return ast.get_source_segment(code, value)
    assert isinstance(value, ast.Call)
    if len(value.args) != 1 or value.keywords:
        return None
    return ast.get_source_segment(code, value.args[0])


def _shown(value: ast.expr, code: str) -> str:
    """The expression for the text a claim is about: what print() writes, or the repr
    a REPL shows."""
    if isinstance(value, ast.Call) and _is_print(value):
        parts = [f"str({ast.get_source_segment(code, arg)})" for arg in value.args]
        return "' '.join([" + ", ".join(parts) + "])"
    return f"repr({ast.get_source_segment(code, value)})"


def _capturing(name: str, shown: str) -> str:
    return (
        f"try:\n    {name} = {shown}\n"
        f"except Exception as studylog_error:\n"
        f"    {name} = repr(studylog_error)"
    )


def _unseeded_random(tree: ast.Module) -> bool:
    """Whether the block draws random numbers before (or without) seeding."""
    calls = sorted(
        (node.lineno, node.col_offset, _called_name(node.func))
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    )
    for _, _, name in calls:
        if name in SEED_CALLS:
            return False
        if name in RANDOM_CALLS:
            return True
    return False


def _called_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def agrees(claimed: str, actual: str) -> bool:
    """Whether torch's `actual` text shows what `claimed` says."""
    error = _ERROR_NAME.match(claimed.strip())
    if error:
        return actual.startswith(error.group(0))
    claim_tokens, claim_dtype = _canonical(claimed)
    actual_tokens, actual_dtype = _canonical(actual)
    if claim_dtype and actual_dtype and claim_dtype != actual_dtype:
        return False
    if _same(claim_tokens, actual_tokens):
        return True
    # `3.` for `tensor([3.])`, `2, 3` for `[2, 3]`: brackets left out altogether.
    for longer, shorter in ((claim_tokens, actual_tokens), (actual_tokens, claim_tokens)):
        bare = "[" not in shorter and longer[:1] == ["["] and longer[-1:] == ["]"]
        if bare and _same(longer[1:-1], shorter):
            return True
    return False


def _canonical(text: str) -> tuple[list[str], str | None]:
    flat = "".join(text.split())
    flat = _QUIET_KWARGS.sub("", flat)
    dtype_match = _DTYPE_KWARG.search(flat)
    flat = _DTYPE_KWARG.sub("", flat)
    words = [t for t in _TOKEN.findall(flat) if t not in ("(", ")")]
    cleaned: list[str] = []
    for i, word in enumerate(words):
        if word in ("tensor", "Size", "torch") or (word == "." and words[i - 1] == "torch"):
            continue
        cleaned.append(word)
    return cleaned, dtype_match.group(1) if dtype_match else None


def _same(left: list[str], right: list[str]) -> bool:
    if len(left) != len(right):
        return False
    return all(_same_token(a, b) for a, b in zip(left, right, strict=True))


def _same_token(a: str, b: str) -> bool:
    if a == b:
        return True
    if not (_NUMBER.fullmatch(a) and _NUMBER.fullmatch(b)):
        return False
    x, y = float(a), float(b)
    places = min(_decimals(a), _decimals(b))
    tolerance = 0.5 * 10.0**-places * 1.001 if places else 0.0
    return math.isclose(x, y, rel_tol=1e-3) or abs(x - y) <= tolerance


def _decimals(number: str) -> int:
    mantissa = number.lower().split("e")[0]
    return len(mantissa.split(".")[1]) if "." in mantissa else 0
