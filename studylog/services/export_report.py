"""A progress report in markdown, the kind a learner sends a mentor.

Every figure comes from `StatsService.snapshot()` (and the task and entry lists); nothing
is recomputed here, so the report and `studylog stats` never disagree. Charts are text:
bars drawn with block characters inside code blocks, which look the same in a terminal, on
GitHub and in any markdown viewer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studylog.services.stats import DayFigure, Stats
from studylog.services.tasks import TaskView
from studylog.store import exports
from studylog.store.snapshot import read_snapshot

if TYPE_CHECKING:
    from sqlalchemy import Engine

CHART_WIDTH = 36
RECENT_DAYS = 30
# Lecture rows and open tasks listed in full; the rest are summed up in one line.
LECTURE_ENTRIES = 30
OPEN_TASKS = 15
_EIGHTHS = " ▏▎▍▌▋▊▉"


@dataclass(frozen=True)
class EntryLectures:
    """One entry's day, category and lectures (number, title)."""

    day: dt.date
    category: str | None
    lectures: tuple[tuple[int, str], ...]


def entry_lectures(engine: Engine) -> list[EntryLectures]:
    """Every entry with its lectures, oldest first."""
    with read_snapshot(engine) as snap:
        return [
            EntryLectures(
                dt.date.fromisoformat(entry.day),
                entry.category,
                tuple((lec.number, lec.title) for lec in entry.lectures),
            )
            for entry in exports.entries(snap)
        ]


@dataclass(frozen=True)
class ReportData:
    """What the report shows: the stats, open tasks (overdue ones included) and entries."""

    stats: Stats
    open_tasks: list[TaskView]
    entries: list[EntryLectures]


