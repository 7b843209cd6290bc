"""Importing a JSON export: entries are re-derived, then tasks, card state and reviews are
laid back over them, so export → import → export gives the same data apart from ids."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update

from journal import EntryError
from studylog.errors import StudylogError
from studylog.services.export_check import check_export, instant
from studylog.services.export_json import FORMAT, VERSION
from studylog.services.journal import ENTRY, JournalService
from studylog.services.reading import derive
from studylog.services.tasks import TASK
from studylog.store.reviews import CARD, REVIEW

_CARD_STATE = ("state", "step", "stability", "difficulty", "reps", "lapses")


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
    day_ids = {str(day): eid for eid, day in conn.execute(select(ENTRY.c.id, ENTRY.c.day))}
    for task in tasks:
        values = {
            "due": dt.date.fromisoformat(task["due"]),
            "done": bool(task["done"]),
            "done_at": now if task["done"] else None,
        }
        entry_id = day_ids.get(task["entry_date"]) if task.get("entry_date") else None
        found = (
            conn.execute(
                select(TASK.c.id).where(TASK.c.entry_id == entry_id, TASK.c.text == task["text"])
            ).first()
            if entry_id
            else None
        )
        if found:
            conn.execute(update(TASK).where(TASK.c.id == found.id).values(**values))
        else:
            conn.execute(
                insert(TASK).values(
                    entry_id=entry_id, text=task["text"], created_at=now, position=0, **values
                )
            )
    return len(tasks)


def _restore_cards(conn: Connection, cards: list[dict[str, Any]]) -> dict[int, int]:
    """Lay each exported card's FSRS state over the re-derived card with the same key."""
    ids = {key: cid for cid, key in conn.execute(select(CARD.c.id, CARD.c.key))}
    mapping: dict[int, int] = {}
    for card in cards:
        new_id = ids.get(card["key"])
        if new_id is None:
            continue
        values = {name: card[name] for name in _CARD_STATE}
        values["due"] = instant(card["due"], "due")
        values["last_review"] = instant(card["last_review"], "last_review", nullable=True)
        conn.execute(update(CARD).where(CARD.c.id == new_id).values(**values))
        mapping[card["id"]] = new_id
    return mapping


def _restore_reviews(
    conn: Connection, reviews: list[dict[str, Any]], card_ids: dict[int, int]
) -> int:
    seen = {
        (cid, when) for cid, when in conn.execute(select(REVIEW.c.card_id, REVIEW.c.reviewed_at))
    }
    rows = []
    for review in reviews:
        card_id = card_ids.get(review["card_id"])
        when = instant(review["reviewed_at"], "reviewed_at")
        if card_id is None or (card_id, when) in seen:
            continue
        rows.append(
            {
                "card_id": card_id,
                "reviewed_at": when,
                "rating": review["rating"],
                "correct": review["correct"],
                "answer": review["answer"],
                "duration_ms": review["duration_ms"],
                "seed": review["seed"],
                "retrievability": review["retrievability"],
                "state_before": review["state_before"],
                "was_new": review["was_new"],
                "before": review["before"],
            }
        )
    if rows:
        conn.execute(insert(REVIEW), rows)
    return len(rows)


def restore(journal: JournalService, data: dict[str, Any]) -> Restored:
    """Bring a whole export in, in one transaction."""
    now = journal.clock.now()
    derived = []
    for index, entry in enumerate(data.get("entries", [])):
        try:
            derived.append(derive(entry["markdown"], f"{entry['date']}.md", journal.vocabulary))
        except EntryError as err:
            raise StudylogError(f"entries[{index}].markdown: {err}") from None
    with journal.engine.begin() as conn:
        journal.store_many(conn, [(item, None) for item in derived])
        tasks = _restore_tasks(conn, data.get("tasks", []), now)
        card_ids = _restore_cards(conn, data.get("cards", []))
        reviews = _restore_reviews(conn, data.get("reviews", []), card_ids)
    cards = data.get("cards", [])
    return Restored(len(derived), tasks, len(card_ids), reviews, len(cards) - len(card_ids))
