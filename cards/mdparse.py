"""The markdown-it parser `cards` reads notes with, and a flat view of a note's text.

The parser is the journal's own (`journal.markdown`), so both packages see the same
blocks in the same entry, and an entry parsed once serves both.

Parse a note once with `tokens` and hand the tokens to every reader (`chunks_in` here,
`cards.authored.authored_in`): parsing is the most expensive step of deriving a deck.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Final

from markdown_it.token import Token

from journal.markdown import plain_text
from journal.markdown import tokens as journal_tokens

_BREAKS = frozenset({"softbreak", "hardbreak"})


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
    """Block-level tokens for `markdown`, with inline children (the journal's parser)."""
    return journal_tokens(markdown)


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
            yield Chunk(plain_text(token), code=False, line=line)
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
