"""Cards written into the notes: recall lines, cloze spans and quiz blocks."""

from __future__ import annotations

import pytest

from cards.authored import ClozeCard, Problem, QuizCard, RecallCard, read_authored

QUIZ = "```quiz\nx = torch.arange(6).view(2, 3)\n? x.t().shape\n```\n"


def test_recall_lines() -> None:
    found = read_authored(
        "view vs reshape :: reshape returns a view when it can\n"
        "plain second line of the paragraph\n\n"
        "- `x.t()` :: the transpose\n"
        "- second item :: its back\n\n"
        "> quoted `mm` :: does not broadcast\n"
    )
    assert found.cards == (
        RecallCard("view vs reshape", "reshape returns a view when it can", 1),
        RecallCard("`x.t()`", "the transpose", 4),
        RecallCard("second item", "its back", 5),
        RecallCard("quoted `mm`", "does not broadcast", 7),
    )
    assert found.problems == ()


@pytest.mark.parametrize(
    "line",
    ["std::vector<int>", "a ::b", " :: back only", "front only :: ", "`a :: b` in code"],
)
def test_not_recall(line: str) -> None:
    assert read_authored(line).cards == ()


def test_recall_separator_after_a_code_span() -> None:
    assert read_authored("Use `a::b` and ``x :: ` y`` :: yes").cards == (
        RecallCard("Use `a::b` and ``x :: ` y``", "yes", 1),
    )


@pytest.mark.parametrize(
    ("line", "front", "back"),
    [
        # Escaped backticks open no code span, so the `::` between them separates.
        ("\\`a :: b\\`", "\\`a", "b\\`"),
        # A lone backtick is literal text, not the start of a span running to the end.
        ("one ` tick :: back", "one ` tick", "back"),
        # A code span running over a line break hides the first `::` of the second line.
        ("`a\nb :: c` :: d", "b :: c`", "d"),
    ],
)
def test_recall_separators_are_markdowns_code_spans(line: str, front: str, back: str) -> None:
    (card,) = read_authored(line).cards
    assert isinstance(card, RecallCard) and (card.front, card.back) == (front, back)


def test_recall_separator_inside_html_or_an_autolink_is_not_one() -> None:
    assert read_authored("<span title='a :: b'>x</span>\n").cards == ()
    assert read_authored("see <http://a.b/x::y> :: the link\n").cards == (
        RecallCard("see <http://a.b/x::y>", "the link", 1),
    )


def test_recall_inside_code_blocks_is_ignored() -> None:
    assert read_authored("```\nfront :: back\n```\n\n    indented :: code\n").cards == ()


def test_cloze_hides_every_span_of_a_paragraph() -> None:
    found = read_authored(
        "A view ==shares memory== with its base;\n==view== never copies.\n\nSecond ==paragraph==.\n"
    )
    assert found.cards == (
        ClozeCard(
            "A view [...] with its base;\n[...] never copies.",
            "A view shares memory with its base;\nview never copies.",
            ("shares memory", "view"),
            1,
        ),
        ClozeCard("Second [...].", "Second paragraph.", ("paragraph",), 4),
    )


def test_cloze_leaves_code_and_unclosed_marks_alone() -> None:
    (card,) = read_authored("`a == b` and ==*x* hidden== but == stays.\n").cards
    assert isinstance(card, ClozeCard)
    assert card.blanks == ("*x* hidden",)
    assert card.front == "`a == b` and [...] but == stays."
    assert read_authored("`a == b` only, and == alone.\n").cards == ()


def test_cloze_marks_follow_markdowns_code_spans_and_escapes() -> None:
    # `\\`` is a literal backtick, so the span after it is hidden; `\\==` is no mark.
    (card,) = read_authored("\\`x ==hidden== y\\` and \\==kept==\n").cards
    assert isinstance(card, ClozeCard)
    assert card.blanks == ("hidden",)
    # An unclosed backtick run is text: the `==` after it still marks.
    (card,) = read_authored("a `` b ==c== d\n").cards
    assert isinstance(card, ClozeCard) and card.blanks == ("c",)


def test_comparisons_in_prose_are_not_cloze_marks() -> None:
    assert read_authored("x == y and y == z\n").cards == ()


def test_quiz_block() -> None:
    assert read_authored("Intro\n\n" + QUIZ).cards == (
        QuizCard("x = torch.arange(6).view(2, 3)", "x.t().shape", 3),
    )


def test_quiz_without_setup_and_with_info_extras() -> None:
    (card,) = read_authored("~~~ quiz extra\n?torch.zeros(2).shape\n~~~\n").cards
    assert card == QuizCard("", "torch.zeros(2).shape", 1)


@pytest.mark.parametrize(
    ("block", "why"),
    [
        ("```quiz\nx = 1\n```\n", "last line must be"),
        ("```quiz\n```\n", "last line must be"),
        ("```quiz\nx = 1\n?\n```\n", "names no expression"),
        ("```quiz\n? x\ny = 2\n? y\n```\n", "only the last line"),
        ("```quiz\nx = (\n? x\n```\n", "does not parse"),
        ("```quiz\nx = 1\n? x =\n```\n", "not an expression"),
    ],
)
def test_malformed_quiz_is_reported(block: str, why: str) -> None:
    found = read_authored("text\n\n" + block)
    assert found.cards == ()
    (problem,) = found.problems
    assert isinstance(problem, Problem) and problem.line == 3 and why in problem.message


def test_other_fences_and_empty_notes() -> None:
    assert read_authored("```python\n? x\n```\n").cards == ()
    assert read_authored("") == read_authored("   \n")
