"""A large import stores entries in batches; the result must equal saving them one by one.

Runs in process on real SQLite files: the folder is big enough to cross store batches and
to take the parallel parsing path, which a subprocess per file would make too slow.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from journal import Lecture, PlanItem
from journal.template import Outline, render
from studylog.clock import Clock
from studylog.paths import database_target
from studylog.services.export_json import export_json
from studylog.services.importer import (
    PARALLEL_FROM,
    STORE_BATCH,
    SecondFile,
    collect_markdown,
    import_files,
)
from studylog.services.journal import JournalService
from studylog.services.reading import ImportFailure, derive_file
from studylog.store.engine import open_engine

pytestmark = pytest.mark.engines

START = dt.date(2022, 3, 1)
DAYS = max(PARALLEL_FROM, 2 * STORE_BATCH) + 30
NOTES = (
    "`x.view(2, 3)` 는 메모리를 공유한다.",
    "reshape 는 필요할 때만 복사한다. `torch.reshape(x, (3, 2))`",
    "`a @ b` 와 `torch.matmul` 은 브로드캐스팅을 한다.",
    "`x.unsqueeze(0)` 으로 차원을 추가하고 `squeeze` 로 뺀다.",
    "loss.backward() 로 gradient 를 구한다.",
)


def _entry(day: dt.date, n: int) -> str:
    return render(
        Outline(
            date=day,
            category="Pytorch",
            lectures=(Lecture(n, f"강의 {n}"),),
            notes=(NOTES[n % len(NOTES)],),
            plans=(
                # Carried from day to day until ticked: each later entry moves the task.
                PlanItem(f"복습 {n // 7}", done=n % 7 == 6),
                PlanItem(f"과제 {n}", done=n % 4 == 0),
            ),
        )
    )


def _write_journal(folder: Path) -> None:
    for n in range(DAYS):
        day = START + dt.timedelta(days=n)
        (folder / f"{day.isoformat()}-pytorch.md").write_text(_entry(day, n), encoding="utf-8")
    # A second file for a day already written (it sorts right after it, in the same batch,
    # and is imported with --replace),
    # and the oldest entry of all, read last: it must take over the built-in cards.
    redo = START + dt.timedelta(days=3)
    (folder / f"{redo.isoformat()}-redo.md").write_text(_entry(redo, 99), encoding="utf-8")
    oldest = START - dt.timedelta(days=30)
    (folder / "zz-oldest.md").write_text(_entry(oldest, 0), encoding="utf-8")
    (folder / "zz-broken.md").write_text("", encoding="utf-8")


def _without_ids(export: dict[str, Any]) -> dict[str, Any]:
    for table in ("entries", "tasks", "cards"):
        for row in export[table]:
            row.pop("id", None)
    return export


def _save_one_by_one(service: JournalService, files: list[Path]) -> None:
    for path in files:
        derived = derive_file(path, service.vocabulary)
        if not isinstance(derived, ImportFailure):
            with service.engine.begin() as conn:
                service.store(conn, derived, str(path))


def _edit_journal(folder: Path) -> None:
    """Rewrite every third day: other notes (other cards) and one plan item dropped."""
    for n in range(0, DAYS, 3):
        day = START + dt.timedelta(days=n)
        path = folder / f"{day.isoformat()}-pytorch.md"
        text = _entry(day, n + 1).replace(f"- [ ] 과제 {n + 1}\n", "")
        path.write_text(text.replace(f"- [x] 과제 {n + 1}\n", ""), encoding="utf-8")


def test_one_import_equals_saving_each_file(db: Path | str, tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    folder.mkdir()
    _write_journal(folder)
    files, missing = collect_markdown([str(folder)])
    assert missing == [] and len(files) == DAYS + 3
    clock = Clock(fixed=dt.datetime(2023, 1, 1, tzinfo=dt.UTC))

    # The batched import runs on each engine; the one-by-one saves on SQLite.
    batched = JournalService(open_engine(database_target(str(db))), clock)
    progress: list[int] = []
    report = import_files(batched, files, progress.append, second_file=SecondFile.REPLACE)
    assert [f.path for f in report.failures] == [str(folder / "zz-broken.md")]
    assert len(report.saved) == DAYS + 2
    assert progress == list(range(1, len(files) + 1))

    single = JournalService(open_engine(tmp_path / "single.db"), clock)
    _save_one_by_one(single, files)

    together, apart = export_json(batched.engine), export_json(single.engine)
    assert _without_ids(together) == _without_ids(apart)
    # The comparison has teeth: tasks moved along, the repeated day was replaced, and the
    # oldest entry owns the built-in cards.
    tasks = together["tasks"]
    assert sum(t["text"].startswith("복습") for t in tasks) == DAYS // 7 + 1
    assert [s.status.value for s in report.saved].count("updated") == 1
    oldest = (START - dt.timedelta(days=30)).isoformat()
    owners = {c["entry_date"] for c in together["cards"] if c["key"].startswith("gen:view")}
    assert owners == {oldest}

    # Importing the edited folder again re-derives stored entries in batches too.
    _edit_journal(folder)
    again = import_files(batched, files, second_file=SecondFile.REPLACE)
    _save_one_by_one(single, files)
    statuses = [s.status.value for s in again.saved]
    # Every edited day, plus the redone day 3 once more: its second file replaces the edit.
    assert statuses.count("updated") == len(range(0, DAYS, 3)) + 1
    assert statuses.count("new") == 0
    assert _without_ids(export_json(batched.engine)) == _without_ids(export_json(single.engine))
