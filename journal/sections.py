"""Splitting an entry into titled sections: `<details>` blocks and `#` headings.

Only block-level tokens are inspected. `<details>`, `<summary>` and `<div>` tags arrive as
`html_block` tokens; each one is read with the standard library's HTML tokenizer, never with
patterns over the document. Section bodies are sliced from the original lines, so they are
exactly what the learner wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from html.parser import HTMLParser

from markdown_it.token import Token

from journal.errors import EntryError
from journal.model import Role, Section
from journal.vocabulary import Vocabulary


class _TagReader(HTMLParser):
    """Collects the details/summary/div events of one html_block, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, str]] = []
        self._in_summary = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "details":
            self.events.append(("open", ""))
        elif tag == "summary":
            self._in_summary = True
            self.events.append(("summary", ""))
        elif tag == "div":
            self.events.append(("div", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "details":
            self.events.append(("close", ""))
        elif tag == "summary":
            self._in_summary = False
        elif tag == "div":
            self.events.append(("/div", ""))

    def handle_data(self, data: str) -> None:
        if self._in_summary and self.events and self.events[-1][0] == "summary":
            self.events[-1] = ("summary", self.events[-1][1] + data)


# Entries repeat the same few tag lines day after day (`<details>`, `<summary>리뷰</summary>`),
# so each distinct html block is read once.
@lru_cache(maxsize=1024)
def _tag_events(html: str) -> tuple[tuple[str, str], ...]:
    reader = _TagReader()
    try:
        reader.feed(html)
        reader.close()
    except AssertionError:
        pass  # Python 3.11's HTMLParser asserts on some `<![` runs; keep what it read
    return tuple(reader.events)


@dataclass
class _Open:
    """A section whose end has not been seen yet."""

    details: bool
    level: int
    title: str
    start: int
    children: list[Section] = field(default_factory=list)


# Real entries nest a few levels deep. Past this, each section's body (a slice of the
# document) would make the tree's size grow with the square of the depth, and the
# recursive walks over it would exhaust the stack, so deeper nesting is refused.
MAX_DEPTH = 100


class _Builder:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.stack: list[_Open] = []
        self.top: list[Section] = []

    def open(self, section: _Open) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise EntryError(f"line {section.start}: sections nested more than {MAX_DEPTH} deep")
        self.stack.append(section)

    def close_top(self, end: int) -> None:
        done = self.stack.pop()
        end = max(done.start, end)
        body = "".join(self.lines[done.start : end])
        # Roles are given once the whole tree is known (`_with_roles`).
        section = Section(
            done.title.strip(), Role.OTHER, body, tuple(done.children), (done.start, end)
        )
        (self.stack[-1].children if self.stack else self.top).append(section)

    def close_headings(self, end: int, min_level: int) -> None:
        """Close open heading sections of `min_level` or deeper, up to the nearest details."""
        while self.stack and not self.stack[-1].details and self.stack[-1].level >= min_level:
            self.close_top(end)

    def close_details(self, end: int) -> None:
        if not any(o.details for o in self.stack):
            return  # a stray </details>: nothing to close
        self.close_headings(end, 1)
        self.close_top(end)

    def html(
        self, events: tuple[tuple[str, str], ...], first: int, last: int, div_close_at: int | None
    ) -> None:
        for event, text in events:
            if event == "open":
                self.open(_Open(details=True, level=0, title="", start=last))
            elif event == "summary" and self.stack and self.stack[-1].details:
                self.stack[-1].title += text
            elif event == "div" and self.stack and self.stack[-1].start == first:
                self.stack[-1].start = last  # a <div markdown="1"> on its own is no content
            elif event == "close":
                self.close_details(div_close_at if div_close_at is not None else first)


def split_sections(block_tokens: list[Token], text: str, vocabulary: Vocabulary) -> list[Section]:
    """The top-level sections of a document, each with its nested sections."""
    lines = text.splitlines(keepends=True)
    builder = _Builder(lines)
    div_close_at: int | None = None
    for index, token in enumerate(block_tokens):
        if token.level != 0 or token.map is None or token.nesting == -1:
            continue
        first, last = token.map
        if token.type == "html_block":
            events = _tag_events(token.content)
            builder.html(events, first, last, div_close_at)
            only_div_closes = bool(events) and all(event == "/div" for event, _ in events)
            div_close_at = first if only_div_closes else None
            continue
        div_close_at = None
        if token.type == "heading_open":
            level = int(token.tag[1:])
            title = block_tokens[index + 1].content
            builder.close_headings(first, level)
            builder.open(_Open(details=False, level=level, title=title, start=last))
    while builder.stack:
        builder.close_top(len(lines))
    return _with_roles(builder.top, vocabulary)


def _names_a_role(sections: Sequence[Section], vocabulary: Vocabulary) -> bool:
    """Whether any of these sections, or of theirs, is titled by a role alias."""
    return any(
        vocabulary.named_role(s.title) is not Role.OTHER or _names_a_role(s.children, vocabulary)
        for s in sections
    )


def _with_roles(sections: Sequence[Section], vocabulary: Vocabulary) -> list[Section]:
    """The sections with their roles, given top-down.

    A section titled by a role alias takes that role, and its subsections take none (a
    lecture's notes inside the content section are just notes). A title that names a
    role only by a word in it ("다음 계획") does the same, unless an alias-titled section
    lies inside it: then it is a wrapper, like `# 2022-02-08 학습 계획` over the whole
    template, and the sections inside it are read for their roles instead.
    """
    out: list[Section] = []
    for section in sections:
        role = vocabulary.named_role(section.title)
        if role is Role.OTHER and not _names_a_role(section.children, vocabulary):
            role = vocabulary.worded_role(section.title)
        if role is Role.OTHER:
            section = replace(section, children=tuple(_with_roles(section.children, vocabulary)))
        else:
            section = replace(section, role=role)
        out.append(section)
    return out
