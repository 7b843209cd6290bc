"""Reading the lecture numbers a plan item or a heading names."""

from __future__ import annotations

import pytest

from journal.lecture_refs import lecture_numbers


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("4강 5강 듣기", (4, 5)),
        ("Pytorch 4강 5강 듣고 기본과제 풀기", (4, 5)),
        ("10강을 듣고 12강과 복습", (10, 12)),
        ("lectures 4 and 5", (4, 5)),
        ("Watch Lecture 6", (6,)),
        ("lectures 4, 5 and 7.", (4, 5, 7)),
        ("Lectures 3-5 then the quiz", (3, 4, 5)),
        ("lecture 2 & 3", (2, 3)),
        ("Lecture 6: CNNs", (6,)),
        ("lectures 4 and then some", (4,)),
        ("코딩 기본과제 풀기", ()),
        ("read 4 papers about lectures", ()),
        ("강 4개 보기", ()),
        ("x4강", ()),
        ("4 강", ()),
        ("5강 5강 듣기", (5,)),
    ],
)
def test_lecture_numbers(text: str, numbers: tuple[int, ...]) -> None:
    assert lecture_numbers(text) == numbers
