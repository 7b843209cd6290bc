"""The parser's shortcuts give what markdown-it and HTMLParser themselves give."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from cards.mdparse import chunks, html_text, tokens
from journal.markdown import _markup_pattern
from journal.note_syntax import note_syntax

DATA = Path(__file__).parent.parent / "data"
# The parser `cards.mdparse` is configured like, without its plain-text shortcut.
STOCK = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(note_syntax)

# Pieces of prose, markup and HTML, so generated notes hit both the shortcut and the full
# inline parser, and both the simple-HTML path and HTMLParser.
_PIECES = st.sampled_from(
    [
        "tensor",
        "view : 입력된 tensor의 shape",
        "강좌 번호 : 1",
        "a -> b = c + d",
        " ",
        "  \n",
        "\n",
        "*",
        "_",
        "**bold**",
        "~~",
        "`x.t()`",
        "\\*",
        "&amp;",
        "&#118;iew",
        "[link](http://x)",
        "![alt](a.png)",
        "<http://a.b>",
        "<b>",
        "</b>",
        "!",
        "==",
        "=",
        "==x==",
        " :: ",
        "::",
        ":",
        "[x] ",
        "- [ ] ",
        "> ",
        "- ",
        "1. ",
        "# ",
        "```",
        "    ",
        "| a | b |\n|---|---|\n| c | d |",
        '<details>\n<summary>Autograd 정리</summary>\n<div markdown="1">',
        "</div>\n</details>",
        "<summary>a &amp; b</summary>",
        "<div class='x'>y</div>",
        "<DIV>z</DIV>",
        "<script>x</script>",
        "<!-- note -->",
        "<br/>",
        "İıſK",
        "\r\n",
        "\r",
        "\0",
    ]
)
_NOTES = st.lists(_PIECES, max_size=30).map("".join)


def _as_dicts(markdown: str, parser: MarkdownIt | None = None) -> list[object]:
    found = parser.parse(markdown) if parser else tokens(markdown)
    return [token.as_dict() for token in found]


@pytest.mark.parametrize("name", ["2022-01-24-pytorch.md", "2022-02-03-heading.md"])
def test_tokens_are_markdown_its_on_real_entries(name: str) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    assert _as_dicts(text) == _as_dicts(text, STOCK)


@settings(max_examples=200, deadline=None)
@given(_NOTES)
def test_tokens_are_markdown_its(markdown: str) -> None:
    assert _as_dicts(markdown) == _as_dicts(markdown, STOCK)


def test_an_unknown_inline_rule_stops_the_shortcut() -> None:
    with pytest.raises(KeyError):
        _markup_pattern(MarkdownIt("commonmark").enable("linkify"))


class _Reference(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _reference_html_text(html: str) -> str:
    reader = _Reference()
    reader.feed(html)
    reader.close()
    return " ".join(part.strip() for part in reader.parts if part.strip())


@pytest.mark.parametrize(
    "html",
    [
        '<details>\n<summary>Writing Specification</summary>\n<div markdown="1">\n',
        "</div>\n</details>\n",
        "<details open>\n<summary> a  b </summary>\n",
        "<summary>a &amp; b</summary>",
        "<summary>a < b</summary>",
        "<DIV>upper</DIV>",
        "<script>if (a < b) x()</script>",
        "<style>p { color: red }</style>",
        "<div title='single'>text</div>",
        "<div\x0b>odd space</div>",
        "<bx>not a b</bx>",
        "<br/>line<br />",
        "<!-- comment --> after",
        "plain text only",
    ],
)
def test_html_text_is_html_parsers(html: str) -> None:
    assert html_text(html) == _reference_html_text(html)


def _safe_reference(html: str) -> str | None:
    try:
        return _reference_html_text(html)
    except AssertionError:  # HTMLParser gives up on some broken markup ("<![")
        return None


@settings(max_examples=200, deadline=None)
@given(_NOTES)
def test_html_text_is_html_parsers_on_generated_fragments(html: str) -> None:
    expected = _safe_reference(html)
    if expected is not None:
        assert html_text(html) == expected


def test_chunks_of_the_example_entry() -> None:
    found = list(chunks((DATA / "2022-01-24-pytorch.md").read_text(encoding="utf-8")))
    assert found[0].text == "Writing Specification" and not found[0].code
    assert any("nn.functional" in chunk.text for chunk in found)
