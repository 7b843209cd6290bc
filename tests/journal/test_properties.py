"""Property tests: the parser never crashes, and render → parse keeps the structure."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from journal import EntryError, Lecture, PlanItem, parse_entry
from journal.template import Outline, new_day, outline_of, render

# Words a learner writes: Hangul, Latin letters, digits and gentle punctuation. Markdown
# syntax characters are left out so a generated title cannot turn into markup.
_WORD = st.text(
    alphabet=st.sampled_from("가나다라마바사아자차카타파하텐서그래프abcXYZpytorch0123456789"),
    min_size=1,
    max_size=10,
)
_LINE = st.lists(_WORD, min_size=1, max_size=6).map(" ".join)
_PARAGRAPHS = st.lists(_LINE, max_size=3).map("\n\n".join)


@st.composite
def outlines(draw: st.DrawFn) -> Outline:
    count = draw(st.integers(0, 4))
    numbers = draw(st.lists(st.integers(1, 99), min_size=count, max_size=count, unique=True))
    titles = draw(st.lists(_LINE, min_size=count, max_size=count, unique=True))
    return Outline(
        date=draw(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))),
        category=draw(_LINE),
        lectures=tuple(Lecture(n, t) for n, t in zip(numbers, titles, strict=True)),
        review=draw(_PARAGRAPHS),
        notes=tuple(draw(_PARAGRAPHS) for _ in range(count)),
        afterword=draw(_PARAGRAPHS),
        plans=tuple(
            PlanItem(text, done)
            for text, done in draw(st.lists(st.tuples(_LINE, st.booleans()), max_size=5))
        ),
    )


@settings(max_examples=150, deadline=None)
@given(outlines())
def test_render_then_parse_gives_the_same_entry(outline: Outline) -> None:
    markdown = render(outline)
    entry = parse_entry(markdown)
    assert outline_of(entry) == outline
    assert parse_entry(render(outline_of(entry))) == entry


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_parser_never_crashes_on_arbitrary_text(text: str) -> None:
    try:
        parse_entry(text, "2022-01-01-any.md")
    except EntryError as err:
        assert "\n" not in str(err)


_MARKUP = st.lists(
    st.sampled_from(
        [
            "<details>",
            "</details>",
            "<summary>강의 내용</summary>",
            "<summary>x",
            '<div markdown="1">',
            "</div>",
            "## Plan",
            "# Spec",
            "Date : 22.01.24",
            "> 강좌 번호 : 1",
            ">> 제목 : t",
            "차기 계획",
            "- [ ] a",
            "1. b",
            "",
            "text",
            "```",
            "> ",
            "강좌 번호 : x",
            "<![ x",
        ]
    ),
    max_size=40,
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(_MARKUP)
def test_parser_never_crashes_on_template_fragments(text: str) -> None:
    try:
        entry = parse_entry(text, "2022-01-01-any.md")
    except EntryError as err:
        assert "\n" not in str(err)
    else:
        for section in entry.sections:
            assert section.body in text


def test_new_day_template_parses_back() -> None:
    carried = (PlanItem("기본과제 풀기"),)
    entry = parse_entry(new_day(dt.date(2026, 11, 27), "Pytorch", carried))
    assert entry.date == dt.date(2026, 11, 27)
    assert entry.category == "Pytorch"
    assert entry.plans == carried
