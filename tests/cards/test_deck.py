"""Card specs derived from an entry, their keys, JSON round trip, and what they ask."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from cards.deck import (
    BuiltinSpec,
    CardSpec,
    CodeSpec,
    NoteSpec,
    cards_for_entry,
    deck_for_entry,
    exercise_for,
    prompt_for,
    spec_from_dict,
)
from cards.model import Kind
from journal.model import Entry
from tests.conftest import EXAMPLE, EXAMPLE_CARD_TOPICS

QUIZ = "```quiz\nx = torch.arange(6).view(2, 3)\n? x.t().shape\n```\n"


def entry(markdown: str) -> Entry:
    return Entry(date=dt.date(2022, 1, 24), markdown=markdown)


@pytest.fixture(scope="module")
def example() -> list[CardSpec]:
    return cards_for_entry(entry(EXAMPLE.read_text(encoding="utf-8")))


def test_example_entry_yields_executable_cards_on_its_topics(example: list[CardSpec]) -> None:
    executable = [spec for spec in example if spec.executable]
    assert len(executable) >= 10
    covered = {topic for spec in executable for topic in spec.topics}
    assert covered >= EXAMPLE_CARD_TOPICS
    keys = {spec.key for spec in example}
    assert "gen:reshape.no_copy" in keys  # the misconception card
    assert "gen:concept.graph.production" in keys  # concept cards for graph types
    assert "gen:bmm.shape" not in keys  # not in the notes
    assert len(keys) == len(example)


def test_rederiving_gives_the_same_keys(example: list[CardSpec]) -> None:
    again = cards_for_entry(entry(EXAMPLE.read_text(encoding="utf-8")))
    assert again == example


def test_authored_keys_survive_moves_and_whitespace() -> None:
    first = cards_for_entry(entry("a :: b\n\n" + QUIZ + "\nSome ==cloze== here.\n"))
    moved = cards_for_entry(entry("Intro.\n\nSome  ==cloze==\nhere.\n\n" + QUIZ + "\n- a  ::  b\n"))
    assert {s.key for s in first} == {s.key for s in moved}
    assert all(s.key.startswith("authored:") for s in first if not isinstance(s, BuiltinSpec))


def test_duplicate_authored_cards_are_kept_once() -> None:
    specs = cards_for_entry(entry("a :: b\n\nsomething else\n\na :: b\n"))
    assert [s.kind for s in specs] == [Kind.RECALL]


def test_authored_cards_get_topics_and_are_appended() -> None:
    specs = cards_for_entry(entry("`view` shares memory :: with its base tensor\n\n" + QUIZ))
    quiz = next(s for s in specs if isinstance(s, CodeSpec))
    assert quiz.kind is Kind.PREDICT and set(quiz.topics) >= {"view", "transpose"}
    recall = next(s for s in specs if s.kind is Kind.RECALL and isinstance(s, NoteSpec))
    assert "view" in recall.topics
    # Built-in cards for the topics the note shows come first, written-in cards last.
    assert specs[-2:] == [recall, quiz]
    assert isinstance(specs[0], BuiltinSpec)


def test_problems_are_reported_with_the_deck() -> None:
    deck = deck_for_entry(entry("```quiz\nx = 1\n```\n"))
    assert deck.cards == () and len(deck.problems) == 1


def test_to_dict_round_trip(example: list[CardSpec]) -> None:
    authored = cards_for_entry(entry("a :: b\n\nSome ==cloze== here.\n\n" + QUIZ))
    for spec in (*example, *authored):
        raw = json.loads(json.dumps(spec.to_dict()))
        assert spec_from_dict(raw) == spec


@pytest.mark.parametrize(
    "stored",
    [
        '{"key": "gen:view.shape", "kind": "predict", "topics": ["view"], '
        '"generator_id": "view.shape"}',
        '{"key": "authored:0123456789ab", "kind": "cloze", "topics": [], "front": "Some '
        '==cloze== here.", "back": "Some ==cloze== here.", "blanks": ["cloze"]}',
        '{"key": "authored:0123456789ab", "kind": "recall", "topics": ["view"], '
        '"front": "자동미분은", "back": "b"}',
        '{"key": "block:0123456789ab", "kind": "predict", "topics": [], '
        '"code": "x = 1", "expr": "x + 1"}',
        '{"key": "call:0123456789ab", "kind": "predict", "topics": ["conv"], '
        '"call": "nn.Conv2d(3, 8, 3)", "output": "output"}',
    ],
)
def test_spec_json_stored_before_the_union_still_loads(stored: str) -> None:
    spec = spec_from_dict(json.loads(stored))
    assert json.dumps(spec.to_dict(), ensure_ascii=False) == stored


def test_a_spec_with_neither_generator_nor_code_is_refused() -> None:
    with pytest.raises(ValueError, match="neither a generator nor code"):
        spec_from_dict({"key": "authored:x", "kind": "predict", "topics": [], "expr": "x"})


def test_exercise_for_generated_and_quiz_cards(example: list[CardSpec]) -> None:
    spec = next(s for s in example if s.key == "gen:view.shape")
    assert exercise_for(spec, 3) == exercise_for(spec, 3)
    assert exercise_for(spec, 3).kind is Kind.PREDICT
    (quiz,) = [s for s in cards_for_entry(entry(QUIZ)) if isinstance(s, CodeSpec)]
    exercise = exercise_for(quiz, 0)
    namespace = {"torch": torch, "nn": nn, "F": F}
    exec(exercise.code, namespace)
    assert eval(exercise.expr, namespace) == torch.Size([3, 2])
    with pytest.raises(ValueError):
        prompt_for(quiz, 0)


def test_prompt_for_concept_recall_and_cloze(example: list[CardSpec]) -> None:
    concept = next(s for s in example if s.key == "gen:concept.graph.production")
    prompt = prompt_for(concept, 1)
    assert prompt.kind is Kind.CHOICE and prompt.answer is not None
    assert "define-and-run" in prompt.choices[prompt.answer]
    recall, cloze = cards_for_entry(entry("a :: b\n\nSome ==cloze== here.\n"))
    assert prompt_for(recall, 0).back == "b"
    assert prompt_for(cloze, 0).front == "Some [...] here."
    assert prompt_for(cloze, 0).blanks == ("cloze",)
    with pytest.raises(ValueError):
        exercise_for(recall, 0)


def test_unknown_generator_is_a_key_error() -> None:
    spec = BuiltinSpec(key="gen:gone", kind=Kind.PREDICT, topics=(), generator_id="gone")
    with pytest.raises(KeyError):
        exercise_for(spec, 0)


def test_cards_never_import_torch() -> None:
    probe = (
        "import sys, cards.deck, cards.generators, cards.topics, cards.authored\n"
        "print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
