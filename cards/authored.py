"""Cards the learner writes straight into the notes.

- A line `front :: back` (the `::` with whitespace on both sides, outside code spans) is a
  recall card.
- `==hidden==` spans make a cloze. Each paragraph with spans is ONE card that hides all of
  its spans at once, so related blanks are recalled together and a paragraph is never
  asked twice in one session.
- A fenced block with info string `quiz` is a predict card: every line but the last is
  setup code, and the last line `? EXPR` names the expression to predict. A block that
  breaks these rules is reported as a `Problem`, never raised.

Everything is read from markdown-it tokens: recall lines and cloze spans from paragraph
(inline) tokens, quizzes from fence tokens. Line numbers are 1-based, for people.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from cards.mdparse import inline_source, start_line, tokens

BLANK = "[...]"
_MARK = "=="


@dataclass(frozen=True)
class RecallCard:
    """`front :: back`, as written (markdown kept)."""

    front: str
    back: str
    line: int | None = None


@dataclass(frozen=True)
class ClozeCard:
    """A paragraph with hidden spans: `front` shows each as "[...]", `back` the full text,
    `blanks` the hidden texts in order."""

    front: str
    back: str
    blanks: tuple[str, ...]
    line: int | None = None


@dataclass(frozen=True)
class QuizCard:
    """A `quiz` block: run `code`, then predict the value of `expr`."""

    code: str
    expr: str
    line: int | None = None


AuthoredCard = RecallCard | ClozeCard | QuizCard


@dataclass(frozen=True)
class Problem:
    """A written-in card that could not be read, and why."""

    line: int | None
    message: str


@dataclass(frozen=True)
class Authored:
    """What `read_authored` found: the cards in document order, and the problems."""

    cards: tuple[AuthoredCard, ...] = ()
    problems: tuple[Problem, ...] = ()


def _human_line(token: Token, offset: int = 0) -> int | None:
    first = start_line(token)
    return None if first is None else first + offset + 1


def _code_span_mask(line: str) -> list[bool]:
    """For each character of `line`, whether it sits inside a backtick code span."""
    mask = [False] * len(line)
    i, opener = 0, 0
    while i < len(line):
        if line[i] != "`":
            mask[i] = opener > 0
            i += 1
            continue
        run = len(line[i:]) - len(line[i:].lstrip("`"))
        if opener == 0:
            opener = run
        elif run == opener:
            opener = 0
        for k in range(i, i + run):
            mask[k] = True
        i += run
    return mask


def split_recall(line: str) -> tuple[str, str] | None:
    """(front, back) when `line` is `front :: back`, else None."""
    if "::" not in line:
        return None  # most lines; spares building the code span mask
    mask = _code_span_mask(line)
    start = 0
    while (at := line.find("::", start)) != -1:
        start = at + 2
        before, after = line[at - 1 : at], line[at + 2 : at + 3]
        if mask[at] or not before.isspace() or not after.isspace():
            continue
        front, back = line[:at].strip(), line[at + 2 :].strip()
        if front and back:
            return front, back
    return None


def _recalls(inline: Token) -> Iterator[RecallCard]:
    if "::" not in inline.content:
        return  # no line of this paragraph can be a recall card
    for offset, line in enumerate(inline.content.split("\n")):
        pair = split_recall(line)
        if pair is not None:
            yield RecallCard(pair[0], pair[1], _human_line(inline, offset))


def _segments(children: Sequence[Token]) -> list[tuple[bool, str]]:
    """The paragraph as (hidden, text) runs; `==` toggles hidden only inside text tokens,
    so code spans keep their `==` operators."""
    runs: list[tuple[bool, str]] = [(False, "")]
    for child in children:
        if child.type != "text":
            hidden, text = runs[-1]
            runs[-1] = (hidden, text + inline_source(child))
            continue
        for k, piece in enumerate(child.content.split(_MARK)):
            if k:
                runs.append((not runs[-1][0], ""))
            hidden, text = runs[-1]
            runs[-1] = (hidden, text + piece)
    if runs[-1][0]:
        # An unclosed `==` is literal text.
        _, tail = runs.pop()
        hidden, text = runs[-1]
        runs[-1] = (hidden, text + _MARK + tail)
    return runs


def _cloze(inline: Token) -> ClozeCard | None:
    children = inline.children or ()
    if not any(child.type == "text" and _MARK in child.content for child in children):
        return None  # no `==` that could hide anything (it counts only in text tokens)
    runs = _segments(children)
    blanks = tuple(text.strip() for hidden, text in runs if hidden and text.strip())
    if not blanks:
        return None
    front = "".join(BLANK if hidden and text.strip() else text for hidden, text in runs)
    back = "".join(text for _, text in runs)
    return ClozeCard(front.strip(), back.strip(), blanks, _human_line(inline))


def is_quiz(token: Token) -> bool:
    """Whether a block token is a fenced `quiz` block."""
    if token.type != "fence":
        return False  # most tokens; spares splitting their (empty) info string
    info = token.info.split()
    return bool(info) and info[0].lower() == "quiz"


def _syntax_error(source: str, mode: str) -> str | None:
    try:
        ast.parse(source, mode=mode)
    except SyntaxError as err:
        return err.msg
    return None


def read_quiz(token: Token) -> QuizCard | Problem:
    """The predict card in a `quiz` fence, or the reason it cannot be one."""
    line = _human_line(token)
    lines = token.content.rstrip().split("\n")
    last = lines[-1].strip()
    if not last.startswith("?"):
        return Problem(
            line, "quiz block: the last line must be `? EXPR`, the expression to predict"
        )
    expr = last[1:].strip()
    code = "\n".join(text.rstrip() for text in lines[:-1]).strip("\n")
    if not expr:
        return Problem(line, "quiz block: the `?` line names no expression")
    if any(text.lstrip().startswith("?") for text in lines[:-1]):
        return Problem(line, "quiz block: only the last line may start with `?`")
    if (why := _syntax_error(code, "exec")) is not None:
        return Problem(line, f"quiz block: setup code does not parse ({why})")
    if (why := _syntax_error(expr, "eval")) is not None:
        return Problem(line, f"quiz block: `{expr}` is not an expression ({why})")
    return QuizCard(code, expr, line)


def read_authored(markdown: str) -> Authored:
    """Every card written into `markdown`, in document order, and what could not be read."""
    return authored_in(tokens(markdown))


def authored_in(block_tokens: Iterable[Token]) -> Authored:
    """`read_authored` for markdown already parsed with `cards.mdparse.tokens`."""
    cards: list[AuthoredCard] = []
    problems: list[Problem] = []
    for token in block_tokens:
        if token.type == "inline":
            cards.extend(_recalls(token))
            cloze = _cloze(token)
            if cloze is not None:
                cards.append(cloze)
        elif is_quiz(token):
            found = read_quiz(token)
            if isinstance(found, Problem):
                problems.append(found)
            else:
                cards.append(found)
    return Authored(tuple(cards), tuple(problems))
