"""The cards an entry yields, as storable specs, and turning a spec into something to ask.

A spec's `key` (a `cards.keys.CardKey`) is stable, so deriving an entry's cards again after
an edit finds the same keys for the same cards: built-in cards are named by their registry
id; written-in, call and block cards by a short hash of their content (not of their
position, so moving a card inside the note keeps its history).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it.token import Token

from cards.authored import (
    Authored,
    AuthoredCard,
    ClozeCard,
    Problem,
    QuizCard,
    authored_in,
    is_quiz,
)
from cards.blocks import BlockCard, block_cards, is_python_block
from cards.calls.deriving import CallCard, call_cards
from cards.calls.deriving import exercise as call_exercise
from cards.generators.base import Generator
from cards.generators.concepts import ConceptCard
from cards.generators.registry import for_topics, generator, ids, lookup
from cards.keys import CardKey, Source
from cards.mdparse import tokens
from cards.model import Exercise, Kind
from cards.prompts import Prompt
from cards.topics import TOPICS, topics_in_code, topics_in_markdown, topics_in_tokens
from journal.model import Entry


@dataclass(frozen=True)
class _Spec:
    """What every stored card has: its key, kind and topics."""

    key: str
    kind: Kind
    topics: tuple[str, ...]

    @property
    def executable(self) -> bool:
        """Whether checking this card runs torch."""
        return self.kind.executable

    def _head(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind.value, "topics": list(self.topics)}


@dataclass(frozen=True)
class BuiltinSpec(_Spec):
    """A built-in card: only the id of the generator or concept card to ask."""

    generator_id: str

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON."""
        return {**self._head(), "generator_id": self.generator_id}


@dataclass(frozen=True)
class NoteSpec(_Spec):
    """A written-in recall or cloze card: its front and back, and the cloze's blanks."""

    front: str
    back: str
    blanks: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON; no blanks, no "blanks"."""
        out = {**self._head(), "front": self.front, "back": self.back}
        return {**out, "blanks": list(self.blanks)} if self.blanks else out


@dataclass(frozen=True)
class CodeSpec(_Spec):
    """A written-in quiz or a block card: the code to run and the expression asked about."""

    code: str
    expr: str

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON."""
        return {**self._head(), "code": self.code, "expr": self.expr}


