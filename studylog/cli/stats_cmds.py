"""`stats`: the progress figures, as text or `--json`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from studylog.cli.output import Subparsers, print_json
from studylog.wording import plural

if TYPE_CHECKING:
    from studylog.context import AppContext
    from studylog.services.stats import DayFigure

_BARS = " ▁▂▃▄▅▆▇█"


# The commands `register` adds, so that the CLI builds only the one it runs.
COMMANDS = ("stats",)


def register(sub: Subparsers, json_opt: argparse.ArgumentParser) -> None:
    """Add the stats command to the CLI."""
    p = sub.add_parser("stats", parents=[json_opt], help="progress figures")
    p.set_defaults(run=run_stats)


def sparkline(figures: list[DayFigure]) -> str:
    """One block character per day, scaled to the busiest day."""
    top = max((f.count for f in figures), default=0)
    if not top:
        return "·" * len(figures)
    return "".join(_BARS[round(f.count / top * (len(_BARS) - 1))] for f in figures)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def run_stats(ctx: AppContext, args: argparse.Namespace) -> int:
    """Print the figures a learner checks daily, Anki-style."""
    stats = ctx.stats.snapshot()
    if args.json:
        print_json(stats.to_dict())
        return 0
    recent = stats.reviews_per_day[-30:]
    by_state = ", ".join(f"{n} {state}" for state, n in stats.cards_by_state.items())
    print(f"learning day {stats.today.isoformat()}   journal streak {plural(stats.streak, 'day')}")
    print(f"cards: {by_state}")
    print(
        f"reviews: {sum(f.count for f in recent)} in the last 30 days, "
        f"{sum(f.seconds for f in recent) / 60:.0f} min"
    )
    print(f"true retention (30 days): {_percent(stats.true_retention)}")
    for topic, rate in stats.retention_by_topic.items():
        print(f"  {topic:<16} {_percent(rate)}")
    print(f"due in the next 30 days: {sparkline(stats.forecast)}  (today first)")
    print(f"tasks done: {_percent(stats.task_completion)}")
    cal = stats.calibration
    if cal.log_loss is not None and cal.rmse_bins is not None:
        print(
            f"calibration over {cal.reviews} reviews: "
            f"log loss {cal.log_loss:.3f}, RMSE(bins) {cal.rmse_bins:.3f}"
        )
    return 0
