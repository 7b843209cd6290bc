"""The complete JSON export, in the shape docs/ARCHITECTURE.md gives, which `import` reads back.

The rows are read as plain tuples on one snapshot (studylog.store.exports), not as ORM
objects: a journal with a million reviews must export in seconds, and building a million
ORM objects alone takes minutes. Each table is also available as a stream of plain dicts
(`entry_rows`, `task_rows`, `card_rows`, `review_rows`), which the CSV export writes as
they come.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any, TypeVar

from studylog.store import exports
from studylog.store.exports import CARD_FIELDS, REVIEW_FIELDS, CardRecord, ReviewTuple, iso
from studylog.store.snapshot import BATCH, Snapshot, read_snapshot

if TYPE_CHECKING:
    from sqlalchemy import Engine

R = TypeVar("R")
FORMAT = "studylog"
VERSION = 1


def entry_rows(snap: Snapshot) -> Iterator[dict[str, Any]]:
    """Every entry, oldest first, with its lectures (by number) and topics (by name)."""
    for entry in exports.entries(snap):
        yield {
            "date": entry.day,
            "category": entry.category,
            "lectures": [{"number": lec.number, "title": lec.title} for lec in entry.lectures],
            "markdown": entry.markdown,
            "topics": list(entry.topics),
        }


def task_rows(snap: Snapshot) -> Iterator[dict[str, Any]]:
    """Every task, by due date, then by the entry that planned it (hand-added ones last),
    then in plan order."""
    for task in exports.tasks(snap):
        yield {
            "id": task.id,
            "text": task.text,
            "entry_date": task.entry_day,
            "due": task.due,
            "done": task.done,
        }


def _card(row: CardRecord) -> dict[str, Any]:
    card: dict[str, Any] = dict(zip(CARD_FIELDS, row, strict=True))
    card["topics"] = json.loads(card["topics"])
    card["due"], card["last_review"] = iso(card["due"]), iso(card["last_review"])
    return card


def card_rows(snap: Snapshot) -> Iterator[dict[str, Any]]:
    """Every card with its FSRS state, by the day of the entry that owns it, then key."""
    for batch in exports.card_batches(snap):
        yield from map(_card, batch)


def _review(row: ReviewTuple) -> dict[str, Any]:
    review: dict[str, Any] = dict(zip(REVIEW_FIELDS, row, strict=True))
    del review["id"]
    review["reviewed_at"] = iso(review["reviewed_at"])
    if review["correct"] is not None:
        review["correct"] = bool(review["correct"])
    review["was_new"] = bool(review["was_new"])
    return review


def review_rows(snap: Snapshot) -> Iterator[dict[str, Any]]:
    """Every review, oldest first; reviews at the same instant by card key."""
    for batch in exports.review_batches(snap):
        yield from map(_review, batch)


def count_rows(engine: Engine) -> dict[str, int]:
    """How many rows each exported table holds (for progress bars)."""
    with read_snapshot(engine) as snap:
        return exports.counts(snap)


def export_json(engine: Engine) -> dict[str, Any]:
    """Every entry with its lectures and topics, every task, card and review, oldest first."""
    with read_snapshot(engine) as snap:
        return {
            "format": FORMAT,
            "version": VERSION,
            "entries": list(entry_rows(snap)),
            "tasks": list(task_rows(snap)),
            "cards": list(card_rows(snap)),
            "reviews": list(review_rows(snap)),
        }


# -- writing the JSON text ------------------------------------------------------------------

_encode = json.JSONEncoder(ensure_ascii=False).encode
_quote: Callable[[str], str] = json.encoder.encode_basestring


def _float(value: float) -> str:
    # json writes finite floats with repr(); NaN and infinities get its own spelling.
    return repr(value) if math.isfinite(value) else _encode(value)


def _json_iso(stored: str | None) -> str:
    value = iso(stored)
    return "null" if value is None else f'"{value}"'


def _number(value: float | None) -> str:
    return "null" if value is None else _float(value)


def _card_json(row: CardRecord) -> str:
    """`json.dumps` of a `card_rows` row, written out by hand like `_review_json`. The
    topics column already holds a JSON list (cards_sync writes it with json.dumps), so
    it is copied rather than parsed and written again."""
    (
        card_id,
        key,
        kind,
        topics,
        day,
        state,
        step,
        due,
        last_review,
        stability,
        difficulty,
        reps,
        lapses,
    ) = row
    return (
        f'{{"id": {card_id}, "key": {_quote(key)}, "kind": {_quote(kind)}, '
        f'"topics": {topics}, "entry_date": {"null" if day is None else _quote(day)}, '
        f'"state": {state}, "step": {"null" if step is None else step}, '
        f'"due": {_json_iso(due)}, "last_review": {_json_iso(last_review)}, '
        f'"stability": {_number(stability)}, "difficulty": {_number(difficulty)}, '
        f'"reps": {reps}, "lapses": {lapses}}}'
    )


def _review_json(row: ReviewTuple) -> str:
    """`json.dumps(_review(row), ensure_ascii=False)`, written out by hand: the review
    log is most of an export, and going through a dict and the encoder costs twice as
    much."""
    (
        _id,
        card_id,
        reviewed_at,
        rating,
        correct,
        answer,
        duration_ms,
        seed,
        recall,
        state_before,
        was_new,
        before,
    ) = row
    return (
        f'{{"card_id": {card_id}, "reviewed_at": "{iso(reviewed_at)}", "rating": {rating}, '
        f'"correct": {"null" if correct is None else "true" if correct else "false"}, '
        f'"answer": {"null" if answer is None else _quote(answer)}, '
        f'"duration_ms": {"null" if duration_ms is None else duration_ms}, '
        f'"seed": {"null" if seed is None else seed}, '
        f'"retrievability": {"null" if recall is None else _float(recall)}, '
        f'"state_before": {state_before}, "was_new": {"true" if was_new else "false"}, '
        f'"before": {_quote(before)}}}'
    )


def write_json(engine: Engine, out: IO[str], progress: Callable[[int], None] | None = None) -> None:
    """Write the export to `out` as JSON text, one row per line; `progress` is called
    with the number of rows written so far, every few thousand rows.

    `json.loads` of the text equals `export_json(engine)`. Pretty-printing with `indent`
    would send json through its pure-Python encoder, which takes minutes for a large
    review log; one compact row per line is as easy to read and to diff.
    """
    written = 0

    def table(name: str, batches: Iterator[list[str]], last: bool = False) -> None:
        nonlocal written
        out.write(f'  "{name}": [')
        first = True
        for lines in batches:
            out.write("\n    " if first else ",\n    ")
            out.write(",\n    ".join(lines))
            first = False
            written += len(lines)
            if progress is not None:
                progress(written)
        out.write(("]" if first else "\n  ]") + ("\n" if last else ",\n"))

    def encoded(rows: Iterator[dict[str, Any]]) -> Iterator[list[str]]:
        yield from ([_encode(row) for row in batch] for batch in _chunks(rows))

    with read_snapshot(engine) as snap:
        out.write(f'{{\n  "format": {_encode(FORMAT)},\n  "version": {VERSION},\n')
        table("entries", encoded(entry_rows(snap)))
        table("tasks", encoded(task_rows(snap)))
        table("cards", ([*map(_card_json, b)] for b in exports.card_batches(snap)))
        reviews = exports.review_batches(snap)
        table("reviews", ([*map(_review_json, b)] for b in reviews), last=True)
        out.write("}\n")


def _chunks(rows: Iterator[R]) -> Iterator[list[R]]:
    batch: list[R] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
