"""The note syntax the parser finds: `==mark==` spans, ` :: ` separators, task boxes."""

from __future__ import annotations

import pytest

from journal import PlanItem, parse_entry
from journal.markdown import plain_text, tokens
from journal.note_syntax import MARK_CLOSE, MARK_OPEN, SEPARATOR, TaskBox, task_box


def _inline(markdown: str) -> list[tuple[str, str]]:
    (inline,) = (t for t in tokens(markdown) if t.type == "inline")
    return [(child.type, child.content) for child in inline.children or ()]


def test_a_mark_span_is_a_pair_of_tokens_around_its_content() -> None:
    assert _inline("a ==b *c*== d") == [
        ("text", "a "),
        (MARK_OPEN, ""),
        ("text", "b "),
        ("em_open", ""),
        ("text", "c"),
        ("em_close", ""),
        (MARK_CLOSE, ""),
        ("text", " d"),
    ]


def test_plain_text_keeps_the_marks_as_written() -> None:
    (inline,) = (t for t in tokens("a ==b *c*== d\n") if t.type == "inline")
    assert plain_text(inline) == "a ==b c== d"


@pytest.mark.parametrize(
    "markdown",
    ["`a ==b== c`", "a \\==b== c", "x == y and y == z", "==unclosed", "a ==b ==c"],
)
def test_no_mark_in_code_escapes_comparisons_or_unpaired_runs(markdown: str) -> None:
    assert not any(kind in (MARK_OPEN, MARK_CLOSE) for kind, _ in _inline(markdown))


def test_an_odd_equals_stays_outside_the_span() -> None:
    assert _inline("===a===") == [
        ("text", "="),
        (MARK_OPEN, ""),
        ("text", "a"),
        (MARK_CLOSE, ""),
        ("text", "="),
    ]


def test_a_separator_knows_its_offset_and_stays_in_the_plain_text() -> None:
    (inline,) = (t for t in tokens("x\n`a :: b` c :: d") if t.type == "inline")
    found = [child for child in inline.children or () if child.type == SEPARATOR]
    assert [child.meta["at"] for child in found] == [inline.content.index(" :: d") + 1]
    assert plain_text(inline) == "x\na :: b c :: d"


@pytest.mark.parametrize("markdown", ["std::vector", "a ::b", "a:: b", "a\n:: b", "a ::\nb"])
def test_a_separator_needs_space_on_both_sides_on_one_line(markdown: str) -> None:
    assert SEPARATOR not in {kind for kind, _ in _inline(markdown)}


def test_task_boxes_are_noted_on_list_items_only() -> None:
    found = [
        (t.content, task_box(t))
        for t in tokens("- [x] done\n- [ ] open\n- [x]glued\n\n[x] not an item\n")
        if t.type == "inline"
    ]
    assert found == [
        ("[x] done", TaskBox(checked=True, text_start=4)),
        ("[ ] open", TaskBox(checked=False, text_start=4)),
        ("[x]glued", None),
        ("[x] not an item", None),
    ]


def test_plans_take_their_state_from_the_task_box() -> None:
    entry = parse_entry(
        "## 다음 계획\n\n- [X]  read   the paper\n- [x]glued to the box\n- [ ] `[x]` in code\n",
        "2022-03-01-plans.md",
    )
    assert entry.plans == (
        PlanItem("read the paper", done=True),
        # GitHub's rule: a box is followed by whitespace, so this item is plain text.
        PlanItem("[x]glued to the box"),
        PlanItem("`[x]` in code"),
    )
