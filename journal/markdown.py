"""The one markdown-it parser the journal uses, and small helpers over its tokens."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

# CommonMark plus GFM tables and strikethrough: what a GitHub blog renders.
_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# Splitting sections needs only the block structure; skipping inline parsing of every
# paragraph makes that pass about a third faster.
_BLOCKS = MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("inline")

_BREAKS = frozenset({"softbreak", "hardbreak"})
_TEXTUAL = frozenset({"text", "code_inline", "html_inline"})


def tokens(text: str) -> list[Token]:
    """Block-level tokens for `text`, with inline children."""
    return _PARSER.parse(text)


def blocks(text: str) -> list[Token]:
    """Block-level tokens only: inline tokens keep their source text but have no children."""
    return _BLOCKS.parse(text)


def plain_text(inline: Token) -> str:
    """The visible text of an inline token: markup dropped, line breaks kept as newlines."""
    parts: Sequence[Token] = inline.children or ()
    return "".join(
        "\n" if child.type in _BREAKS else child.content
        for child in parts
        if child.type in _TEXTUAL or child.type in _BREAKS
    )
