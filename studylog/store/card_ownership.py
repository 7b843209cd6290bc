"""Which entry owns each card, and the topics that decide it.

Cards are kept in step with entries' decks a batch at a time: the cards a batch names are
read in one query per few hundred keys, and new cards and ownership changes are written a
statement each. The FSRS state of a card is never touched here (see `cards_sync`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from cards.deck import CardSpec
from studylog.store.chunks import chunks
from studylog.store.tables import CardRow, EntryRow, EntryTopicRow, table_of

CARD = table_of(CardRow)
ENTRY = table_of(EntryRow)
TOPIC = table_of(EntryTopicRow)

# Built once: these run for every imported batch, and building a statement per call
# costs more than running it.
_KNOWN = (
    select(CARD.c.key, CARD.c.id, CARD.c.entry_id, ENTRY.c.day)
    .outerjoin(ENTRY, ENTRY.c.id == CARD.c.entry_id)
    .where(CARD.c.key.in_(bindparam("keys", expanding=True)))
)
_OWNED = (
    select(CARD.c.id, CARD.c.key, CARD.c.entry_id)
    .where(CARD.c.entry_id.in_(bindparam("eids", expanding=True)))
    .order_by(CARD.c.id)
)
_MOVE = update(CARD).where(CARD.c.id == bindparam("card_id")).values(entry_id=bindparam("owner"))


@dataclass(frozen=True)
class KnownCard:
    """A stored card's key and id, its owner and the owner's day (None when it has none)."""

    key: str
    id: int
    entry_id: int | None
    owner_day: dt.date | None


@dataclass(frozen=True)
class OwnedCard:
    """A card an entry owns."""

    id: int
    key: str
    entry_id: int


@dataclass(frozen=True)
class NewCard:
    """A card to create, new to FSRS, owned by `entry_id`."""

    spec: CardSpec
    entry_id: int | None


def replace_topics(
    conn: Connection, stale: Sequence[int], topics: Sequence[tuple[int, str]]
) -> None:
    """Drop the topics of the entries `stale`, then record `topics` (entry id, topic)."""
    for part in chunks(stale):
        conn.execute(delete(TOPIC).where(TOPIC.c.entry_id.in_(part)))
    if topics:
        conn.execute(insert(TOPIC), [{"entry_id": e, "topic": t} for e, t in topics])


def known(conn: Connection, keys: Sequence[str]) -> list[KnownCard]:
    """The stored cards with these keys."""
    return [
        KnownCard(*row) for part in chunks(keys) for row in conn.execute(_KNOWN, {"keys": part})
    ]


def owned(conn: Connection, entry_ids: Sequence[int]) -> list[OwnedCard]:
    """The cards these entries own."""
    return [
        OwnedCard(*row)
        for part in chunks(entry_ids)
        for row in conn.execute(_OWNED, {"eids": part})
    ]


def earliest_with_topic(conn: Connection, topic: str, besides: int) -> int | None:
    """The earliest entry, other than `besides`, whose notes have `topic`."""
    found = conn.execute(
        select(TOPIC.c.entry_id)
        .join(ENTRY, ENTRY.c.id == TOPIC.c.entry_id)
        .where(TOPIC.c.topic == topic, TOPIC.c.entry_id != besides)
        .order_by(ENTRY.c.day)
        .limit(1)
    ).scalar()
    return None if found is None else int(found)


def create(conn: Connection, cards: Sequence[NewCard], now: dt.datetime) -> None:
    """Insert new cards, due now."""
    if cards:
        conn.execute(
            insert(CARD),
            [
                {
                    "key": card.spec.key,
                    "kind": card.spec.kind,
                    "topics": json.dumps(list(card.spec.topics)),
                    "spec": json.dumps(card.spec.to_dict(), ensure_ascii=False),
                    "entry_id": card.entry_id,
                    "created_at": now,
                    "due": now,
                }
                for card in cards
            ],
        )


def move(conn: Connection, moves: Sequence[tuple[int, int | None]]) -> None:
    """Give cards (card id, new owner) to other entries."""
    if moves:
        conn.execute(_MOVE, [{"card_id": card_id, "owner": owner} for card_id, owner in moves])


def remove(conn: Connection, card_ids: Sequence[int]) -> None:
    """Delete cards, with their reviews."""
    for part in chunks(card_ids):
        conn.execute(delete(CARD).where(CARD.c.id.in_(part)))
