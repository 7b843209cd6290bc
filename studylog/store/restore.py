"""What a JSON import lays back over re-derived entries: card FSRS state, and which
reviews are already stored.

The entries, tasks and card ownership an export holds go through `entries`, `tasks` and
`card_ownership`, and its reviews through `reviews.add_all`; this module holds the rest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from fsrs import State
from sqlalchemy import Connection, select, update

from studylog.store.tables import CardRow, ReviewRow, table_of

CARD = table_of(CardRow)
REVIEW = table_of(ReviewRow)


@dataclass(frozen=True)
class CardState:
    """A card's FSRS memory state and schedule, as an export carries them."""

    state: State
    step: int | None
    stability: float | None
    difficulty: float | None
    reps: int
    lapses: int
    due: dt.datetime
    last_review: dt.datetime | None


def card_ids(conn: Connection) -> dict[str, int]:
    """Every card's id, by key."""
    return {row.key: row.id for row in conn.execute(select(CARD.c.id, CARD.c.key))}


def set_state(conn: Connection, card_id: int, state: CardState) -> None:
    """Give a card the FSRS state and schedule of its exported self."""
    conn.execute(update(CARD).where(CARD.c.id == card_id).values(**asdict(state)))


def reviewed(conn: Connection) -> set[tuple[int, dt.datetime]]:
    """Which card was reviewed when, for every stored review."""
    return {
        (row.card_id, row.reviewed_at)
        for row in conn.execute(select(REVIEW.c.card_id, REVIEW.c.reviewed_at))
    }
