"""Plain-text presentation helpers shared by the screens. No widgets, no services."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from studylog.services.verify import DISAGREES
from studylog.wording import plural

if TYPE_CHECKING:
    from studylog.services.journal import SaveResult
    from studylog.services.verify import Verdict

_SUMMARY = re.compile(r"<summary>(.*?)</summary>", re.IGNORECASE)
_FENCE = re.compile(r"^\s*(```|~~~)")


def save_summary(result: SaveResult) -> str:
    """What saving changed, e.g. `3 new cards, 2 tasks` (from the service's SaveResult)."""
    if result.status.value == "unchanged":
        return f"{result.day.isoformat()}: no changes"
    cards, tasks = result.cards, result.tasks
    parts = [plural(cards.added, "new card")]
    if cards.removed:
        parts.append(plural(cards.removed, "card") + " removed")
    task_count = tasks.total
    task_part = plural(task_count, "task")
    if tasks.added and tasks.kept:
        task_part += f" ({tasks.added} new)"
    parts.append(task_part)
    if tasks.removed:
        parts.append(plural(tasks.removed, "task") + " removed")
    parts.append(plural(result.lectures, "lecture"))
    verb = "saved new entry" if result.status.value == "new" else "saved"
    notice = f"; {result.claims_notice()}" if result.wrong_claims else ""
    return f"{verb} {result.day.isoformat()}: " + ", ".join(parts) + notice


def claims_line(verdicts: Sequence[Verdict]) -> str:
    """`2 claims disagree with torch: line 13 a.t().is_contiguous() claimed True, torch
    says False; …` ("" when torch agrees with every claim)."""
    wrong = [v for v in verdicts if v.verdict == DISAGREES]
    if not wrong:
        return ""
    verb = "disagrees" if len(wrong) == 1 else "disagree"
    each = "; ".join(
        f"line {v.line} {v.expr} claimed {' '.join(v.claimed.split())}, "
        f"torch says {' '.join((v.actual or '').split())}"
        for v in wrong
    )
    return f"{plural(len(wrong), 'claim')} {verb} with torch: {each}"


def long_date(day: dt.date) -> str:
    """`Saturday 29 January 2022`."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def duration(seconds: float) -> str:
    """`42s`, `4m 12s`, `1h 03m`."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def preview_markdown(text: str) -> str:
    """The entry as the preview pane shows it.

    The user's template wraps sections in `<details><summary>TITLE</summary><div
    markdown="1">`, HTML that a terminal Markdown view cannot fold. For the preview only,
    each summary becomes a heading (nested sections one level deeper) and the wrapper tags
    are dropped; `quiz` fences are shown as Python. The stored markdown is never changed.
    """
    out: list[str] = []
    depth = 0
    fence: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        marker = _FENCE.match(line)
        if fence is not None:
            if marker and marker.group(1) == fence and stripped == fence:
                fence = None
            out.append(line)
            continue
        if marker:
            fence = marker.group(1)
            info = stripped[len(fence) :].strip()
            out.append(f"{fence}python" if info == "quiz" else line)
            continue
        lowered = stripped.lower()
        if lowered.startswith("<details"):
            depth += 1
            continue
        if lowered.startswith("</details"):
            depth = max(0, depth - 1)
            continue
        if lowered.startswith("<div") or lowered.startswith("</div"):
            continue
        found = _SUMMARY.fullmatch(stripped)
        if found:
            out.append("#" * min(6, max(1, depth + 1)) + " " + found.group(1).strip())
            continue
        out.append(line)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")
