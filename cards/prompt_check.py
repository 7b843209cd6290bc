"""Checking typed answers to recall, cloze and choice cards, which no torch can settle.

Matching is forgiving about case, spacing, punctuation and Unicode forms, since the goal is
to recognise that the learner knew the answer, not to grade their typing.

- choice: the number shown, or any name of a choice: its text, each part of it
  ("define-by-run (dynamic graph, 동적 그래프)" is also "define-by-run", "dynamic graph"
  and "동적 그래프") and its aliases. An answer that names two different choices is wrong.
- recall: free text cannot be judged by a program, so an answer that is not the back
  itself comes back with `correct` None, for the learner to compare and rate; a correct
  paraphrase is never called wrong.
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


def _phrase(text: str) -> str:
    """`_fold`, with hyphens as spaces: "define-by-run" and "define by run" are one phrase."""
    return " ".join(_fold(text).replace("-", " ").split())


def choice_names(choice: str, aliases: tuple[str, ...] = ()) -> set[str]:
    """Every phrase that names a choice: all of it, each part between brackets and commas,
    and its aliases."""
    parts = choice.replace("(", ",").replace(")", ",").split(",")
    return {_phrase(name) for name in (choice, *parts, *aliases) if _phrase(name)}


def _named(answer: str, names: set[str]) -> bool:
    """Whether the answer is, or says as a whole phrase, one of `names`."""
    padded = f" {_phrase(answer)} "
    return any(f" {name} " in padded for name in names)


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
    expected = f"{prompt.answer + 1}. {right}"
    if typed.isdigit() and 1 <= int(typed) <= len(prompt.choices):
        picked = prompt.choices[int(typed) - 1]
        return Verdict(picked == right, expected, picked, prompt.back)
    aliases = prompt.aliases or ((),) * len(prompt.choices)
    named = [
        index
        for index, (choice, more) in enumerate(zip(prompt.choices, aliases, strict=True))
        if _named(typed, choice_names(choice, more))
    ]
    return Verdict(named == [prompt.answer], expected, typed, prompt.back)


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
    if _close(answer, prompt.back):
        return Verdict(True, prompt.back, answer.strip(), "")
    message = f"Compare with the answer and rate yourself: {prompt.back}"
    return Verdict(None, prompt.back, answer.strip(), message)
