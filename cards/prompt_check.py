"""Checking typed answers to recall, cloze and choice cards, which no torch can settle.

Matching is forgiving about case, spacing, punctuation and Unicode forms, since the goal is
to recognise that the learner knew the answer, not to grade their typing.
"""

from __future__ import annotations

import unicodedata

from cards.model import Kind, Verdict
from cards.prompts import Prompt

_SEPARATORS = (";", ",", "\n", "/")


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(ch if ch.isalnum() or ch in "+-*@." else " " for ch in folded)
    return " ".join(kept.split())


def _close(answer: str, truth: str) -> bool:
    """Equal once folded, or a substantial part of the truth (half its characters or more)."""
    a, t = _fold(answer), _fold(truth)
    if not a:
        return False
    return a == t or (a in t and len(a) * 2 >= len(t))


def _split_blanks(answer: str, count: int) -> list[str]:
    if count == 1:
        return [answer]
    for sep in _SEPARATORS:
        parts = [p for p in answer.split(sep) if p.strip()]
        if len(parts) == count:
            return parts
    return [answer]


def _check_choice(prompt: Prompt, answer: str) -> Verdict:
    assert prompt.answer is not None
    right = prompt.choices[prompt.answer]
    typed = answer.strip()
    picked = (
        prompt.choices[int(typed) - 1]
        if typed.isdigit() and 1 <= int(typed) <= len(prompt.choices)
        else typed
    )
    correct = _fold(picked) == _fold(right)
    expected = f"{prompt.answer + 1}. {right}"
    return Verdict(correct, expected, picked, prompt.back)


def _check_cloze(prompt: Prompt, answer: str) -> Verdict:
    parts = _split_blanks(answer, len(prompt.blanks))
    correct = len(parts) == len(prompt.blanks) and all(
        _close(p, b) for p, b in zip(parts, prompt.blanks, strict=True)
    )
    message = prompt.back if correct else f"The full sentence: {prompt.back}"
    return Verdict(correct, " / ".join(prompt.blanks), answer.strip(), message)


def check_prompt(prompt: Prompt, answer: str) -> Verdict:
    """Judge a typed answer to a recall, cloze or choice card."""
    if prompt.kind is Kind.CHOICE:
        return _check_choice(prompt, answer)
    if prompt.kind is Kind.CLOZE:
        return _check_cloze(prompt, answer)
    correct = _close(answer, prompt.back)
    message = "" if correct else f"The answer: {prompt.back}"
    return Verdict(correct, prompt.back, answer.strip(), message)