@dataclass(frozen=True)
class CallSpec(_Spec):
    """A call card: the call's source and the output it asks about."""

    call: str
    output: str

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON."""
        return {**self._head(), "call": self.call, "output": self.output}


# What to store for one card, one kind of spec per way cards are made.
CardSpec = BuiltinSpec | NoteSpec | CodeSpec | CallSpec


def spec_from_dict(raw: dict[str, Any]) -> CardSpec:
    """The spec a `to_dict` dict describes (any spec JSON studylog has stored); ValueError
    for a dict that is none of them."""
    key, kind, topics = raw["key"], Kind(raw["kind"]), tuple(raw.get("topics", ()))
    match raw:
        case {"generator_id": str(generator_id)}:
            return BuiltinSpec(key, kind, topics, generator_id)
        case {"call": str(call), "output": str(output)}:
            return CallSpec(key, kind, topics, call, output)
        case {"code": str(code), "expr": str(expr)} if kind.executable:
            return CodeSpec(key, kind, topics, code, expr)
        case _ if not kind.executable:
            front, back = raw.get("front") or "", raw.get("back") or ""
            return NoteSpec(key, kind, topics, front, back, tuple(raw.get("blanks", ())))
    raise ValueError(f"{key} has neither a generator nor code")


@dataclass(frozen=True)
class Deck:
    """Everything cards derive from one entry: its topics, its card specs, and the
    written-in cards that could not be read."""

    topics: frozenset[str]
    cards: tuple[CardSpec, ...]
    problems: tuple[Problem, ...] = ()


def _ordered(topics: Iterable[str]) -> tuple[str, ...]:
    found = set(topics)
    return tuple(t for t in TOPICS if t in found)


def _digest(*parts: str) -> str:
    normalised = "\0".join(" ".join(part.split()) for part in parts)
    return hashlib.sha256(normalised.encode()).hexdigest()[:12]


def _code_digest(code: str) -> str:
    # Indentation matters in Python, so only trailing whitespace and blank ends are dropped.
    return "\n".join(line.rstrip() for line in code.strip("\n").splitlines())


def authored_spec(card: AuthoredCard) -> CardSpec:
    """The spec for one written-in card."""
    if isinstance(card, QuizCard):
        code = _code_digest(card.code)
        return CodeSpec(
            key=str(CardKey(Source.AUTHORED, _digest(Kind.PREDICT, code, card.expr))),
            kind=Kind.PREDICT,
            topics=_ordered(topics_in_code(f"{card.code}\n{card.expr}")),
            code=card.code,
            expr=card.expr,
        )
    kind = Kind.CLOZE if isinstance(card, ClozeCard) else Kind.RECALL
    blanks = card.blanks if isinstance(card, ClozeCard) else ()
    return NoteSpec(
        key=str(CardKey(Source.AUTHORED, _digest(kind, card.front, card.back))),
        kind=kind,
        topics=_ordered(topics_in_markdown(f"{card.front}\n\n{card.back}")),
        front=card.front,
        back=card.back,
        blanks=blanks,
    )


def call_spec(card: CallCard, named: tuple[str, ...] | None = None) -> CardSpec:
    """The spec for one call card: its family's topic first, then what the call names
    (`named`, when the caller has found them already)."""
    if named is None:
        named = _ordered(topics_in_code(card.source))
    topics = (card.family.topic, *named)
    return CallSpec(
        key=str(CardKey(Source.CALL, _digest(card.source, card.output))),
        kind=Kind.PREDICT,
        topics=tuple(dict.fromkeys(topics)),
        call=card.source,
        output=card.output,
    )


def block_spec(card: BlockCard) -> CardSpec:
    """The spec for one block card, asked like a written-in quiz."""
    return CodeSpec(
        key=str(CardKey(Source.BLOCK, _digest(Kind.PREDICT, _code_digest(card.code), card.expr))),
        kind=Kind.PREDICT,
        topics=_ordered(topics_in_code(f"{card.code}\n{card.expr}")),
        code=card.code,
        expr=card.expr,
    )


def _code_texts(block_tokens: Iterable[Token], *, spans: bool) -> list[str]:
    """The distinct texts of the note's code blocks (that are not quizzes), and of its
    code spans with `spans`. A text written twice yields the same cards, so once is enough."""
    texts: dict[str, None] = {}
    for token in block_tokens:
        if spans and token.type == "inline":
            for child in token.children or ():
                if child.type == "code_inline":
                    texts[child.content] = None
        elif (
            token.type in ("fence", "code_block")
            and not is_quiz(token)
            and (spans or is_python_block(token))
        ):
            texts[token.content] = None
    return list(texts)


def blocks_in(block_tokens: Iterable[Token]) -> list[BlockCard]:
    """The block cards in parsed markdown: from the Python blocks that are not quizzes."""
    return [card for text in _code_texts(block_tokens, spans=False) for card in block_cards(text)]


def calls_in(block_tokens: Iterable[Token]) -> list[CallCard]:
    """The call cards in parsed markdown: from code spans and from code blocks other than
    written-in quizzes."""
    return [card for text in _code_texts(block_tokens, spans=True) for card in call_cards(text)]


def _builtin_spec(card: Generator | ConceptCard) -> BuiltinSpec:
    return BuiltinSpec(
        key=str(CardKey(Source.GENERATED, card.id)),
        kind=card.kind,
        topics=_ordered(card.topics),
        generator_id=card.id,
    )


# A built-in card's spec never changes, so each is made once, not once per entry.
_BUILTIN_SPECS: dict[str, BuiltinSpec] = {
    card_id: _builtin_spec(lookup(card_id)) for card_id in ids()
}


def builtin_specs(topics: Iterable[str]) -> list[BuiltinSpec]:
    """Specs for every generator and concept card tagged with any of `topics`."""
    return [_BUILTIN_SPECS[card.id] for card in for_topics(topics)]


def deck_for(
    topics: frozenset[str],
    authored: Authored,
    calls: Sequence[CallCard] = (),
    blocks: Iterable[BlockCard] = (),
) -> Deck:
    """The deck for some detected topics, written-in cards, call cards and block cards;
    duplicate keys kept once. The call cards' topics count as detected too."""
    named: dict[str, tuple[str, ...]] = {}  # one call asked about several outputs
    for card in calls:
        if card.source not in named:
            named[card.source] = _ordered(topics_in_code(card.source))
    made = [
        *(call_spec(card, named[card.source]) for card in calls),
        *map(block_spec, blocks),
    ]
    topics = topics | {topic for spec in made for topic in spec.topics}
    specs: dict[str, CardSpec] = {}
    for spec in (*builtin_specs(topics), *map(authored_spec, authored.cards), *made):
        specs.setdefault(spec.key, spec)
    return Deck(topics, tuple(specs.values()), authored.problems)


def deck_for_entry(entry: Entry, parsed: list[Token] | None = None) -> Deck:
    """Topics, card specs and written-in card problems for one entry.

    `parsed` is the entry's markdown already parsed by `journal.markdown.tokens`, when the
    caller has it; one parse serves both readers either way.
    """
    if parsed is None:
        parsed = tokens(entry.markdown)
    return deck_for(
        topics_in_tokens(parsed), authored_in(parsed), calls_in(parsed), blocks_in(parsed)
    )


def cards_for_entry(entry: Entry) -> list[CardSpec]:
    """The card specs to store for an entry: built-in cards for its topics, then its
    written-in cards."""
    return list(deck_for_entry(entry).cards)


def exercise_for(spec: CardSpec, seed: int) -> Exercise:
    """The concrete exercise for an executable spec. Raises ValueError for other kinds and
    KeyError when the spec names a generator (or a call) this version cannot build."""
    if not spec.executable:
        raise ValueError(f"{spec.key} is a {spec.kind} card, not an executable one")
    match spec:
        case BuiltinSpec(generator_id=generator_id):
            return generator(generator_id).build(seed)
        case CallSpec(call=call, output=output):
            return call_exercise(call, output, seed)
        case CodeSpec(code=code, expr=expr):
            return Exercise(
                kind=spec.kind,
                question=f"What does `{expr}` give? If it raises, name the error.",
                code=code,
                expr=expr,
            )
    raise ValueError(f"{spec.key} has neither a generator nor code")


def prompt_for(spec: CardSpec, seed: int) -> Prompt:
    """The recall, cloze or choice card to show for a non-executable spec (choices are
    shuffled by `seed`). Raises ValueError for executable specs, KeyError for unknown ids."""
    if spec.executable:
        raise ValueError(f"{spec.key} is executable: use exercise_for")
    match spec:
        case BuiltinSpec(generator_id=generator_id):
            concept = lookup(generator_id)
            if not isinstance(concept, ConceptCard):
                raise KeyError(generator_id)
            return concept.build(seed)
        case NoteSpec(front=front, back=back, blanks=blanks):
            return Prompt(kind=spec.kind, front=front, back=back, blanks=blanks)
    raise ValueError(f"{spec.key} has no prompt")
