"""The syntax studylog reads beyond CommonMark, as markdown-it rules: `==marked==` spans,
the ` :: ` of a `front :: back` line, and the `[ ]`/`[x]` box of a task list item.

Each is found by the parser, so code spans, escapes, HTML and autolinks hide them exactly
as markdown-it hides any other markup, and readers take them from the tokens.

mdit-py-plugins has no `==mark==` plugin. Its `tasklists` plugin is not used: it cuts the
box out of the item's text and records the checked state only inside the `<input>` HTML
it inserts, while the text of an item (a card front, a plan) is kept as written and its
state is wanted as a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter
from markdown_it.token import Token

MARK_OPEN: Final = "mark_open"
MARK_CLOSE: Final = "mark_close"
SEPARATOR: Final = "recall_separator"
_EQUALS: Final = "="
_BOX: Final = re.compile(r"\[([ xX])\]\s+")
_TASK_META: Final = "task_box"


@dataclass(frozen=True)
class TaskBox:
    """The box a task list item starts with: ticked or not, and where its text begins in
    the item's inline content."""

    checked: bool
    text_start: int


def _mark(state: StateInline, silent: bool) -> bool:
    """Each `==` of a run of `=` becomes a text token and a delimiter, paired later by
    markdown-it's `balance_pairs` under the same flanking rules as `~~`."""
    if silent or state.src[state.pos] != _EQUALS:
        return False  # delimiters cannot be paired inside a link label's lookahead
    scanned = state.scanDelims(state.pos, True)
    if scanned.length < 2:
        return False
    # The odd `=` of a run stays text on the outer side of the span it opens or closes.
    lone_first = scanned.can_open or not scanned.can_close
    if scanned.length % 2 and lone_first:
        state.push("text", "", 0).content = _EQUALS
    for _ in range(scanned.length // 2):
        state.push("text", "", 0).content = _EQUALS * 2
        state.delimiters.append(
            Delimiter(
                marker=ord(_EQUALS),
                length=0,  # no "rule of 3": that is for `*` and `_` only
                token=len(state.tokens) - 1,
                end=-1,
                open=scanned.can_open,
                close=scanned.can_close,
            )
        )
    if scanned.length % 2 and not lone_first:
        state.push("text", "", 0).content = _EQUALS
    state.pos += scanned.length
    return True


def _retag(token: Token, opening: bool) -> None:
    token.type, token.nesting = (MARK_OPEN, 1) if opening else (MARK_CLOSE, -1)
    token.tag, token.markup, token.content = "mark", _EQUALS * 2, ""


def _pair_marks(state: StateInline) -> None:
    """Turn the `==` delimiters `balance_pairs` matched into mark_open/mark_close tokens;
    unmatched ones stay text."""
    nested = (meta["delimiters"] for meta in state.tokens_meta if meta and "delimiters" in meta)
    for delimiters in (state.delimiters, *nested):
        for opener in delimiters:
            if opener.marker == ord(_EQUALS) and opener.end != -1:
                _retag(state.tokens[opener.token], opening=True)
                _retag(state.tokens[delimiters[opener.end].token], opening=False)


def _inline_space(char: str) -> bool:
    return char.isspace() and char != "\n"


def _separator(state: StateInline, silent: bool) -> bool:
    """` :: `, with whitespace on both sides on the same line, as its own token; its
    `meta["at"]` is its offset in the inline content."""
    src, at = state.src, state.pos
    if not src.startswith("::", at) or at == 0:
        return False
    if not (_inline_space(src[at - 1]) and _inline_space(src[at + 2 : at + 3] or "\n")):
        return False
    if not silent:
        token = state.push(SEPARATOR, "", 0)
        token.markup = token.content = "::"
        token.meta = {"at": at}
    state.pos += 2
    return True


def _task_boxes(state: StateCore) -> None:
    """Note a `TaskBox` on the inline token of each list item that starts with `[ ]`,
    `[x]` or `[X]` and whitespace (GitHub's task list items)."""
    tokens = state.tokens
    for index, item in enumerate(tokens[:-2]):
        if item.type != "list_item_open" or tokens[index + 1].type != "paragraph_open":
            continue  # most tokens; spares the match below
        inline = tokens[index + 2]
        if box := _BOX.match(inline.content):
            inline.meta[_TASK_META] = TaskBox(box.group(1) != " ", box.end())


def task_box(inline: Token) -> TaskBox | None:
    """The task box the inline token of a list item starts with, if any."""
    box = inline.meta.get(_TASK_META)
    return box if isinstance(box, TaskBox) else None


def note_syntax(md: MarkdownIt) -> None:
    """Register the rules on `md` (a markdown-it plugin)."""
    md.inline.ruler.after("strikethrough", "mark", _mark)
    md.inline.ruler2.after("strikethrough", "mark", _pair_marks)
    md.inline.ruler.after("mark", SEPARATOR, _separator)
    md.core.ruler.after("block", "task_boxes", _task_boxes)
