"""Checking a parsed JSON export field by field before `import` writes any of it.

An export can come from anyone, so nothing in it is trusted: each value's type and range
is checked against what the tables and the scheduler can hold, and the first bad one is
named by its JSON path (`cards[3].stability: not a finite number`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from typing import Any, TypeVar

from studylog.errors import StudylogError

T = TypeVar("T")

# SQLite's INTEGER is a signed 64-bit value.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
# FSRS card states (fsrs.State): Learning, Review, Relearning.
STATES = frozenset({1, 2, 3})
RATINGS = frozenset({1, 2, 3, 4})
# Instants are kept well inside datetime's range, so scheduling arithmetic (a due date
# plus an interval of up to a century) cannot overflow later.
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)
# The card fields the scheduler writes and a review's `before` snapshot holds.
_STATE_FIELDS = ("state", "step", "stability", "difficulty", "reps", "lapses")


class ExportFieldError(StudylogError):
    """One field of an export is not what `import` can store."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")


def _field(record: dict[str, Any], path: str, name: str, *, optional: bool = False) -> Any:
    if name not in record:
        if optional:
            return None
        raise ExportFieldError(f"{path}.{name}", "missing")
    return record[name]


def _integer(value: Any, path: str, *, low: int = INT_MIN, nullable: bool = False) -> int | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ExportFieldError(path, "not an integer")
    if not low <= value <= INT_MAX:
        raise ExportFieldError(path, f"out of range ({low} to {INT_MAX})")
    return value


def _number(value: Any, path: str, *, high: float = math.inf) -> float | None:
    """A finite, non-negative number (or null) up to `high`."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ExportFieldError(path, "not a number")
    # The size first: math.isfinite cannot take an integer too large for a float.
    if abs(value) > 1e300 or not math.isfinite(value):
        raise ExportFieldError(path, "not a finite number")
    if not 0 <= value <= high:
        raise ExportFieldError(path, f"out of range (0 to {high})")
    return float(value)


def _text(value: Any, path: str, *, nullable: bool = False) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise ExportFieldError(path, "not a string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (`"\\ud800"` in the JSON) cannot be written as UTF-8.
        raise ExportFieldError(path, "holds a character that is not valid text") from None
    return value


def _flag(value: Any, path: str, *, nullable: bool = False) -> bool | None:
    if value is None and nullable:
        return None
    if not isinstance(value, bool):
        raise ExportFieldError(path, "not true or false")
    return value


def _choice(value: Any, path: str, allowed: frozenset[int]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        raise ExportFieldError(path, f"not one of {sorted(allowed)}")
    return int(value)


def _parsed(value: Any, path: str, parse: Callable[[str], T], what: str) -> T:
    """`parse` of the text at `path`; an ExportFieldError saying it is not `what`."""
    text = _text(value, path)
    try:
        return parse(text or "")
    except (ValueError, OverflowError):
        raise ExportFieldError(path, f"not {what}") from None


def _day(value: Any, path: str, *, nullable: bool = False) -> dt.date | None:
    if value is None and nullable:
        return None
    day = _parsed(value, path, dt.date.fromisoformat, "a date (YYYY-MM-DD)")
    if not EARLIEST.date() <= day < LATEST.date():
        raise ExportFieldError(path, f"outside {EARLIEST.year}-{LATEST.year}")
    return day


def instant(value: Any, path: str, *, nullable: bool = False) -> dt.datetime | None:
    """An ISO date-time as an aware UTC datetime; naive input is taken as UTC."""
    if value is None and nullable:
        return None
    when = _parsed(value, path, _aware, "an ISO date-time")
    if not EARLIEST <= when < LATEST:
        raise ExportFieldError(path, f"outside {EARLIEST.year}-{LATEST.year}")
    return when.astimezone(dt.UTC)


def _aware(text: str) -> dt.datetime:
    # Naive input is UTC. Converting here lets an offset that pushes the instant past
    # datetime's range fail as unparsable (OverflowError), not in the range check.
    when = dt.datetime.fromisoformat(text)
    return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def _records(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    items = data.get(name, [])
    if not isinstance(items, list):
        raise ExportFieldError(name, "not a list")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ExportFieldError(f"{name}[{index}]", "not an object")
    return items


def _card_state(record: dict[str, Any], path: str) -> None:
    """The FSRS fields shared by a card and a review's `before` snapshot."""
    _choice(_field(record, path, "state"), f"{path}.state", STATES)
    _integer(_field(record, path, "step"), f"{path}.step", low=0, nullable=True)
    _number(_field(record, path, "stability"), f"{path}.stability")
    _number(_field(record, path, "difficulty"), f"{path}.difficulty", high=10.0)
    _integer(_field(record, path, "reps"), f"{path}.reps", low=0)
    _integer(_field(record, path, "lapses"), f"{path}.lapses", low=0)


