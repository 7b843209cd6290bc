"""The one markdown-it parser studylog uses, and small helpers over its tokens.

CommonMark plus GFM tables and strikethrough: what a GitHub blog renders, and the note
syntax of `journal.note_syntax`. `cards` reads the same tokens, so an entry is parsed
once for its structure and its cards.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from journal.frontmatter import split_toml
from journal.note_syntax import MARK_CLOSE, MARK_OPEN, SEPARATOR, note_syntax

_BREAKS = frozenset({"softbreak", "hardbreak"})

# The only characters at which each inline rule can fire. Everywhere else markdown-it's
# inline parser just copies the character into the pending text, so text without any of
# these parses to exactly one `text` token holding all of it.
_INLINE_TRIGGERS: Final[dict[str, str]] = {
    "text": "",
    "newline": "\n",
    "escape": "\\",
    "backticks": "`",
    "strikethrough": "~",
    "emphasis": "*_",
    "link": "[",
    "image": "!",
    "autolink": "<",
    "html_inline": "<",
    "entity": "&",
}
# Rules that fire only where their character comes twice in a row (`==`, ` :: `).
_DOUBLED_TRIGGERS: Final[dict[str, str]] = {"mark": "=", SEPARATOR: ":"}


def _markup_pattern(parser: MarkdownIt) -> re.Pattern[str]:
    """A pattern that finds any place where one of `parser`'s inline rules could fire.

    Raises KeyError when the parser runs an inline rule neither `_INLINE_TRIGGERS` nor
    `_DOUBLED_TRIGGERS` knows, so enabling a new rule cannot silently skip it."""
    single: set[str] = set()
    doubled: set[str] = set()
    for name in parser.inline.ruler.get_active_rules():
        if name in _DOUBLED_TRIGGERS:
            doubled.update(_DOUBLED_TRIGGERS[name])
        else:
            single.update(_INLINE_TRIGGERS[name])
    chars = re.escape("".join(sorted(single)))
    twice = re.escape("".join(sorted(doubled - single)))
    if not twice:
        return re.compile(f"[{chars}]")
    # One character class keeps re's fast scan (an alternation with "==" would halve its
    # speed); a doubled trigger counts only beside another. A mixed pair such as "=:"
    # is a false alarm, which costs a full inline parse and changes nothing.
    return re.compile(f"[{chars}{twice}](?:(?<![{twice}])|(?<=[{twice}])(?=[{twice}]))")


def _normalize(state: StateCore) -> None:
    """markdown-it's core `normalize` rule (line endings to "\n", NUL to U+FFFD), without
    its regex rewriting every "\n" of the note to itself."""
    src = state.src
    if "\r" in src:
        src = src.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src


def _parse_inline(state: StateCore) -> None:
    """markdown-it's core `inline` rule, minus the inline parser's work on plain text.

    Most lines of a journal are plain prose; building their single text token directly
    gives the same tokens as the full inline rule chain at a fraction of the cost."""
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        if token.content and not _MARKUP.search(token.content):
            token.children.append(Token("text", "", 0, content=token.content))
        else:
            state.md.inline.parse(token.content, state.md, state.env, token.children)


# Front matter (Jekyll's and Hugo's `---` YAML here, Hugo's `+++` TOML in `split_toml`) is
# one token of its own, so it never reads as a heading or a rule of the notes.
_PARSER = (
    MarkdownIt("commonmark")
    .enable(["table", "strikethrough"])
    .use(front_matter_plugin)
    .use(note_syntax)
)
_MARKUP = _markup_pattern(_PARSER)
_PARSER.core.ruler.at("normalize", _normalize)
_PARSER.core.ruler.at("inline", _parse_inline)


_TEXTUAL = frozenset({"text", "code_inline", "html_inline", SEPARATOR})
# Cloze marks stay in the text: to the readers of plain text (spec lines, plan markers,
# topic detection) a cloze paragraph reads as written.
_KEPT_MARKUP = frozenset({MARK_OPEN, MARK_CLOSE})


def tokens(text: str) -> list[Token]:
    """Block-level tokens for `text`, with inline children; front matter, YAML or TOML,
    is the first token."""
    body, toml = split_toml(text)
    parsed = _PARSER.parse(body)
    return [toml, *parsed] if toml else parsed


def plain_text(inline: Token) -> str:
    """The visible text of an inline token: markup dropped (but for `==`), code span
    contents kept, line breaks as newlines."""
    parts: Sequence[Token] = inline.children or ()
    if len(parts) == 1 and parts[0].type == "text":
        return parts[0].content  # plain prose, the common case
    out: list[str] = []
    for child in parts:
        if child.type in _TEXTUAL:
            out.append(child.content)
        elif child.type in _BREAKS:
            out.append("\n")
        elif child.type in _KEPT_MARKUP:
            out.append(child.markup)
    return "".join(out)


def within(block_tokens: Sequence[Token], first: int, last: int) -> list[Token]:
    """The tokens of the source lines `first` to `last` (exclusive): a section's body."""
    out: list[Token] = []
    inside = False
    for token in block_tokens:
        if token.map is not None and token.level == 0 and token.nesting >= 0:
            inside = first <= token.map[0] < last
        if inside:
            out.append(token)
    return out
