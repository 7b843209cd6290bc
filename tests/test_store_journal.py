"""The journal's store: search finds Korean substrings of any length and takes LIKE
wildcards literally, the quick sqlite3 path answers as the engine does, tasks are ticked
and added through the store, and an import's parsed files replay on a second pass."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from studylog.clock import Clock
from studylog.paths import database_target
from studylog.services.importer import Replayed
from studylog.services.journal import JournalService
from studylog.store import tasks as stored_tasks
from studylog.store.engine import open_engine
from studylog.store.reader import entries, open_reader
from studylog.store.search import search
from studylog.store.transactions import read, write

pytestmark = pytest.mark.engines

NOW = dt.datetime(2022, 2, 1, 12, tzinfo=dt.UTC)
NOTES = {
    "22.01.24": "드디어 파이토치는 재미있다. 100% 이해했다.",
    "22.01.25": "차기 계획: 텐서 연산 복습. a_b 변수",
    "22.01.26": "파이토치를 쓰는 계획을 세웠다. 1000번 반복, axb",
}


def _entry(day: str, notes: str) -> str:
    return f"## Spec\n\nDate : {day}\n\nCategory : Pytorch\n\n## Notes\n\n{notes}\n"


@pytest.fixture
def journal(db: Path | str) -> Iterator[JournalService]:
    service = JournalService(open_engine(database_target(str(db))), Clock(fixed=NOW))
    for day, notes in NOTES.items():
        service.save(_entry(day, notes))
    yield service
    service.engine.dispose()


def _days(service: JournalService, query: str, limit: int = 50) -> list[str]:
    return [hit.day.isoformat() for hit in service.search(query, limit)]


@pytest.mark.parametrize(
    ("query", "days"),
    [
        ("계획", ["2022-01-26", "2022-01-25"]),  # two characters: shorter than a trigram
        ("파이토치", ["2022-01-26", "2022-01-24"]),
        ("토", ["2022-01-26", "2022-01-24"]),
        ("파이토치 계획", ["2022-01-26"]),  # every word must match
        ("PYTORCH", ["2022-01-26", "2022-01-25", "2022-01-24"]),  # case folded
        ("100%", ["2022-01-24"]),  # not 1000
        ("a_b", ["2022-01-25"]),  # not axb
        ("없는말", []),
        ("   ", []),
    ],
)
def test_search_matches_every_word_as_a_substring(
    journal: JournalService, query: str, days: list[str]
) -> None:
    assert _days(journal, query) == days


def test_search_keeps_the_newest_up_to_the_limit_with_a_line_around_the_match(
    journal: JournalService,
) -> None:
    assert _days(journal, "Pytorch", limit=2) == ["2022-01-26", "2022-01-25"]
    [hit] = journal.search("텐서")
    assert hit.snippet == "차기 계획: 텐서 연산 복습. a_b 변수"
    assert hit.category == "Pytorch"


@pytest.mark.engines("sqlite")
def test_the_plain_sqlite3_path_answers_as_the_engine_does(
    journal: JournalService, db: str
) -> None:
    plain = open_reader(Path(db))
    assert plain is not None
    try:
        for query in ("계획", "파이토치 계획", "100%"):
            assert search(plain, query) == journal.search(query)
        assert entries(plain) == journal.entries()
    finally:
        plain.close()


def test_tasks_are_added_ticked_and_reopened_through_the_store(journal: JournalService) -> None:
    engine = journal.engine
    task_id = write(engine, lambda conn: stored_tasks.add(conn, "논문 읽기", NOW.date(), NOW))
    assert write(engine, lambda conn: stored_tasks.set_done(conn, task_id, True, NOW))
    done = read(engine, lambda conn: stored_tasks.one(conn, task_id))
    assert done is not None and (done.text, done.done, done.entry_day) == ("논문 읽기", True, None)
    assert write(engine, lambda conn: stored_tasks.set_done(conn, task_id, False, NOW))
    listed = read(engine, lambda conn: stored_tasks.listed(conn, NOW.date(), False))
    assert [t.id for t in listed] == [task_id]
    assert not write(engine, lambda conn: stored_tasks.set_done(conn, task_id + 99, True, NOW))
    assert read(engine, lambda conn: stored_tasks.one(conn, task_id + 99)) is None


def test_an_import_replays_what_it_already_parsed() -> None:
    drawn: list[int] = []

    def numbers() -> Iterator[int]:
        for n in range(5):
            drawn.append(n)
            yield n

    replayed = Replayed(numbers())
    first = iter(replayed)
    assert [next(first), next(first)] == [0, 1]  # a first attempt that failed halfway
    assert list(replayed) == [0, 1, 2, 3, 4]
    assert list(replayed) == [0, 1, 2, 3, 4]
    assert drawn == [0, 1, 2, 3, 4]
