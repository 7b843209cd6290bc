"""Tasks from the plan, through the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CLI, EXAMPLE

pytestmark = pytest.mark.engines


def test_example_plans_are_tasks_due_next_day(cli: CLI) -> None:
    cli("import", str(EXAMPLE))
    on_day = cli("--now", "2022-01-25T12:00", "tasks", "--json").json()
    assert [(t["text"], t["due"], t["overdue"]) for t in on_day] == [
        ("Pytorch 4강 5강 듣고 기본과제 풀기", "2022-01-25", False),
        ("코딩 기본과제 풀기", "2022-01-25", False),
    ]
    assert cli("--now", "2022-01-24T12:00", "tasks", "--json").json() == []
    upcoming = cli("--now", "2022-01-24T12:00", "tasks", "--upcoming", "1", "--json").json()
    assert len(upcoming) == 2
    later = cli("--now", "2022-01-27T12:00", "tasks", "--json").json()
    assert all(t["overdue"] for t in later)


def test_learning_day_rolls_over_at_four(cli: CLI) -> None:
    cli("import", str(EXAMPLE))
    # 03:00 on the 25th still belongs to the learning day of the 24th.
    assert cli("--now", "2022-01-25T03:00", "tasks", "--json").json() == []
    assert len(cli("--now", "2022-01-25T04:30", "tasks", "--json").json()) == 2


def test_done_persists_across_reimport(cli: CLI, tmp_path: Path) -> None:
    copy = tmp_path / EXAMPLE.name
    copy.write_bytes(EXAMPLE.read_bytes())
    cli("import", str(copy))
    first = cli("--now", "2022-01-25T12:00", "tasks", "--json").json()[0]
    done = cli("--json", "task", "done", str(first["id"])).json()
    assert done["done"] is True
    copy.write_text(EXAMPLE.read_text(encoding="utf-8") + "\n추가한 줄\n", encoding="utf-8")
    assert cli("import", str(copy)).code == 0
    tasks = cli("--now", "2022-01-25T12:00", "tasks", "--all", "--json").json()
    assert [(t["text"], t["done"]) for t in tasks] == [
        ("Pytorch 4강 5강 듣고 기본과제 풀기", True),
        ("코딩 기본과제 풀기", False),
    ]


def test_editing_the_plan_updates_tasks(cli: CLI, tmp_path: Path) -> None:
    copy = tmp_path / EXAMPLE.name
    text = EXAMPLE.read_text(encoding="utf-8")
    copy.write_text(text, encoding="utf-8")
    cli("import", str(copy))
    copy.write_text(text.replace("2. 코딩 기본과제 풀기", "2. 심화과제 시작"), encoding="utf-8")
    cli("import", str(copy))
    tasks = cli("--now", "2022-01-25T12:00", "tasks", "--json").json()
    assert [t["text"] for t in tasks] == ["Pytorch 4강 5강 듣고 기본과제 풀기", "심화과제 시작"]


def test_add_and_bad_ids(cli: CLI) -> None:
    cli("import", str(EXAMPLE))
    added = cli("--json", "task", "add", "논문 읽기", "--due", "2022-01-26").json()
    assert added["text"] == "논문 읽기"
    assert added["entry_date"] is None
    listed = cli("--now", "2022-01-26T12:00", "tasks", "--json").json()
    assert "논문 읽기" in [t["text"] for t in listed]
    missing = cli("task", "done", "999")
    assert missing.code == 1
    assert missing.err.strip() == "studylog: error: task 999: no such task"
    bad_date = cli("task", "add", "x", "--due", "someday")
    assert bad_date.code == 2
    assert "'someday' is not a date" in bad_date.err
    assert not any(t["text"] == "x" for t in cli("tasks", "--upcoming", "9999", "--json").json())


def test_carried_over_plans_move_instead_of_duplicating(cli: CLI, tmp_path: Path) -> None:
    edited = tmp_path / EXAMPLE.name
    edited.write_bytes(EXAMPLE.read_bytes())
    cli("import", str(edited))
    next_day = tmp_path / "2022-01-25-pytorch.md"
    next_day.write_text(
        "## Spec\n\nDate : 22.01.25\n\n## Next plans\n\n- 코딩 기본과제 풀기\n- 새 과제 읽기\n",
        encoding="utf-8",
    )
    assert cli("import", str(next_day)).code == 0
    expected = [
        ("Pytorch 4강 5강 듣고 기본과제 풀기", "2022-01-25", "2022-01-24"),
        ("새 과제 읽기", "2022-01-26", "2022-01-25"),
        ("코딩 기본과제 풀기", "2022-01-26", "2022-01-25"),
    ]
    tasks = cli("--now", "2022-01-26T12:00", "tasks", "--json").json()
    assert sorted((t["text"], t["due"], t["entry_date"]) for t in tasks) == expected
    # Re-deriving the first day does not bring the moved task back as a copy.
    edited.write_text(EXAMPLE.read_text(encoding="utf-8") + "\n덧붙임\n", encoding="utf-8")
    assert cli("import", str(edited)).code == 0
    tasks = cli("--now", "2022-01-26T12:00", "tasks", "--json").json()
    assert sorted((t["text"], t["due"], t["entry_date"]) for t in tasks) == expected


@pytest.mark.parametrize(
    ("word", "due"),
    [
        ("today", "2022-01-29"),
        ("tomorrow", "2022-01-30"),
        ("+3", "2022-02-01"),
        ("friday", "2022-02-04"),
        ("금요일", "2022-02-04"),
        ("sat", "2022-02-05"),  # the 29th is a Saturday: its name means the next one
        ("2022-03-01", "2022-03-01"),
    ],
)
def test_add_due_in_words_counts_from_the_clock(cli: CLI, word: str, due: str) -> None:
    added = cli("--now", "2022-01-29T12:00", "--json", "task", "add", "논문 읽기", "--due", word)
    assert added.code == 0, added.err
    assert added.json()["due"] == due
