"""Cards the learner writes straight into the notes.

- A line `front :: back` (the `::` with whitespace on both sides, outside code spans) is a
  recall card; front and back are kept as written.
- `==hidden==` spans make a cloze. Each paragraph with spans is ONE card that hides all of
  its spans at once, so related blanks are recalled together and a paragraph is never
  asked twice in one session.
- A fenced block with info string `quiz` is a predict card: every line but the last is
  setup code, and the last line `? EXPR` names the expression to predict. A block that
  breaks these rules is reported as a `Problem`, never raised.

Everything is read from markdown-it tokens (`journal.note_syntax` finds `::` and `==`):
recall lines and cloze spans from paragraph (inline) tokens, quizzes from fence tokens.
Line numbers are 1-based, for people.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from markdown_it.token import Token

from cards.mdparse import inline_source, start_line, tokens
from journal.note_syntax import MARK_CLOSE, MARK_OPEN, SEPARATOR

BLANK = "[...]"


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


def _recalls(inline: Token) -> Iterator[RecallCard]:
    """A card for each line of the paragraph with a ` :: ` the parser found (so none in
    code spans), split at the first one with text on both sides."""
    content = inline.content
    lines_done: set[int] = set()
    for child in inline.children or ():
        if child.type != SEPARATOR:
            continue
        at: int = child.meta["at"]
        start = content.rfind("\n", 0, at) + 1
        end = content.find("\n", at)
        front = content[start:at].strip()
        back = content[at + 2 : len(content) if end == -1 else end].strip()
        if start in lines_done or not (front and back):
            continue
        lines_done.add(start)
        yield RecallCard(front, back, _human_line(inline, content.count("\n", 0, start)))


def _cloze(inline: Token) -> ClozeCard | None:
    children = inline.children or ()
    if not any(child.type == MARK_OPEN for child in children):
        return None
    front: list[str] = []
    back: list[str] = []
    blanks: list[str] = []
    hidden: list[str] = []
    depth = 0
    for child in children:
        if child.type == MARK_OPEN:
            depth += 1
            continue
        if child.type == MARK_CLOSE:
            depth -= 1
            if depth == 0:
                text = "".join(hidden)
                hidden.clear()
                blanks.append(text.strip())
                front.append(BLANK if text.strip() else text)
            continue
        piece = inline_source(child)
        back.append(piece)
        (hidden if depth else front).append(piece)
    found = tuple(blank for blank in blanks if blank)
    if not found:
        return None
    return ClozeCard("".join(front).strip(), "".join(back).strip(), found, _human_line(inline))


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
