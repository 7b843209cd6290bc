"""Topic detection on the user's real entry and on synthetic notes."""

from __future__ import annotations

import datetime as dt

import pytest

from cards.topics import TOPICS, detect_topics, topics_in_code, topics_in_markdown
from journal.model import Entry
from tests.conftest import EXAMPLE, EXAMPLE_CARD_TOPICS


def entry(markdown: str) -> Entry:
    return Entry(date=dt.date(2022, 1, 24), markdown=markdown)


def test_example_entry() -> None:
    found = detect_topics(entry(EXAMPLE.read_text(encoding="utf-8")))
    assert found >= EXAMPLE_CARD_TOPICS | {
        "broadcasting",
        "softmax",
        "one_hot",
        "cross_entropy",
        "creation",
        "shape",
        "misconception",
    }
    # Not in the notes.
    assert not found & {"bmm", "stack_cat"}
    assert found <= set(TOPICS)


def test_korean_note() -> None:
    note = (
        "## 오늘 배운 것\n\n"
        "자동미분은 역전파로 기울기를 구한다.\n\n"
        "동적 그래프와 정적 그래프의 차이를 배웠다.\n\n"
        "브로드캐스팅 규칙, 소프트맥스, 원-핫 인코딩, 교차 엔트로피를 정리했다.\n\n"
        "텐서를 리스트로 만들고, 행렬의 내적과 행렬곱을 계산했다.\n"
    )
    assert topics_in_markdown(note) >= {
        "autograd",
        "graph_types",
        "broadcasting",
        "softmax",
        "one_hot",
        "cross_entropy",
        "nn.functional",
        "creation",
        "dot",
        "matmul",
    }


def test_english_note_with_inline_code_and_fences() -> None:
    note = (
        "# Day 3\n\n"
        "PyTorch is define-by-run; TF1 was Define and Run with a computational graph.\n\n"
        "Use `x.view(2, 3)`, `torch.mm`, and the `@` operator.\n\n"
        "```python\n"
        "y = a @ b\n"
        "t = F.one_hot(labels)\n"
        "z = torch.stack([x, x]).unsqueeze(0).squeeze()\n"
        "loss.backward()\n"
        "```\n"
    )
    assert topics_in_markdown(note) >= {
        "graph_types",
        "view",
        "mm",
        "matmul",
        "one_hot",
        "nn.functional",
        "stack_cat",
        "unsqueeze",
        "squeeze",
        "autograd",
    }


def test_details_titles_count() -> None:
    note = (
        "<details>\n<summary>Autograd 정리</summary>\n"
        '<div markdown="1">\n\n본문\n\n</div>\n</details>\n'
    )
    assert "autograd" in topics_in_markdown(note)


@pytest.mark.parametrize(
    "note",
    [
        "I reviewed the comments in my overview and recommend the summary.",
        "In my view the cat sat on a stack of books; the loss of sleep hurt. A dotted line.",
        "The TV broadcast ran 10 mm over. Looking backward, the shape of things was odd.",
        "오늘은 커피를 마셨다. 요약(summary)과 comment를 달았다.",
        "내적 동기가 중요하다. 전치사를 공부했다. To-do List로 정리했다.",
    ],
)
def test_no_false_positives(note: str) -> None:
    assert topics_in_markdown(note) == frozenset()


def test_words_inside_identifiers_do_not_count() -> None:
    assert topics_in_code("comment = summary(review)\ncommitted = dotted\n") == frozenset()
    assert "mm" in topics_in_code("y = torch.mm(a, b)")


def test_weak_words_count_beside_tensor_context() -> None:
    assert "view" in topics_in_markdown("A view of a tensor shares its memory.")
    assert "view" not in topics_in_markdown("A view of the sea.")


@pytest.mark.parametrize(
    ("note", "claimed"),
    [
        ('reshape : 출력은 입력된 tensor의 값을 "복사"한다.', True),
        ("reshape copies the data into a new tensor.", True),
        ("reshape copies only when it must; otherwise it returns a view.", False),
        ("reshape은 가능하면 복사하지 않는다.", False),
        (
            "reshape is handy. Much later, after a very long digression about other things "
            "entirely unrelated to it, I copied my homework.",
            False,
        ),
    ],
)
def test_reshape_copies_misconception(note: str, claimed: bool) -> None:
    assert ("misconception" in topics_in_markdown(note)) is claimed
    assert "reshape" in topics_in_markdown(note)