def _once(seen: set[Any], value: Any, path: str, problem: str) -> None:
    """Note `value` as seen; an ExportFieldError if it was seen before."""
    if value in seen:
        raise ExportFieldError(path, problem)
    seen.add(value)


def _check_entries(data: dict[str, Any]) -> None:
    days: set[dt.date | None] = set()
    for index, entry in enumerate(_records(data, "entries")):
        path = f"entries[{index}]"
        day = _day(_field(entry, path, "date"), f"{path}.date")
        _once(days, day, f"{path}.date", f"a second entry for {day}")
        _text(_field(entry, path, "markdown"), f"{path}.markdown")


def _check_tasks(data: dict[str, Any]) -> None:
    for index, task in enumerate(_records(data, "tasks")):
        path = f"tasks[{index}]"
        _text(_field(task, path, "text"), f"{path}.text")
        _day(_field(task, path, "due"), f"{path}.due")
        _flag(_field(task, path, "done"), f"{path}.done")
        _day(_field(task, path, "entry_date", optional=True), f"{path}.entry_date", nullable=True)


def _check_cards(data: dict[str, Any]) -> set[int]:
    ids: set[int | None] = set()
    keys: set[str | None] = set()
    for index, card in enumerate(_records(data, "cards")):
        path = f"cards[{index}]"
        card_id = _integer(_field(card, path, "id"), f"{path}.id")
        _once(ids, card_id, f"{path}.id", f"card id {card_id} used twice")
        key = _text(_field(card, path, "key"), f"{path}.key")
        _once(keys, key, f"{path}.key", "card key used twice")
        _card_state(card, path)
        instant(_field(card, path, "due"), f"{path}.due")
        instant(_field(card, path, "last_review"), f"{path}.last_review", nullable=True)
    return {card_id for card_id in ids if card_id is not None}


def _check_before(value: Any, path: str) -> None:
    text = _text(value, path)
    try:
        snapshot = json.loads(text or "")
    except (ValueError, RecursionError):
        raise ExportFieldError(path, "not a JSON card state") from None
    if not isinstance(snapshot, dict):
        raise ExportFieldError(path, "not a JSON card state")
    _card_state(snapshot, path)
    instant(_field(snapshot, path, "due"), f"{path}.due")
    instant(_field(snapshot, path, "last_review"), f"{path}.last_review", nullable=True)


def _check_reviews(data: dict[str, Any], card_ids: set[int]) -> None:
    seen: set[tuple[int | None, dt.datetime | None]] = set()
    for index, review in enumerate(_records(data, "reviews")):
        path = f"reviews[{index}]"
        card_id = _integer(_field(review, path, "card_id"), f"{path}.card_id")
        if card_id not in card_ids:
            raise ExportFieldError(f"{path}.card_id", f"no card with id {card_id}")
        when = instant(_field(review, path, "reviewed_at"), f"{path}.reviewed_at")
        if (card_id, when) in seen:
            raise ExportFieldError(path, "a second review of the same card at the same time")
        seen.add((card_id, when))
        _choice(_field(review, path, "rating"), f"{path}.rating", RATINGS)
        _flag(_field(review, path, "correct"), f"{path}.correct", nullable=True)
        _text(_field(review, path, "answer"), f"{path}.answer", nullable=True)
        _integer(_field(review, path, "duration_ms"), f"{path}.duration_ms", low=0, nullable=True)
        _integer(_field(review, path, "seed"), f"{path}.seed", nullable=True)
        _number(_field(review, path, "retrievability"), f"{path}.retrievability", high=1.0)
        _choice(_field(review, path, "state_before"), f"{path}.state_before", STATES)
        _flag(_field(review, path, "was_new"), f"{path}.was_new")
        _check_before(_field(review, path, "before"), f"{path}.before")


def check_export(data: dict[str, Any]) -> None:
    """Raise an ExportFieldError naming the first field `import` could not store."""
    _check_entries(data)
    _check_tasks(data)
    _check_reviews(data, _check_cards(data))
