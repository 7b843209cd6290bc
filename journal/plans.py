"""Reading the "next plan" list out of the plan section."""

from __future__ import annotations

from markdown_it.token import Token

from journal.markdown import plain_text
from journal.model import PlanItem
from journal.note_syntax import task_box
from journal.vocabulary import Vocabulary

_LISTS = frozenset({"bullet_list_open", "ordered_list_open"})


def _plan_item(inline: Token) -> PlanItem:
    """The item as written, whitespace folded; a task box gives its done state."""
    box = task_box(inline)
    if box is None:
        return PlanItem(" ".join(inline.content.split()))
    return PlanItem(" ".join(inline.content[box.text_start :].split()), box.checked)


def _has_marker(block: list[Token], vocabulary: Vocabulary) -> int | None:
    """The index just past the first paragraph or heading that announces the plan list."""
    for index, token in enumerate(block):
        if token.type == "inline" and token.level <= 1:
            lines = plain_text(token).splitlines()
            if any(vocabulary.is_plan_marker(line) for line in lines):
                return index + 1
    return None


def read_plans(block: list[Token], vocabulary: Vocabulary) -> list[PlanItem]:
    """The items of the lists after the "next plan" line, or of every list if there is none.

    Only top-level items count; a nested list belongs to the item above it.
    """
    start = _has_marker(block, vocabulary) or 0
    items: list[PlanItem] = []
    depth = 0
    want_text = False
    for token in block[start:]:
        if token.type in _LISTS:
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "list_item_open" and depth == 1:
            want_text = True
        elif token.type == "list_item_close" and depth == 1:
            want_text = False  # an item without text (empty, or only code) is no plan
        elif token.type == "inline" and want_text:
            items.append(_plan_item(token))
            want_text = False
    return items
