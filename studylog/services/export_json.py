"""The complete JSON export, in the shape DESIGN.md fixes, which `import` reads back."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from studylog.store.tables import (
    CardRow,
    EntryRow,
    EntryTopicRow,
    LectureRow,
    ReviewRow,
    TaskRow,
)

FORMAT = "studylog"
VERSION = 1


def _iso(value: dt.datetime | None) -> str | None:
    """ISO 8601 with its UTC offset (SQLModel hands back aware UTC values)."""
    return value.isoformat() if value is not None else None


def export_json(engine: Engine) -> dict[str, Any]:
    """Every entry with its lectures and topics, every task, card and review, oldest first."""
    with Session(engine) as session:
        lectures: dict[int, list[dict[str, Any]]] = {}
        for lec in session.exec(select(LectureRow).order_by(col(LectureRow.number))):
            lectures.setdefault(lec.entry_id, []).append({"number": lec.number, "title": lec.title})
        topics: dict[int, list[str]] = {}
        for row in session.exec(select(EntryTopicRow).order_by(col(EntryTopicRow.topic))):
            topics.setdefault(row.entry_id, []).append(row.topic)
        entries = session.exec(select(EntryRow).order_by(col(EntryRow.day))).all()
        days = {e.id: e.day.isoformat() for e in entries}
        # Orders use content, not ids, so an export of a restored copy lines up with the
        # original row for row.
        tasks = sorted(
            session.exec(select(TaskRow)).all(),
            key=lambda t: (t.due, days.get(t.entry_id) or "~", t.position, t.text),
        )
        cards = sorted(
            session.exec(select(CardRow)).all(), key=lambda c: (days.get(c.entry_id) or "", c.key)
        )
        keys = {c.id: c.key for c in cards}
        reviews = sorted(
            session.exec(select(ReviewRow)).all(),
            key=lambda r: (r.reviewed_at, keys.get(r.card_id, "")),
        )
        return {
            "format": FORMAT,
            "version": VERSION,
            "entries": [
                {
                    "date": e.day.isoformat(),
                    "category": e.category,
                    "lectures": lectures.get(e.id or 0, []),
                    "markdown": e.markdown,
                    "topics": topics.get(e.id or 0, []),
                }
                for e in entries
            ],
            "tasks": [
                {
                    "id": t.id,
                    "text": t.text,
                    "entry_date": days.get(t.entry_id) if t.entry_id else None,
                    "due": t.due.isoformat(),
                    "done": t.done,
                }
                for t in tasks
            ],
            "cards": [
                {
                    "id": c.id,
                    "key": c.key,
                    "kind": c.kind,
                    "topics": json.loads(c.topics),
                    "entry_date": days.get(c.entry_id) if c.entry_id else None,
                    "state": c.state,
                    "step": c.step,
                    "due": _iso(c.due),
                    "last_review": _iso(c.last_review),
                    "stability": c.stability,
                    "difficulty": c.difficulty,
                    "reps": c.reps,
                    "lapses": c.lapses,
                }
                for c in cards
            ],
            "reviews": [
                {
                    "card_id": r.card_id,
                    "reviewed_at": _iso(r.reviewed_at),
                    "rating": r.rating,
                    "correct": r.correct,
                    "answer": r.answer,
                    "duration_ms": r.duration_ms,
                    "seed": r.seed,
                    "retrievability": r.retrievability,
                    "state_before": r.state_before,
                    "was_new": r.was_new,
                    "before": r.before,
                }
                for r in reviews
            ],
        }
