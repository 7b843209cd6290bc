"""The plan section's afterword ends where the plan list's marker is read from the tokens."""

from __future__ import annotations

import datetime as dt

from journal import PlanItem, parse_entry
from journal.template import PLAN_MARKER, Outline, outline_of, render

# The marker's words inside a code block and in a list item are not the marker: the plan
# list is read after the real one, so the afterword must keep them.
AFTERWORD = f"오늘은 여기까지.\n\n```\n{PLAN_MARKER}\n```\n\n- {PLAN_MARKER}: 주말에 정리"


def test_the_afterword_keeps_marker_words_that_are_not_the_marker() -> None:
    outline = Outline(
        date=dt.date(2022, 1, 24),
        afterword=AFTERWORD,
        plans=(PlanItem("view 복습"), PlanItem("matmul 예제", done=True)),
    )
    entry = parse_entry(render(outline))
    assert entry.plans == outline.plans
    assert outline_of(entry) == outline


def test_the_afterword_ends_at_a_marker_inside_a_paragraph() -> None:
    body = f"한 줄 소감\n{PLAN_MARKER}\n\n1. 다음 강의"
    markdown = render(Outline(date=dt.date(2022, 1, 24))).replace(f"{PLAN_MARKER}\n\n1. ", body)
    entry = parse_entry(markdown)
    assert [item.text for item in entry.plans] == ["다음 강의"]
    assert outline_of(entry).afterword == "한 줄 소감"
