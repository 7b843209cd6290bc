"""Cards as the review queue reads them, and their FSRS state as a review writes it.

Every query here selects the same columns (`_COLUMNS`: the card and its entry's day) and
turns a row into a `CardView` in one place (`_view`). States are `fsrs.State` values bound
as parameters, never literals in the SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fsrs import State
from sqlalchemy import Connection, Select, bindparam, select, text, update

from cards.keys import CardKey
from cards.scheduling import Memory
from cards.stored import StoredSpec
from studylog.store.tables import CardRow, EntryRow, table_of

CARD = table_of(CardRow)
ENTRY = table_of(EntryRow)

_COLUMNS = (
    CARD.c.id,
    CARD.c.key,
    CARD.c.spec,
    CARD.c.state,
    CARD.c.step,
    CARD.c.stability,
    CARD.c.difficulty,
    CARD.c.due,
    CARD.c.last_review,
    CARD.c.reps,
    CARD.c.lapses,
    ENTRY.c.day,
)


@dataclass(frozen=True)
class CardView(StoredSpec):
    """A stored card as the front ends see it."""

    id: int
    key: str
    spec_json: str
    entry_day: dt.date | None
    memory: Memory
    reps: int
    lapses: int

    @property
    def is_new(self) -> bool:
        """Never reviewed."""
        return self.reps == 0

    @property
    def family(self) -> str:
        """Sibling group: cards of one generator family, or written in the same entry."""
        return family_of(self.key, self.entry_day)


def family_of(key: str, entry_day: dt.date | None) -> str:
    """The sibling family of the card stored under `key`, owned by the entry of `entry_day`."""
    return CardKey.parse(key).family(entry_day)


def _view(row: Any) -> CardView:
    return CardView(
        id=row.id,
        key=row.key,
        spec_json=row.spec,
        entry_day=row.day,
        memory=Memory(
            due=row.due,
            state=State(row.state),
            step=row.step,
            stability=row.stability,
            difficulty=row.difficulty,
            last_review=row.last_review,
        ),
        reps=row.reps,
        lapses=row.lapses,
    )


def _cards() -> Select[Any]:
    return select(*_COLUMNS).outerjoin(ENTRY, ENTRY.c.id == CARD.c.entry_id)


# Built once: `record` reads a card for every answer, and building the statement per call
# costs more than running it. FOR UPDATE takes the card's row lock on PostgreSQL, so two
# devices answering the same card queue up; SQLite renders no clause (its writers are
# serialised by BEGIN IMMEDIATE).
_ONE = _cards().where(CARD.c.id == bindparam("target"))
_ONE_LOCKED = _ONE.with_for_update(of=CARD)
_SET_MEMORY = update(CARD).where(CARD.c.id == bindparam("target"))

# New cards in entry-day order. On SQLite, CROSS JOIN keeps `entry` the outer loop (its
# documented way to pin a join order): the scan walks ix_entry_day and probes ix_card_new
# (reps, entry_id) day by day, stopping at the limit. Left to itself the planner starts from
# the card side, then joins and sorts every new card (10k of them in a 100k-card
# collection). PostgreSQL has no CROSS JOIN … ON, and its planner picks the nested loop
# by itself, so it gets the plain join.
_NEW_BY_DAY_SQLITE = text(
    'SELECT card.id, card."key", card.spec, card.state, card.step, card.stability, '
    "card.difficulty, card.due, card.last_review, card.reps, card.lapses, entry.day "
    "FROM entry CROSS JOIN card ON card.entry_id = entry.id "
    "WHERE card.reps = 0 ORDER BY entry.day, card.id LIMIT :limit"
).columns(*_COLUMNS)
_NEW_BY_DAY = (
    select(*_COLUMNS)
    .select_from(ENTRY)
    .join(CARD, CARD.c.entry_id == ENTRY.c.id)
    .where(CARD.c.reps == 0)
    .order_by(ENTRY.c.day, CARD.c.id)
    .limit(bindparam("limit"))
)


# (Re)learning cards due now, read in the order of ix_card_learning (state, reps, due) and
# then sorted by due. PostgreSQL's planner takes state and reps for independent, so it
# expects thousands of reviewed cards in state 1 where a collection holds a few dozen (the
# new cards share that state) and would rather fetch every new card due, 10k heap rows in a
# 100k-card collection (13 ms); given a LIMIT on the index's own order it walks the index
# and stops (0.4 ms). A full page is read again with a larger limit, so none is left out.
_LEARNING_PAGE = 200
_CARD_COLUMNS = [column for column in _COLUMNS if column.table is CARD]
_LEARNING = (
    select(*_CARD_COLUMNS, CARD.c.entry_id)
    .where(
        CARD.c.state.in_([State.Learning, State.Relearning]),
        CARD.c.reps > 0,
        CARD.c.due <= bindparam("now"),
    )
    .order_by(CARD.c.state, CARD.c.reps, CARD.c.due)
    .limit(bindparam("limit"))
    .subquery()
)
_LEARNING_DUE = (
    select(*(_LEARNING.c[column.name] for column in _CARD_COLUMNS), ENTRY.c.day)
    .outerjoin(ENTRY, ENTRY.c.id == _LEARNING.c.entry_id)
    .order_by(_LEARNING.c.due)
)


def card(conn: Connection, card_id: int, *, lock: bool = False) -> CardView | None:
    """The card `card_id`, or None; `lock` holds its row until the transaction ends."""
    row = conn.execute(_ONE_LOCKED if lock else _ONE, {"target": card_id}).first()
    return None if row is None else _view(row)


def all_cards(conn: Connection) -> list[CardView]:
    """Every card, in id order."""
    return [_view(row) for row in conn.execute(_cards().order_by(CARD.c.id))]


def learning_due(conn: Connection, now: dt.datetime) -> list[CardView]:
    """Cards in (re)learning that are due by `now`, soonest first."""
    limit = _LEARNING_PAGE
    while True:
        rows = conn.execute(_LEARNING_DUE, {"now": now, "limit": limit}).all()
        if len(rows) < limit:
            return [_view(row) for row in rows]
        limit *= 10  # a day with that many learning cards: read them all


def reviews_due(conn: Connection, before: dt.datetime, limit: int) -> list[CardView]:
    """Up to `limit` cards in Review that fall due before `before`, soonest first."""
    rows = conn.execute(
        _cards()
        .where(CARD.c.state == State.Review, CARD.c.due < before)
        .order_by(CARD.c.due)
        .limit(limit)
    )
    return [_view(row) for row in rows]


def new_cards(conn: Connection, limit: int) -> Iterator[CardView]:
    """Up to `limit` never-reviewed cards: those without an entry first (by id), then by
    entry day and id. Rows are read as they are consumed, so stop early to read less."""
    orphans = conn.execute(
        _cards().where(CARD.c.reps == 0, CARD.c.entry_id.is_(None)).order_by(CARD.c.id).limit(limit)
    ).all()
    yield from map(_view, orphans)
    by_day = _NEW_BY_DAY_SQLITE if conn.dialect.name == "sqlite" else _NEW_BY_DAY
    with conn.execute(by_day, {"limit": limit - len(orphans)}) as rows:
        yield from map(_view, rows)


def set_memory(conn: Connection, card_id: int, memory: Memory, *, reps: int, lapses: int) -> None:
    """Store a card's FSRS state and its review counts."""
    conn.execute(
        _SET_MEMORY,
        {
            "target": card_id,
            "state": memory.state,
            "step": memory.step,
            "stability": memory.stability,
            "difficulty": memory.difficulty,
            "due": memory.due,
            "last_review": memory.last_review,
            "reps": reps,
            "lapses": lapses,
        },
    )