# -- small pieces --------------------------------------------------------------------------


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _cell(text: str) -> str:
    """Text safe inside a markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _day(day: dt.date) -> str:
    return f"{day:%a} {day:%m-%d}"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


def bar(value: float, top: float, width: int = CHART_WIDTH) -> str:
    """A horizontal bar, `width` characters for `top`, in eighths of a character."""
    if top <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / top * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], right: set[int]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |"]
    lines.append(
        "| " + " | ".join("---:" if i in right else "---" for i in range(len(header))) + " |"
    )
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


# -- sections ------------------------------------------------------------------------------


def _recent_reviews(stats: Stats) -> list[DayFigure]:
    """The last RECENT_DAYS learning days, today included, days without reviews as 0;
    for a learner who started less than that ago, from their first entry or review."""
    by_day = {f.day: f for f in stats.reviews_per_day}
    firsts = stats.entry_days[:1] + [f.day for f in stats.reviews_per_day[:1]]
    start = max(stats.today - dt.timedelta(days=RECENT_DAYS - 1), min(firsts, default=stats.today))
    days = [start + dt.timedelta(days=n) for n in range((stats.today - start).days + 1)]
    return [by_day.get(day, DayFigure(day, 0, 0.0)) for day in days]


def _header(data: ReportData) -> list[str]:
    stats = data.stats
    firsts = stats.entry_days[:1] + [f.day for f in stats.reviews_per_day[:1]]
    start = min(firsts, default=stats.today)
    categories = sorted({e.category for e in data.entries if e.category})
    subject = " / ".join(categories) if categories else "study"
    streak = _plural(stats.streak, "day")
    return [
        f"# {subject} progress report",
        "",
        f"**{start.isoformat()} → {stats.today.isoformat()}** · journal streak: {streak}"
        f" · {_plural(len(stats.entry_days), 'journal entry', 'journal entries')}",
    ]


def _summary(data: ReportData) -> list[str]:
    stats = data.stats
    recent = _recent_reviews(stats)
    reviews = sum(f.count for f in recent)
    minutes = sum(f.seconds for f in recent) / 60
    active = sum(1 for f in recent if f.count)
    cards = sum(stats.cards_by_state.values())
    started = cards - stats.cards_by_state.get("new", 0)
    overdue = sum(1 for t in data.open_tasks if t.overdue)
    lectures = sum(len(e.lectures) for e in data.entries)
    due_week = sum(f.count for f in stats.forecast[:7])
    # Reviews answered from scripts carry no time; then there is no time to show.
    spent = f" ({minutes:.0f} min in total)" if minutes >= 1 else ""
    return [
        "## At a glance",
        "",
        f"- **Lectures:** {lectures} noted in {len(data.entries)} journal entries.",
        f"- **Cards:** {cards} in the deck, {started} studied so far.",
        f"- **Reviews, last {RECENT_DAYS} days:** {reviews} on {_plural(active, 'day')}{spent}.",
        f"- **True retention, last 30 days:** {_percent(stats.true_retention)}"
        " (review cards remembered on the first try of the day).",
        f"- **Coming up:** {_plural(due_week, 'card')} due in the next 7 days.",
        f"- **Tasks:** {_percent(stats.task_completion)} of the tasks due so far are done;"
        f" {len(data.open_tasks)} open, {overdue} overdue.",
    ]


def _cards(stats: Stats) -> list[str]:
    total = sum(stats.cards_by_state.values())
    rows = [
        (state, str(n), _percent(n / total) if total else "—")
        for state, n in stats.cards_by_state.items()
    ]
    rows.append(("**total**", f"**{total}**", ""))
    return [
        "## Cards by state",
        "",
        *_table(("state", "cards", "share"), rows, right={1, 2}),
    ]


def _review_chart(stats: Stats) -> list[str]:
    recent = _recent_reviews(stats)
    top = max((f.count for f in recent), default=0)
    lines = [f"## Reviews per day, last {RECENT_DAYS} days", ""]
    if not top:
        return [*lines, f"No reviews in the last {RECENT_DAYS} days."]
    lines.append("```text")
    for figure in recent:
        minutes = f"  {figure.seconds / 60:.0f} min" if figure.seconds else ""
        count = f"{figure.count:>4}" if figure.count else "   ·"
        chart = bar(figure.count, top)
        lines.append(f"{_day(figure.day)} {count} │{chart}{minutes}".rstrip())
    lines.append("```")
    return lines


def _retention(stats: Stats) -> list[str]:
    lines = [
        "## Retention",
        "",
        f"True retention over the last 30 days: **{_percent(stats.true_retention)}**."
        " It counts the first answer of the day to each card in review state; Again is a"
        " miss.",
    ]
    if stats.retention_by_topic:
        rows = [
            (f"`{_cell(topic)}`", _percent(rate))
            for topic, rate in sorted(stats.retention_by_topic.items(), key=lambda kv: kv[1])
        ]
        lines += ["", "By topic, all time (weakest first):", ""]
        lines += _table(("topic", "retention"), rows, right={1})
    return lines


def _forecast(stats: Stats) -> list[str]:
    lines = ["## The next 30 days", ""]
    total = sum(f.count for f in stats.forecast)
    if not total:
        return [*lines, "No reviewed card falls due in the next 30 days."]
    busiest = max(stats.forecast, key=lambda f: f.count)
    lines.append(
        f"{_plural(total, 'card')} fall due; the busiest day is {_day(busiest.day)}"
        f" ({busiest.count}). Overdue cards count on the first day."
    )
    lines += ["", "```text"]
    weeks = [stats.forecast[n : n + 7] for n in range(0, len(stats.forecast), 7)]
    top = max(sum(f.count for f in week) for week in weeks)
    for week in weeks:
        count = sum(f.count for f in week)
        span = f"{week[0].day:%m-%d} – {week[-1].day:%m-%d}"
        lines.append(f"{span:<13} {count:>4} │{bar(count, top)}".rstrip())
    lines.append("```")
    return lines


def _tasks(data: ReportData) -> list[str]:
    stats = data.stats
    lines = [
        "## Tasks",
        "",
        f"Done: **{_percent(stats.task_completion)}** of the tasks due up to today.",
    ]
    if not data.open_tasks:
        return [*lines, "", "No open tasks."]
    lines += ["", "Open (most overdue first):", ""]
    for task in data.open_tasks[:OPEN_TASKS]:
        late = (stats.today - task.due).days
        when = (
            f"**overdue {_plural(late, 'day')}** (due {task.due.isoformat()})"
            if task.overdue
            else f"due {task.due.isoformat()}"
        )
        source = f", planned {task.entry_day.isoformat()}" if task.entry_day else ""
        lines.append(f"- [ ] {_cell(task.text)} — {when}{source}")
    rest = data.open_tasks[OPEN_TASKS:]
    if rest:
        lines.append(f"- … and {len(rest)} more, due up to {rest[-1].due.isoformat()}")
    return lines


def _lectures(data: ReportData) -> list[str]:
    lines = ["## Lectures covered", ""]
    if not data.entries:
        return [*lines, "No journal entries yet."]
    shown = data.entries[-LECTURE_ENTRIES:]
    rows = [
        (
            entry.day.isoformat(),
            _cell(entry.category or "—"),
            " · ".join(_cell(f"{n}. {title}") for n, title in entry.lectures) or "—",
        )
        for entry in reversed(shown)
    ]
    lines += _table(("date", "course", "lectures"), rows, right=set())
    earlier = data.entries[:-LECTURE_ENTRIES]
    if earlier:
        count = sum(len(e.lectures) for e in earlier)
        lines += [
            "",
            f"Earlier: {_plural(count, 'lecture')} in {len(earlier)} entries, from"
            f" {earlier[0].day.isoformat()} to {earlier[-1].day.isoformat()}.",
        ]
    return lines


def _calibration(stats: Stats) -> list[str]:
    cal = stats.calibration
    lines = ["## Calibration", ""]
    if cal.log_loss is None or cal.rmse_bins is None:
        return [*lines, "Not enough reviews yet to compare predicted and actual recall."]
    lines.append(
        f"How well the scheduler predicts recall, over {_plural(cal.reviews, 'review')}:"
        f" log loss {cal.log_loss:.3f}, RMSE over bins {cal.rmse_bins:.3f}"
        " (lower is better)."
    )
    rows = [
        (_percent(predicted), _percent(actual), str(count)) for predicted, actual, count in cal.bins
    ]
    lines += ["", *_table(("predicted recall", "actual recall", "reviews"), rows, right={0, 1, 2})]
    return lines


def render_report(data: ReportData) -> str:
    """The report as markdown text."""
    sections = [
        _header(data),
        _summary(data),
        _cards(data.stats),
        _review_chart(data.stats),
        _retention(data.stats),
        _forecast(data.stats),
        _tasks(data),
        _lectures(data),
        _calibration(data.stats),
    ]
    body = "\n\n".join("\n".join(section) for section in sections)
    return body + f"\n\n---\n\n_Made by studylog on {data.stats.today.isoformat()}._\n"
