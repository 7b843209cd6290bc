"""Keeping the card table in step with entries' decks, without losing review history.

Like tasks, cards are synced for a batch of entries at once: the cards a batch names are
read in one query per few hundred keys, owners are settled in memory, and new cards and
ownership changes are written a statement each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cards.deck import CardSpec, Deck
from cards.generators.registry import lookup
from cards.keys import CardKey
from studylog.store import card_ownership as ownership
from studylog.store.card_ownership import NewCard

if TYPE_CHECKING:
    from sqlalchemy import Connection


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
    new: CardSpec | None = None
    moved: bool = False


def _heir(conn: Connection, key: str, leaving: int) -> int | None:
    """The earliest other entry whose topics still call for the built-in card `key` (whose
    subject, its first topic, they name; see `cards.generators.registry.for_topics`)."""
    try:
        subject = lookup(CardKey.parse(key).name).topics[0]
    except KeyError:
        return None  # a generator this version no longer has
    return ownership.earliest_with_topic(conn, subject, leaving)


def _settle(cards: dict[str, _Card], item: EntryDeck) -> tuple[int, int]:
    """Give the entry its cards: new ones are made, and it adopts those of newer owners."""
    added = kept = 0
    for spec in {spec.key: spec for spec in item.deck.cards}.values():
        card = cards.get(spec.key)
        if card is None:
            cards[spec.key] = _Card(spec.key, item.entry_id, item.day, new=spec)
            added += 1
            continue
        kept += 1
        if card.entry_id != item.entry_id and (card.owner_day is None or card.owner_day > item.day):
            card.entry_id, card.owner_day, card.moved = item.entry_id, item.day, True
    return added, kept


def _write(conn: Connection, cards: dict[str, _Card], now: dt.datetime) -> None:
    made = [NewCard(card.new, card.entry_id) for card in cards.values() if card.new]
    ownership.create(conn, made, now)
    ownership.move(
        conn,
        [
            (card.id, card.entry_id)
            for card in cards.values()
            if card.moved and card.new is None and card.id is not None
        ],
    )


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
    gone: list[int] = []
    moves: list[tuple[int, int | None]] = []
    for card in ownership.owned(conn, known):
        if card.key in wanted[card.entry_id]:
            continue
        if CardKey.parse(card.key).builtin:
            heir = _heir(conn, card.key, card.entry_id)
        else:
            others = sorted(y for y in yielders.get(card.key, ()) if y[1] != card.entry_id)
            heir = others[0][1] if others else None
        if heir is None:
            gone.append(card.id)
            removed[card.entry_id] += 1
        else:
            moves.append((card.id, heir))
    ownership.remove(conn, gone)
    ownership.move(conn, moves)
    return removed


def sync_cards(conn: Connection, batch: Sequence[EntryDeck], now: dt.datetime) -> list[CardSync]:
    """Record each entry's topics and make its cards exist, each once, keyed by spec key.

    A card that already exists keeps its FSRS state and reviews. A built-in card moves to
    an entry older than its owner. Cards an entry no longer yields pass to another entry
    that still calls for them, or are deleted with their reviews.
    """
    ownership.replace_topics(
        conn,
        [item.entry_id for item in batch if not item.fresh],
        [(item.entry_id, topic) for item in batch for topic in item.deck.topics],
    )
    keys = sorted({spec.key for item in batch for spec in item.deck.cards})
    cards = {
        card.key: _Card(card.key, card.entry_id, card.owner_day, id=card.id)
        for card in ownership.known(conn, keys)
    }
    settled = [_settle(cards, item) for item in batch]
    _write(conn, cards, now)
    removed = _drop_unused(conn, batch)
    return [
        CardSync(added=added, kept=kept, removed=removed[item.entry_id])
        for item, (added, kept) in zip(batch, settled, strict=True)
    ]
