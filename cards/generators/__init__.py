"""Built-in card sources: seeded generators of executable cards, and concept cards."""

from cards.generators.base import Draft, Generator
from cards.generators.concepts import CONCEPTS, ConceptCard
from cards.generators.registry import GENERATORS, for_topics, generator, ids, lookup

__all__ = [
    "CONCEPTS",
    "GENERATORS",
    "ConceptCard",
    "Draft",
    "Generator",
    "for_topics",
    "generator",
    "ids",
    "lookup",
]
