"""Siblings are held back for the day once one of them was reviewed, like Anki's burying:
cards of one generator family, and cards written into the same entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CLI, EXAMPLE

pytestmark = pytest.mark.engines

NOTE = """# 2022-02-07 notes

Plain prose about the course, with three cards written in.

수업 시간 :: 오전 10시
과제 마감 :: 금요일
멘토 이름 :: 김철수
"""

NOW = ("--now", "2022-02-08T09:00:00+00:00")


def _due_keys(cli: CLI) -> list[str]:
    return [card["key"] for card in cli(*NOW, "due", "--json").json()]


def test_written_in_siblings_wait_for_tomorrow(cli: CLI, tmp_path: Path) -> None:
    note = tmp_path / "2022-02-07-notes.md"
    note.write_text(NOTE, encoding="utf-8")
    assert cli("import", str(note)).code == 0
    cards = {c["key"]: c["id"] for c in cli("cards", "list", "--json").json()}
    written = [key for key in cards if key.startswith("authored:")]
    assert len(written) == 3
    due = _due_keys(cli)
    assert len([k for k in due if k in written]) == 1  # one sibling a day
    first = next(k for k in due if k in written)
    assert cli(*NOW, "review", str(cards[first]), "오전 10시", "--rating", "good").code == 0
    after = _due_keys(cli)
    assert not [k for k in after if k in written and k != first]  # the others wait
    tomorrow = cli("--now", "2022-02-09T09:00:00+00:00", "due", "--json").json()
    assert [c["key"] for c in tomorrow if c["key"] in written and c["key"] != first]


def test_generated_siblings_wait_for_tomorrow(cli: CLI) -> None:
    assert cli("import", str(EXAMPLE)).code == 0
    due = _due_keys(cli)
    view = [k for k in due if k.startswith("gen:view.")]
    assert len(view) == 1
    card = next(c for c in cli(*NOW, "due", "--json").json() if c["key"] == view[0])
    assert cli(*NOW, "review", str(card["id"]), "x", "--rating", "again").code == 0
    assert not [k for k in _due_keys(cli) if k.startswith("gen:view.") and k != view[0]]
