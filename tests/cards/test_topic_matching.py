"""The fast keyword search finds exactly what searching with each keyword's pattern finds."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from cards.mdparse import Chunk
from cards.topics import (
    _CONTEXT_WORDS,
    KEYWORDS,
    Topic,
    _claims_reshape_copies,
    _compile,
    _fold,
    topics_in_chunks,
)

_CONTEXT = _compile(_CONTEXT_WORDS)
_ALL_WORDS = sorted({word for k in KEYWORDS for word in k.words} | set(_CONTEXT_WORDS))


def _reference(chunk: Chunk) -> set[str]:
    """Detection as the module docstring states it: every keyword's own pattern, searched
    in the chunk, weak ones only in code or beside tensor context."""
    trusted = chunk.code or _CONTEXT.search(chunk.text) is not None
    found: set[str] = set()
    for keyword in KEYWORDS:
        if keyword.code_only and not chunk.code:
            continue
        if keyword.weak and not trusted:
            continue
        if keyword.regex.search(chunk.text):
            found |= keyword.topics
    if not chunk.code and _claims_reshape_copies(chunk.text):
        found |= {Topic.MISCONCEPTION, Topic.RESHAPE}
    return found


def _spell(word: str, before: str, separator: str, case: str, after: str) -> str:
    joined = separator.join(word.split(" "))
    cased = {"lower": joined.lower(), "upper": joined.upper(), "title": joined.title()}
    return before + cased.get(case, joined) + after


# Keyword words as a learner might write them: any case, any separator, with endings.
_SPELLINGS = st.builds(
    _spell,
    st.sampled_from(_ALL_WORDS),
    st.sampled_from(["", "x", "_", ".", "un", "자동", "("]),
    st.sampled_from([" ", "-", "_", "", "  ", "\t"]),
    st.sampled_from(["lower", "upper", "title", "same"]),
    st.sampled_from(["", "s", "es", "ed", "_x", "2", "로", "는", ")", "."]),
)
_NOISE = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.@()[] \t\n"
    "\u0130\u0131\u017f\u212aß텐서행렬곱배치차원복사않",
    max_size=6,
)
_TEXTS = st.lists(
    st.one_of(
        _SPELLINGS,
        _NOISE,
        st.sampled_from(["copies", "copy", "not", "only when", "복사", "않"]),
    ),
    max_size=12,
).map(" ".join)


def _with_family(found: set[str]) -> frozenset[str]:
    if found & {"softmax", "one_hot", "cross_entropy"}:
        found.add("nn.functional")
    return frozenset(found)


@settings(max_examples=200, deadline=None)
@given(_TEXTS, st.booleans())
def test_same_topics_as_every_keyword_pattern(text: str, code: bool) -> None:
    chunk = Chunk(text, code=code)
    assert topics_in_chunks([chunk]) == _with_family(_reference(chunk))


def test_overlapping_keywords_are_all_found() -> None:
    # "배치 행렬곱" (bmm) holds "행렬곱" (matmul); "grad_fn" is autograd and graph_types.
    assert topics_in_chunks([Chunk("배치 행렬곱", code=False)]) >= {"bmm", "matmul"}
    assert topics_in_chunks([Chunk("x.grad_fn", code=True)]) >= {"autograd", "graph_types"}


def test_fold_keeps_positions_and_ignorecase_letters() -> None:
    # The search over folded text finds every place an IGNORECASE pattern can match only if
    # folding maps each character to one character, and every character `re.IGNORECASE`
    # equates with an ASCII letter to that letter in lower case.
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert len(_fold(every)) == len(every)
    for char in re.findall("[a-z]", every, re.IGNORECASE):
        assert _fold(char) in "abcdefghijklmnopqrstuvwxyz", hex(ord(char))


def test_keyword_letters_are_ascii_or_caseless() -> None:
    # Outside ASCII, folding is only safe for characters without case (Hangul, punctuation).
    for word in _ALL_WORDS:
        for char in word:
            assert char.isascii() or char.lower() == char.upper() == char, (word, char)
