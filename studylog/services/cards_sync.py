"""Keeping the card table in step with entries' decks, without losing review history.

Like tasks, cards are synced for a batch of entries at once: the cards a batch names are
read in one query per few hundred keys, owners are settled in memory, and new cards and
ownership changes are written a statement each.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from cards.deck import CardSpec, Deck
from cards.generators.registry import lookup
from cards.keys import CardKey
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
_OWNED = select(CARD.c.id, CARD.c.key, CARD.c.entry_id).where(
    CARD.c.entry_id.in_(bindparam("eids", expanding=True))
)
_MOVE = update(CARD).where(CARD.c.id == bindparam("card_id")).values(entry_id=bindparam("owner"))


@dataclass(frozen=True)
class EntryDeck:
    """One entry's deck to sync: `fresh` says the entry is new, with no topics or cards."""

    entry_id: int
    day: dt.date
    deck: Deck
    fresh: bool = False


@dataclass(frozen=True)
class CardSync:
    """What re-deriving one entry did to the cards."""

    added: int
    kept: int
    removed: int


@dataclass
class _Card:
    """A card as the batch sees it: its owner and the owner's day; `new` until inserted."""

    key: str
    entry_id: int | None
    owner_day: dt.date | None
    id: int | None = None
    new: dict[str, Any] | None = None
    moved: bool = False


def _card_values(spec: CardSpec, now: dt.datetime) -> dict[str, Any]:
    """A new card's row, all but its owner, which the batch settles."""
    return {
        "key": spec.key,
        "kind": spec.kind.value,
        "topics": json.dumps(list(spec.topics)),
        "spec": json.dumps(spec.to_dict(), ensure_ascii=False),
        "created_at": now,
        "due": now,
    }


def _heir(conn: Connection, key: str, leaving: int) -> int | None:
    """The earliest other entry whose topics still call for the built-in card `key` (whose
    subject, its first topic, they name; see `cards.generators.registry.for_topics`)."""
    try:
        subject = lookup(CardKey.parse(key).name).topics[0]
    except KeyError:
        return None  # a generator this version no longer has
    return conn.execute(
        select(TOPIC.c.entry_id)
        .join(ENTRY, ENTRY.c.id == TOPIC.c.entry_id)
        .where(TOPIC.c.topic == subject, TOPIC.c.entry_id != leaving)
        .order_by(ENTRY.c.day)
        .limit(1)
    ).scalar()


def _settle(cards: dict[str, _Card], item: EntryDeck, now: dt.datetime) -> tuple[int, int]:
    """Give the entry its cards: new ones are made, and it adopts those of newer owners."""
    added = kept = 0
    for spec in {spec.key: spec for spec in item.deck.cards}.values():
        card = cards.get(spec.key)
        if card is None:
            cards[spec.key] = _Card(spec.key, item.entry_id, item.day, new=_card_values(spec, now))
            added += 1
            continue
        kept += 1
        if card.entry_id != item.entry_id and (card.owner_day is None or card.owner_day > item.day):
            card.entry_id, card.owner_day, card.moved = item.entry_id, item.day, True
    return added, kept


def _write(conn: Connection, cards: dict[str, _Card]) -> None:
    made = [card.new | {"entry_id": card.entry_id} for card in cards.values() if card.new]
    if made:
        conn.execute(insert(CARD), made)
    moved = [
        {"card_id": card.id, "owner": card.entry_id}
        for card in cards.values()
        if card.moved and card.new is None
    ]
    if moved:
        conn.execute(_MOVE, moved)


def _drop_unused(conn: Connection, batch: Sequence[EntryDeck]) -> dict[int, int]:
    """Hand each re-derived entry's cards it no longer yields on, or delete them.

    A built-in card goes to the earliest other entry whose topics call for it; any other
    card (written-in, call or block cards, whose keys several entries may share) to the
    earliest other entry of the batch that yields it. Returns how many cards each entry
    lost for good."""
    wanted = {item.entry_id: {spec.key for spec in item.deck.cards} for item in batch}
    yielders: dict[str, list[tuple[dt.date, int]]] = {}
    for item in batch:
        for key in wanted[item.entry_id]:
            yielders.setdefault(key, []).append((item.day, item.entry_id))
    removed = dict.fromkeys(wanted, 0)
    known = [item.entry_id for item in batch if not item.fresh]
    owned = [row for part in chunks(known) for row in conn.execute(_OWNED, {"eids": part})]
    for card_id, key, entry_id in owned:
        if key in wanted[entry_id]:
            continue
        if CardKey.parse(key).builtin:
            heir = _heir(conn, key, entry_id)
        else:
            others = sorted(y for y in yielders.get(key, ()) if y[1] != entry_id)
            heir = others[0][1] if others else None
        if heir is None:
            conn.execute(delete(CARD).where(CARD.c.id == card_id))
            removed[entry_id] += 1
        else:
            conn.execute(_MOVE, {"card_id": card_id, "owner": heir})
    return removed


def sync_cards(conn: Connection, batch: Sequence[EntryDeck], now: dt.datetime) -> list[CardSync]:
    """Record each entry's topics and make its cards exist, each once, keyed by spec key.

    A card that already exists keeps its FSRS state and reviews. A built-in card moves to
    an entry older than its owner. Cards an entry no longer yields pass to another entry
    that still calls for them, or are deleted with their reviews.
    """
    known = [item.entry_id for item in batch if not item.fresh]
    for eids in chunks(known):
        conn.execute(delete(TOPIC).where(TOPIC.c.entry_id.in_(eids)))
    topics = [{"entry_id": item.entry_id, "topic": t} for item in batch for t in item.deck.topics]
    if topics:
        conn.execute(insert(TOPIC), topics)

    keys = sorted({spec.key for item in batch for spec in item.deck.cards})
    cards: dict[str, _Card] = {}
    for part in chunks(keys):
        for row in conn.execute(_KNOWN, {"keys": part}):
            cards[row.key] = _Card(row.key, row.entry_id, row.day, id=row.id)
    settled = [_settle(cards, item, now) for item in batch]
    _write(conn, cards)
    removed = _drop_unused(conn, batch)
    return [
        CardSync(added=added, kept=kept, removed=removed[item.entry_id])
        for item, (added, kept) in zip(batch, settled, strict=True)
    ]
