"""What a non-executable card shows: a front, a back, and for choice cards the options."""

from __future__ import annotations

from dataclasses import dataclass

from cards.model import Kind


@dataclass(frozen=True)
class Prompt:
    """One concrete recall, cloze or choice card, ready to show.

    recall: `front` asks, `back` answers. cloze: `front` has each hidden span replaced by
    "[...]", `back` is the full text, `blanks` the hidden spans in order. choice: `choices`
    in the order shown and `answer` the index of the right one; `back` explains;
    `aliases`, when given, holds for each choice (in the order shown) more ways to say it.
    """

    kind: Kind
    front: str
    back: str
    choices: tuple[str, ...] = ()
    answer: int | None = None
    blanks: tuple[str, ...] = ()
    aliases: tuple[tuple[str, ...], ...] = ()
