"""The complete JSON export, in the shape docs/ARCHITECTURE.md gives, which `import` reads back.

The rows are read with plain SQL on one snapshot (studylog.store.snapshot), not through
the ORM: a journal with a million reviews must export in seconds, and building a million
ORM objects alone takes minutes. Each table
is also available as a stream of plain dicts (`entry_rows`, `task_rows`, `card_rows`,
`review_rows`), which the CSV export writes as they come.
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Callable, Iterator
from typing import IO, Any, TypeVar

from sqlalchemy import Engine

from studylog.store.snapshot import Snapshot, read_snapshot

R = TypeVar("R")
FORMAT = "studylog"
VERSION = 1


def iso(stored: str | None) -> str | None:
    """A stored UTC time (SQLite's text, "YYYY-MM-DD HH:MM:SS.ffffff+00:00", or the same
    without the offset from before schema 5) as `datetime.isoformat()` gives it for the
    aware UTC value: microseconds only when non-zero, and a +00:00 offset. String slicing,
    because parsing and formatting a million datetimes costs more than the rest of the
    export together."""
    if stored is None:
        return None
    fraction = stored[20:26]
    seconds = f"{stored[:10]}T{stored[11:19]}"
    return f"{seconds}+00:00" if fraction in ("", "000000") else f"{seconds}.{fraction}+00:00"


def _flag(value: int | None) -> bool | None:
    """SQLite's 0/1 as the bool SQLModel reads it as."""
    return None if value is None else bool(value)


# Every ORDER BY sorts on content, not on ids, so an export of a restored copy lines up
# with the original row for row; the trailing id only keeps ties in insertion order.


def entry_rows(snap: Snapshot) -> Iterator[dict[str, Any]]:
    """Every entry, oldest first, with its lectures (by number) and topics (by name)."""
    lectures: dict[int, list[dict[str, Any]]] = {}
    for entry_id, number, title in snap.iterate(
        "SELECT entry_id, number, title FROM lecture ORDER BY number, id"
    ):
        lectures.setdefault(entry_id, []).append({"number": number, "title": title})
    topics: dict[int, list[str]] = {}
    for entry_id, topic in snap.iterate("SELECT entry_id, topic FROM entry_topic ORDER BY topic"):
        topics.setdefault(entry_id, []).append(topic)
    for entry_id, day, category, markdown in snap.iterate(
        "SELECT id, day, category, markdown FROM entry ORDER BY day"
    ):
        yield {
            "date": day,
            "category": category,
            "lectures": lectures.get(entry_id, []),
            "markdown": markdown,
            "topics": topics.get(entry_id, []),
        }


def task_rows(snap: Snapshot) -> Iterator[dict[str, Any]]:
    """Every task, by due date, then by the entry that planned it (hand-added ones last),
    then in plan order."""
    for task_id, text, day, due, done in snap.iterate(
        "SELECT t.id, t.text, e.day, t.due, t.done FROM task t "
        "LEFT JOIN entry e ON e.id = t.entry_id "
        "ORDER BY t.due, coalesce(e.day, '~'), t.position, t.text, t.id",
    ):
        yield {"id": task_id, "text": text, "entry_date": day, "due": due, "done": bool(done)}


_CARD_SQL = (
    "SELECT c.id, c.key, c.kind, c.topics, e.day, c.state, c.step, c.due, "
    "c.last_review, c.stability, c.difficulty, c.reps, c.lapses "
    "FROM card c LEFT JOIN entry e ON e.id = c.entry_id "
    "ORDER BY coalesce(e.day, ''), c.key"
)


def card_rows(snap: Snapshot) -> Iterator[dict[str, Any]]:
    """Every card with its FSRS state, by the day of the entry that owns it, then key."""
    for (
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
    ) in snap.iterate(_CARD_SQL):
        yield {
            "id": card_id,
            "key": key,
            "kind": kind,
            "topics": json.loads(topics),
            "entry_date": day,
            "state": state,
            "step": step,
            "due": iso(due),
            "last_review": iso(last_review),
            "stability": stability,
            "difficulty": difficulty,
            "reps": reps,
            "lapses": lapses,
        }


_REVIEW_SQL = (
    "SELECT id, card_id, reviewed_at, rating, correct, answer, duration_ms, seed, "
    "retrievability, state_before, was_new, before FROM review ORDER BY reviewed_at, id"
)
ReviewTuple = tuple[Any, ...]  # the columns of _REVIEW_SQL, in order
_BATCH = 2000


def _review_batches(snap: Snapshot) -> Iterator[list[ReviewTuple]]:
    """Review rows oldest first, in batches; reviews at the same instant by card key."""
    # The index on reviewed_at hands the rows over in time order (ties by id) without a
    # sort. Ties are rare (scripts that pin --now), so they are put in card-key order
    # here: far cheaper than having SQLite sort a million wide rows or join each to its
    # card. A batch is held back from its last run of equal times, so no run is split.
    keys: dict[int, str] = {}
    cursor = snap.cursor(_REVIEW_SQL)
    try:
        held: list[ReviewTuple] = []
        while batch := cursor.fetchmany(_BATCH):
            rows = held + batch if held else batch
            cut = len(rows) - 1
            while cut > 0 and rows[cut - 1][2] == rows[-1][2]:
                cut -= 1
            held = rows[cut:]
            if cut:
                yield _by_key(snap, rows[:cut], keys)
        if held:
            yield _by_key(snap, held, keys)
    finally:
        cursor.close()


def _by_key(snap: Snapshot, rows: list[ReviewTuple], keys: dict[int, str]) -> list[ReviewTuple]:
    """`rows` (in time order) with any reviews at the same instant ordered by card key."""
    stamps = [row[2] for row in rows]
    if not any(map(operator.eq, stamps, stamps[1:])):
        return rows
    keys.update(keys or snap.iterate("SELECT id, key FROM card"))
    return sorted(rows, key=lambda r: (r[2], keys.get(r[1], ""), r[0]))


def _review(row: ReviewTuple) -> dict[str, Any]:
    (
        _id,
        card_id,
        reviewed_at,
        rating,
        correct,
        answer,
        duration_ms,
        seed,
        retrievability,
        state_before,
        was_new,
        before,
    ) = row
    return {
        "card_id": card_id,
        "reviewed_at": iso(reviewed_at),
        "rating": rating,
        "correct": _flag(correct),
        "answer": answer,
        "duration_ms": duration_ms,
        "seed": seed,
        "retrievability": retrievability,
        "state_before": state_before,
        "was_new": bool(was_new),
        "before": before,
    }


def review_rows(snap: Snapshot) -> Iterator[dict[str, Any]]:
    """Every review, oldest first; reviews at the same instant by card key."""
    for batch in _review_batches(snap):
        yield from map(_review, batch)


def count_rows(engine: Engine) -> dict[str, int]:
    """How many rows each exported table holds (for progress bars)."""
    with read_snapshot(engine) as snap:
        return {
            table: int(snap.one(f"SELECT count(*) FROM {source}")[0])
            for table, source in (
                ("entries", "entry"),
                ("tasks", "task"),
                ("cards", "card"),
                ("reviews", "review"),
            )
        }


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


def _card_json(row: tuple[Any, ...]) -> str:
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
        cards = snap.iterate(_CARD_SQL)
        table("cards", ([*map(_card_json, batch)] for batch in _chunks(cards)))
        reviews = _review_batches(snap)
        table("reviews", ([*map(_review_json, b)] for b in reviews), last=True)
        out.write("}\n")


def _chunks(rows: Iterator[R]) -> Iterator[list[R]]:
    batch: list[R] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
