"""The markdown-it parser `cards` reads notes with, and a flat view of a note's text.

The settings match the journal's parser (CommonMark, GFM tables and strikethrough), so
both packages see the same blocks in the same entry.

Parse a note once with `tokens` and hand the tokens to every reader (`chunks_in` here,
`cards.authored.authored_in`): parsing is the most expensive step of deriving a deck.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Final

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

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


def _markup_pattern(parser: MarkdownIt) -> re.Pattern[str]:
    """A pattern that finds any character where one of `parser`'s inline rules could fire.

    Raises KeyError when the parser runs an inline rule `_INLINE_TRIGGERS` does not know,
    so enabling a new rule cannot silently skip it."""
    names = parser.inline.ruler.get_active_rules()
    triggers = "".join(_INLINE_TRIGGERS[name] for name in names)
    return re.compile(f"[{re.escape(triggers)}]")


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


_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_MARKUP = _markup_pattern(_PARSER)
_PARSER.core.ruler.at("normalize", _normalize)
_PARSER.core.ruler.at("inline", _parse_inline)


@dataclass(frozen=True)
class Chunk:
    """One run of note text: a paragraph's or heading's text, an inline code span, a code
    block, or the visible text of an HTML block (e.g. a `<summary>` title).

    `code` tells code (spans, fenced and indented blocks) from prose. `line` is the
    0-based source line where the chunk's block starts, when markdown-it knows it.
    """

    text: str
    code: bool
    line: int | None = None


def tokens(markdown: str) -> list[Token]:
    """Block-level tokens for `markdown`, with inline children."""
    return _PARSER.parse(markdown)


def start_line(token: Token) -> int | None:
    """The 0-based line a block token starts on, if known."""
    return token.map[0] if token.map else None


def inline_source(child: Token) -> str:
    """Markdown-ish text for one inline child: code keeps its backticks, links keep their
    text, emphasis keeps its markers; breaks become newlines."""
    if child.type in _BREAKS:
        return "\n"
    if child.type == "code_inline":
        return f"{child.markup}{child.content}{child.markup}"
    if child.type in ("text", "html_inline", "image"):
        return child.content
    if child.type.startswith(("link_", "image")):
        return ""
    return child.markup


def inline_text(inline: Token) -> str:
    """The visible text of an inline token, code span contents included, breaks as newlines."""
    parts: Sequence[Token] = inline.children or ()
    if len(parts) == 1 and parts[0].type == "text":
        return parts[0].content  # plain prose, the common case
    return "".join(
        "\n" if c.type in _BREAKS else c.content
        for c in parts
        if c.type in _BREAKS or c.type in ("text", "code_inline", "html_inline")
    )


class _TextOnly(HTMLParser):
    """Keeps the character data of an HTML fragment, dropping tags and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


# Elements whose content HTMLParser reads as ordinary text, unlike <script>, <style>,
# <title> or <textarea>.
_PLAIN_ELEMENTS: Final = "details|summary|div|span|p|br|b|i|u|em|strong|sub|sup|center"
_SPACE: Final = "[ \t\n\r\f]"
# A start tag with double-quoted attributes, or an end tag, of one of those elements.
_SIMPLE_TAG: Final = re.compile(
    rf"<(?:{_PLAIN_ELEMENTS})(?:{_SPACE}+[a-zA-Z_:][-a-zA-Z0-9_:.]*"
    rf'(?:{_SPACE}*={_SPACE}*"[^"<>&]*")?)*{_SPACE}*/?>'
    rf"|</(?:{_PLAIN_ELEMENTS}){_SPACE}*>"
)


def _simple_html_data(html: str) -> list[str] | None:
    """The character data of a fragment made only of simple tags (`_SIMPLE_TAG`) and text
    without "<" or "&", else None.

    HTMLParser hands such text runs over unchanged, one run between two tags, so splitting
    at the tags gives the same data without HTMLParser's per-character cost. Journal
    entries are full of these (`<details>`, `<summary>title</summary>`, `</div>`)."""
    data = _SIMPLE_TAG.split(html)
    if any("<" in part or "&" in part for part in data):
        return None
    return data


def html_text(html: str) -> str:
    """The visible text of an HTML fragment (tags dropped)."""
    parts = _simple_html_data(html)
    if parts is None:
        reader = _TextOnly()
        try:
            reader.feed(html)
            reader.close()
        except AssertionError:
            pass  # Python 3.11's HTMLParser asserts on some `<![` runs; keep what it read
        parts = reader.parts
    return " ".join(part.strip() for part in parts if part.strip())


def chunks_in(block_tokens: Iterable[Token]) -> Iterator[Chunk]:
    """Every run of text in some parsed markdown (`tokens`), prose and code told apart, in
    document order."""
    for token in block_tokens:
        line = start_line(token)
        if token.type == "inline":
            yield Chunk(inline_text(token), code=False, line=line)
            for child in token.children or ():
                if child.type == "code_inline":
                    yield Chunk(child.content, code=True, line=line)
        elif token.type in ("fence", "code_block"):
            yield Chunk(token.content, code=True, line=line)
        elif token.type == "html_block":
            text = html_text(token.content)
            if text:
                yield Chunk(text, code=False, line=line)


def chunks(markdown: str) -> Iterator[Chunk]:
    """Every run of text in `markdown`, prose and code told apart, in document order."""
    yield from chunks_in(tokens(markdown))
