"""Wrong claims become cards: each output a learner wrote down that torch disagrees with
is asked again as a predict card on that expression, after the block's code before it.
The card's answer is torch's, computed by the checker at check time like every card's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from cards.blocks import BlockCard
from cards.claims import claim_blocks
from cards.deck import block_spec

if TYPE_CHECKING:
    from cards.sandbox.runner import Sandbox
    from studylog.services.reading import Derived


def with_wrong_claims(derived: Derived, sandbox: Callable[[], Sandbox]) -> tuple[Derived, int]:
    """`derived` with a card for each claim in its notes that torch disagrees with, and how
    many claims disagree. The sandbox is asked for only when the notes hold claims."""
    if not claim_blocks(derived.entry.markdown):
        return derived, 0
    from studylog.services.verify import DISAGREES, verify_markdown

    wrong = [
        v for v in verify_markdown(derived.entry.markdown, sandbox()) if v.verdict == DISAGREES
    ]
    specs = [block_spec(BlockCard(v.setup, v.asked)) for v in wrong if v.asked]
    known = {spec.key for spec in derived.deck.cards}
    extra = tuple(spec for spec in specs if spec.key not in known)
    deck = replace(derived.deck, cards=derived.deck.cards + extra)
    return replace(derived, deck=deck), len(wrong)
