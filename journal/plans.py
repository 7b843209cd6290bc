"""Reading the "next plan" list out of the plan section."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Marker:
    """Where the "next plan" line stands: the index of its inline token in the block, and
    its source line (0-based, in the block's own lines)."""

    index: int
    line: int


def plan_marker(block: Sequence[Token], vocabulary: Vocabulary) -> Marker | None:
    """The first top-level paragraph or heading line that announces the plan list."""
    for index, token in enumerate(block):
        if token.type == "inline" and token.level <= 1 and token.map is not None:
            for offset, line in enumerate(plain_text(token).splitlines()):
                if vocabulary.is_plan_marker(line):
                    return Marker(index, token.map[0] + offset)
    return None


def read_plans(block: Sequence[Token], vocabulary: Vocabulary) -> list[PlanItem]:
    """The items of the lists after the "next plan" line, or of every list if there is none.

    Only top-level items count; a nested list belongs to the item above it.
    """
    marker = plan_marker(block, vocabulary)
    start = marker.index + 1 if marker else 0
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
