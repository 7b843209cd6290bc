"""What a stored card carries besides its schedule: its spec as JSON and its review count.

A card read back from the database (by the review queue, or by `studylog check` with plain
sqlite3) is asked from these alone, so the parsing and the seed rule live here, once.
"""

from __future__ import annotations

import hashlib
import json
from functools import cached_property

from cards.deck import CardSpec, spec_from_dict


class StoredSpec:
    """`spec` and `seed()` of a card from its stored `key`, `spec_json` and `reps`; the
    dataclasses of stored cards take them from here."""

    key: str
    spec_json: str
    reps: int

    @cached_property
    def spec(self) -> CardSpec:
        """What the card asks; parsed on first use, since queues list many cards unread."""
        return spec_from_dict(json.loads(self.spec_json))

    def seed(self) -> int:
        """The seed of this review's variant: new numbers on every review, reproducible."""
        digest = hashlib.sha256(f"{self.key}#{self.reps}".encode()).digest()
        return int.from_bytes(digest[:4], "big")
