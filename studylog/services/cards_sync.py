"""Keeping the card table in step with an entry's deck, without losing review history."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from cards.deck import GENERATED, CardSpec, Deck
from cards.generators.registry import lookup
from studylog.store.tables import CardRow, EntryRow, EntryTopicRow

CARD = CardRow.__table__  # type: ignore[attr-defined]
ENTRY = EntryRow.__table__  # type: ignore[attr-defined]
TOPIC = EntryTopicRow.__table__  # type: ignore[attr-defined]

# SQLite allows a limited number of bound parameters per statement.
_CHUNK = 500

# Built once: these run for every imported entry, and building a statement per call
# costs more than running it.
_DELETE_TOPICS = delete(TOPIC).where(TOPIC.c.entry_id == bindparam("eid"))
_KNOWN = (
    select(CARD.c.key, CARD.c.id, CARD.c.entry_id, ENTRY.c.day)
    .outerjoin(ENTRY, ENTRY.c.id == CARD.c.entry_id)
    .where(CARD.c.key.in_(bindparam("keys", expanding=True)))
)
_OWNED = select(CARD.c.id, CARD.c.key).where(CARD.c.entry_id == bindparam("eid"))
_MOVE = update(CARD).where(CARD.c.id.in_(bindparam("ids", expanding=True)))


@dataclass(frozen=True)
class CardSync:
    """What re-deriving one entry did to the cards."""

    added: int
    kept: int
    removed: int


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _card_values(spec: CardSpec, entry_id: int, now: dt.datetime) -> dict[str, object]:
    return {
        "key": spec.key,
        "entry_id": entry_id,
        "kind": spec.kind.value,
        "topics": json.dumps(list(spec.topics)),
        "spec": json.dumps(spec.to_dict(), ensure_ascii=False),
        "created_at": now,
        "due": now,
    }


def _heir(conn: Connection, key: str, leaving: int) -> int | None:
    """The earliest other entry whose topics still call for the built-in card `key`."""
    try:
        topics = lookup(key.removeprefix(GENERATED)).topics
    except KeyError:
        return None  # a generator this version no longer has
    return conn.execute(
        select(TOPIC.c.entry_id)
        .join(ENTRY, ENTRY.c.id == TOPIC.c.entry_id)
        .where(TOPIC.c.topic.in_(topics), TOPIC.c.entry_id != leaving)
        .order_by(ENTRY.c.day)
        .limit(1)
    ).scalar()


def sync_cards(
    conn: Connection,
    entry_id: int,
    day: dt.date,
    deck: Deck,
    now: dt.datetime,
    *,
    fresh: bool = False,
) -> CardSync:
    """Record the entry's topics and make its cards exist, each once, keyed by spec key.

    A card that already exists keeps its FSRS state and reviews. A built-in card moves to
    this entry if this entry is older than its owner. Cards this entry no longer yields
    pass to another entry that still calls for them, or are deleted with their reviews.
    `fresh` says the entry is new: it has no topics or cards of its own yet.
    """
    if not fresh:
        conn.execute(_DELETE_TOPICS, {"eid": entry_id})
    if deck.topics:
        conn.execute(insert(TOPIC), [{"entry_id": entry_id, "topic": t} for t in deck.topics])

    specs = {spec.key: spec for spec in deck.cards}
    known: dict[str, tuple[int, int | None, dt.date | None]] = {}
    for part in _chunks(list(specs)):
        for row in conn.execute(_KNOWN, {"keys": part}):
            known[row.key] = (row.id, row.entry_id, row.day)

    fresh = [_card_values(s, entry_id, now) for key, s in specs.items() if key not in known]
    if fresh:
        conn.execute(insert(CARD), fresh)
    adopt = [
        card_id
        for card_id, owner, owner_day in known.values()
        if owner != entry_id and (owner_day is None or owner_day > day)
    ]
    if adopt:
        conn.execute(_MOVE.values(entry_id=entry_id), {"ids": adopt})

    removed = 0
    owned = [] if fresh else conn.execute(_OWNED, {"eid": entry_id}).all()
    for card_id, key in owned:
        if key in specs:
            continue
        heir = _heir(conn, key, entry_id) if key.startswith(GENERATED) else None
        if heir is None:
            conn.execute(delete(CARD).where(CARD.c.id == card_id))
            removed += 1
        else:
            conn.execute(_MOVE.values(entry_id=heir), {"ids": [card_id]})
    return CardSync(added=len(fresh), kept=len(known), removed=removed)
