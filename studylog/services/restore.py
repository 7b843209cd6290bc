"""Importing a JSON export: entries are re-derived, then tasks, card state and reviews are
laid back over them, so export → import → export gives the same data apart from ids."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fsrs import Rating, State

from journal import EntryError
from studylog.errors import StudylogError
from studylog.services.export_check import check_export, instant
from studylog.services.export_json import FORMAT, VERSION
from studylog.services.journal import JournalService, Pending
from studylog.services.reading import derive
from studylog.store import restore as stored
from studylog.store import tasks as stored_tasks
from studylog.store.entries import day_ids
from studylog.store.restore import CardState
from studylog.store.reviews import ReviewRecord, add_all
from studylog.store.tasks import PlanTask
from studylog.store.transactions import write

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(frozen=True)
class Restored:
    """Counts of what a JSON import brought in."""

    entries: int
    tasks: int
    cards: int
    reviews: int
    skipped_cards: int

    def describe(self) -> str:
        """One line for the learner."""
        line = (
            f"{self.entries} entries, {self.tasks} tasks, {self.cards} cards, "
            f"{self.reviews} reviews"
        )
        return line + (
            f" ({self.skipped_cards} unknown cards skipped)" if self.skipped_cards else ""
        )


def read_export(path: Path) -> dict[str, Any]:
    """The parsed export, every field checked; a one-line error naming the file and the
    first field that is not a studylog JSON export's."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        # ValueError covers bad UTF-8, bad JSON and integers too long to convert.
        raise StudylogError(f"{path}: not a readable JSON file ({err})") from None
    except RecursionError:
        raise StudylogError(f"{path}: not a studylog export (nested too deeply)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StudylogError(f'{path}: not a studylog export (no "format": "{FORMAT}")')
    if data.get("version") != VERSION:
        raise StudylogError(f"{path}: export version {data.get('version')} is not supported")
    try:
        check_export(data)
    except StudylogError as err:
        raise StudylogError(f"{path}: {err}") from None
    return data


def _restore_tasks(conn: Connection, tasks: list[dict[str, Any]], now: dt.datetime) -> int:
    ids = day_ids(conn)
    for task in tasks:
        entry_day = task.get("entry_date")
        restored = PlanTask(
            None,
            ids.get(dt.date.fromisoformat(entry_day)) if entry_day else None,
            task["text"],
            dt.date.fromisoformat(task["due"]),
            bool(task["done"]),
            now if task["done"] else None,
            0,
        )
        stored_tasks.restore(conn, restored, now)
    return len(tasks)


def _due(value: str) -> dt.datetime:
    due = instant(value, "due")
    assert due is not None  # not nullable: a null was refused by check_export
    return due


def _restore_cards(conn: Connection, cards: list[dict[str, Any]]) -> dict[int, int]:
    """Lay each exported card's FSRS state over the re-derived card with the same key."""
    ids = stored.card_ids(conn)
    mapping: dict[int, int] = {}
    for card in cards:
        new_id = ids.get(card["key"])
        if new_id is None:
            continue
        state = CardState(
            State(card["state"]),
            card["step"],
            card["stability"],
            card["difficulty"],
            card["reps"],
            card["lapses"],
            _due(card["due"]),
            instant(card["last_review"], "last_review", nullable=True),
        )
        stored.set_state(conn, new_id, state)
        mapping[card["id"]] = new_id
    return mapping


def _restore_reviews(
    conn: Connection, reviews: list[dict[str, Any]], card_ids: dict[int, int]
) -> int:
    seen = stored.reviewed(conn)
    rows = []
    for review in reviews:
        card_id = card_ids.get(review["card_id"])
        when = instant(review["reviewed_at"], "reviewed_at")
        if card_id is None or when is None or (card_id, when) in seen:
            continue
        rows.append(
            ReviewRecord(
                card_id,
                when,
                Rating(review["rating"]),
                review["correct"],
                review["answer"],
                review["duration_ms"],
                review["seed"],
                review["retrievability"],
                State(review["state_before"]),
                review["was_new"],
                review["before"],
                device=None,
            )
        )
    add_all(conn, rows)
    return len(rows)


def restore(journal: JournalService, data: dict[str, Any]) -> Restored:
    """Bring a whole export in, in one transaction."""
    now = journal.clock.now()
    pending: list[Pending] = []
    for index, entry in enumerate(data.get("entries", [])):
        try:
            derived = derive(entry["markdown"], f"{entry['date']}.md", journal.vocabulary)
        except EntryError as err:
            raise StudylogError(f"entries[{index}].markdown: {err}") from None
        pending.append(journal.prepare(derived, None))

    def work(conn: Connection) -> tuple[int, int, int]:
        journal.store_many(conn, pending)
        tasks = _restore_tasks(conn, data.get("tasks", []), now)
        card_ids = _restore_cards(conn, data.get("cards", []))
        reviews = _restore_reviews(conn, data.get("reviews", []), card_ids)
        return tasks, len(card_ids), reviews

    tasks, cards, reviews = write(journal.engine, work)
    skipped = len(data.get("cards", [])) - cards
    return Restored(len(pending), tasks, cards, reviews, skipped)
