"""Plan items that name lectures are closed by the later entries that record them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CLI

pytestmark = pytest.mark.engines

NOW = "2022-01-30T12:00"


def _entry(
    day: str, lectures: tuple[int, ...], plans: tuple[str, ...] = (), course: str = "Pytorch"
) -> str:
    spec = f"Date : {day}\n\nCategory : {course}\n\n"
    spec += "".join(f"Lecture : {n}\n\nTitle : Lecture {n}\n\n" for n in lectures)
    plan = "".join(f"- [ ] {p}\n" for p in plans)
    return f"## Spec\n\n{spec}## Review\n\nok\n\n## Next plans\n\n{plan}"


def _write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _tasks(cli: CLI) -> dict[str, dict[str, object]]:
    return {t["text"]: t for t in cli("--now", NOW, "--json", "tasks", "--all").json()}


def test_a_plan_is_closed_once_every_lecture_it_names_is_recorded(cli: CLI, tmp_path: Path) -> None:
    first = _write(tmp_path, "a.md", _entry("22.01.24", (3,), ("4강 5강 듣기", "lectures 6 and 7")))
    second = _write(tmp_path, "b.md", _entry("22.01.25", (4,)))
    assert cli("import", first, second).code == 0
    assert _tasks(cli)["4강 5강 듣기"]["done"] is False
    third = _write(tmp_path, "c.md", _entry("22.01.26", (5, 6)))
    assert cli("import", third).code == 0
    tasks = _tasks(cli)
    assert tasks["4강 5강 듣기"]["done"] is True
    assert tasks["4강 5강 듣기"]["closed"] == "closed by 2022-01-26: lectures 4, 5 recorded"
    assert (tasks["lectures 6 and 7"]["done"], tasks["lectures 6 and 7"]["closed"]) == (False, None)
    human = cli("--now", NOW, "tasks", "--all").out
    assert "[x] 2022-01-25  4강 5강 듣기  (closed by 2022-01-26: lectures 4, 5 recorded)" in human

    # The closing entry loses lecture 5: the task opens again.
    Path(third).write_text(_entry("22.01.26", (6,)), encoding="utf-8")
    assert cli("import", third).code == 0
    assert (_tasks(cli)["4강 5강 듣기"]["done"], _tasks(cli)["4강 5강 듣기"]["closed"]) == (
        False,
        None,
    )


def test_lectures_recorded_the_same_day_or_in_another_course_do_not_count(
    cli: CLI, tmp_path: Path
) -> None:
    same_day = _write(tmp_path, "a.md", _entry("22.01.24", (4,), ("Lecture 4",)))
    other_course = _write(tmp_path, "b.md", _entry("22.01.25", (4,), course="CS231n"))
    assert cli("import", same_day, other_course).code == 0
    assert _tasks(cli)["Lecture 4"]["done"] is False


def test_a_task_the_learner_ticked_is_left_alone(cli: CLI, tmp_path: Path) -> None:
    first = _write(tmp_path, "a.md", _entry("22.01.24", (), ("6강 듣기",)))
    assert cli("import", first).code == 0
    task = _tasks(cli)["6강 듣기"]
    assert cli("task", "done", str(task["id"])).code == 0
    second = _write(tmp_path, "b.md", _entry("22.01.25", (1,)))
    assert cli("import", second).code == 0
    assert (_tasks(cli)["6강 듣기"]["done"], _tasks(cli)["6강 듣기"]["closed"]) == (True, None)


def test_a_task_the_learner_reopened_stays_open(cli: CLI, tmp_path: Path) -> None:
    first = _write(tmp_path, "a.md", _entry("22.01.24", (), ("6강 듣기",)))
    second = _write(tmp_path, "b.md", _entry("22.01.25", (6,)))
    assert cli("import", first, second).code == 0
    task = _tasks(cli)["6강 듣기"]
    assert task["done"] is True
    assert cli("task", "undo", str(task["id"])).code == 0
    assert (_tasks(cli)["6강 듣기"]["done"], _tasks(cli)["6강 듣기"]["closed"]) == (False, None)
    # Saving the entries again, lecture 6 still recorded, does not close it behind her back.
    Path(second).write_text(_entry("22.01.25", (6,)) + "\nmore notes\n", encoding="utf-8")
    assert cli("import", first, second).code == 0
    assert _tasks(cli)["6강 듣기"]["done"] is False


def test_restoring_an_export_closes_the_plan_again(cli: CLI, tmp_path: Path) -> None:
    plan = _write(tmp_path, "a.md", _entry("22.01.24", (), ("4강 듣기",)))
    lecture = _write(tmp_path, "b.md", _entry("22.01.25", (4,)))
    assert cli("import", plan, lecture).code == 0
    export = tmp_path / "export.json"
    assert cli("export", "--out", str(export)).code == 0
    fresh = tmp_path / "fresh.db"
    assert cli("--db", str(fresh), "import", str(export)).code == 0
    listed = cli("--db", str(fresh), "--now", NOW, "--json", "tasks", "--all").json()
    assert [t["closed"] for t in listed] == ["closed by 2022-01-25: lecture 4 recorded"]
