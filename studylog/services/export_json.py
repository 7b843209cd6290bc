"""The complete JSON export, in the shape DESIGN.md fixes, which `import` reads back."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from studylog.store.tables import EntryRow, LectureRow, TaskRow

FORMAT = "studylog"
VERSION = 1


def export_json(engine: Any) -> dict[str, Any]:
    """Every entry with its lectures, and every task, oldest first."""
    with Session(engine) as session:
        lectures: dict[int, list[dict[str, Any]]] = {}
        for lec in session.exec(select(LectureRow).order_by(col(LectureRow.number))):
            lectures.setdefault(lec.entry_id, []).append({"number": lec.number, "title": lec.title})
        entries = session.exec(select(EntryRow).order_by(col(EntryRow.day))).all()
        days = {e.id: e.day.isoformat() for e in entries}
        tasks = session.exec(select(TaskRow).order_by(col(TaskRow.due), col(TaskRow.id))).all()
        return {
            "format": FORMAT,
            "version": VERSION,
            "entries": [
                {
                    "date": e.day.isoformat(),
                    "category": e.category,
                    "lectures": lectures.get(e.id or 0, []),
                    "markdown": e.markdown,
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
        }
