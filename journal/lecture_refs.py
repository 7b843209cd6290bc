"""The lecture numbers a short text names: `4강 5강 듣기`, `lectures 4 and 5`, `Lecture 6`.

A small reader over the words of one plan item or heading (never a whole document): a
Korean `N강` names lecture N; the English word `lecture`/`lectures`/`lec` is followed by
numbers joined by commas, `and`, `&` or `-`/`~` ranges.
"""

from __future__ import annotations

_ENGLISH = frozenset({"lecture", "lectures", "lec", "lecs"})
_JOINERS = frozenset({"and", "&", ",", "+"})
_RANGES = frozenset({"-", "~", "to"})
_PUNCTUATION = ",.:;!?()[]"


def _words(text: str) -> list[str]:
    """Words, with commas and range dashes as words of their own."""
    spaced = text
    for mark in (",", "~", "&", "+"):
        spaced = spaced.replace(mark, f" {mark} ")
    out: list[str] = []
    for word in spaced.split():
        # "4-5" is a range; "4:" or "(5)" are numbers in punctuation.
        head, dash, tail = word.partition("-")
        if dash and head.isdigit() and tail.isdigit():
            out.extend((head, "-", tail))
        else:
            out.append(word.strip(_PUNCTUATION) or word)
    return out


def _korean(word: str) -> int | None:
    """N from `N강`, `N강을`, `N강과` (a particle may follow the 강)."""
    digits = ""
    for index, ch in enumerate(word):
        if ch.isdigit():
            digits += ch
        elif ch == "강" and digits and index == len(digits):
            return int(digits)
        else:
            return None
    return None


def lecture_numbers(text: str) -> tuple[int, ...]:
    """The lecture numbers `text` names, in order, each once; () when it names none."""
    words = _words(text)
    found: list[int] = []
    index = 0
    while index < len(words):
        word = words[index]
        number = _korean(word)
        if number is not None:
            found.append(number)
        elif word.lower() in _ENGLISH:
            index = _english_list(words, index + 1, found)
            continue
        index += 1
    return tuple(dict.fromkeys(found))


def _english_list(words: list[str], index: int, found: list[int]) -> int:
    """Read `4, 5 and 6` / `4-6` from `index`; the index of the first word after it."""
    expect_number = True
    while index < len(words):
        word = words[index].lower()
        if expect_number and word.isdigit():
            found.append(int(word))
            expect_number = False
        elif not expect_number and word in _JOINERS:
            expect_number = True
        elif not expect_number and word in _RANGES and index + 1 < len(words):
            end = words[index + 1]
            if not end.isdigit() or int(end) < found[-1]:
                break
            found.extend(range(found[-1] + 1, int(end) + 1))
            index += 1
        else:
            break
        index += 1
    return index
